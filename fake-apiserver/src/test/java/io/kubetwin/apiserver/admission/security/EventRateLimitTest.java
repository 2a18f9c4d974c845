package io.kubetwin.apiserver.admission.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.apiserver.testing.TestClock;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EventRateLimit's buckets on a clock the test moves, with the 429 text kube-apiserver v1.34.4 answered for the
 * same configuration (Namespace and User limits, qps 1, burst 2), and the plugin's configuration read from the
 * admission config file of a server over TLS.
 */
class EventRateLimitTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            {"apiVersion":"eventratelimit.admission.k8s.io/v1alpha1","kind":"Configuration","limits":[
             {"type":"Namespace","qps":1,"burst":2},{"type":"User","qps":1,"burst":2}]}""";

    /** A clock the test moves by hand. */
    private static AdmissionAttributes event(String namespace, String user, boolean dryRun) throws Exception {
        ObjectNode e =
                (ObjectNode) JSON.readTree("{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"e\"}}");
        return new AdmissionAttributes(
                Operation.CREATE,
                e,
                null,
                "",
                "v1",
                "Event",
                "",
                "events",
                "",
                namespace,
                "e",
                new UserInfo(user, "", List.of(), Map.of()),
                dryRun);
    }

    private static String refusal(Future<Void> f) {
        assertTrue(f.failed(), "expected a refusal");
        StatusException e = (StatusException) f.cause();
        assertEquals(429, e.code());
        assertEquals("TooManyRequests", e.status().reason());
        return e.status().message();
    }

    @Test
    void aBurstThenRefusalsUntilTokensComeBack() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
        EventRateLimit plugin = new EventRateLimit(JSON.readTree(CONFIG), clock);
        assertTrue(plugin.validate(event("default", "kubernetes-admin", false)).succeeded());
        assertTrue(plugin.validate(event("default", "kubernetes-admin", true)).succeeded(), "dry runs are free");
        assertTrue(plugin.validate(event("default", "kubernetes-admin", false)).succeeded());
        assertEquals(
                "Too many requests: [limit reached on type Namespace for key default, limit reached on type User for key "
                        + "kubernetes-admin]",
                refusal(plugin.validate(event("default", "kubernetes-admin", false))));
        // another namespace has its own bucket; the user's is still empty
        assertEquals(
                "Too many requests: limit reached on type User for key kubernetes-admin",
                refusal(plugin.validate(event("other", "kubernetes-admin", false))));
        clock.advance(Duration.ofSeconds(1));
        assertTrue(plugin.validate(event("default", "kubernetes-admin", false)).succeeded(), "one token a second");
    }

    @Test
    void aConfigurationIsRequiredAndValidated() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new EventRateLimit(null, Clock.systemUTC()));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new EventRateLimit(
                        JSON.readTree("{\"limits\":[{\"type\":\"Server\",\"qps\":0,\"burst\":1}]}"),
                        Clock.systemUTC()));
        assertTrue(e.getMessage().contains("limits[0].qps: Invalid value: 0: must be positive"), e.getMessage());
    }

    @Test
    void theServerReadsItsConfigurationFromTheAdmissionConfigFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("admission.yaml");
        Files.writeString(
                file,
                "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n"
                        + "- name: EventRateLimit\n  configuration: " + CONFIG.replace("\n", "") + "\n");
        try (TestApiServer server = TestApiServer.start(
                b -> b.enableAdmissionPlugins(List.of("EventRateLimit")).admissionControlConfigFile(file))) {
            JsonNode created = server.admin()
                    .post(
                            "/api/v1/namespaces/default/events",
                            "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"e1\"},\"involvedObject\":"
                                    + "{\"kind\":\"Pod\",\"name\":\"x\",\"namespace\":\"default\"},\"reason\":\"R\","
                                    + "\"message\":\"m\",\"type\":\"Normal\"}")
                    .json();
            assertEquals("e1", created.at("/metadata/name").asText());
        }
    }
}

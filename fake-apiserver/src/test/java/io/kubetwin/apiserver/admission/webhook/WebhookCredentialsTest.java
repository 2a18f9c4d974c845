package io.kubetwin.apiserver.admission.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which kubeconfig user a webhook host gets (util/webhook/authentication.go defaultAuthenticationInfoResolver). */
class WebhookCredentialsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            users:
            - {name: "127.0.0.1:8443", user: {token: exact}}
            - {name: "hook.example.com", user: {token: host-only}}
            - {name: "*.example.com", user: {token: domain}}
            - {name: "*.svc.example.com", user: {token: subdomain}}
            - {name: "hook.ns.svc:443", user: {token: service}}
            - {name: "basic", user: {username: u, password: p}}
            - {name: "provider", user: {auth-provider: {name: gcp}}}
            contexts:
            - {name: c, context: {user: basic}}
            current-context: c
            """;

    private static WebhookCredentials load(Path dir, String kubeconfig) throws Exception {
        Path file = Files.writeString(dir.resolve("webhooks.kubeconfig"), kubeconfig);
        return WebhookCredentials.load(JSON.readTree(
                "{\"apiVersion\":\"apiserver.config.k8s.io/v1\",\"kind\":\"WebhookAdmissionConfiguration\","
                        + "\"kubeConfigFile\":\"" + file + "\"}"));
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:8443, Bearer exact",
        "hook.example.com:443, Bearer host-only",
        "other.example.com:443, Bearer domain",
        "a.svc.example.com:443, Bearer subdomain",
        "hook.ns.svc:443, Bearer service",
        "hook.example.com:8443, Basic dTpw",
        "127.0.0.1:9443, Basic dTpw"
    })
    void theUserIsPickedByHost(String hostPort, String authorization, @TempDir Path dir) throws Exception {
        assertEquals(authorization, load(dir, KUBECONFIG).resolve(hostPort).authorization());
    }

    @Test
    void aStarUserComesBeforeTheCurrentContext(@TempDir Path dir) throws Exception {
        WebhookCredentials c =
                load(dir, KUBECONFIG.replace("users:\n", "users:\n- {name: \"*\", user: {token: star}}\n"));
        assertEquals("Bearer star", c.resolve("10.0.0.1:443").authorization());
        assertEquals("Bearer exact", c.resolve("127.0.0.1:8443").authorization());
    }

    @Test
    void anAuthProviderIsRefusedWhenCalled(@TempDir Path dir) throws Exception {
        WebhookCredentials c = load(
                dir,
                KUBECONFIG
                        .replace("current-context: c", "current-context: p")
                        .replace("- {name: c, context: {user: basic}}", "- {name: p, context: {user: provider}}"));
        assertEquals("auth provider not supported", c.resolve("10.0.0.1:443").unsupported());
    }

    @Test
    void withoutConfigurationNoCredentials() {
        assertEquals(null, WebhookCredentials.NONE.resolve("127.0.0.1:8443").authorization());
    }

    /** kube-apiserver's start-up errors (recorded), after "couldn't init admission plugin ...: ". */
    @Test
    void theKubeconfigPathMustBeAbsoluteAndExist() throws Exception {
        assertEquals(
                "kubeConfigFile: Invalid value: \"whkc.yaml\": must be an absolute file path",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> WebhookCredentials.load(JSON.readTree("{\"kubeConfigFile\":\"whkc.yaml\"}")))
                        .getMessage());
        assertEquals(
                "stat /nonexistent/nope.yaml: no such file or directory",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> WebhookCredentials.load(
                                        JSON.readTree("{\"kubeConfigFile\":\"/nonexistent/nope.yaml\"}")))
                        .getMessage());
    }
}

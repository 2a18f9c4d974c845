package io.kubetwin.apiserver.admission.podsecurity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PodSecurity over TLS against the whole fake, with an AdmissionConfiguration (defaults and exemptions) and
 * an audit log: the exact denial Status, the Warning headers and the pod-security.kubernetes.io audit
 * annotations, as kube-apiserver v1.34.4 answers (the pod-security conformance suite compares the same texts
 * with the reference).
 */
class PodSecurityApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = tempDir();
    private static final String BARE = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\"},"
            + "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\"%s}]}}";
    private static final String PRIVILEGED = ",\"securityContext\":{\"privileged\":true}";

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder()
            .config(b -> b.allowPrivileged(true)
                    .admissionControlConfigFile(write("admission.yaml", """
                            apiVersion: apiserver.config.k8s.io/v1
                            kind: AdmissionConfiguration
                            plugins:
                            - name: PodSecurity
                              configuration:
                                apiVersion: pod-security.admission.config.k8s.io/v1
                                kind: PodSecurityConfiguration
                                defaults: {audit: baseline}
                                exemptions: {usernames: [trusted], namespaces: [free], runtimeClasses: [kata]}
                            """))
                    .auditPolicyFile(write("policy.yaml", """
                            apiVersion: audit.k8s.io/v1
                            kind: Policy
                            omitStages: [RequestReceived]
                            rules: [{level: Metadata}]
                            """))
                    .auditLogPath(DIR.resolve("audit.log").toString()))
            .build();

    private final ApiClient admin = cluster.admin();

    @BeforeAll
    static void namespaces() {
        ApiClient admin = cluster.admin();
        namespace(admin, "strict", "\"pod-security.kubernetes.io/enforce\":\"restricted\"");
        namespace(admin, "loose", "\"pod-security.kubernetes.io/warn\":\"baseline\"");
        namespace(admin, "free", "\"pod-security.kubernetes.io/enforce\":\"restricted\"");
        namespace(admin, "existing", "");
        for (String ns : List.of("strict", "loose", "free", "existing")) {
            // the fake's service account controller may have been first (409)
            int code = admin.post(
                            "/api/v1/namespaces/" + ns + "/serviceaccounts",
                            "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"default\"}}")
                    .code();
            assertTrue(code == 201 || code == 409, "default service account: " + code);
        }
    }

    private static void namespace(ApiClient admin, String name, String labels) {
        ApiClient.Response r = admin.post(
                "/api/v1/namespaces",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{"
                        + labels + "}}}");
        assertEquals(201, r.code(), r.body());
    }

    @Test
    void aViolatingPodIsDeniedWithTheReasonsAndTheEnforcedPolicyIsAudited() throws Exception {
        String id = UUID.randomUUID().toString();
        ApiClient.Response r = admin.send(
                "POST",
                "/api/v1/namespaces/strict/pods",
                BARE.formatted("bare", ""),
                "application/json",
                "Audit-ID",
                id);
        assertEquals(403, r.code());
        JsonNode status = r.json();
        assertEquals("Forbidden", status.path("reason").asText());
        assertEquals(
                "pods \"bare\" is forbidden: violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false"
                        + " (container \"app\" must set securityContext.allowPrivilegeEscalation=false), unrestricted "
                        + "capabilities (container \"app\" must set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot"
                        + " != true (pod or container \"app\" must set securityContext.runAsNonRoot=true), seccompProfile (pod"
                        + " or container \"app\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or "
                        + "\"Localhost\")",
                status.path("message").asText());
        assertEquals(
                "{\"name\":\"bare\",\"kind\":\"pods\"}", status.path("details").toString());
        assertNull(r.header("Warning"));
        JsonNode annotations = auditAnnotations(id);
        assertEquals(
                "restricted:latest",
                annotations.path("pod-security.kubernetes.io/enforce-policy").asText());
        // the configured default audit level (baseline) has nothing to say about this pod
        assertTrue(
                annotations.path("pod-security.kubernetes.io/audit-violations").isMissingNode(),
                annotations.toString());
    }

    @Test
    void theWarnLevelWarnsAndTheDefaultAuditLevelAnnotates() throws Exception {
        String id = UUID.randomUUID().toString();
        ApiClient.Response r = admin.send(
                "POST",
                "/api/v1/namespaces/loose/pods",
                BARE.formatted("priv", PRIVILEGED),
                "application/json",
                "Audit-ID",
                id);
        assertEquals(201, r.code(), r.body());
        assertEquals(
                "299 - \"would violate PodSecurity \\\"baseline:latest\\\": privileged (container \\\"app\\\" must not "
                        + "set securityContext.privileged=true)\"",
                r.headerLine("Warning").orElse(null));
        JsonNode annotations = auditAnnotations(id);
        assertEquals(
                "privileged:latest",
                annotations.path("pod-security.kubernetes.io/enforce-policy").asText());
        assertEquals(
                "would violate PodSecurity \"baseline:latest\": privileged (container \"app\" must not set "
                        + "securityContext.privileged=true)",
                annotations.path("pod-security.kubernetes.io/audit-violations").asText());
    }

    @Test
    void workloadTemplatesAreWarnedAboutButNeverDenied() {
        ApiClient.Response r = admin.post("/apis/apps/v1/namespaces/strict/daemonsets", """
                {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent"},
                 "spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},
                 "spec":{"hostPID":true,"securityContext":{"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"}},
                 "containers":[{"name":"agent","image":"agent:1","securityContext":{"allowPrivilegeEscalation":false,
                 "capabilities":{"drop":["ALL"]}}}]}}}}""");
        assertEquals(201, r.code(), r.body());
        assertEquals(
                "299 - \"would violate PodSecurity \\\"restricted:latest\\\": host namespaces (hostPID=true)\"",
                r.headerLine("Warning").orElse(null));
    }

    @Test
    void exemptionsAdmitAndAreAudited() throws Exception {
        String id = UUID.randomUUID().toString();
        ApiClient.Response r = admin.send(
                "POST",
                "/api/v1/namespaces/free/pods",
                BARE.formatted("f", PRIVILEGED),
                "application/json",
                "Audit-ID",
                id);
        assertEquals(201, r.code(), r.body());
        assertEquals(
                "namespace",
                auditAnnotations(id).path("pod-security.kubernetes.io/exempt").asText());

        id = UUID.randomUUID().toString();
        r = cluster.as("trusted", "system:masters")
                .send(
                        "POST",
                        "/api/v1/namespaces/strict/pods",
                        BARE.formatted("t", PRIVILEGED),
                        "application/json",
                        "Audit-ID",
                        id);
        assertEquals(201, r.code(), r.body());
        assertEquals(
                "user",
                auditAnnotations(id).path("pod-security.kubernetes.io/exempt").asText());

        // the RuntimeClass plugin refuses a pod whose RuntimeClass does not exist, as on a real cluster
        assertEquals(
                201,
                admin.post(
                                "/apis/node.k8s.io/v1/runtimeclasses",
                                "{\"apiVersion\":\"node.k8s.io/v1\",\"kind\":\"RuntimeClass\","
                                        + "\"metadata\":{\"name\":\"kata\"},\"handler\":\"kata\"}")
                        .code());
        id = UUID.randomUUID().toString();
        r = admin.send(
                "POST",
                "/api/v1/namespaces/strict/pods",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"k\"},\"spec\":{\"runtimeClassName\":\"kata\","
                        + "\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\"}]}}",
                "application/json",
                "Audit-ID",
                id);
        assertEquals(201, r.code(), r.body());
        assertEquals(
                "runtimeClass",
                auditAnnotations(id).path("pod-security.kubernetes.io/exempt").asText());
    }

    @Test
    void invalidLabelsAreRefusedAsInvalid() {
        ApiClient.Response r = admin.post(
                "/api/v1/namespaces",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"bad\",\"labels\":{"
                        + "\"pod-security.kubernetes.io/enforce\":\"strict\"}}}");
        assertEquals(422, r.code());
        assertEquals(
                "Namespace \"bad\" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "
                        + "\"strict\": must be one of privileged, baseline, restricted",
                r.message());
        assertEquals(
                "[{\"reason\":\"FieldValueInvalid\",\"message\":\"Invalid value: \\\"strict\\\": must be one of privileged, "
                        + "baseline, restricted\",\"field\":\"metadata.labels[pod-security.kubernetes.io/enforce]\"}]",
                r.json().path("details").path("causes").toString());
    }

    @Test
    void raisingTheEnforceLevelListsTheExistingPodsThatViolateIt() {
        for (String name : List.of("c", "a", "b")) {
            assertEquals(
                    201,
                    admin.post("/api/v1/namespaces/existing/pods", BARE.formatted(name, PRIVILEGED))
                            .code());
        }
        assertEquals(
                201,
                admin.post("/api/v1/namespaces/existing/pods", BARE.formatted("plain", ""))
                        .code());
        ApiClient.Response r = admin.patch(
                "/api/v1/namespaces/existing",
                "{\"metadata\":{\"labels\":{\"pod-security.kubernetes.io/enforce\":\"restricted\"}}}",
                "application/merge-patch+json");
        assertEquals(200, r.code(), r.body());
        assertEquals(
                List.of(
                        "299 - \"existing pods in namespace \\\"existing\\\" violate the new PodSecurity enforce level "
                                + "\\\"restricted:latest\\\"\"",
                        "299 - \"a (and 2 other pods): privileged, allowPrivilegeEscalation != false, unrestricted "
                                + "capabilities, runAsNonRoot != true, seccompProfile\"",
                        "299 - \"plain: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != "
                                + "true, seccompProfile\""),
                r.headers().get("warning"));
        // an update that changes no image is never evaluated, one that does is denied
        assertEquals(
                200,
                admin.patch(
                                "/api/v1/namespaces/existing/pods/a",
                                "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}",
                                "application/merge-patch+json")
                        .code());
        ApiClient.Response image = admin.patch(
                "/api/v1/namespaces/existing/pods/a",
                "{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.28\"}]}}",
                "application/strategic-merge-patch+json");
        assertEquals(403, image.code());
        assertTrue(
                image.message()
                        .startsWith("pods \"a\" is forbidden: violates PodSecurity \"restricted:latest\": privileged"),
                image.message());
    }

    /** The annotations of the request's ResponseComplete event. */
    private static JsonNode auditAnnotations(String auditId) throws Exception {
        for (int i = 0; i < 100; i++) {
            for (String line : Files.readAllLines(DIR.resolve("audit.log"))) {
                JsonNode e = JSON.readTree(line);
                if (auditId.equals(e.path("auditID").asText())
                        && "ResponseComplete".equals(e.path("stage").asText())) {
                    return e.path("annotations");
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no ResponseComplete event for " + auditId);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("pod-security-api-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(String name, String content) {
        try {
            return Files.writeString(DIR.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

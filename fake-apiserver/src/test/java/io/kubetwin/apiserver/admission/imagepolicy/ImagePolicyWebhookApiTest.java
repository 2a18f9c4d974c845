package io.kubetwin.apiserver.admission.imagepolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.reader.AuditLog;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ImagePolicyWebhook over TLS, end to end: the fake asks a real backend (ImagePolicyBackendFixture) and must answer
 * what kube-apiserver v1.34.4 answered with the same backend answers and configuration (recorded on 2026-12-07 with
 * ci/reference/run-reference.sh --enable-admission-plugins=ImagePolicyWebhook; the texts below are the reference's).
 */
class ImagePolicyWebhookApiTest {
    private static final Path DIR = tempDir();
    private static final Path LOG = DIR.resolve("audit.log");
    private static final String PODS = "/api/v1/namespaces/default/pods";
    private static final ImagePolicyBackendFixture BACKEND = new ImagePolicyBackendFixture();

    /** defaultAllow false, the client certificate, answers cached for 2 s, a 5 ms back-off; inline configuration. */
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder()
            .config(b -> b.enableAdmissionPlugins(List.of("ImagePolicyWebhook"))
                    .admissionControlConfigFile(admissionConfig(
                            "  configuration:\n    imagePolicy:\n      kubeConfigFile: "
                                    + BACKEND.kubeconfig(DIR, false)
                                    + "\n      allowTTL: 2\n      denyTTL: 2\n      retryBackoff: 5\n"
                                    + "      defaultAllow: false\n",
                            "admission.yaml"))
                    .auditPolicyFile(policy())
                    .auditLogPath(LOG.toString()))
            .build();

    private final ApiClient admin = cluster.admin();

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("image-policy");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path admissionConfig(String plugin, String file) {
        try {
            return Files.writeString(
                    DIR.resolve(file),
                    "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n"
                            + "- name: ImagePolicyWebhook\n" + plugin);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path policy() {
        try {
            return Files.writeString(DIR.resolve("policy.yaml"), """
                    apiVersion: audit.k8s.io/v1
                    kind: Policy
                    omitStages: ["RequestReceived"]
                    rules:
                    - level: Metadata
                      resources: [{group: "", resources: ["pods", "pods/ephemeralcontainers"]}]
                    - level: None
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String pod(String name, String image, String extraMeta, String extraSpec) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"" + extraMeta
                + "},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" + image + "\"}]" + extraSpec + "}}";
    }

    private static ApiClient.Response create(ApiClient client, String name, String image) {
        return TestApiServer.eventually(
                () -> client.send(
                        "POST", PODS, pod(name, image, "", ""), "application/json", "Audit-ID", "audit-" + name),
                r -> !r.body().contains("serviceaccount \\\"default\\\" not found"));
    }

    @Test
    void sendsTheReviewTheReferenceSends() {
        String annotations =
                ",\"annotations\":{\"b.image-policy.k8s.io/z\":\"3\",\"image-policy.k8s.io/y\":\"2\",\"foo\":\"bar\","
                        + "\"a.image-policy.k8s.io/x\":\"1\"}";
        ApiClient.Response r = TestApiServer.eventually(
                () -> admin.post(
                        PODS,
                        pod(
                                "p1",
                                "nginx",
                                annotations,
                                ",\"initContainers\":[{\"name\":\"i\",\"image\":\"busybox\"}]")),
                x -> !x.body().contains("serviceaccount \\\"default\\\" not found"));
        assertEquals(201, r.code(), r.body());
        ImagePolicyBackendFixture.Seen seen = BACKEND.last();
        assertEquals(
                "{\"kind\":\"ImageReview\",\"apiVersion\":\"imagepolicy.k8s.io/v1alpha1\",\"metadata\":{},"
                        + "\"spec\":{\"containers\":[{\"image\":\"nginx\"},{\"image\":\"busybox\"}],"
                        + "\"annotations\":{\"a.image-policy.k8s.io/x\":\"1\",\"b.image-policy.k8s.io/z\":\"3\"},"
                        + "\"namespace\":\"default\"},\"status\":{\"allowed\":false}}\n",
                seen.body());
        assertEquals("/review?timeout=30s", seen.uri());
        assertEquals("Go-http-client/1.1", seen.userAgent());
        assertEquals("application/json", seen.contentType());
        assertEquals("CN=apiserver-client", seen.client());
        assertEquals(null, seen.authorization());
    }

    /** The reference's message for each backend answer, with defaultAllow false. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "deny-a | image policy webhook backend denied one or more images: images deny-a not allowed | 1",
                "deny-noreason | one or more images rejected by webhook backend | 1",
                "annot-deny | image policy webhook backend denied one or more images: images annot-deny not allowed | 1",
                "e500 | backend broke | 5",
                "txt500 | an error on the server (\"plain broke\") has prevented the request from succeeding | 5",
                "json500 | an error on the server (\"unknown\") has prevented the request from succeeding | 5",
                "wrongkind | converting (v1.Pod) to (v1alpha1.ImageReview): unknown conversion | 1",
                "garbage | couldn't get version/kind; json parse error: json: cannot unmarshal string into Go value of"
                        + " type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string"
                        + " \"json:\\\"kind,omitempty\\\"\" } | 1"
            })
    void refusals(String image, String why, long calls) {
        String name = "p-" + image;
        ApiClient.Response r = create(admin, name, image);
        assertEquals(403, r.code(), r.body());
        assertEquals(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                        + io.kubetwin.apiserver.api.GoJson.string("pods \"" + name + "\" is forbidden: " + why)
                        + ",\"reason\":\"Forbidden\",\"details\":{\"name\":\"" + name + "\",\"kind\":\"pods\"},"
                        + "\"code\":403}",
                r.json().toString());
        assertEquals(calls, BACKEND.calls(image));
    }

    @Test
    void aForbiddenAnswerOfTheBackendIsPassedOnAsItIs() {
        ApiClient.Response r = create(admin, "p-e403", "e403");
        assertEquals(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                        + "\"unknown\",\"reason\":\"Forbidden\",\"details\":{\"causes\":[{\"reason\":"
                        + "\"UnexpectedServerResponse\",\"message\":\"unknown\"}]},\"code\":403}",
                r.json().toString());
        r = create(admin, "p-st403", "st403");
        assertEquals(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                        + "\"no way\",\"reason\":\"Forbidden\",\"code\":403}",
                r.json().toString());
    }

    @Test
    void anAnswerWithoutKindIsAnImageReview() {
        assertEquals(201, create(admin, "p-nokind", "nokind").code());
    }

    @Test
    void theBackendsAuditAnnotationsAreRecordedAllowedOrNot() {
        assertEquals(201, create(admin, "p-annot", "annot").code());
        assertEquals(403, create(admin, "p-annot-deny2", "annot-deny2").code());
        Map<String, String> expected = Map.of(
                "imagepolicywebhook.image-policy.k8s.io/mykey", "myvalue",
                "imagepolicywebhook.image-policy.k8s.io/other", "x");
        assertEquals(expected, annotations("p-annot-deny2", "imagepolicywebhook"));
        assertEquals(expected, annotations("p-annot", "imagepolicywebhook"));
    }

    @Test
    void answersAreReusedForTheSameReviewOnly() {
        assertEquals(201, create(admin, "c1", "cacheme").code());
        assertEquals(201, create(admin, "c2", "cacheme").code());
        assertEquals(1, BACKEND.calls("cacheme"));
        // a label change sends the same review, which the cache answers; the status subresource is not reviewed
        ApiClient.Response r =
                admin.patch(PODS + "/c1", "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}", "application/merge-patch+json");
        assertEquals(200, r.code(), r.body());
        r = admin.patch(PODS + "/c1/status", "{\"status\":{\"message\":\"hi\"}}", "application/merge-patch+json");
        assertEquals(200, r.code(), r.body());
        assertEquals(1, BACKEND.calls("cacheme"));
        r = admin.patch(
                PODS + "/c1",
                "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"deny-upd\"}]}}",
                "application/strategic-merge-patch+json");
        assertEquals(
                "pods \"c1\" is forbidden: image policy webhook backend denied one or more images: images deny-upd not"
                        + " allowed",
                r.message());
    }

    @Test
    void defaultAllowLetsPodsInWhenTheBackendFailsAndSaysSo(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("image-policy.yaml"),
                "imagePolicy:\n  kubeConfigFile: " + BACKEND.kubeconfig(dir, true)
                        + "\n  allowTTL: -1\n  denyTTL: -1\n  retryBackoff: 5\n  defaultAllow: true\n");
        Path config = Files.writeString(
                dir.resolve("admission.yaml"),
                "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n"
                        + "- name: ImagePolicyWebhook\n  path: image-policy.yaml\n");
        Path log = dir.resolve("audit.log");
        try (TestApiServer open = TestApiServer.start(b -> b.enableAdmissionPlugins(List.of("ImagePolicyWebhook"))
                .admissionControlConfigFile(config)
                .auditPolicyFile(policy())
                .auditLogPath(log.toString()))) {
            ApiClient client = open.admin();
            assertEquals(201, create(client, "p-txt500", "txt500-open").code());
            assertEquals("Bearer secret-token", BACKEND.last().authorization());
            assertEquals(
                    Map.of("imagepolicywebhook.image-policy.k8s.io/failed-open", "true"),
                    annotations(log, "p-txt500", "imagepolicywebhook"));
            ApiClient.Response stored = client.get(PODS + "/p-txt500");
            assertEquals("", stored.json().at("/metadata/annotations").toString());
            // TTLs of -1 cache nothing; denials still deny
            assertEquals(201, create(client, "ok1", "open-ok").code());
            assertEquals(201, create(client, "ok2", "open-ok").code());
            assertEquals(2, BACKEND.calls("open-ok"));
            assertEquals(403, create(client, "d1", "deny-open").code());
        }
    }

    @Test
    void anUnreachableBackendRefusesWithTheDialError(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String kubeconfig = Files.readString(BACKEND.kubeconfig(dir, true))
                .replace(BACKEND.url(), "https://127.0.0.1:" + port + "/review");
        Path kc = Files.writeString(dir.resolve("down.kubeconfig"), kubeconfig);
        Path config = Files.writeString(
                dir.resolve("admission.yaml"),
                "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n"
                        + "- name: ImagePolicyWebhook\n  configuration:\n    imagePolicy: {kubeConfigFile: " + kc
                        + "}\n");
        try (TestApiServer down = TestApiServer.start(
                b -> b.enableAdmissionPlugins(List.of("ImagePolicyWebhook")).admissionControlConfigFile(config))) {
            ApiClient.Response r = create(down.admin(), "down1", "down");
            assertEquals(403, r.code(), r.body());
            assertEquals(
                    "pods \"down1\" is forbidden: Post \"https://127.0.0.1:" + port + "/review?timeout=30s\": dial tcp"
                            + " 127.0.0.1:" + port + ": connect: connection refused",
                    r.message());
        }
    }

    /** Start-up refusals, as kube-apiserver prints them after {@code "command failed" err=}. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "allowTTL: 3600 | valid value is between 1s and 30m0s, got 1h0m0s",
                "denyTTL: 3600 | valid value is between 1s and 30m0s, got 1h0m0s",
                "retryBackoff: 400000 | valid value is between 1ns and 5m0s, got 6m40s",
                "allowTTL: -2 | valid value is between 1s and 30m0s, got -2s",
                "allowTTL: abc | json: cannot unmarshal string into Go struct field"
                        + " imagePolicyWebhookConfig.imagePolicy.allowTTL of type time.Duration",
                "allowTTL: 1.5 | json: cannot unmarshal number 1.5 into Go struct field"
                        + " imagePolicyWebhookConfig.imagePolicy.allowTTL of type time.Duration",
                "kubeConfigFile: /nonexistent/missing.yaml | stat /nonexistent/missing.yaml: no such file or directory",
                "defaultAllow: false | invalid configuration: no configuration has been provided, try setting"
                        + " KUBERNETES_MASTER environment variable"
            })
    void badConfigurationsAreRefusedAtStartUp(String setting, String error, @TempDir Path dir) throws Exception {
        String kubeconfig = setting.startsWith("kubeConfigFile") || setting.startsWith("defaultAllow")
                ? ""
                : "kubeConfigFile: " + BACKEND.kubeconfig(dir, true) + ", ";
        Path config = Files.writeString(
                dir.resolve("admission.yaml"),
                "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n"
                        + "- name: ImagePolicyWebhook\n  configuration:\n    imagePolicy: {" + kubeconfig + setting
                        + "}\n");
        RuntimeException e = assertThrows(
                RuntimeException.class,
                () -> TestApiServer.start(b -> b.enableAdmissionPlugins(List.of("ImagePolicyWebhook"))
                                .admissionControlConfigFile(config))
                        .close());
        assertEquals(
                "failed to apply admission: couldn't init admission plugin \"ImagePolicyWebhook\": " + error,
                rootMessage(e));
    }

    @Test
    void enabledWithoutConfigurationIsRefused() {
        RuntimeException e = assertThrows(
                RuntimeException.class,
                () -> TestApiServer.start(b -> b.enableAdmissionPlugins(List.of("ImagePolicyWebhook")))
                        .close());
        assertEquals(
                "failed to apply admission: couldn't init admission plugin \"ImagePolicyWebhook\": no config specified",
                rootMessage(e));
    }

    private static String rootMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException) {
                return t.getMessage();
            }
        }
        return String.valueOf(e);
    }

    private static Map<String, String> annotations(String name, String prefix) {
        return annotations(LOG, name, prefix);
    }

    /** The ResponseComplete event's annotations starting with {@code prefix}. */
    static Map<String, String> annotations(Path log, String name, String prefix) {
        Instant deadline = Instant.now().plusSeconds(10);
        while (true) {
            if (Files.exists(log)) {
                List<AuditEvent> events =
                        AuditLog.read(log).query().auditId("audit-" + name).list();
                if (!events.isEmpty()) {
                    Map<String, String> a = new TreeMap<>();
                    events.get(events.size() - 1).annotations().forEach((k, v) -> {
                        if (k.startsWith(prefix)) {
                            a.put(k, v);
                        }
                    });
                    return a;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no audit event for " + name);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

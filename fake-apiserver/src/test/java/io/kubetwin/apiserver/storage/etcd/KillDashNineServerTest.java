package io.kubetwin.apiserver.storage.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Kubeconfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persistent fake apiserver ({@code --cert-dir} and {@code --data-dir}) killed with SIGKILL: no shutdown hook
 * runs, yet after a restart on the same directories the namespace, the RBAC objects, the Secret and the
 * service account are there with their resourceVersions, and a token issued before the kill authenticates.
 */
class KillDashNineServerTest {
    @TempDir
    Path dir;

    @Test
    void everythingAcknowledgedSurvivesKillDashNine() throws Exception {
        String secretRv;
        String token;
        Process first = start();
        try {
            ApiClient admin = admin();
            assertEquals(
                    201,
                    firstCall(() -> admin.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"team\"}}"))
                            .code());
            ApiClient.Response secret = admin.post(
                    "/api/v1/namespaces/team/secrets", "{\"metadata\":{\"name\":\"db\"},\"data\":{\"p\":\"eA==\"}}");
            assertEquals(201, secret.code(), secret.body());
            secretRv = secret.json().path("metadata").path("resourceVersion").asText();
            assertEquals(
                    201,
                    admin.post(
                                    "/apis/rbac.authorization.k8s.io/v1/clusterroles",
                                    "{\"metadata\":{\"name\":\"auditor\"},\"rules\":[{\"apiGroups\":[\"\"],"
                                            + "\"resources\":[\"secrets\"],\"verbs\":[\"list\"]}]}")
                            .code());
            assertEquals(
                    201,
                    admin.post(
                                    "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
                                    "{\"metadata\":{\"name\":\"auditor\"},\"roleRef\":{\"apiGroup\":"
                                            + "\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"auditor\"},"
                                            + "\"subjects\":[{\"kind\":\"ServiceAccount\",\"name\":\"bot\",\"namespace\":\"team\"}]}")
                            .code());
            assertEquals(
                    201,
                    admin.post("/api/v1/namespaces/team/serviceaccounts", "{\"metadata\":{\"name\":\"bot\"}}")
                            .code());
            ApiClient.Response tr = admin.post(
                    "/api/v1/namespaces/team/serviceaccounts/bot/token",
                    "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{}}");
            assertEquals(201, tr.code(), tr.body());
            token = tr.json().path("status").path("token").asText();
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed on the way out
            first.waitFor(30, TimeUnit.SECONDS);
        }

        Process second = start();
        try {
            ApiClient admin = admin();
            ApiClient.Response secret = firstCall(() -> admin.get("/api/v1/namespaces/team/secrets/db"));
            assertEquals(200, secret.code(), secret.body());
            assertEquals(
                    secretRv,
                    secret.json().path("metadata").path("resourceVersion").asText());
            assertEquals("eA==", secret.json().path("data").path("p").asText());
            assertEquals(200, admin.get("/api/v1/namespaces/team").code());
            Kubeconfig kc = Kubeconfig.read(dir.resolve("pki").resolve("admin.kubeconfig"));
            ApiClient bot =
                    ApiClient.withToken(kc.server(), kc.certificateAuthorities().get(0), token);
            ApiClient.Response list = bot.get("/api/v1/namespaces/team/secrets");
            assertEquals(200, list.code(), list.body());
            assertEquals(
                    "db",
                    list.json()
                            .path("items")
                            .path(0)
                            .path("metadata")
                            .path("name")
                            .asText());
            assertEquals(403, bot.get("/api/v1/namespaces/team/configmaps").code());
        } finally {
            second.destroyForcibly();
            second.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The first request to a fresh child JVM, retried while a loaded machine lets its TCP connect time out. */
    private static ApiClient.Response firstCall(java.util.function.Supplier<ApiClient.Response> call)
            throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (java.io.UncheckedIOException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    private ApiClient admin() throws IOException {
        return ApiClient.of(Kubeconfig.read(dir.resolve("pki").resolve("admin.kubeconfig")));
    }

    /** A fake apiserver in a child JVM; returns once it serves. */
    private Process start() throws Exception {
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.kubetwin.apiserver.server.Main",
                        "--bind-address=127.0.0.1",
                        "--secure-port=0",
                        "--authorization-mode=RBAC",
                        "--cert-dir=" + dir.resolve("pki"),
                        "--data-dir=" + dir.resolve("data"))
                .redirectErrorStream(true)
                .start();
        CompletableFuture<String> serving = new CompletableFuture<>();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.startsWith("Serving securely on ")) {
                        serving.complete(line);
                    }
                }
            } catch (IOException e) {
                // the process was killed
            }
            serving.complete(null);
        });
        reader.setDaemon(true);
        reader.start();
        String line = serving.get(180, TimeUnit.SECONDS);
        if (line == null) {
            throw new IllegalStateException("the fake apiserver exited: " + output);
        }
        return p;
    }
}

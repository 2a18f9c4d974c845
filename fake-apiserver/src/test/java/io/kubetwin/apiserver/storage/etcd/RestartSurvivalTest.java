package io.kubetwin.apiserver.storage.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.StorageOptions;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Kubeconfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A persistent fake apiserver ({@code --cert-dir} and {@code --data-dir}) stopped and started again on the same
 * directories, once closed in this JVM and once killed with SIGKILL in a child JVM (no shutdown hook runs, nothing
 * is flushed on the way out): the namespace, the Secret (with its resourceVersion), the service account and the
 * RBAC objects are there, the bindings authorize again, and a token issued before the stop authenticates.
 */
class RestartSurvivalTest {
    @TempDir
    Path dir;

    /** How the server runs and how it is stopped. */
    enum Stop {
        CLOSE_IN_THIS_JVM,
        KILL_DASH_NINE
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void everythingAcknowledgedSurvivesTheRestart(Stop stop) throws Exception {
        String secretRv;
        String token;
        try (Running first = start(stop)) {
            ApiClient admin = first.admin();
            assertEquals(
                    201,
                    firstCall(() -> admin.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"team\"}}"))
                            .code());
            ApiClient.Response secret = admin.post(
                    "/api/v1/namespaces/team/secrets",
                    "{\"metadata\":{\"name\":\"db\"},\"stringData\":{\"password\":\"s3cret\"}}");
            assertEquals(201, secret.code(), secret.body());
            secretRv = secret.json().path("metadata").path("resourceVersion").asText();
            assertEquals(
                    201,
                    admin.post(
                                    "/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles",
                                    "{\"metadata\":{\"name\":\"read-secrets\"},\"rules\":[{\"apiGroups\":[\"\"],"
                                            + "\"resources\":[\"secrets\"],\"verbs\":[\"get\",\"list\"]}]}")
                            .code());
            assertEquals(
                    201,
                    admin.post(
                                    "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings",
                                    "{\"metadata\":{\"name\":\"bot\"},\"roleRef\":{\"apiGroup\":"
                                            + "\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":\"read-secrets\"},"
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
            assertEquals(
                    200,
                    first.token(token).get("/api/v1/namespaces/team/secrets/db").code());
        }

        try (Running second = start(stop)) {
            ApiClient admin = second.admin();
            ApiClient.Response secret = firstCall(() -> admin.get("/api/v1/namespaces/team/secrets/db"));
            assertEquals(200, secret.code(), secret.body());
            assertEquals(
                    secretRv,
                    secret.json().path("metadata").path("resourceVersion").asText());
            assertEquals("czNjcmV0", secret.json().path("data").path("password").asText());
            assertEquals(200, admin.get("/api/v1/namespaces/team").code());

            ApiClient bot = second.token(token);
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
            ApiClient.Response whoami = bot.post(
                    "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                    "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}");
            assertEquals(201, whoami.code(), whoami.body());
            JsonNode user = whoami.json().path("status").path("userInfo");
            assertEquals("system:serviceaccount:team:bot", user.path("username").asText());
        }
    }

    /** A running server: clients for it, and its stop. */
    private interface Running extends AutoCloseable {
        ApiClient admin() throws IOException;

        ApiClient token(String token) throws IOException;

        @Override
        void close() throws Exception;
    }

    private Running start(Stop stop) throws Exception {
        return stop == Stop.CLOSE_IN_THIS_JVM ? inThisJvm() : childJvm();
    }

    private Running inThisJvm() {
        TestApiServer server = TestApiServer.start(ApiServerConfig.builder()
                .certDir(dir.resolve("pki"))
                .storage(StorageOptions.embedded(dir.resolve("data")))
                .build());
        return new Running() {
            @Override
            public ApiClient admin() {
                return server.admin();
            }

            @Override
            public ApiClient token(String token) {
                return server.token(token);
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    /** A fake apiserver in a child JVM, returned once it serves; closing it is SIGKILL. */
    private Running childJvm() throws Exception {
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
        if (serving.get(180, TimeUnit.SECONDS) == null) {
            throw new IllegalStateException("the fake apiserver exited: " + output);
        }
        Path kubeconfig = dir.resolve("pki").resolve("admin.kubeconfig");
        return new Running() {
            @Override
            public ApiClient admin() throws IOException {
                return ApiClient.of(Kubeconfig.read(kubeconfig));
            }

            @Override
            public ApiClient token(String token) throws IOException {
                Kubeconfig kc = Kubeconfig.read(kubeconfig);
                return ApiClient.withToken(
                        kc.server(), kc.certificateAuthorities().get(0), token);
            }

            @Override
            public void close() throws InterruptedException {
                p.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed on the way out
                p.waitFor(30, TimeUnit.SECONDS);
            }
        };
    }

    /** The first request to a fresh child JVM, retried while a loaded machine lets its TCP connect time out. */
    private static ApiClient.Response firstCall(Supplier<ApiClient.Response> call) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (UncheckedIOException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }
}

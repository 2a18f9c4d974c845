package io.kubetwin.apiserver.storage.encryption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.StorageOptions;
import io.kubetwin.apiserver.storage.encryption.kms.LocalKmsPlugin;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake apiserver with a KMS v2 provider, over TLS on its embedded store: Secrets go through the plugin, the
 * {@code kms-providers} check joins /healthz and /readyz; a plugin that is not there does not stop the start-up
 * (as the reference, recorded with {@code ci/reference/run-reference.sh}), but Secret writes fail with its 500 and
 * the health endpoints with its bodies.
 */
class KmsV2ApiServerTest {
    private static final String SECRET = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s1\"},"
            + "\"stringData\":{\"password\":\"hunter2\"}}";

    @TempDir
    Path dir;

    private Path config(String endpoint) throws Exception {
        Path file = dir.resolve("encryption.yaml");
        Files.writeString(file, """
                apiVersion: apiserver.config.k8s.io/v1
                kind: EncryptionConfiguration
                resources:
                  - resources: [secrets]
                    providers:
                      - kms: {apiVersion: v2, name: kubetwin, endpoint: '%s', timeout: 5s}
                      - identity: {}
                """.formatted(endpoint));
        return file;
    }

    private TestApiServer start(Path config) {
        return TestApiServer.start(ApiServerConfig.builder()
                .storage(StorageOptions.embedded(dir.resolve("data")))
                .encryptionProviderConfig(config)
                .build());
    }

    @Test
    void secretsGoThroughThePluginAndItsCheckIsServed() throws Exception {
        try (LocalKmsPlugin plugin = LocalKmsPlugin.start(dir.resolve("kms.sock"), "key-1");
                TestApiServer server = start(config(plugin.endpoint()))) {
            ApiClient admin = server.admin();
            ApiClient.Response created = admin.post("/api/v1/namespaces/default/secrets", SECRET);
            assertEquals(201, created.code(), created.body());
            ApiClient.Response read = admin.get("/api/v1/namespaces/default/secrets/s1");
            assertEquals(200, read.code(), read.body());
            assertEquals(
                    "aHVudGVyMg==", read.json().path("data").path("password").asText());
            // the seed was wrapped once at start-up; the write DEK never needs unwrapping
            assertEquals(1, plugin.encryptCalls());
            assertEquals(0, plugin.decryptCalls());
            for (String path :
                    List.of("/healthz", "/readyz", "/livez", "/healthz/kms-providers", "/readyz/kms-providers")) {
                ApiClient.Response r = admin.get(path);
                assertEquals(200, r.code(), path);
                assertEquals("ok", r.body(), path);
            }
            assertEquals(404, admin.get("/livez/kms-providers").code());
        }
    }

    @Test
    void aPluginThatIsNotThereFailsSecretsAndHealthButNotTheStartUp() throws Exception {
        String socket = dir.resolve("absent.sock").toString();
        try (TestApiServer server = start(config("unix://" + socket))) {
            ApiClient admin = server.admin();
            ApiClient.Response created = admin.post("/api/v1/namespaces/default/secrets", SECRET);
            assertEquals(500, created.code(), created.body());
            assertEquals("Internal error occurred: got unexpected nil transformer", created.message());
            assertEquals("InternalError", created.json().path("reason").asText());
            // other resources are not encrypted and do not care
            assertEquals(
                    201,
                    admin.post("/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"c1\"}}")
                            .code());

            ApiClient.Response healthz = admin.get("/healthz");
            assertEquals(500, healthz.code());
            assertEquals(golden("healthz"), healthz.body());
            assertEquals("text/plain; charset=utf-8", healthz.header("Content-Type"));
            assertEquals("nosniff", healthz.header("X-Content-Type-Options"));
            ApiClient.Response readyz = admin.get("/readyz");
            assertEquals(500, readyz.code());
            assertEquals(golden("readyz"), readyz.body());
            ApiClient.Response livez = admin.get("/livez");
            assertEquals(200, livez.code());
            assertEquals("ok", livez.body());

            // a fresh probe's error is wrapped, an answer reused within 3 seconds is bare (as the reference)
            String dial = "rpc error: code = DeadlineExceeded desc = latest balancer error: connection error: desc = "
                    + "\"transport: Error while dialing: dial unix " + socket
                    + ": connect: no such file or directory\"";
            ApiClient.Response single = admin.get("/healthz/kms-providers");
            assertEquals(500, single.code());
            assertTrue(
                    List.of(
                                    "internal server error: kms-provider-0: " + dial + "\n",
                                    "internal server error: kms-provider-0: failed to perform status section of the"
                                            + " healthz check for KMS Provider kubetwin, error: " + dial + "\n")
                            .contains(single.body()),
                    single.body());
        }
    }

    /** The body kube-apiserver v1.34.4 answered with kms-providers failing (recorded with run-reference.sh). */
    private static String golden(String endpoint) throws Exception {
        try (var in =
                KmsV2ApiServerTest.class.getResourceAsStream("/golden/encryption/kms-" + endpoint + "-failed.txt")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}

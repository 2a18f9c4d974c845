package io.kubetwin.apiserver.storage.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.ManagedChannel;
import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.StorageOptions;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --encryption-provider-config on the etcd backend: each resource's values are written with its first provider
 * in upstream's format (the config the reference's values were recorded with: aescbc for Secrets, aesgcm for
 * ConfigMaps, secretbox for apps, identity for the rest), and read back through the API.
 */
class EncryptedStoreTest {
    @TempDir
    Path dir;

    @Test
    void eachResourceIsWrittenWithItsFirstProvider() throws Exception {
        Path config = dir.resolve("encryption.yaml");
        try (var in = getClass().getResourceAsStream("/golden/encryption/reference-config.yaml")) {
            Files.write(config, in.readAllBytes());
        }
        EtcdTargets.Certs certs = EtcdTargets.Certs.create(dir);
        try (EtcdTargets.Target etcd = EtcdTargets.fakeEtcd(certs);
                TestApiServer server = TestApiServer.start(ApiServerConfig.builder()
                        .storage(StorageOptions.etcd(certs.connection(etcd.url()), "/registry"))
                        .encryptionProviderConfig(config)
                        .build())) {
            ApiClient admin = server.admin();
            assertEquals(
                    201,
                    admin.post(
                                    "/api/v1/namespaces/default/secrets",
                                    "{\"metadata\":{\"name\":\"s1\"},\"stringData\":{\"password\":\"hunter2\"}}")
                            .code());
            assertEquals(
                    201,
                    admin.post(
                                    "/api/v1/namespaces/default/configmaps",
                                    "{\"metadata\":{\"name\":\"c1\"},\"data\":{\"k\":\"plain-config\"}}")
                            .code());
            assertEquals(
                    201,
                    admin.post(
                                    "/apis/apps/v1/namespaces/default/deployments",
                                    "{\"metadata\":{\"name\":\"d1\"},\"spec\":{\"selector\":{\"matchLabels\":{\"a\":\"b\"}},"
                                            + "\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":{"
                                            + "\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}")
                            .code());
            assertEquals(
                    201,
                    admin.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"plain-ns\"}}")
                            .code());

            ManagedChannel channel = certs.connection(etcd.url()).open();
            try {
                String secret = raw(channel, "/registry/secrets/default/s1");
                assertTrue(secret.startsWith("k8s:enc:aescbc:v1:cbc1:"), secret);
                assertFalse(secret.contains("hunter2"));
                assertTrue(raw(channel, "/registry/configmaps/default/c1").startsWith("k8s:enc:aesgcm:v1:gcm2:"));
                assertTrue(raw(channel, "/registry/deployments/default/d1").startsWith("k8s:enc:secretbox:v1:box2:"));
                // unencrypted: the protobuf encoding kube-apiserver writes for built-in kinds
                assertTrue(raw(channel, "/registry/namespaces/plain-ns").startsWith("k8s\u0000"));
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }

            ApiClient.Response read = admin.get("/api/v1/namespaces/default/secrets/s1");
            assertEquals(200, read.code(), read.body());
            assertEquals(
                    "aHVudGVyMg==", read.json().path("data").path("password").asText());
            assertEquals(
                    "plain-config",
                    admin.get("/api/v1/namespaces/default/configmaps/c1")
                            .json()
                            .path("data")
                            .path("k")
                            .asText());
        }
    }

    private static String raw(ManagedChannel channel, String key) {
        var kvs = KVGrpc.newBlockingStub(channel)
                .range(RangeRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8(key))
                        .build())
                .getKvsList();
        assertEquals(1, kvs.size(), key);
        return kvs.get(0).getValue().toString(StandardCharsets.ISO_8859_1);
    }
}

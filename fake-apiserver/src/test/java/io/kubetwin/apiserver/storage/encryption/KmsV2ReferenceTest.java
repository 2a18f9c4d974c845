package io.kubetwin.apiserver.storage.encryption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.StorageOptions;
import io.kubetwin.apiserver.storage.encryption.kms.EncryptedObject;
import io.kubetwin.apiserver.storage.encryption.kms.KmsV2Provider;
import io.kubetwin.apiserver.storage.encryption.kms.LocalKmsPlugin;
import io.kubetwin.apiserver.storage.etcd.EtcdConnection;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle for KMS v2: the reference kube-apiserver v1.34.4 and the fake apiserver on the same etcd, with the
 * same EncryptionConfiguration and the same plugin ({@link LocalKmsPlugin} on a unix socket). A Secret either
 * writes is stored as {@code k8s:enc:kms:v2:kubetwin:} and an EncryptedObject wrapped by the plugin's key, and the
 * other serves it; with the plugin gone, both refuse a value whose DEK they have not seen with the same 500.
 * Skips without the reference binaries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KmsV2ReferenceTest {
    private static final String PREFIX = "k8s:enc:kms:v2:kubetwin:";

    @TempDir
    static Path dir;

    private LocalKmsPlugin plugin;
    private Path config;
    private ReferenceControlPlane reference;
    private TestApiServer fake;

    @BeforeAll
    void start() throws Exception {
        String why = ReferenceControlPlane.unavailable();
        assumeTrue(why == null, why);
        plugin = LocalKmsPlugin.start(dir.resolve("kms.sock"), "key-1");
        config = dir.resolve("encryption.yaml");
        Files.writeString(config, """
                apiVersion: apiserver.config.k8s.io/v1
                kind: EncryptionConfiguration
                resources:
                  - resources: [secrets]
                    providers:
                      - kms: {apiVersion: v2, name: kubetwin, endpoint: '%s', timeout: 5s}
                      - identity: {}
                """.formatted(plugin.endpoint()));
        reference = ReferenceControlPlane.start(
                Files.createDirectories(dir.resolve("reference")), "--encryption-provider-config=" + config);
        fake = TestApiServer.start(ApiServerConfig.builder()
                .storage(StorageOptions.etcd(
                        new EtcdConnection(List.of(URI.create(reference.etcdUrl())), null, null, null), "/registry"))
                .encryptionProviderConfig(config)
                .build());
    }

    @AfterAll
    void stop() throws Exception {
        if (fake != null) {
            fake.close();
        }
        if (reference != null) {
            reference.close();
        }
        if (plugin != null) {
            plugin.close();
        }
    }

    @Test
    @Order(1)
    void whatTheReferenceWritesTheFakeReads() throws Exception {
        create(reference.admin(), "from-reference");
        assertStoredWithThePlugin("from-reference");
        ApiClient.Response got = fake.admin().get("/api/v1/namespaces/default/secrets/from-reference");
        assertEquals(200, got.code(), got.body());
        assertEquals(
                "cHctZnJvbS1yZWZlcmVuY2U=",
                got.json().path("data").path("password").asText());
    }

    @Test
    @Order(2)
    void whatTheFakeWritesTheReferenceReads() throws Exception {
        create(fake.admin(), "from-fake");
        assertStoredWithThePlugin("from-fake");
        ApiClient.Response got = reference.admin().get("/api/v1/namespaces/default/secrets/from-fake");
        assertEquals(200, got.code(), got.body());
        assertEquals(
                "cHctZnJvbS1mYWtl", got.json().path("data").path("password").asText());
    }

    @Test
    @Order(3)
    void bothServeTheKmsHealthChecksOnHealthzAndReadyzOnly() {
        for (ApiClient client : List.of(reference.admin(), fake.admin())) {
            for (String path : List.of("/healthz/kms-providers", "/readyz/kms-providers")) {
                ApiClient.Response r = client.get(path);
                assertEquals(200, r.code(), path);
                assertEquals("ok", r.body(), path);
            }
            assertEquals(404, client.get("/livez/kms-providers").code());
            assertEquals(404, client.get("/healthz/kms-provider-0").code());
        }
    }

    @Test
    @Order(4)
    void withThePluginGoneBothRefuseADekTheyHaveNotSeenAlike() throws Exception {
        // a value wrapped by a third server's seed, put once the plugin is gone (else the watch caches of both
        // would have unwrapped its DEK on arrival): neither apiserver has it cached
        byte[] value;
        String key = "/registry/secrets/default/unseen";
        try (KmsV2Provider third = new KmsV2Provider(
                "kubetwin",
                plugin.endpoint(),
                Duration.ofSeconds(5),
                Clock.systemUTC(),
                new SecureRandom(),
                EncryptionConfig.aesGcm(new SecureRandom()),
                KmsV2Provider::grpc)) {
            third.start();
            String json = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"unseen\","
                    + "\"namespace\":\"default\",\"uid\":\"3f1c3c1e-5d3a-4f43-9d59-0c1f7b2b8a01\","
                    + "\"creationTimestamp\":\"2026-01-01T00:00:00Z\"},\"data\":{\"k\":\"c2VjcmV0\"},\"type\":\"Opaque\"}";
            value = concat(
                    PREFIX.getBytes(StandardCharsets.US_ASCII),
                    third.transformer().toStorage(json.getBytes(StandardCharsets.UTF_8), key));
        }
        plugin.stop();
        reference.put(key, value);
        String expected = "Internal error occurred: failed to decrypt DEK, error: rpc error: code = DeadlineExceeded"
                + " desc = latest balancer error: connection error: desc = \"transport: Error while dialing: dial"
                + " unix " + dir.resolve("kms.sock") + ": connect: no such file or directory\"";
        for (ApiClient client : List.of(reference.admin(), fake.admin())) {
            ApiClient.Response got = client.get("/api/v1/namespaces/default/secrets/unseen");
            assertEquals(500, got.code(), got.body());
            assertEquals(expected, got.message());
            // a DEK seen before is still in the cache
            assertEquals(
                    200,
                    client.get("/api/v1/namespaces/default/secrets/from-fake").code());
        }
        plugin.restart();
    }

    private static void create(ApiClient client, String name) {
        ApiClient.Response created = client.post(
                "/api/v1/namespaces/default/secrets",
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"" + name + "\"},"
                        + "\"stringData\":{\"password\":\"pw-" + name + "\"}}");
        assertEquals(201, created.code(), created.body());
    }

    private void assertStoredWithThePlugin(String name) throws Exception {
        byte[] stored = reference.get("/registry/secrets/default/" + name);
        String text = new String(stored, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith(PREFIX), text);
        assertFalse(text.contains("pw-" + name));
        EncryptedObject o = EncryptedObject.decode(Arrays.copyOfRange(stored, PREFIX.length(), stored.length));
        assertEquals("key-1", o.keyId());
        assertEquals(EncryptedObject.HKDF_SHA256_XNONCE_AES_GCM_SEED, o.sourceType());
        assertEquals("1", new String(o.annotations().get(LocalKmsPlugin.ANNOTATION), StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

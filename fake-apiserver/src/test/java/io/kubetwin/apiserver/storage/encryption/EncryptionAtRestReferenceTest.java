package io.kubetwin.apiserver.storage.encryption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubetwin.apiserver.storage.ValueTransformer;
import io.kubetwin.apiserver.storage.ValueTransformer.Transformed;
import io.kubetwin.client.ApiClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The oracle: the reference kube-apiserver v1.34.4 started with an EncryptionConfiguration (aescbc, aesgcm,
 * secretbox, identity for Secrets). Its values in etcd decrypt with our transformers, and values our transformers
 * encrypt, put into its etcd with etcdctl, are served by it as Secrets. Skips without the reference binaries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EncryptionAtRestReferenceTest {
    private static final List<String> PROVIDERS = List.of("aescbc", "aesgcm", "secretbox");

    @TempDir
    static Path dir;

    private ReferenceControlPlane reference;
    private final String[] secrets = new String[3];

    @BeforeAll
    void start() throws Exception {
        String why = ReferenceControlPlane.unavailable();
        assumeTrue(why == null, why);
        SecureRandom random = new SecureRandom();
        int[] sizes = {32, 16, 32};
        for (int i = 0; i < 3; i++) {
            byte[] key = new byte[sizes[i]];
            random.nextBytes(key);
            secrets[i] = Base64.getEncoder().encodeToString(key);
        }
        reference = ReferenceControlPlane.start(
                Files.createDirectories(dir.resolve("reference")), "--encryption-provider-config=" + config(0));
    }

    @AfterAll
    void stop() {
        if (reference != null) {
            reference.close();
        }
    }

    /** All three providers and identity for Secrets, provider {@code first} first. */
    private Path config(int first) throws Exception {
        StringBuilder s = new StringBuilder("""
                apiVersion: apiserver.config.k8s.io/v1
                kind: EncryptionConfiguration
                resources:
                  - resources: [secrets]
                    providers:
                """);
        for (int k = 0; k < 3; k++) {
            int i = (first + k) % 3;
            s.append("      - ")
                    .append(PROVIDERS.get(i))
                    .append(": {keys: [{name: key")
                    .append(i)
                    .append(", secret: '")
                    .append(secrets[i])
                    .append("'}]}\n");
        }
        s.append("      - identity: {}\n");
        Path file = dir.resolve("encryption-" + first + ".yaml");
        Files.writeString(file, s.toString());
        return file;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void whatTheReferenceWritesDecryptsAndWhatWeWriteTheReferenceReads(int provider) throws Exception {
        ApiClient admin = reference.admin();
        String name = "ref-" + PROVIDERS.get(provider);
        // the reference writes with its first provider (aescbc); each of ours reads it, stale unless first
        ApiClient.Response created = admin.post(
                "/api/v1/namespaces/default/secrets",
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"" + name + "\"},"
                        + "\"stringData\":{\"password\":\"pw-" + name + "\"}}");
        assertEquals(201, created.code(), created.body());
        String key = "/registry/secrets/default/" + name;
        byte[] stored = reference.get(key);
        assertTrue(new String(stored, StandardCharsets.ISO_8859_1).startsWith("k8s:enc:aescbc:v1:key0:"));
        ValueTransformer ours = EncryptionConfig.load(config(provider)).forResource("", "secrets");
        Transformed plain = ours.fromStorage(stored, key);
        assertArrayEquals(new byte[] {'k', '8', 's', 0}, Arrays.copyOf(plain.plain(), 4));
        assertTrue(new String(plain.plain(), StandardCharsets.ISO_8859_1).contains("pw-" + name));
        assertEquals(provider != 0, plain.stale());

        // ours writes with provider `provider` first; the reference serves the Secret from those bytes
        String written = "ours-" + PROVIDERS.get(provider);
        String writtenKey = "/registry/secrets/default/" + written;
        String json = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"" + written
                + "\",\"namespace\":\"default\",\"uid\":\"6f1c3c1e-5d3a-4f43-9d59-0c1f7b2b8a0" + provider
                + "\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\"},\"data\":{\"k\":\"c2VjcmV0\"},\"type\":\"Opaque\"}";
        byte[] value = ours.toStorage(json.getBytes(StandardCharsets.UTF_8), writtenKey);
        assertTrue(new String(value, StandardCharsets.ISO_8859_1)
                .startsWith("k8s:enc:" + PROVIDERS.get(provider) + ":v1:key" + provider + ":"));
        reference.put(writtenKey, value);
        ApiClient.Response got = admin.get("/api/v1/namespaces/default/secrets/" + written);
        assertEquals(200, got.code(), got.body());
        assertEquals("c2VjcmV0", got.json().path("data").path("k").asText());

        // and the same bytes under another key: AES-GCM binds them to their key, the others do not
        String movedKey = "/registry/secrets/default/moved-" + PROVIDERS.get(provider);
        reference.put(movedKey, value);
        ApiClient.Response moved = admin.get("/api/v1/namespaces/default/secrets/moved-" + PROVIDERS.get(provider));
        if (PROVIDERS.get(provider).equals("aesgcm")) {
            assertEquals(500, moved.code(), moved.body());
            assertEquals("Internal error occurred: cipher: message authentication failed", moved.message());
        } else {
            assertEquals(200, moved.code(), moved.body());
            assertEquals("c2VjcmV0", moved.json().path("data").path("k").asText());
        }
    }
}

package io.kubetwin.apiserver.storage.encryption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.storage.StorageException;
import io.kubetwin.apiserver.storage.ValueTransformer;
import io.kubetwin.apiserver.storage.ValueTransformer.Transformed;
import io.kubetwin.apiserver.testing.Golden;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The providers against values the v1.34.4 reference kube-apiserver wrote to its etcd
 * (golden/encryption/reference-values.json, under golden/encryption/reference-config.yaml), and the prefix,
 * key-rotation and error behaviour of value/transformer.go.
 */
class EncryptionTransformersTest {
    private static final byte[] PROTOBUF_MAGIC = {'k', '8', 's', 0};

    @TempDir
    Path dir;

    static EncryptionConfig reference() throws Exception {
        return EncryptionConfig.load(EncryptionConfigLoadTest.golden("").resolve("reference-config.yaml"));
    }

    static byte[] referenceValue(String key) {
        JsonNode values = Golden.json("encryption/reference-values.json");
        return Base64.getDecoder().decode(values.path(key).asText());
    }

    @ParameterizedTest
    @CsvSource({
        "'', secrets, /registry/secrets/default/golden-aescbc, k8s:enc:aescbc:v1:cbc1:, s3cr3t-aescbc",
        "'', configmaps, /registry/configmaps/default/golden-aesgcm, k8s:enc:aesgcm:v1:gcm2:, blue-aesgcm",
        "apps, controllerrevisions, /registry/controllerrevisions/default/golden-secretbox, k8s:enc:secretbox:v1:box2:, secretbox-data"
    })
    void decryptsWhatTheReferenceWrote(String group, String resource, String key, String prefix, String content)
            throws Exception {
        byte[] stored = referenceValue(key);
        assertTrue(text(stored).startsWith(prefix), text(stored));
        Transformed t = reference().forResource(group, resource).fromStorage(stored, key);
        assertFalse(t.stale());
        assertArrayEquals(PROTOBUF_MAGIC, Arrays.copyOf(t.plain(), 4));
        assertTrue(text(t.plain()).contains(content), text(t.plain()));
        assertTrue(text(t.plain()).contains(key.substring(key.lastIndexOf('/') + 1)));
    }

    @Test
    void aesGcmBindsTheValueToItsKey() throws Exception {
        byte[] stored = referenceValue("/registry/configmaps/default/golden-aesgcm");
        StorageException e = assertThrows(
                StorageException.class,
                () -> reference()
                        .forResource("", "configmaps")
                        .fromStorage(stored, "/registry/configmaps/default/elsewhere"));
        assertEquals("cipher: message authentication failed", e.getMessage());
        assertEquals(StorageException.Reason.UNAVAILABLE, e.reason());
    }

    @Test
    void aTamperedSecretboxValueFailsWithUpstreamsWords() throws Exception {
        String key = "/registry/controllerrevisions/default/golden-secretbox";
        byte[] stored = referenceValue(key);
        stored[stored.length - 1] ^= 1;
        StorageException e = assertThrows(
                StorageException.class,
                () -> reference().forResource("apps", "controllerrevisions").fromStorage(stored, key));
        assertEquals("output array was not large enough for encryption", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"aescbc, 32, 16", "aescbc, 16, 16", "aesgcm, 24, 28", "aesgcm, 16, 28", "secretbox, 32, 40"})
    void writesWithTheFirstProviderInUpstreamsFormat(String provider, int keySize, int overhead) throws Exception {
        EncryptionConfig config = load(rule("secrets", provider(provider, "k1", keySize), "- identity: {}"));
        ValueTransformer t = config.forResource("", "secrets");
        byte[] plain = "{\"kind\":\"Secret\",\"data\":{\"a\":\"b\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] stored = t.toStorage(plain, "/registry/secrets/ns/s");
        String prefix = "k8s:enc:" + provider + ":v1:k1:";
        assertTrue(text(stored).startsWith(prefix));
        int expected = provider.equals("aescbc")
                ? prefix.length() + 16 + (plain.length / 16 + 1) * 16
                : prefix.length() + overhead + plain.length;
        assertEquals(expected, stored.length);
        Transformed back = t.fromStorage(stored, "/registry/secrets/ns/s");
        assertArrayEquals(plain, back.plain());
        assertFalse(back.stale());
        // random IV/nonce: the same value never encrypts twice the same way
        assertFalse(Arrays.equals(stored, t.toStorage(plain, "/registry/secrets/ns/s")));
    }

    @Test
    void rotationReadsOldKeysAndProvidersAsStale() throws Exception {
        byte[] plain = "value".getBytes(StandardCharsets.UTF_8);
        String key = "/registry/secrets/ns/s";
        EncryptionConfig before = load(rule("secrets", provider("aescbc", "old", 32), "- identity: {}"));
        byte[] oldValue = before.forResource("", "secrets").toStorage(plain, key);
        // a new key first in the same provider, then a new provider first
        EncryptionConfig newKey =
                load(rule("secrets", provider("aescbc", "new", 32, "old", OLD_KEY_SECRET), "- identity: {}"));
        Transformed t = newKey.forResource("", "secrets").fromStorage(oldValue, key);
        assertArrayEquals(plain, t.plain());
        assertTrue(t.stale());
        EncryptionConfig newProvider =
                load(rule("secrets", provider("secretbox", "box", 32), provider("aescbc", "old", OLD_KEY_SECRET)));
        t = newProvider.forResource("", "secrets").fromStorage(oldValue, key);
        assertArrayEquals(plain, t.plain());
        assertTrue(t.stale());
        assertTrue(text(newProvider.forResource("", "secrets").toStorage(plain, key))
                .startsWith("k8s:enc:secretbox:v1:box:"));
        // plain values from before encryption was turned on are read by identity, and stale
        t = newKey.forResource("", "secrets").fromStorage(plain, key);
        assertArrayEquals(plain, t.plain());
        assertTrue(t.stale());
    }

    @Test
    void unreadableValuesFailWithUpstreamsMessages() throws Exception {
        EncryptionConfig config = load(rule("secrets", provider("aescbc", "k1", 32)));
        ValueTransformer secrets = config.forResource("", "secrets");
        String key = "/registry/secrets/ns/s";
        assertEquals("no matching prefix found", failure(secrets, "{\"plain\":true}", key));
        assertEquals("no matching prefix found", failure(secrets, "k8s:enc:foo:v1:k1:0123456789abcdef", key));
        assertEquals(
                "no matching key was found for the provided AES transformer",
                failure(secrets, "k8s:enc:aescbc:v1:nokey:0123456789abcdef0123456789abcdef", key));
        assertEquals(
                "the stored data was shorter than the required size",
                failure(secrets, "k8s:enc:aescbc:v1:k1:0123", key));
        assertEquals(
                "the stored data is not a multiple of the block size",
                failure(secrets, "k8s:enc:aescbc:v1:k1:0123456789abcdef0123", key));
        // a resource no rule covers refuses encrypted data rather than serving ciphertext as an object
        assertEquals(
                "identity transformer tried to read encrypted data",
                failure(config.forResource("", "configmaps"), "k8s:enc:aescbc:v1:k1:xx", key));
        assertEquals(
                "{}",
                text(config.forResource("", "configmaps")
                        .fromStorage(bytes("{}"), key)
                        .plain()));
    }

    @Test
    void twoProvidersWithTheSameFailingPrefixAggregateTheirErrors() throws Exception {
        EncryptionConfig config = load(rule("secrets", provider("aesgcm", "k1", 16), provider("aesgcm", "k1", 32)));
        assertEquals(
                "cipher: message authentication failed",
                failure(config.forResource("", "secrets"), "k8s:enc:aesgcm:v1:k1:0123456789abcdef0123456789", "/k"));
        EncryptionConfig other = load(rule("secrets", provider("aesgcm", "k1", 16), provider("aesgcm", "k2", 16)));
        assertEquals(
                "[cipher: message authentication failed, no matching key was found for the provided AES transformer]",
                failure(other.forResource("", "secrets"), "k8s:enc:aesgcm:v1:k1:0123456789abcdef0123456789", "/k"));
    }

    @Test
    void nestedErrorsAreFlattenedAndDeduplicatedAsGoPrintsAnAggregate() throws Exception {
        // key names may contain ':', so "k1:" and "k1:x:" both match; each level fails its own way
        EncryptionConfig config = load(rule(
                "secrets",
                provider("aesgcm", "k1", 16),
                "- {aesgcm: {keys: [{name: k1, secret: '" + secret("a", 16) + "'}, {name: 'k1:x', secret: '"
                        + secret("b", 16) + "'}]}}"));
        assertEquals(
                "[cipher: message authentication failed, the stored data was shorter than the required size]",
                failure(config.forResource("", "secrets"), "k8s:enc:aesgcm:v1:k1:x:0123456789", "/k"));
    }

    @Test
    void wildcardsApplyAfterExactResourcesAndGroups() throws Exception {
        EncryptionConfig config = load("""
                apiVersion: apiserver.config.k8s.io/v1
                kind: EncryptionConfiguration
                resources:
                  - resources: [secrets]
                    providers: [%s]
                  - resources: ['*.apps', '*.']
                    providers: [%s]
                  - resources: ['*.*']
                    providers: [%s]
                """.formatted(
                        inline("aescbc", "exact", 32), inline("aesgcm", "group", 16), inline("secretbox", "any", 32)));
        assertEquals("k8s:enc:aescbc:v1:exact:", prefixOf(config, "", "secrets"));
        assertEquals("k8s:enc:aesgcm:v1:group:", prefixOf(config, "", "configmaps"));
        assertEquals("k8s:enc:aesgcm:v1:group:", prefixOf(config, "apps", "deployments"));
        assertEquals("k8s:enc:secretbox:v1:any:", prefixOf(config, "batch", "jobs"));
        assertEquals(
                "secrets: written with aescbc (key exact), read with aescbc (key exact)",
                config.summary().get(0));
    }

    @Test
    void aResourceInTwoRulesGetsBothProviderLists() throws Exception {
        EncryptionConfig first = load(rule("secrets", provider("aescbc", "a", 32)));
        byte[] written = first.forResource("", "secrets").toStorage(bytes("x"), "/k");
        EncryptionConfig two = load("""
                apiVersion: apiserver.config.k8s.io/v1
                kind: EncryptionConfiguration
                resources:
                  - resources: [secrets]
                    providers: [%s]
                  - resources: [secrets, configmaps]
                    providers: [{aescbc: {keys: [{name: a, secret: '%s'}]}}]
                """.formatted(inline("secretbox", "b", 32), secret("a", 32)));
        assertEquals("k8s:enc:secretbox:v1:b:", prefixOf(two, "", "secrets"));
        Transformed t = two.forResource("", "secrets").fromStorage(written, "/k");
        assertEquals("x", text(t.plain()));
        assertTrue(t.stale());
    }

    // --- helpers: keys are derived from their names and sizes, so a test can name the same key twice

    private static final String OLD_KEY_SECRET = secret("old", 32);

    private static String secret(String name, int size) {
        byte[] key = new byte[size];
        byte[] seed = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < size; i++) {
            key[i] = (byte) (seed[i % seed.length] + i);
        }
        return Base64.getEncoder().encodeToString(key);
    }

    private static String inline(String provider, String name, int size) {
        return "{" + provider + ": {keys: [{name: " + name + ", secret: '" + secret(name, size) + "'}]}}";
    }

    private static String provider(String provider, String name, int size) {
        return "- " + inline(provider, name, size);
    }

    private static String provider(String provider, String name, String secret) {
        return "- {" + provider + ": {keys: [{name: " + name + ", secret: '" + secret + "'}]}}";
    }

    private static String provider(String provider, String name, int size, String second, String secondSecret) {
        return "- {" + provider + ": {keys: [{name: " + name + ", secret: '" + secret(name, size) + "'}, {name: "
                + second + ", secret: '" + secondSecret + "'}]}}";
    }

    private static String rule(String resource, String... providers) {
        StringBuilder s = new StringBuilder("""
                apiVersion: apiserver.config.k8s.io/v1
                kind: EncryptionConfiguration
                resources:
                  - resources: [%s]
                    providers:
                """.formatted(resource));
        for (String p : providers) {
            s.append("      ").append(p).append('\n');
        }
        return s.toString();
    }

    private EncryptionConfig load(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "encryption", ".yaml");
        Files.writeString(file, yaml);
        return EncryptionConfig.load(file);
    }

    private static String prefixOf(EncryptionConfig config, String group, String resource) {
        // k8s:enc:<provider>:v1:<key>: then the ciphertext
        String[] parts = text(config.forResource(group, resource).toStorage(bytes("v"), "/k"))
                .split(":", 6);
        return String.join(":", Arrays.copyOf(parts, 5)) + ":";
    }

    private static String failure(ValueTransformer t, String stored, String key) {
        return assertThrows(StorageException.class, () -> t.fromStorage(bytes(stored), key))
                .getMessage();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}

package io.kubetwin.apiserver.storage.encryption.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.storage.StorageException;
import io.kubetwin.apiserver.storage.ValueTransformer;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfig;
import io.kubetwin.apiserver.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KMS v2 provider against {@link LocalKmsPlugin} on a unix socket: the stored format, the DEK cache, key-ID
 * rotation through Status, health, and the errors of a plugin that is down, with upstream's texts. Time is a
 * clock the test moves, so the probe's TTLs are crossed without waiting.
 */
class KmsV2ProviderTest {
    private static final String KEY = "/registry/secrets/default/s1";
    private static final byte[] PLAIN = "k8s\0secret".getBytes(StandardCharsets.ISO_8859_1);

    @TempDir
    Path dir;

    private LocalKmsPlugin plugin;
    private final TestClock clock = new TestClock(Instant.parse("2026-12-07T03:00:00Z"));

    @BeforeEach
    void startPlugin() throws Exception {
        plugin = LocalKmsPlugin.start(dir.resolve("kms.sock"), "key-1");
    }

    @AfterEach
    void stopPlugin() throws Exception {
        plugin.close();
    }

    private KmsV2Provider provider(String endpoint) {
        return new KmsV2Provider(
                "mykms",
                endpoint,
                Duration.ofSeconds(5),
                clock,
                new SecureRandom(),
                EncryptionConfig.aesGcm(new SecureRandom()),
                KmsV2Provider::grpc);
    }

    @Test
    void writesAnEncryptedObjectWithTheSeedWrappedByThePluginAndReadsItBack() throws Exception {
        try (KmsV2Provider p = provider(plugin.endpoint())) {
            p.start();
            assertNull(p.check());
            assertEquals("k8s:enc:kms:v2:mykms:", p.prefix());
            byte[] stored = p.transformer().toStorage(PLAIN, KEY);
            EncryptedObject o = EncryptedObject.decode(stored);
            assertEquals("key-1", o.keyId());
            assertEquals(EncryptedObject.HKDF_SHA256_XNONCE_AES_GCM_SEED, o.sourceType());
            assertEquals("1", new String(o.annotations().get(LocalKmsPlugin.ANNOTATION), StandardCharsets.UTF_8));
            // info (32), nonce (12), the value, the tag (16)
            assertEquals(32 + 12 + PLAIN.length + 16, o.encryptedData().length);
            assertNull(o.invalid());

            ValueTransformer.Transformed read = p.transformer().fromStorage(stored, KEY);
            assertArrayEquals(PLAIN, read.plain());
            assertFalse(read.stale());
            // the write DEK is cached as it is written: no Decrypt call
            assertEquals(0, plugin.decryptCalls());
            assertEquals(1, plugin.encryptCalls());

            // bound to its key, as every AES-GCM value
            StorageException moved = assertThrows(
                    StorageException.class, () -> p.transformer().fromStorage(stored, "/registry/secrets/default/s2"));
            assertEquals("cipher: message authentication failed", moved.getMessage());
        }
    }

    @Test
    void anotherServerUnwrapsTheDekOnceThroughThePlugin() throws Exception {
        try (KmsV2Provider writer = provider(plugin.endpoint());
                KmsV2Provider reader = provider(plugin.endpoint())) {
            writer.start();
            reader.start();
            byte[] a = writer.transformer().toStorage(PLAIN, KEY);
            byte[] b = writer.transformer().toStorage(PLAIN, "/registry/secrets/default/s2");
            assertArrayEquals(PLAIN, reader.transformer().fromStorage(a, KEY).plain());
            assertArrayEquals(
                    PLAIN,
                    reader.transformer()
                            .fromStorage(b, "/registry/secrets/default/s2")
                            .plain());
            assertArrayEquals(PLAIN, reader.transformer().fromStorage(a, KEY).plain());
            assertEquals(1, plugin.decryptCalls());
            // one seed each, wrapped when each started
            assertEquals(2, plugin.encryptCalls());
        }
    }

    @Test
    void aNewKeyIdFromStatusRotatesTheSeedAndMakesOldValuesStale() throws Exception {
        try (KmsV2Provider p = provider(plugin.endpoint())) {
            p.start();
            byte[] old = p.transformer().toStorage(PLAIN, KEY);
            plugin.rotate("key-2");
            // within the healthy answer's 20 seconds nothing is asked
            clock.advance(Duration.ofSeconds(19));
            assertNull(p.check());
            assertEquals(
                    "key-1",
                    EncryptedObject.decode(p.transformer().toStorage(PLAIN, KEY))
                            .keyId());
            clock.advance(Duration.ofSeconds(2));
            assertNull(p.check());
            assertEquals(2, plugin.encryptCalls());
            byte[] fresh = p.transformer().toStorage(PLAIN, KEY);
            assertEquals("key-2", EncryptedObject.decode(fresh).keyId());
            assertTrue(p.transformer().fromStorage(old, KEY).stale());
            assertFalse(p.transformer().fromStorage(fresh, KEY).stale());
        }
    }

    @Test
    void anUnhealthyPluginFailsTheCheckAndAnAnswerIsReusedBare() throws Exception {
        try (KmsV2Provider p = provider(plugin.endpoint())) {
            p.start();
            plugin.healthz("disk on fire");
            clock.advance(Duration.ofSeconds(21));
            assertEquals(
                    "kmsv2 Provider mykms is not healthy, error: got unexpected healthz status: disk on fire",
                    p.check());
            plugin.healthz("ok");
            clock.advance(Duration.ofSeconds(2));
            assertEquals(
                    "kmsv2 Provider mykms is not healthy, error: got unexpected healthz status: disk on fire",
                    p.check());
            clock.advance(Duration.ofSeconds(2));
            assertNull(p.check());
        }
    }

    @Test
    void aPluginThatNeverAnsweredFailsWritesReadsAndTheCheck() throws Exception {
        String missing = dir.resolve("missing.sock").toString();
        try (KmsV2Provider p = provider("unix://" + missing)) {
            p.start();
            String dial = "rpc error: code = DeadlineExceeded desc = latest balancer error: connection error: desc = "
                    + "\"transport: Error while dialing: dial unix " + missing
                    + ": connect: no such file or directory\"";
            // the start-up probe failed; its answer is reused for 3 seconds, bare
            assertEquals(dial, p.check());
            clock.advance(Duration.ofSeconds(4));
            assertEquals(
                    "failed to perform status section of the healthz check for KMS Provider mykms, error: " + dial,
                    p.check());
            StorageException write =
                    assertThrows(StorageException.class, () -> p.transformer().toStorage(PLAIN, KEY));
            assertEquals("got unexpected nil transformer", write.getMessage());
        }
    }

    @Test
    void aPluginDownAfterStartStillReadsCachedDeksButNotOthers() throws Exception {
        byte[] foreign;
        try (KmsV2Provider other = provider(plugin.endpoint())) {
            other.start();
            foreign = other.transformer().toStorage(PLAIN, KEY);
        }
        try (KmsV2Provider p = provider(plugin.endpoint())) {
            p.start();
            byte[] own = p.transformer().toStorage(PLAIN, KEY);
            plugin.stop();
            assertArrayEquals(PLAIN, p.transformer().fromStorage(own, KEY).plain());
            StorageException e =
                    assertThrows(StorageException.class, () -> p.transformer().fromStorage(foreign, KEY));
            assertEquals(
                    "failed to decrypt DEK, error: rpc error: code = DeadlineExceeded desc = latest balancer error: "
                            + "connection error: desc = \"transport: Error while dialing: dial unix "
                            + dir.resolve("kms.sock") + ": connect: no such file or directory\"",
                    e.getMessage());
            // writes go on with the confirmed seed until it expires, 3 minutes after the last healthy status
            assertEquals(
                    "key-1",
                    EncryptedObject.decode(p.transformer().toStorage(PLAIN, KEY))
                            .keyId());
            clock.advance(Duration.ofMinutes(3).plusSeconds(1));
            StorageException expired =
                    assertThrows(StorageException.class, () -> p.transformer().toStorage(PLAIN, KEY));
            assertTrue(
                    expired.getMessage()
                            .startsWith("encryptedDEKSource with keyID hash " + "\"sha256:" + sha256Hex("key-1")
                                    + "\" expired at "),
                    expired.getMessage());
        }
    }

    @Test
    void aValueWrittenWithAPlainDekBeforeKdfIsReadAndStale() throws Exception {
        try (KmsV2Provider p = provider(plugin.endpoint());
                KmsService direct = KmsV2Provider.grpc(p)) {
            p.start();
            // what a kube-apiserver before KMSv2KDF wrote: the DEK itself wrapped, AES-GCM under it
            byte[] dek = new byte[32];
            new SecureRandom().nextBytes(dek);
            KmsMessages.EncryptResponse wrapped = direct.encrypt("uid-1", dek);
            byte[] data = EncryptionConfig.aesGcm(new SecureRandom()).apply(dek).toStorage(PLAIN, KEY);
            byte[] stored = new EncryptedObject(
                            data,
                            wrapped.keyId(),
                            wrapped.ciphertext(),
                            wrapped.annotations(),
                            EncryptedObject.AES_GCM_KEY)
                    .encode();
            ValueTransformer.Transformed read = p.transformer().fromStorage(stored, KEY);
            assertArrayEquals(PLAIN, read.plain());
            // same key ID, but not the seed the provider writes with
            assertTrue(read.stale());
            assertEquals(1, plugin.decryptCalls());
        }
    }

    @Test
    void corruptValuesGetUpstreamsErrors() throws Exception {
        try (KmsV2Provider p = provider(plugin.endpoint())) {
            p.start();
            byte[] stored = p.transformer().toStorage(PLAIN, KEY);
            EncryptedObject o = EncryptedObject.decode(stored);
            Map<String, String> cases = Map.of(
                    "proto: cannot parse invalid wire-format data",
                    "ff",
                    "encrypted data is empty",
                    hex(o.withData(new byte[0]).encode()),
                    "failed to validate key id: keyID is empty",
                    hex(new EncryptedObject(o.encryptedData(), "", o.encryptedDekSource(), Map.of(), 1).encode()),
                    "unknown encryptedDEKSourceType: 7",
                    hex(new EncryptedObject(o.encryptedData(), "k", o.encryptedDekSource(), Map.of(), 7).encode()));
            cases.forEach((message, value) -> {
                StorageException e = assertThrows(
                        StorageException.class,
                        () -> p.transformer()
                                .fromStorage(java.util.HexFormat.of().parseHex(value), KEY));
                assertEquals(message, e.getMessage());
            });
            byte[] tampered = Arrays.copyOf(o.encryptedData(), o.encryptedData().length);
            tampered[40] ^= 1;
            StorageException e = assertThrows(
                    StorageException.class,
                    () -> p.transformer().fromStorage(o.withData(tampered).encode(), KEY));
            assertEquals("cipher: message authentication failed", e.getMessage());
        }
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    private static String sha256Hex(String s) throws Exception {
        return hex(java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}

package io.kubetwin.apiserver.storage.encryption.kms;

import io.kubetwin.apiserver.storage.ValueTransformer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The unwrapped DEKs (as their transformers) by what identifies their wrapped form (envelope/kmsv2/cache.go and
 * generateCacheKey in envelope.go): so the plugin is asked to decrypt a DEK once, not once per read. Entries live
 * a day after their last set; an expired entry is still served (AllowExpiredGet, its value never changes) until a
 * later set collects it. Thread-safe.
 */
final class DekCache {
    static final Duration TTL = Duration.ofHours(24);

    private record Entry(ValueTransformer transformer, Instant expires) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    DekCache(Clock clock) {
        this.clock = clock;
    }

    ValueTransformer get(byte[] key) {
        Entry e = entries.get(hash(key));
        return e == null ? null : e.transformer();
    }

    synchronized void set(byte[] key, ValueTransformer transformer) {
        Instant now = clock.instant();
        entries.values().removeIf(e -> e.expires().isBefore(now));
        entries.put(hash(key), new Entry(transformer, now.plus(TTL)));
    }

    int size() {
        return entries.size();
    }

    /**
     * generateCacheKey: the source type (uint32), the wrapped DEK and the key ID (each with a uint16 length), then,
     * when there are annotations, their count (uint32) and each key and value in key order (uint16 lengths).
     */
    static byte[] key(int sourceType, byte[] dekSource, String keyId, Map<String, byte[]> annotations) {
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        int size = 4 + 2 + dekSource.length + 2 + id.length;
        Map<String, byte[]> sorted = new TreeMap<>(annotations);
        if (!sorted.isEmpty()) {
            size += 4;
            for (Map.Entry<String, byte[]> a : sorted.entrySet()) {
                size += 4 + a.getKey().getBytes(StandardCharsets.UTF_8).length + a.getValue().length;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(sourceType);
        b.putShort((short) dekSource.length).put(dekSource);
        b.putShort((short) id.length).put(id);
        if (!sorted.isEmpty()) {
            b.putInt(sorted.size());
            for (Map.Entry<String, byte[]> a : sorted.entrySet()) {
                byte[] k = a.getKey().getBytes(StandardCharsets.UTF_8);
                b.putShort((short) k.length).put(k);
                b.putShort((short) a.getValue().length).put(a.getValue());
            }
        }
        return b.array();
    }

    private static String hash(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

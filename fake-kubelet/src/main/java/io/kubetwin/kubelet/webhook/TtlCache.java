package io.kubetwin.kubelet.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The answers of the webhook reviews kept for a time, as upstream's webhook authenticator and authorizer keep
 * them (k8s.io/apiserver/pkg/authentication/token/cache and the authorizer's LRU with per-entry TTLs), so that a
 * revoked binding or token keeps working until its entry expires, exactly the window a security test may probe.
 * Bounded: past {@value #MAX_ENTRIES} entries the expired ones are dropped, then, if still full, all of them.
 * Thread-safe.
 */
final class TtlCache<V> {
    static final int MAX_ENTRIES = 4096;

    private record Entry<V>(V value, Instant expires) {}

    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    TtlCache(Clock clock) {
        this.clock = clock;
    }

    /** The live value for {@code key}, or null. */
    V get(String key) {
        Entry<V> e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (!clock.instant().isBefore(e.expires())) {
            entries.remove(key, e);
            return null;
        }
        return e.value();
    }

    /** Keeps {@code value} for {@code ttl}; a zero or negative TTL keeps nothing (caching switched off). */
    void put(String key, V value, Duration ttl) {
        if (ttl.isZero() || ttl.isNegative()) {
            return;
        }
        Instant now = clock.instant();
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(e -> !now.isBefore(e.expires()));
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(key, new Entry<>(value, now.plus(ttl)));
    }
}

package io.kubetwin.etcd.mvcc;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Leases and the keys attached to them, in memory (the grants are made durable by {@link EtcdStore} through
 * the backend). Mirrors server/lease/lessor.go: the minimum TTL, the maximum TTL, expiry by deadline. Not
 * thread-safe: guarded by the store's lock.
 */
final class Lessor {
    /** etcd's MaxLeaseTTL (lessor.go): 9,000,000,000 seconds. */
    static final long MAX_TTL = 9_000_000_000L;

    private final Map<Long, Lease> leases = new HashMap<>();
    private final long minTtl;
    private final IdGenerator ids;

    Lessor(long minTtl, IdGenerator ids) {
        this.minTtl = minTtl;
        this.ids = ids;
    }

    static final class Lease {
        final long id;
        final long ttl;
        long deadlineNanos;
        final Set<ByteString> keys = new TreeSet<>(MvccIndex.KEY_ORDER);

        Lease(long id, long ttl) {
            this.id = id;
            this.ttl = ttl;
        }

        long remainingSeconds(long now) {
            long left = deadlineNanos - now;
            // etcd rounds the remaining time up (lessor.go Lease.Remaining, then ceil in TimeToLive)
            return left <= 0 ? 0 : (left + 999_999_999L) / 1_000_000_000L;
        }
    }

    /** Checks a grant and returns the lease it would create, without keeping it yet. */
    Lease prepareGrant(long id, long ttl) {
        if (ttl > MAX_TTL) {
            throw EtcdError.LEASE_TTL_TOO_LARGE.exception();
        }
        long chosen = id;
        if (chosen == 0) {
            do {
                chosen = ids.next() & Long.MAX_VALUE;
            } while (chosen == 0 || leases.containsKey(chosen));
        } else if (leases.containsKey(chosen)) {
            throw EtcdError.LEASE_EXIST.exception();
        }
        return new Lease(chosen, Math.max(ttl, minTtl));
    }

    void add(Lease lease, long now) {
        lease.deadlineNanos = now + lease.ttl * 1_000_000_000L;
        leases.put(lease.id, lease);
    }

    /** Puts back a lease {@link #remove}d by a revocation whose commit failed, deadline and keys as they were. */
    void restore(Lease lease) {
        leases.put(lease.id, lease);
    }

    Lease get(long id) {
        return leases.get(id);
    }

    Lease require(long id) {
        Lease lease = leases.get(id);
        if (lease == null) {
            throw EtcdError.LEASE_NOT_FOUND.exception();
        }
        return lease;
    }

    Lease remove(long id) {
        return leases.remove(id);
    }

    /** Renews a lease for its full TTL and returns the TTL (etcd's Renew), or throws if it is unknown. */
    long renew(long id, long now) {
        Lease lease = require(id);
        lease.deadlineNanos = now + lease.ttl * 1_000_000_000L;
        return lease.ttl;
    }

    void attach(long id, ByteString key) {
        Lease lease = leases.get(id);
        if (lease != null) {
            lease.keys.add(key);
        }
    }

    void detach(long id, ByteString key) {
        Lease lease = leases.get(id);
        if (lease != null) {
            lease.keys.remove(key);
        }
    }

    List<Long> expired(long now) {
        List<Long> out = new ArrayList<>();
        for (Lease lease : leases.values()) {
            if (lease.deadlineNanos <= now) {
                out.add(lease.id);
            }
        }
        return out;
    }

    Collection<Lease> all() {
        return leases.values();
    }

    /**
     * etcd's request id generator (pkg/idutil): the member id's low 16 bits, then 40 bits of Unix milliseconds
     * at start-up and an 8-bit counter, incremented for each id.
     */
    static final class IdGenerator {
        private final long prefix;
        private long suffix;

        IdGenerator(long memberId, long unixMillis) {
            this.prefix = (memberId & 0xffffL) << 48;
            this.suffix = (unixMillis & ((1L << 40) - 1)) << 8;
        }

        long next() {
            suffix++;
            return prefix | (suffix & ((1L << 48) - 1));
        }
    }
}

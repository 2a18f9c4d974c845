package io.kubetwin.apiserver.storage.etcd;

import java.time.Duration;

/**
 * What kube-apiserver does to its etcd besides reads and writes, by its flags (k8s.io/apiserver/pkg/server/options
 * etcd.go, cmd/kube-apiserver/app/options): {@code --etcd-compaction-interval} (default 5m, 0 disables the
 * compactor), {@code --event-ttl} (default 1h: the etcd lease of every Event) and
 * {@code --lease-reuse-duration-seconds} (default 60: how long a lease is shared by the objects written after it).
 */
public record EtcdOptions(Duration compactionInterval, Duration eventTtl, long leaseReuseDurationSeconds) {
    public static final Duration DEFAULT_COMPACTION_INTERVAL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_EVENT_TTL = Duration.ofHours(1);
    public static final long DEFAULT_LEASE_REUSE_DURATION_SECONDS = 60;

    public EtcdOptions {
        compactionInterval = compactionInterval == null ? DEFAULT_COMPACTION_INTERVAL : compactionInterval;
        eventTtl = eventTtl == null ? DEFAULT_EVENT_TTL : eventTtl;
    }

    /** kube-apiserver's defaults. */
    public static EtcdOptions defaults() {
        return new EtcdOptions(null, null, DEFAULT_LEASE_REUSE_DURATION_SECONDS);
    }

    public EtcdOptions withCompactionInterval(Duration v) {
        return new EtcdOptions(v, eventTtl, leaseReuseDurationSeconds);
    }

    public EtcdOptions withEventTtl(Duration v) {
        return new EtcdOptions(compactionInterval, v, leaseReuseDurationSeconds);
    }

    public EtcdOptions withLeaseReuseDurationSeconds(long v) {
        return new EtcdOptions(compactionInterval, eventTtl, v);
    }
}

package io.kubetwin.etcd.mvcc;

import java.time.Duration;

/**
 * The store's limits, with etcd's defaults (server/embed/config.go).
 *
 * @param maxTxnOps {@code --max-txn-ops} (128)
 * @param maxRequestBytes {@code --max-request-bytes} (1.5 MiB)
 * @param quotaBackendBytes {@code --quota-backend-bytes}; 0 means etcd's default quota of 2 GiB
 * @param minLeaseTtlSeconds the shortest lease etcd grants: 3/2 election timeouts rounded up (2 s by default)
 * @param progressInterval how often idle watchers with progress_notify get a progress response (10 min in etcd)
 * @param leaseCheckInterval how often expired leases are looked for (etcd: every 500 ms)
 */
public record StoreOptions(
        int maxTxnOps,
        long maxRequestBytes,
        long quotaBackendBytes,
        long minLeaseTtlSeconds,
        Duration progressInterval,
        Duration leaseCheckInterval) {

    /** etcd's DefaultQuotaBytes: 2 GiB. */
    public static final long DEFAULT_QUOTA_BYTES = 2L * 1024 * 1024 * 1024;

    public static StoreOptions defaults() {
        return new StoreOptions(128, 1536 * 1024, 0, 2, Duration.ofMinutes(10), Duration.ofMillis(500));
    }

    public StoreOptions withMaxRequestBytes(long bytes) {
        return new StoreOptions(
                maxTxnOps, bytes, quotaBackendBytes, minLeaseTtlSeconds, progressInterval, leaseCheckInterval);
    }

    public StoreOptions withQuotaBackendBytes(long bytes) {
        return new StoreOptions(
                maxTxnOps, maxRequestBytes, bytes, minLeaseTtlSeconds, progressInterval, leaseCheckInterval);
    }

    public StoreOptions withProgressInterval(Duration interval) {
        return new StoreOptions(
                maxTxnOps, maxRequestBytes, quotaBackendBytes, minLeaseTtlSeconds, interval, leaseCheckInterval);
    }

    public StoreOptions withMaxTxnOps(int ops) {
        return new StoreOptions(
                ops, maxRequestBytes, quotaBackendBytes, minLeaseTtlSeconds, progressInterval, leaseCheckInterval);
    }

    /** The quota in force: etcd replaces 0 with its default. */
    public long effectiveQuotaBytes() {
        return quotaBackendBytes <= 0 ? DEFAULT_QUOTA_BYTES : quotaBackendBytes;
    }
}

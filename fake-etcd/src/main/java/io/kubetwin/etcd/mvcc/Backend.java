package io.kubetwin.etcd.mvcc;

import io.etcd.jetcd.api.KeyValue;
import java.util.List;
import java.util.Map;

/**
 * Durable storage under the store, called by {@link EtcdStore}: writes under its write lock, size queries from
 * any thread (implementations must be thread-safe).
 * {@link #commit} returns only once the change is durable (a write is acknowledged after it); it throws
 * {@link BackendException} when it could not be made durable, and then nothing of it is kept.
 */
public interface Backend extends AutoCloseable {

    /** Everything stored, read once at start-up; throws {@link BackendException} on a corrupt data file. */
    Contents load();

    /**
     * The changes (puts and tombstones) of one revision, or of several consecutive ones up to {@code revision} (each
     * change carries its own), lease grants and revocations, atomically and durably.
     */
    void commit(long revision, List<KeyValue> changes, Map<Long, Long> leaseGrants, List<Long> leaseRevokes);

    /** Drops compacted history and records the compaction revision, durably. */
    void compact(long revision, List<KeyValue> dropped);

    /** The cluster and member ids, stored on first start-up so that they stay the same afterwards. */
    long[] ids(long clusterId, long memberId);

    /** Bytes the data file takes, as etcd's dbSize. */
    long sizeBytes();

    /** Bytes in use (without free pages), as etcd's dbSizeInUse. */
    long sizeInUseBytes();

    @Override
    void close();

    /** What {@link #load} reads back. */
    record Contents(long revision, long compactRevision, List<KeyValue> changes, Map<Long, Long> leases) {}
}

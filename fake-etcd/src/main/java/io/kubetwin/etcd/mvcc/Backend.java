package io.kubetwin.etcd.mvcc;

import io.etcd.jetcd.api.KeyValue;
import java.util.List;
import java.util.Map;

/**
 * Durable storage under the store, called by {@link EtcdStore}: writes under its write lock (by the
 * {@link GroupCommitter} for batches), size queries from any thread (implementations must be thread-safe).
 * {@link #commit} returns only once the whole batch is durable (its writes are acknowledged after it); it throws
 * {@link BackendException} when it could not be made durable, and then nothing of the batch is kept.
 */
public interface Backend extends AutoCloseable {

    /** Everything stored, read once at start-up; throws {@link BackendException} on a corrupt data file. */
    Contents load();

    /**
     * The changes of several writes, in the order they were applied, atomically and durably: one transaction and
     * one sync to disk for all of them (group commit). Each change carries its own revision.
     */
    void commit(List<Change> batch);

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

    /**
     * What one write makes durable: its puts and tombstones (each with its own mod_revision, consecutive revisions
     * when the write is several transactions), the leases it grants (id to TTL) and those it revokes.
     */
    record Change(List<KeyValue> kvs, Map<Long, Long> leaseGrants, List<Long> leaseRevokes) {
        static Change of(List<KeyValue> kvs) {
            return new Change(kvs, Map.of(), List.of());
        }

        boolean isEmpty() {
            return kvs.isEmpty() && leaseGrants.isEmpty() && leaseRevokes.isEmpty();
        }
    }

    /** What {@link #load} reads back. */
    record Contents(long revision, long compactRevision, List<KeyValue> changes, Map<Long, Long> leases) {}
}

package io.kubetwin.etcd.mvcc;

import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.CompactionResponse;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The etcd v3 key-value store: KV, leases and watches with etcd's semantics, requests and answers in etcd's
 * protobuf messages. Thread-safe: reads share a lock; writes go through the {@link GroupCommitter}, which applies
 * concurrent writes together under the lock taken alone, each with its own revision, and commits them with one
 * sync to disk: a write returns only once it is durable, and watchers are notified in revision order after the
 * commit and before the write returns. Response headers
 * carry cluster_id, member_id, revision and raft_term as a single-member etcd fills them.
 *
 * <p>Requests are validated as etcd's gRPC layer does (server/etcdserver/api/v3rpc/key.go) before they reach
 * the store, so embedded callers get the same errors as gRPC clients.
 */
public final class EtcdStore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EtcdStore.class.getName());
    /** A single member elected itself once: etcd reports raft term 2 from then on. */
    static final long RAFT_TERM = 2;

    private final Backend backend;
    private final StoreOptions options;
    private final MvccIndex index = new MvccIndex();
    private final Lessor lessor;
    private final TxnExecutor executor;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Committer committer;
    private final Set<WatchStream> streams = new CopyOnWriteArraySet<>();
    private final ScheduledExecutorService timers;
    private final long clusterId;
    private final long memberId;
    private volatile boolean noSpaceAlarm;
    private long raftIndex;

    private EtcdStore(Backend backend, StoreOptions options, long clusterId, long memberId) {
        this.backend = backend;
        this.options = options;
        long[] ids = backend.ids(clusterId, memberId);
        this.clusterId = ids[0];
        this.memberId = ids[1];
        this.lessor = new Lessor(
                options.minLeaseTtlSeconds(), new Lessor.IdGenerator(this.memberId, System.currentTimeMillis()));
        this.executor = new TxnExecutor(index, lessor);
        this.committer = new GroupCommitter(lock.writeLock(), backend);
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fake-etcd-timers");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens a store on {@code backend}, loading what it holds (throws {@link BackendException} on a corrupt
     * data file). {@code clusterId} and {@code memberId} are kept on first use and read back afterwards.
     */
    public static EtcdStore open(Backend backend, StoreOptions options, long clusterId, long memberId) {
        EtcdStore store = new EtcdStore(backend, options, clusterId, memberId);
        store.load();
        long leaseMs = options.leaseCheckInterval().toMillis();
        store.timers.scheduleWithFixedDelay(store::expireLeases, leaseMs, leaseMs, TimeUnit.MILLISECONDS);
        long progressMs = options.progressInterval().toMillis();
        store.timers.scheduleWithFixedDelay(store::progressTick, progressMs, progressMs, TimeUnit.MILLISECONDS);
        return store;
    }

    /** An in-memory store with etcd's defaults, for tests and embedding. */
    public static EtcdStore inMemory() {
        return open(SqliteBackend.inMemory(), StoreOptions.defaults(), 1, 1);
    }

    private void load() {
        Backend.Contents contents = backend.load();
        for (KeyValue kv : contents.changes()) {
            index.apply(kv);
        }
        index.setRevisions(contents.revision(), contents.compactRevision());
        long now = System.nanoTime();
        // Leases restart with their full TTL, as etcd's lessor does when a member becomes leader (Promote).
        contents.leases().forEach((id, ttl) -> lessor.add(new Lessor.Lease(id, ttl), now));
        for (KeyValue kv : index.liveAt(index.revision())) {
            if (kv.getLease() != 0) {
                lessor.attach(kv.getLease(), kv.getKey());
            }
        }
        raftIndex = contents.revision();
    }

    public long clusterId() {
        return clusterId;
    }

    public long memberId() {
        return memberId;
    }

    public StoreOptions options() {
        return options;
    }

    /** A complete response header for revision {@code rev}. */
    public ResponseHeader header(long rev) {
        return ResponseHeader.newBuilder()
                .setClusterId(clusterId)
                .setMemberId(memberId)
                .setRevision(rev)
                .setRaftTerm(RAFT_TERM)
                .build();
    }

    /** etcd's header.fill (v3rpc/header.go): ids and term always, the current revision when none is set. */
    private ResponseHeader fill(ResponseHeader partial) {
        return header(partial.getRevision() == 0 ? revision() : partial.getRevision());
    }

    /** {@link #fill} for a write, while it is applied (the lock is held). */
    private ResponseHeader fillApplied(ResponseHeader partial) {
        return header(partial.getRevision() == 0 ? index.revision() : partial.getRevision());
    }

    public long revision() {
        return read(index::revision);
    }

    public long compactRevision() {
        return read(index::compactRevision);
    }

    private <T> T read(Supplier<T> reader) {
        lock.readLock().lock();
        try {
            return reader.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- KV -------------------------------------------------------------------------------------------

    public RangeResponse range(RangeRequest r) {
        RequestChecks.checkRange(r);
        RangeResponse resp = read(() -> executor.range(index.revision(), r));
        return resp.toBuilder().setHeader(fill(resp.getHeader())).build();
    }

    public PutResponse put(PutRequest p) {
        RequestChecks.checkPut(p);
        checkSize(p.getSerializedSize());
        return committer.submit(() -> kvWrite(txn -> {
            checkQuota(RequestChecks.costPut(p));
            executor.checkPut(index.revision(), p);
            PutResponse resp = executor.put(txn, p);
            return resp.toBuilder().setHeader(fillApplied(resp.getHeader())).build();
        }));
    }

    public DeleteRangeResponse deleteRange(DeleteRangeRequest d) {
        RequestChecks.checkDelete(d);
        checkSize(d.getSerializedSize());
        return committer.submit(() -> kvWrite(txn -> {
            DeleteRangeResponse resp = executor.deleteRange(txn, d);
            return resp.toBuilder().setHeader(fillApplied(resp.getHeader())).build();
        }));
    }

    public TxnResponse txn(TxnRequest t) {
        RequestChecks.checkTxn(t, options.maxTxnOps());
        checkSize(t.getSerializedSize());
        return committer.submit(() -> kvWrite(txn -> {
            if (!RequestChecks.isReadOnly(t)) {
                checkQuota(RequestChecks.costTxn(t));
            }
            long rev = index.revision();
            List<Boolean> path = executor.path(rev, t);
            executor.checkTxn(rev, t, path, 0);
            TxnResponse.Builder b = executor.executeTxn(txn, t, path, new int[] {0});
            return b.setHeader(fillApplied(TxnExecutor.header(txn.readRev()))).build();
        }));
    }

    /**
     * Several transactions, each as {@link #txn} runs it (its own revision when it writes, its own watch events, in
     * list order), made durable together in one backend commit: for an embedding process that writes many keys at
     * once (the fake apiserver's bootstrap objects). Nothing else writes in between. All or nothing: when one
     * transaction is refused (its error is thrown) or the commit fails, none of them is kept.
     */
    public List<TxnResponse> txns(List<TxnRequest> requests) {
        long cost = 0;
        for (TxnRequest t : requests) {
            RequestChecks.checkTxn(t, options.maxTxnOps());
            checkSize(t.getSerializedSize());
            cost += RequestChecks.isReadOnly(t) ? 0 : RequestChecks.costTxn(t);
        }
        long quotaCost = cost;
        return committer.submit(() -> {
            checkQuota(quotaCost);
            List<WriteTxn> applied = new ArrayList<>();
            List<TxnResponse> responses = new ArrayList<>();
            List<KeyValue> changes = new ArrayList<>();
            try {
                for (TxnRequest t : requests) {
                    WriteTxn txn = new WriteTxn(index, lessor);
                    applied.add(txn);
                    long rev = index.revision();
                    List<Boolean> path = executor.path(rev, t);
                    executor.checkTxn(rev, t, path, 0);
                    TxnResponse.Builder b = executor.executeTxn(txn, t, path, new int[] {0});
                    responses.add(b.setHeader(header(txn.readRev())).build());
                    changes.addAll(txn.changes());
                }
            } catch (RuntimeException e) {
                rollback(applied);
                throw e;
            }
            return new Committer.Applied<>(
                    responses, Backend.Change.of(changes), () -> rollback(applied), () -> committed(applied));
        });
    }

    /**
     * Compacts on its own, not through the committer: compaction is rare (kube-apiserver every five minutes), and
     * dropping history from the index cannot be taken back if a batch it shared failed. Taking the write lock
     * orders it between two rounds of the committer.
     */
    public CompactionResponse compact(CompactionRequest c) {
        lock.writeLock().lock();
        try {
            long rev = c.getRevision();
            if (rev <= index.compactRevision()) {
                throw EtcdError.COMPACTED.exception();
            }
            if (rev > index.revision()) {
                throw EtcdError.FUTURE_REV.exception();
            }
            List<KeyValue> dropped = index.compact(rev);
            backend.compact(rev, dropped);
            raftIndex++;
            // Watchers are always synced here (catch-up happens at creation), so none waits on compacted history.
            return CompactionResponse.newBuilder()
                    .setHeader(header(index.revision()))
                    .build();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void checkSize(int serializedSize) {
        // etcd measures the raft request wrapping this one (InternalRaftRequest: a 13-byte header, a 1-byte
        // field tag and the length) against --max-request-bytes.
        long size = 13 + 1 + varintSize(serializedSize) + serializedSize;
        if (size > options.maxRequestBytes()) {
            throw EtcdError.REQUEST_TOO_LARGE.exception();
        }
    }

    private static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private void checkQuota(long cost) {
        if (options.quotaBackendBytes() < 0 || cost == 0) {
            return;
        }
        if (noSpaceAlarm || backend.sizeBytes() + cost >= options.effectiveQuotaBytes()) {
            if (!noSpaceAlarm) {
                LOG.warning("alarm raised: NOSPACE (database space exceeded)");
            }
            noSpaceAlarm = true;
            throw EtcdError.NO_SPACE.exception();
        }
    }

    public boolean noSpaceAlarm() {
        return noSpaceAlarm;
    }

    /** {@code etcdctl alarm disarm}: writes are accepted again (and refused anew while over the quota). */
    public void disarmNoSpace() {
        noSpaceAlarm = false;
    }

    /**
     * Applies one write transaction for the committer (the lock is held): taken back at once when {@code body}
     * refuses it, or later when its commit fails; its watch events are sent once it is durable.
     */
    private <T> Committer.Applied<T> kvWrite(Function<WriteTxn, T> body) {
        WriteTxn txn = new WriteTxn(index, lessor);
        T result;
        try {
            result = body.apply(txn);
        } catch (RuntimeException e) {
            txn.rollback();
            throw e;
        }
        return new Committer.Applied<>(
                result, Backend.Change.of(txn.changes()), txn::rollback, () -> committed(List.of(txn)));
    }

    private static void rollback(List<WriteTxn> applied) {
        for (int i = applied.size() - 1; i >= 0; i--) {
            applied.get(i).rollback();
        }
    }

    /** Once durable: one raft entry per request, and the watch events of each revision in order. */
    private void committed(List<WriteTxn> txns) {
        raftIndex += txns.size();
        for (WriteTxn txn : txns) {
            if (!txn.changes().isEmpty()) {
                notifyWatchers(txn.beginRev() + 1, txn.changes());
            }
        }
    }

    // ---- Leases ---------------------------------------------------------------------------------------

    public LeaseGrantResponse leaseGrant(LeaseGrantRequest g) {
        return committer.submit(() -> {
            checkQuota(64); // etcd's leaseOverhead
            Lessor.Lease lease = lessor.prepareGrant(g.getID(), g.getTTL());
            lessor.add(lease, System.nanoTime());
            LeaseGrantResponse resp = LeaseGrantResponse.newBuilder()
                    .setHeader(header(index.revision()))
                    .setID(lease.id)
                    .setTTL(lease.ttl)
                    .build();
            return new Committer.Applied<>(
                    resp,
                    new Backend.Change(List.of(), Map.of(lease.id, lease.ttl), List.of()),
                    () -> lessor.remove(lease.id),
                    () -> raftIndex++);
        });
    }

    /** Revokes a lease and deletes its keys in one revision (lessor.Revoke); throws if it is unknown. */
    public LeaseRevokeResponse leaseRevoke(long id) {
        return committer.submit(() -> {
            Lessor.Lease lease = lessor.require(id);
            WriteTxn txn = new WriteTxn(index, lessor);
            try {
                for (var key : List.copyOf(lease.keys)) {
                    txn.deleteRange(key, null);
                }
            } catch (RuntimeException e) {
                txn.rollback();
                throw e;
            }
            lessor.remove(id);
            LeaseRevokeResponse resp = LeaseRevokeResponse.newBuilder()
                    .setHeader(header(index.revision()))
                    .build();
            Runnable undo = () -> {
                lessor.restore(lease); // first, so that taking the deletes back attaches the keys to it again
                txn.rollback();
            };
            return new Committer.Applied<>(
                    resp,
                    new Backend.Change(txn.changes(), Map.of(), List.of(id)),
                    undo,
                    () -> committed(List.of(txn)));
        });
    }

    /** One keep-alive: the lease's TTL, or a TTL of 0 when the lease is unknown (v3rpc/lease.go). */
    public LeaseKeepAliveResponse leaseKeepAlive(long id) {
        lock.writeLock().lock();
        try {
            long ttl;
            try {
                ttl = lessor.renew(id, System.nanoTime());
            } catch (EtcdException e) {
                ttl = 0;
            }
            return LeaseKeepAliveResponse.newBuilder()
                    .setHeader(header(index.revision()))
                    .setID(id)
                    .setTTL(ttl)
                    .build();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** TTL, granted TTL and optionally keys; TTL -1 for an unknown lease (v3rpc/lease.go LeaseTimeToLive). */
    public LeaseTimeToLiveResponse leaseTimeToLive(LeaseTimeToLiveRequest r) {
        return read(() -> {
            Lessor.Lease lease = lessor.get(r.getID());
            LeaseTimeToLiveResponse.Builder b =
                    LeaseTimeToLiveResponse.newBuilder().setID(r.getID());
            if (lease == null) {
                return b.setHeader(header(index.revision())).setTTL(-1).build();
            }
            b.setHeader(header(index.revision()))
                    .setTTL(lease.remainingSeconds(System.nanoTime()))
                    .setGrantedTTL(lease.ttl);
            if (r.getKeys()) {
                b.addAllKeys(lease.keys);
            }
            return b.build();
        });
    }

    /** The ids of all leases (etcd's LeaseLeases). */
    public List<Long> leaseIds() {
        return read(() -> {
            List<Long> ids = new ArrayList<>();
            for (Lessor.Lease l : lessor.all()) {
                ids.add(l.id);
            }
            ids.sort(null);
            return ids;
        });
    }

    private void expireLeases() {
        try {
            List<Long> expired = read(() -> lessor.expired(System.nanoTime()));
            for (long id : expired) {
                try {
                    leaseRevoke(id);
                } catch (EtcdException e) {
                    // revoked meanwhile by a client
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "lease expiry failed", e);
        }
    }

    // ---- Watch ----------------------------------------------------------------------------------------

    /**
     * Opens a watch stream (one per gRPC Watch call). {@code sink} receives every response in order, from the
     * thread that caused it, while the store's lock is held: it must not block or call back into the store.
     */
    public WatchStream openWatchStream(Consumer<io.etcd.jetcd.api.WatchResponse> sink) {
        WatchStream stream = new WatchStream(this, sink);
        streams.add(stream);
        return stream;
    }

    void closeStream(WatchStream stream) {
        streams.remove(stream);
    }

    /** Runs {@code body} with the store locked for writing (watch creation must see a stable revision). */
    <T> T locked(Supplier<T> body) {
        lock.writeLock().lock();
        try {
            return body.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    MvccIndex index() {
        return index;
    }

    private void notifyWatchers(long rev, List<KeyValue> changes) {
        for (WatchStream s : streams) {
            s.notify(rev, changes);
        }
    }

    private void progressTick() {
        try {
            locked(() -> {
                for (WatchStream s : streams) {
                    s.progressTick();
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "progress notification failed", e);
        }
    }

    // ---- Status ---------------------------------------------------------------------------------------

    public long raftIndex() {
        return read(() -> raftIndex);
    }

    public long dbSizeBytes() {
        return read(backend::sizeBytes);
    }

    public long dbSizeInUseBytes() {
        return read(backend::sizeInUseBytes);
    }

    @Override
    public void close() {
        timers.shutdownNow();
        for (WatchStream s : streams) {
            s.close();
        }
        lock.writeLock().lock();
        try {
            backend.close();
        } finally {
            lock.writeLock().unlock();
        }
    }
}

package io.kubetwin.apiserver.storage.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * kube-apiserver's compactor (k8s.io/apiserver/pkg/storage/etcd3/compact.go): every {@code --etcd-compaction-interval}
 * it compacts the store to the revision it saw one interval earlier, sharing the work with the other apiservers on
 * the same etcd through the {@code compact_rev_key} key. Each tick is one transaction: if the key's version is the
 * one this server saw last, it writes the revision it saw last (bumping the version) and then compacts to it; if
 * not, another apiserver compacted meanwhile, and this one only takes the key's version and value. The key lies
 * outside {@code --etcd-prefix}, as upstream's does, so the reference and the fake share it.
 *
 * <p>One per store; runs on its own daemon thread. The first tick only claims the key (value {@code 0}): nothing is
 * compacted before one interval has passed.
 */
public final class Compactor implements AutoCloseable {
    static final String KEY = "compact_rev_key";
    private static final Logger LOG = Logger.getLogger(Compactor.class.getName());
    private static final long DEADLINE_SECONDS = 30;

    private final KVGrpc.KVBlockingStub kv;
    private final String endpoints;
    private final ScheduledExecutorService timer;
    /** compactor.compactRevision: the latest revision this server compacted to or saw compacted. */
    private final AtomicLong compactRevision = new AtomicLong();
    /** The loop's state between ticks (runCompactLoop's compactTime and rev); only the timer thread touches them. */
    private long expectVersion;

    private long revision;

    private Compactor(Channel channel, String endpoints) {
        this.kv = KVGrpc.newBlockingStub(channel);
        this.endpoints = endpoints;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kubetwin-etcd-compactor");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts compacting every {@code interval}; null when the interval is zero (upstream's "0 disables").
     *
     * @param endpoints the store's endpoints, for the log line of a failed compaction
     */
    public static Compactor start(Channel channel, Duration interval, String endpoints) {
        if (interval.isZero() || interval.isNegative()) {
            return null;
        }
        Compactor c = new Compactor(channel, endpoints);
        long ms = Math.max(1, interval.toMillis());
        // clock.After(interval) after each tick: a fixed delay, the first one interval after the start
        c.timer.scheduleWithFixedDelay(c::tick, ms, ms, TimeUnit.MILLISECONDS);
        return c;
    }

    /** The revision the store was last compacted to by this server, or that it saw another server write; 0 before. */
    public long compactRevision() {
        return compactRevision.get();
    }

    private void tick() {
        try {
            long compacted = compact();
            if (compacted != 0) {
                compactRevision.accumulateAndGet(compacted, Math::max);
            }
        } catch (StatusRuntimeException e) {
            LOG.log(Level.WARNING, "etcd: endpoint ({0}) compact failed: {1}", new Object[] {endpoints, e.getMessage()
            });
        }
    }

    /** compact.go Compact: one round of the protocol; answers the revision compacted to, or 0. */
    private long compact() {
        ByteString key = ByteString.copyFromUtf8(KEY);
        TxnRequest txn = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder()
                        .setKey(key)
                        .setTarget(Compare.CompareTarget.VERSION)
                        .setResult(Compare.CompareResult.EQUAL)
                        .setVersion(expectVersion))
                // the expected side effect: the key's version goes up by one
                .addSuccess(RequestOp.newBuilder()
                        .setRequestPut(PutRequest.newBuilder()
                                .setKey(key)
                                .setValue(ByteString.copyFromUtf8(Long.toString(revision)))))
                .addFailure(RequestOp.newBuilder()
                        .setRequestRange(RangeRequest.newBuilder().setKey(key)))
                .build();
        TxnResponse r = kv.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).txn(txn);
        long seen = r.getHeader().getRevision();
        if (!r.getSucceeded()) {
            // another apiserver took this round: follow its version, compact nothing
            KeyValue current = r.getResponses(0).getResponseRange().getKvs(0);
            expectVersion = current.getVersion();
            revision = seen;
            try {
                return Long.parseLong(current.getValue().toStringUtf8());
            } catch (NumberFormatException e) {
                return 0; // upstream ignores a value it cannot parse
            }
        }
        expectVersion++;
        long target = revision;
        revision = seen;
        if (target == 0) {
            return 0;
        }
        kv.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .compact(CompactionRequest.newBuilder().setRevision(target).build());
        LOG.fine(() -> "etcd: compacted rev (" + target + "), endpoints (" + endpoints + ")");
        return target;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

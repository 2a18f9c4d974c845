package io.kubetwin.apiserver.storage.etcd;

import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The etcd leases of objects with a TTL (Events, {@code --event-ttl}), as kube-apiserver's lease manager hands them
 * out (k8s.io/apiserver/pkg/storage/etcd3/lease_manager.go): one lease is shared by every object written while it is
 * still long enough, so a busy cluster does not grant one lease per Event. A lease is granted for the TTL plus a
 * reuse window (5% of the TTL, at most {@code --lease-reuse-duration-seconds}) and reused while it outlives the
 * TTL from now and by no more than the window, for at most 1000 objects.
 *
 * <p>Thread-safe: the reuse decision is taken under a lock, the grant is asynchronous.
 */
final class LeaseManager {
    /** defaultLeaseMaxObjectCount; kube-apiserver has no flag for it. */
    static final long MAX_OBJECT_COUNT = 1000;

    private static final double REUSE_PERCENT = 0.05;
    private static final long DEADLINE_SECONDS = 30;

    private final Channel channel;
    private final long reuseDurationSeconds;
    private final long ttlSeconds;
    private final List<String> prefixes;

    private long prevLeaseId;
    private long prevLeaseExpirationNanos;
    private boolean granted;
    private long attachedObjectCount;

    /**
     * @param ttl the TTL of the objects under {@code prefixes} (the Events' keys)
     * @param reuseDurationSeconds {@code --lease-reuse-duration-seconds}
     */
    LeaseManager(Channel channel, Duration ttl, long reuseDurationSeconds, List<String> prefixes) {
        this.channel = channel;
        this.ttlSeconds = ttl.toSeconds();
        this.reuseDurationSeconds = reuseDurationSeconds;
        this.prefixes = List.copyOf(prefixes);
    }

    /**
     * The transaction with its puts of keys that have a TTL attached to a lease; the same transaction when it writes
     * none. Fails with the grant's gRPC error.
     */
    CompletableFuture<TxnRequest> attach(TxnRequest txn) {
        if (ttlSeconds <= 0 || txn.getSuccessList().stream().noneMatch(this::needsLease)) {
            return CompletableFuture.completedFuture(txn);
        }
        return lease().thenApply(id -> {
            TxnRequest.Builder b = txn.toBuilder();
            for (int i = 0; i < b.getSuccessCount(); i++) {
                if (needsLease(b.getSuccess(i))) {
                    b.setSuccess(
                            i,
                            b.getSuccess(i).toBuilder()
                                    .setRequestPut(b.getSuccess(i).getRequestPut().toBuilder()
                                            .setLease(id)));
                }
            }
            return b.build();
        });
    }

    private boolean needsLease(RequestOp op) {
        if (!op.hasRequestPut()) {
            return false;
        }
        String key = op.getRequestPut().getKey().toStringUtf8();
        return prefixes.stream().anyMatch(key::startsWith);
    }

    /** GetLease: the previous lease when it is valid and not too long, else a new one. */
    private CompletableFuture<Long> lease() {
        long now = System.nanoTime();
        long reuse;
        synchronized (this) {
            reuse = Math.min((long) (REUSE_PERCENT * ttlSeconds), reuseDurationSeconds);
            boolean valid = granted && now + seconds(ttlSeconds) - prevLeaseExpirationNanos < 0;
            boolean sufficient = granted && now + seconds(ttlSeconds + reuse) - prevLeaseExpirationNanos > 0;
            // every request counts, whether or not its write succeeds
            attachedObjectCount++;
            if (valid && sufficient && attachedObjectCount <= MAX_OBJECT_COUNT) {
                return CompletableFuture.completedFuture(prevLeaseId);
            }
        }
        long grantTtl = ttlSeconds + reuse;
        CompletableFuture<Long> id = new CompletableFuture<>();
        LeaseGrpc.newStub(channel)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(grantTtl).build(), new StreamObserver<>() {
                    @Override
                    public void onNext(io.etcd.jetcd.api.LeaseGrantResponse r) {
                        synchronized (LeaseManager.this) {
                            prevLeaseId = r.getID();
                            prevLeaseExpirationNanos = now + seconds(grantTtl);
                            granted = true;
                            attachedObjectCount = 1;
                        }
                        id.complete(r.getID());
                    }

                    @Override
                    public void onError(Throwable t) {
                        id.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {}
                });
        return id;
    }

    private static long seconds(long s) {
        return TimeUnit.SECONDS.toNanos(s);
    }
}

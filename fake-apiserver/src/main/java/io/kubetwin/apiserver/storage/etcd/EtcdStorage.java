package io.kubetwin.apiserver.storage.etcd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.etcd.jetcd.api.WatchGrpc;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.kubetwin.apiserver.storage.InMemoryStorage;
import io.kubetwin.apiserver.storage.ListResult;
import io.kubetwin.apiserver.storage.ObjectCodec;
import io.kubetwin.apiserver.storage.ObjectKey;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.kubetwin.apiserver.storage.ValueTransformer;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@link Storage} on an etcd v3 store, as kube-apiserver's etcd3 store keeps objects
 * (k8s.io/apiserver/pkg/storage/etcd3/store.go): one key per object ({@link RegistryKeys}), the
 * resourceVersion is the key's mod revision (a list's is the range's header revision), a create is a
 * transaction on {@code create_revision == 0}, an update or delete with a precondition a transaction on
 * {@code mod_revision}, and watches are fed by one etcd watch ({@link WatchCache}). Works against a real etcd
 * cluster, the kubetwin fake etcd, or the embedded store ({@link EmbeddedEtcd}); several fake apiservers on
 * one store see each other's writes.
 *
 * <p>Thread-safe. Futures complete on the Vert.x context of the caller (on the gRPC thread when called from
 * outside Vert.x). Failures are {@link StorageException}s; an unreachable store is UNAVAILABLE.
 */
public final class EtcdStorage implements Storage {
    private static final long DEADLINE_SECONDS = 30;
    /** --etcd-healthcheck-timeout's default. */
    private static final long HEALTHCHECK_TIMEOUT_MS = 2000;
    /** etcd's ErrCompacted text (mvcc.ErrCompacted behind rpctypes.ErrGRPCCompacted). */
    private static final String COMPACTED = "mvcc: required revision has been compacted";

    private static final LeaseManager NO_LEASES = new LeaseManager(null, java.time.Duration.ZERO, 0, List.of());
    private volatile LeaseManager leases;
    private volatile Compactor compactor;

    private final Channel channel;
    private final RegistryKeys keys;
    private final StoredValues values;
    private final WatchCache cache;
    private final Future<Void> ready;
    private final Runnable onClose;
    /** Commits several transactions together, each with its own revision (the embedded store); null for a remote one. */
    private final Function<List<TxnRequest>, CompletableFuture<List<TxnResponse>>> together;

    private EtcdStorage(
            Channel channel,
            RegistryKeys keys,
            StoredValues values,
            Runnable onClose,
            Function<List<TxnRequest>, CompletableFuture<List<TxnResponse>>> together) {
        this.channel = channel;
        this.together = together;
        this.keys = keys;
        this.values = values;
        this.onClose = onClose;
        this.cache = new WatchCache(WatchGrpc.newStub(channel), keys.root(), values, InMemoryStorage.DEFAULT_HISTORY);
        // the watch starts at the store's revision when this server starts, as the cacher starts from its list
        Promise<Void> started = Promise.promise();
        this.ready = started.future();
        kv().range(
                        RangeRequest.newBuilder()
                                .setKey(bytes(keys.root()))
                                .setRangeEnd(ByteString.copyFrom(
                                        prefixEnd(keys.root().getBytes(StandardCharsets.UTF_8))))
                                .setCountOnly(true)
                                .build(),
                        observer(
                                r -> {
                                    cache.start(r.getHeader().getRevision());
                                    started.tryComplete();
                                },
                                started::tryFail));
    }

    /**
     * A store over {@code channel}.
     *
     * @param transformers the transformer of each resource, applied to every value written and read with its full
     *     key (encryption at rest)
     * @param codec objects to values and back (kube-apiserver's storage encoding)
     * @param onClose releases the channel (and an embedded server) when this store closes
     */
    public static EtcdStorage open(
            Channel channel,
            RegistryKeys keys,
            Function<ResourceKey, ValueTransformer> transformers,
            ObjectCodec codec,
            Runnable onClose) {
        return new EtcdStorage(channel, keys, new StoredValues(transformers, codec), onClose, null);
    }

    /**
     * A store on the embedded etcd {@code embedded}, which it closes when it closes; {@link #createAll} commits its
     * creates together there; {@code onClose} runs after it. The other parameters as for {@link #open}.
     */
    public static EtcdStorage embedded(
            EmbeddedEtcd embedded,
            RegistryKeys keys,
            Function<ResourceKey, ValueTransformer> transformers,
            ObjectCodec codec,
            Runnable onClose) {
        Runnable close = () -> {
            embedded.close();
            onClose.run();
        };
        return new EtcdStorage(embedded.channel(), keys, new StoredValues(transformers, codec), close, embedded::txns);
    }

    /**
     * Starts what kube-apiserver does to its etcd besides reads and writes: the compactor (none for a zero
     * interval) and the leases of Events. Called once, by the storage factory, before the server serves.
     *
     * @param endpoints the store's endpoints, for the compactor's log lines
     */
    public void startOperations(EtcdOptions options, String endpoints) {
        ResourceKey events = new ResourceKey("", "events");
        this.leases = new LeaseManager(
                channel,
                options.eventTtl(),
                options.leaseReuseDurationSeconds(),
                List.of(keys.resourcePrefix(events), keys.resourcePrefix(new ResourceKey("events.k8s.io", "events"))));
        this.compactor = Compactor.start(channel, options.compactionInterval(), endpoints);
    }

    /**
     * The etcd check of /healthz, /livez and /readyz (storagebackend/factory/etcd3.go etcd3ProberMonitor.Probe): a
     * read of {@code <prefix>/health} within {@code --etcd-healthcheck-timeout} (2 s). Blocks; null when it answered,
     * else upstream's text.
     */
    public String healthCheck() {
        try {
            KVGrpc.newBlockingStub(channel)
                    .withWaitForReady()
                    .withDeadlineAfter(HEALTHCHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .range(RangeRequest.newBuilder()
                            .setKey(bytes(keys.root() + "health"))
                            .build());
            return null;
        } catch (StatusRuntimeException e) {
            // a store that does not answer in time is context.DeadlineExceeded's text, as the Go client's
            return "error getting data from etcd: "
                    + (e.getStatus().getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED
                            ? "context deadline exceeded"
                            : "rpc error: code = " + goCode(e.getStatus().getCode()) + " desc = "
                                    + e.getStatus().getDescription());
        }
    }

    /** grpc-go's name of a status code (codes.Code.String()). */
    private static String goCode(io.grpc.Status.Code code) {
        StringBuilder b = new StringBuilder();
        for (String part : code.name().split("_")) {
            b.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return b.toString();
    }

    /** The compactor, or null when compaction is off or not started (tests). */
    public Compactor compactor() {
        return compactor;
    }

    private LeaseManager leases() {
        LeaseManager l = leases;
        return l != null ? l : NO_LEASES;
    }

    /** Completes once the store answered and the store-wide watch is running; fails when it cannot be reached. */
    public Future<Void> ready() {
        return ready;
    }

    @Override
    public Future<ObjectNode> get(ObjectKey key) {
        String k = keys.key(key);
        return range(RangeRequest.newBuilder().setKey(bytes(k)).build(), r -> {
            if (r.getKvsCount() == 0) {
                throw notFound(key);
            }
            KeyValue kv = r.getKvs(0);
            return values.decode(key.resourceKey(), kv.getValue().toByteArray(), k, kv.getModRevision());
        });
    }

    @Override
    public Future<ListResult> list(ResourceKey resource, String namespace) {
        return listAt(resource, namespace, 0);
    }

    /** A range at {@code revision} (0: the latest); etcd refuses a compacted one, answered TOO_OLD_RESOURCE_VERSION. */
    @Override
    public Future<ListResult> listAt(ResourceKey resource, String namespace, long revision) {
        String prefix = namespace == null ? keys.resourcePrefix(resource) : keys.namespacePrefix(resource, namespace);
        String resourcePrefix = keys.resourcePrefix(resource);
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        RangeRequest request = RangeRequest.newBuilder()
                .setKey(ByteString.copyFrom(p))
                .setRangeEnd(ByteString.copyFrom(prefixEnd(p)))
                .setRevision(Math.max(0, revision))
                .build();
        return range(request, r -> {
            List<Entry> entries = new ArrayList<>();
            for (KeyValue kv : r.getKvsList()) {
                String k = kv.getKey().toStringUtf8();
                ObjectKey ok = RegistryKeys.parse(resource, resourcePrefix, k);
                if (ok != null) {
                    entries.add(new Entry(
                            ok, values.decode(resource, kv.getValue().toByteArray(), k, kv.getModRevision())));
                }
            }
            // the Storage contract: by namespace, then name (etcd orders "a-b/x" before "a/x")
            entries.sort(Comparator.comparing((Entry e) -> e.key().namespace())
                    .thenComparing(e -> e.key().name()));
            // at a revision, the list's resourceVersion is that revision (the header has the store's current one)
            return new ListResult(
                    entries.stream().map(Entry::object).toList(),
                    revision > 0 ? revision : r.getHeader().getRevision());
        });
    }

    private record Entry(ObjectKey key, ObjectNode object) {}

    @Override
    public Future<ObjectNode> create(ObjectKey key, ObjectNode object) {
        Objects.requireNonNull(object, "object");
        String k = keys.key(key);
        return write(createTxn(key, object), r -> {
            if (!r.getSucceeded()) {
                throw new StorageException(StorageException.Reason.ALREADY_EXISTS, key, "key exists: " + k);
            }
            return stamp(object.deepCopy(), r.getHeader().getRevision());
        });
    }

    /** A create: the put happens only when the key was never created or was deleted since (create_revision 0). */
    private TxnRequest createTxn(ObjectKey key, ObjectNode object) {
        String k = keys.key(key);
        return TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder()
                        .setKey(bytes(k))
                        .setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.EQUAL)
                        .setCreateRevision(0))
                .addSuccess(put(k, values.encode(key.resourceKey(), object, k)))
                .build();
    }

    /**
     * On the embedded store: one create transaction per object, as {@link #create} sends, committed together (one
     * revision each, one fsync for all). On a remote etcd, the creates are sent at once: etcd commits concurrent
     * requests together, and one transaction with several puts would give them all the same revision, so the same
     * resourceVersion, which kube-apiserver's one-object writes never do.
     */
    @Override
    public Future<List<ObjectNode>> createAll(List<Creation> creations) {
        if (together == null) {
            List<Future<ObjectNode>> created = creations.stream()
                    .map(c -> create(c.key(), c.object())
                            .recover(e -> e instanceof StorageException se
                                            && se.reason() == StorageException.Reason.ALREADY_EXISTS
                                    ? Future.succeededFuture()
                                    : Future.failedFuture(e)))
                    .toList();
            return Future.all(created)
                    .map(v -> created.stream().map(Future::result).toList());
        }
        List<TxnRequest> txns = creations.stream()
                .map(c -> createTxn(c.key(), Objects.requireNonNull(c.object(), "object")))
                .toList();
        Context context = Vertx.currentContext();
        Promise<List<ObjectNode>> promise = Promise.promise();
        ready.onComplete(started -> {
            if (started.failed()) {
                complete(context, promise, null, started.cause());
                return;
            }
            together.apply(txns).whenComplete((responses, error) -> {
                if (error != null) {
                    Throwable cause =
                            error instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : error;
                    complete(
                            context,
                            promise,
                            null,
                            new StorageException(
                                    StorageException.Reason.UNAVAILABLE, null, "etcd: " + cause.getMessage()));
                    return;
                }
                List<ObjectNode> stored = new ArrayList<>();
                long last = 0;
                for (int i = 0; i < responses.size(); i++) {
                    TxnResponse r = responses.get(i);
                    if (r.getSucceeded()) {
                        last = r.getHeader().getRevision();
                        stored.add(stamp(creations.get(i).object().deepCopy(), last));
                    } else {
                        stored.add(null);
                    }
                }
                // as for one write: answered once the store-wide watch delivered the last of them
                CompletableFuture<Void> seen =
                        last > 0 ? cache.awaitDelivered(last) : CompletableFuture.completedFuture(null);
                seen.whenComplete((v, e) -> complete(context, promise, stored, null));
            });
        });
        return promise.future();
    }

    @Override
    public Future<ObjectNode> update(ObjectKey key, ObjectNode object, String expectedResourceVersion) {
        Objects.requireNonNull(object, "object");
        String k = keys.key(key);
        TxnRequest txn = TxnRequest.newBuilder()
                .addCompare(precondition(k, expectedResourceVersion))
                .addSuccess(put(k, values.encode(key.resourceKey(), object, k)))
                .addFailure(RequestOp.newBuilder()
                        .setRequestRange(RangeRequest.newBuilder().setKey(bytes(k))))
                .build();
        return write(txn, r -> {
            if (!r.getSucceeded()) {
                throw failedPrecondition(key, r, expectedResourceVersion);
            }
            return stamp(object.deepCopy(), r.getHeader().getRevision());
        });
    }

    @Override
    public Future<ObjectNode> rewriteIfStale(ObjectKey key, ObjectNode object, String expectedResourceVersion) {
        String k = keys.key(key);
        return range(
                        RangeRequest.newBuilder().setKey(bytes(k)).build(),
                        r -> r.getKvsCount() > 0
                                && values.stale(
                                        key.resourceKey(),
                                        r.getKvs(0).getValue().toByteArray(),
                                        k))
                .compose(stale ->
                        stale ? update(key, object, expectedResourceVersion) : Future.<ObjectNode>succeededFuture());
    }

    @Override
    public Future<ObjectNode> delete(ObjectKey key, String expectedResourceVersion) {
        String k = keys.key(key);
        TxnRequest txn = TxnRequest.newBuilder()
                .addCompare(precondition(k, expectedResourceVersion))
                .addSuccess(RequestOp.newBuilder()
                        .setRequestDeleteRange(
                                DeleteRangeRequest.newBuilder().setKey(bytes(k)).setPrevKv(true)))
                .addFailure(RequestOp.newBuilder()
                        .setRequestRange(RangeRequest.newBuilder().setKey(bytes(k))))
                .build();
        return write(txn, r -> {
            if (!r.getSucceeded()) {
                throw failedPrecondition(key, r, expectedResourceVersion);
            }
            var deleted = r.getResponses(0).getResponseDeleteRange();
            if (deleted.getPrevKvsCount() == 0) {
                throw notFound(key);
            }
            KeyValue last = deleted.getPrevKvs(0);
            // like etcd, a deletion is a change with its own revision; the deleted object carries it
            return stamp(
                    values.decode(key.resourceKey(), last.getValue().toByteArray(), k, last.getModRevision()),
                    r.getHeader().getRevision());
        });
    }

    @Override
    public Future<Watch> watch(
            ResourceKey resource, String namespace, long sinceResourceVersion, Consumer<WatchEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        return ready.map(v ->
                cache.watch(resource, keys.resourcePrefix(resource), namespace, sinceResourceVersion, listener, true));
    }

    /** One event per change for all shared listeners: the watch cache's decoded objects, never changed. */
    @Override
    public Future<Watch> watchShared(
            ResourceKey resource, String namespace, long sinceResourceVersion, Consumer<WatchEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        return ready.map(v ->
                cache.watch(resource, keys.resourcePrefix(resource), namespace, sinceResourceVersion, listener, false));
    }

    /** The revision up to which this server has seen the store's changes (the watch cache's resourceVersion). */
    @Override
    public long currentResourceVersion() {
        return cache.delivered();
    }

    @Override
    public void close() {
        Compactor c = compactor;
        if (c != null) {
            c.close();
        }
        cache.close();
        onClose.run();
    }

    /** The key that ends a prefix range (etcd's clientv3.GetPrefixRangeEnd). */
    static byte[] prefixEnd(byte[] prefix) {
        byte[] end = Arrays.copyOf(prefix, prefix.length);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return new byte[] {0};
    }

    private KVGrpc.KVStub kv() {
        return KVGrpc.newStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** A write; its Future completes once the store-wide watch has delivered the write to local listeners. */
    private <T> Future<T> write(TxnRequest txn, Function<TxnResponse, T> answer) {
        Context context = Vertx.currentContext();
        Promise<T> promise = Promise.promise();
        ready.onComplete(started -> {
            if (started.failed()) {
                complete(context, promise, null, started.cause());
                return;
            }
            leases().attach(txn).whenComplete((leased, failed) -> {
                if (failed != null) {
                    complete(context, promise, null, failed);
                    return;
                }
                send(leased, answer, context, promise);
            });
        });
        return promise.future();
    }

    /** Sends a write (its leases attached) and completes once the store-wide watch delivered it. */
    private <T> void send(TxnRequest txn, Function<TxnResponse, T> answer, Context context, Promise<T> promise) {
        kv().txn(
                        txn,
                        observer(
                                r -> {
                                    T value;
                                    try {
                                        value = answer.apply(r);
                                    } catch (RuntimeException e) {
                                        complete(context, promise, null, e);
                                        return;
                                    }
                                    CompletableFuture<Void> seen = r.getSucceeded()
                                            ? cache.awaitDelivered(r.getHeader().getRevision())
                                            : CompletableFuture.completedFuture(null);
                                    seen.whenComplete((v, e) -> complete(context, promise, value, null));
                                },
                                e -> complete(context, promise, null, e)));
    }

    private <T> Future<T> range(RangeRequest request, Function<RangeResponse, T> answer) {
        return this.<RangeResponse, T>call(o -> kv().range(request, o), answer);
    }

    private <R, T> Future<T> call(Consumer<StreamObserver<R>> request, Function<R, T> answer) {
        Context context = Vertx.currentContext();
        Promise<T> promise = Promise.promise();
        ready.onComplete(started -> {
            if (started.failed()) {
                complete(context, promise, null, started.cause());
                return;
            }
            request.accept(observer(
                    r -> {
                        try {
                            complete(context, promise, answer.apply(r), null);
                        } catch (RuntimeException e) {
                            complete(context, promise, null, e);
                        }
                    },
                    e -> complete(context, promise, null, e)));
        });
        return promise.future();
    }

    private static <T> void complete(Context context, Promise<T> promise, T value, Throwable failure) {
        Throwable cause = failure instanceof StatusRuntimeException s ? unavailable(s) : failure;
        Runnable done = () -> {
            if (cause != null) {
                promise.tryFail(cause);
            } else {
                promise.tryComplete(value);
            }
        };
        if (context != null) {
            context.runOnContext(v -> done.run());
        } else {
            done.run();
        }
    }

    private static StorageException unavailable(StatusRuntimeException e) {
        if (e.getStatus().getCode() == io.grpc.Status.Code.OUT_OF_RANGE
                && String.valueOf(e.getStatus().getDescription()).endsWith(COMPACTED)) {
            return new StorageException(StorageException.Reason.TOO_OLD_RESOURCE_VERSION, null, "etcd: " + COMPACTED);
        }
        return new StorageException(
                StorageException.Reason.UNAVAILABLE,
                null,
                "etcd: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
    }

    private static <R> StreamObserver<R> observer(Consumer<R> onValue, Consumer<Throwable> onError) {
        return new StreamObserver<>() {
            @Override
            public void onNext(R value) {
                onValue.accept(value);
            }

            @Override
            public void onError(Throwable t) {
                onError.accept(t);
            }

            @Override
            public void onCompleted() {}
        };
    }

    /** The object exists and, when a resourceVersion is expected, was last written at that revision. */
    private static Compare precondition(String key, String expectedResourceVersion) {
        Compare.Builder c = Compare.newBuilder().setKey(bytes(key));
        if (expectedResourceVersion == null || expectedResourceVersion.isEmpty()) {
            return c.setTarget(Compare.CompareTarget.VERSION)
                    .setResult(Compare.CompareResult.GREATER)
                    .setVersion(0)
                    .build();
        }
        long revision;
        try {
            revision = Long.parseLong(expectedResourceVersion);
        } catch (NumberFormatException e) {
            revision = -1; // matches no key: answered as a conflict, as a mismatching string is in memory
        }
        return c.setTarget(Compare.CompareTarget.MOD)
                .setResult(Compare.CompareResult.EQUAL)
                .setModRevision(revision)
                .build();
    }

    private static StorageException failedPrecondition(ObjectKey key, TxnResponse r, String expected) {
        RangeResponse current = r.getResponses(0).getResponseRange();
        if (current.getKvsCount() == 0) {
            return notFound(key);
        }
        return new StorageException(
                StorageException.Reason.CONFLICT,
                key,
                "resourceVersion " + expected + " does not match stored "
                        + current.getKvs(0).getModRevision());
    }

    private static RequestOp put(String key, byte[] value) {
        return RequestOp.newBuilder()
                .setRequestPut(PutRequest.newBuilder().setKey(bytes(key)).setValue(ByteString.copyFrom(value)))
                .build();
    }

    private static ObjectNode stamp(ObjectNode object, long revision) {
        ObjectNode metadata = object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
        metadata.put("resourceVersion", Long.toString(revision));
        return object;
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static StorageException notFound(ObjectKey key) {
        return new StorageException(StorageException.Reason.NOT_FOUND, key, "key not found: " + key);
    }
}

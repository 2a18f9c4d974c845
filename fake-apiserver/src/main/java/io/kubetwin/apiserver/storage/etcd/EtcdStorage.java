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

    private final Channel channel;
    private final RegistryKeys keys;
    private final StoredValues values;
    private final WatchCache cache;
    private final Future<Void> ready;
    private final Runnable onClose;

    private EtcdStorage(Channel channel, RegistryKeys keys, StoredValues values, Runnable onClose) {
        this.channel = channel;
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
     * @param protobuf decodes values kube-apiserver wrote in its protobuf encoding (a JSON object with
     *     apiVersion and kind); throws when it cannot
     * @param onClose releases the channel (and an embedded server) when this store closes
     */
    public static EtcdStorage open(
            Channel channel,
            RegistryKeys keys,
            Function<ResourceKey, ValueTransformer> transformers,
            Function<byte[], ObjectNode> protobuf,
            Runnable onClose) {
        return new EtcdStorage(channel, keys, new StoredValues(transformers, protobuf), onClose);
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
        String prefix = namespace == null ? keys.resourcePrefix(resource) : keys.namespacePrefix(resource, namespace);
        String resourcePrefix = keys.resourcePrefix(resource);
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        RangeRequest request = RangeRequest.newBuilder()
                .setKey(ByteString.copyFrom(p))
                .setRangeEnd(ByteString.copyFrom(prefixEnd(p)))
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
            return new ListResult(
                    entries.stream().map(Entry::object).toList(), r.getHeader().getRevision());
        });
    }

    private record Entry(ObjectKey key, ObjectNode object) {}

    @Override
    public Future<ObjectNode> create(ObjectKey key, ObjectNode object) {
        Objects.requireNonNull(object, "object");
        String k = keys.key(key);
        TxnRequest txn = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder()
                        .setKey(bytes(k))
                        .setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.EQUAL)
                        .setCreateRevision(0))
                .addSuccess(put(k, values.encode(key.resourceKey(), object, k)))
                .build();
        return write(txn, r -> {
            if (!r.getSucceeded()) {
                throw new StorageException(StorageException.Reason.ALREADY_EXISTS, key, "key exists: " + k);
            }
            return stamp(object.deepCopy(), r.getHeader().getRevision());
        });
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
        return ready.map(
                v -> cache.watch(resource, keys.resourcePrefix(resource), namespace, sinceResourceVersion, listener));
    }

    /** The revision up to which this server has seen the store's changes (the watch cache's resourceVersion). */
    @Override
    public long currentResourceVersion() {
        return cache.delivered();
    }

    @Override
    public void close() {
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
                                                ? cache.awaitDelivered(
                                                        r.getHeader().getRevision())
                                                : CompletableFuture.completedFuture(null);
                                        seen.whenComplete((v, e) -> complete(context, promise, value, null));
                                    },
                                    e -> complete(context, promise, null, e)));
        });
        return promise.future();
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

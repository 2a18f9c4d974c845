package io.kubetwin.bench.store;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * One operation at one client count against one store: {@code concurrency} clients, each on its own connection,
 * each sending its next request when the last is answered; a warm-up that is not recorded, then the measured
 * phase, bounded in time and requests.
 *
 * <ul>
 *   <li>{@code put}: a Put of a {@code valueBytes} value to one of 1,000 keys of the client's own;
 *   <li>{@code range}: a linearizable Range of one key out of 1,000 written before (what kube-apiserver's GET
 *       sends);
 *   <li>{@code watch}: each client watches a key of its own and Puts it; the latency is from sending the Put to the
 *       watch event's arrival, the throughput is events received per second.
 * </ul>
 */
final class StoreLoad {
    private static final long TIMEOUT_SECONDS = 10;

    record Result(double perSecond, Histogram latencyMicros, long errors, String firstError) {}

    private StoreLoad() {}

    static void seed(URI url, StorePki pki, ByteString value) {
        ManagedChannel channel = pki.channel(url);
        try {
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
            for (int i = 0; i < 1000; i++) {
                kv.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .put(PutRequest.newBuilder()
                                .setKey(ByteString.copyFromUtf8("/bench/range/" + i))
                                .setValue(value)
                                .build());
            }
        } finally {
            channel.shutdownNow();
        }
    }

    static Result run(
            String operation, URI url, StorePki pki, int concurrency, StoreBenchOptions options, ByteString value)
            throws InterruptedException {
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            channels.add(pki.channel(url));
        }
        long start = System.nanoTime();
        long measureFrom = start + options.warmup().toNanos();
        long end = measureFrom + options.measure().toNanos();
        AtomicLong budget = new AtomicLong(options.maxRequests());
        Histogram all = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong errors = new AtomicLong();
        AtomicLong lastAnswer = new AtomicLong(measureFrom);
        String[] firstError = new String[1];
        List<Thread> threads = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(concurrency);
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            Thread t = new Thread(
                    () -> {
                        Histogram mine = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
                        try {
                            Client client = client(operation, channels.get(worker), worker, value, ready);
                            while (true) {
                                long now = System.nanoTime();
                                if (now >= end || now >= measureFrom && budget.decrementAndGet() < 0) {
                                    break;
                                }
                                long t0 = System.nanoTime();
                                try {
                                    client.call();
                                    long t1 = System.nanoTime();
                                    if (t0 >= measureFrom) {
                                        mine.recordValue(Math.max(1, (t1 - t0) / 1000));
                                        lastAnswer.accumulateAndGet(t1, Math::max);
                                    }
                                } catch (RuntimeException e) {
                                    if (t0 >= measureFrom) {
                                        errors.incrementAndGet();
                                    }
                                    synchronized (firstError) {
                                        if (firstError[0] == null) {
                                            firstError[0] = e.toString();
                                        }
                                    }
                                }
                            }
                            client.close();
                        } catch (RuntimeException | InterruptedException e) {
                            synchronized (firstError) {
                                if (firstError[0] == null) {
                                    firstError[0] = e.toString();
                                }
                            }
                        } finally {
                            synchronized (all) {
                                all.add(mine);
                            }
                        }
                    },
                    "store-bench-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(options.warmup().plus(options.measure()).toMillis() + 60_000);
        }
        channels.forEach(ManagedChannel::shutdownNow);
        double seconds = Math.max(1e-9, (lastAnswer.get() - measureFrom) / 1e9);
        return new Result(all.getTotalCount() / seconds, all, errors.get(), firstError[0]);
    }

    private interface Client {
        void call() throws InterruptedException;

        default void close() {}
    }

    private static Client client(
            String operation, ManagedChannel channel, int worker, ByteString value, CountDownLatch ready)
            throws InterruptedException {
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
        return switch (operation) {
            case "put" ->
                () -> kv.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .put(PutRequest.newBuilder()
                                .setKey(ByteString.copyFromUtf8("/bench/put/" + worker + "/"
                                        + ThreadLocalRandom.current().nextInt(1000)))
                                .setValue(value)
                                .build());
            case "range" ->
                () -> kv.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .range(RangeRequest.newBuilder()
                                .setKey(ByteString.copyFromUtf8("/bench/range/"
                                        + ThreadLocalRandom.current().nextInt(1000)))
                                .build());
            case "watch" -> watchClient(channel, kv, worker, value);
            default -> throw new IllegalArgumentException(operation);
        };
    }

    /** A watch on the client's own key; each call Puts the key and waits for the watch to report it. */
    private static Client watchClient(ManagedChannel channel, KVGrpc.KVBlockingStub kv, int worker, ByteString value)
            throws InterruptedException {
        ByteString key = ByteString.copyFromUtf8("/bench/watch/" + worker);
        BlockingQueue<Integer> events = new LinkedBlockingQueue<>();
        CompletableFuture<Void> created = new CompletableFuture<>();
        StreamObserver<WatchRequest> stream = WatchGrpc.newStub(channel).watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse r) {
                if (r.getCreated()) {
                    created.complete(null);
                }
                if (r.getEventsCount() > 0) {
                    events.add(r.getEventsCount());
                }
            }

            @Override
            public void onError(Throwable t) {
                created.completeExceptionally(t);
                events.add(-1);
            }

            @Override
            public void onCompleted() {
                events.add(-1);
            }
        });
        stream.onNext(WatchRequest.newBuilder()
                .setCreateRequest(WatchCreateRequest.newBuilder().setKey(key))
                .build());
        try {
            created.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("watch not created: " + e, e);
        }
        return new Client() {
            @Override
            public void call() throws InterruptedException {
                kv.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .put(PutRequest.newBuilder().setKey(key).setValue(value).build());
                Integer n = events.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (n == null || n < 0) {
                    throw new IllegalStateException("no watch event for the put");
                }
            }

            @Override
            public void close() {
                stream.onCompleted();
            }
        };
    }
}

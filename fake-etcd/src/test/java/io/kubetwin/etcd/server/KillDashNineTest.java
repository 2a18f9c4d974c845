package io.kubetwin.etcd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fake etcd as its own process (the Main class of the jar, on this test's class path), killed with SIGKILL
 * during a bounded burst of writes from two clients, then from sixteen (so that many writes share each group commit):
 * after a restart on the same data dir every acknowledged write is there at its acknowledged revision, and what is
 * there is whole: every value complete, both keys of a transaction or neither, no revision missing or doubled.
 */
class KillDashNineTest {
    private static final int ACKS_BEFORE_KILL = 150;
    private static final int MAX_WRITES_PER_CLIENT = 2000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} clients")
    @ValueSource(ints = {2, 16})
    void everyAcknowledgedWriteSurvivesKillDashNine(int clients) throws Exception {
        int port = freePort();
        Path data = dir.resolve("data");
        Process etcd = start(data, port, dir.resolve("run1.log"));
        Map<String, Long> acked = new ConcurrentHashMap<>();
        AtomicInteger ackCount = new AtomicInteger();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        ManagedChannel ch = channel(port);
        // the first call connects and warms the server up; the burst starts after it
        KVGrpc.newBlockingStub(ch)
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .range(RangeRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8("warm-up"))
                        .build());
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < clients; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                var kv = KVGrpc.newBlockingStub(ch);
                for (int i = 0; i < MAX_WRITES_PER_CLIENT; i++) {
                    String key = "burst/" + writer + "/" + i;
                    try {
                        // every third write is a transaction of two keys: one revision, both kept or neither
                        List<String> keys = i % 3 == 2 ? List.of(key + "/a", key + "/b") : List.of(key);
                        TxnRequest.Builder txn = TxnRequest.newBuilder();
                        keys.forEach(k -> txn.addSuccess(RequestOp.newBuilder().setRequestPut(put(k))));
                        long rev = keys.size() == 1
                                ? kv.withDeadlineAfter(5, TimeUnit.SECONDS)
                                        .put(put(key))
                                        .getHeader()
                                        .getRevision()
                                : kv.withDeadlineAfter(5, TimeUnit.SECONDS)
                                        .txn(txn.build())
                                        .getHeader()
                                        .getRevision();
                        keys.forEach(k -> acked.put(k, rev));
                        ackCount.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                        return; // the server is gone
                    }
                }
            });
            writers.add(t);
            t.start();
        }
        while (ackCount.get() < ACKS_BEFORE_KILL && writers.stream().anyMatch(Thread::isAlive)) {
            Thread.sleep(5);
        }
        etcd.destroyForcibly(); // SIGKILL: no shutdown hook, no checkpoint
        etcd.waitFor(10, TimeUnit.SECONDS);
        for (Thread t : writers) {
            t.join(30_000);
        }
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        assertTrue(acked.size() >= ACKS_BEFORE_KILL, "acknowledged writes: " + acked.size() + " " + failures);
        assertTrue(ackCount.get() < clients * MAX_WRITES_PER_CLIENT, "the kill came after the burst had ended");

        Process again = start(data, port, dir.resolve("run2.log"));
        ManagedChannel ch2 = channel(port);
        try {
            var all = KVGrpc.newBlockingStub(ch2)
                    .range(RangeRequest.newBuilder()
                            .setKey(ByteString.copyFromUtf8("burst/"))
                            .setRangeEnd(ByteString.copyFromUtf8("burst0"))
                            .build());
            Map<String, KeyValue> stored = new java.util.HashMap<>();
            for (KeyValue kv : all.getKvsList()) {
                stored.put(kv.getKey().toStringUtf8(), kv);
            }
            for (var e : acked.entrySet()) {
                KeyValue kv = stored.get(e.getKey());
                assertTrue(kv != null, "acknowledged write lost: " + e.getKey());
                assertEquals(e.getValue(), kv.getModRevision(), e.getKey());
            }
            for (KeyValue kv : stored.values()) {
                // nothing half-written: every stored write is whole (a write may be durable though its answer was lost)
                assertEquals(
                        "value-of-" + kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8());
            }
            for (KeyValue kv : stored.values()) {
                String key = kv.getKey().toStringUtf8();
                if (key.endsWith("/a") || key.endsWith("/b")) {
                    String other = key.substring(0, key.length() - 1) + (key.endsWith("/a") ? "b" : "a");
                    assertTrue(stored.containsKey(other), "half a transaction kept: " + key + " without " + other);
                    assertEquals(kv.getModRevision(), stored.get(other).getModRevision(), key);
                }
            }
            // one revision per write, none missing: the store's revision counts exactly the writes kept
            List<Long> revisions = stored.values().stream()
                    .map(KeyValue::getModRevision)
                    .distinct()
                    .sorted()
                    .toList();
            assertEquals(1 + revisions.size(), all.getHeader().getRevision(), revisions.toString());
        } finally {
            ch2.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            again.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static PutRequest put(String key) {
        return PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8("value-of-" + key))
                .build();
    }

    private static ManagedChannel channel(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    private static Process start(Path data, int port, Path log) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String url = "http://127.0.0.1:" + port;
        Process p = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "--data-dir",
                        data.toString(),
                        "--listen-client-urls",
                        url,
                        "--advertise-client-urls",
                        url,
                        "--listen-peer-urls",
                        "http://127.0.0.1:" + freePort())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("fake etcd exited: " + Files.readString(log));
            }
            if (Files.readString(log).contains("ready to serve client requests")) {
                return p;
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new IllegalStateException("fake etcd did not start: " + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

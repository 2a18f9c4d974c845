package io.kubetwin.etcd.etcdctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.WatchCancelRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchProgressRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.kubetwin.etcd.server.EtcdFlags;
import io.kubetwin.etcd.server.FakeEtcd;
import io.kubetwin.etcd.server.ZapLog;
import io.kubetwin.reference.EtcdProcess;
import io.kubetwin.reference.ReferenceBinaries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw gRPC requests etcdctl does not make (watch history, progress requests, watch ids, lease compares, nested
 * transactions, error statuses), sent to the fake and to the real etcd v3.6.4 on the same ports one after the
 * other: the answers, printed with their unknown (newer) fields, are the same. Skips without the reference etcd.
 */
class RawGrpcComparisonTest {
    @TempDir
    Path dir;

    @Test
    void theFakeAnswersRawRequestsAsEtcdDoes() throws Exception {
        ReferenceBinaries.Located reference = ReferenceBinaries.locate();
        assumeTrue(reference.binaries() != null, reference.reason());
        Path etcdBin = reference.binaries().etcd();
        int client = freePort();
        int peer = freePort();
        List<String> fake;
        ZapLog quiet = new ZapLog(new PrintStream(new ByteArrayOutputStream()));
        try (FakeEtcd etcd = FakeEtcd.start(
                EtcdFlags.parse(flags(dir.resolve("fake"), client, peer).toArray(String[]::new))
                        .toConfig(quiet),
                quiet)) {
            fake = script(client);
        }
        List<String> real;
        try (EtcdProcess etcd = EtcdProcess.start(
                EtcdctlConformanceTest.command(etcdBin, flags(dir.resolve("real"), client, peer)),
                "https://127.0.0.1:" + client,
                client,
                dir.resolve("real.log"),
                Duration.ofSeconds(30))) {
            real = script(client);
        }
        java.nio.file.Files.writeString(
                Path.of("target", "raw-grpc-comparison.txt"), "etcd v3.6.4:\n" + String.join("\n", real) + "\n");
        assertEquals(String.join("\n", real), String.join("\n", fake));
    }

    private static List<String> flags(Path data, int client, int peer) {
        String c = "http://127.0.0.1:" + client;
        String p = "http://127.0.0.1:" + peer;
        return List.of(
                "--data-dir", data.toString(),
                "--listen-client-urls", c,
                "--advertise-client-urls", c,
                "--listen-peer-urls", p,
                "--initial-advertise-peer-urls", p,
                "--initial-cluster", "default=" + p);
    }

    private static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static String text(Message m) {
        return TextFormat.printer().shortDebugString(m);
    }

    private static String call(Supplier<? extends Message> c) {
        try {
            return text(c.get());
        } catch (StatusRuntimeException e) {
            return "ERROR " + e.getStatus().getCode() + ": " + e.getStatus().getDescription();
        }
    }

    private static UnknownFieldSet varint(int field, long value) {
        return UnknownFieldSet.newBuilder()
                .addField(
                        field,
                        UnknownFieldSet.Field.newBuilder().addVarint(value).build())
                .build();
    }

    private List<String> script(int port) throws Exception {
        ManagedChannel ch =
                NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        List<String> out = new ArrayList<>();
        try {
            var kv = KVGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
            for (String[] p : new String[][] {{"a", "1"}, {"a", "2"}, {"b", "1"}, {"c/x", "3"}}) {
                out.add(call(() -> kv.put(PutRequest.newBuilder()
                        .setKey(b(p[0]))
                        .setValue(b(p[1]))
                        .build())));
            }
            RangeRequest all =
                    RangeRequest.newBuilder().setKey(b("a")).setRangeEnd(b("d")).build();
            out.add(call(() -> kv.range(all.toBuilder().setLimit(2).build())));
            out.add(call(() -> kv.range(all.toBuilder()
                    .setSortOrder(RangeRequest.SortOrder.DESCEND)
                    .setSortTarget(RangeRequest.SortTarget.MOD)
                    .setLimit(2)
                    .setKeysOnly(true)
                    .build())));
            out.add(call(() ->
                    kv.range(all.toBuilder().setCountOnly(true).setRevision(3).build())));
            out.add(call(() -> kv.range(all.toBuilder().setMinModRevision(4).build())));
            out.add(call(() -> kv.range(RangeRequest.getDefaultInstance())));
            out.add(call(() -> kv.put(PutRequest.newBuilder()
                    .setKey(b("nope"))
                    .setIgnoreValue(true)
                    .build())));
            Compare leaseIsZero = Compare.newBuilder()
                    .setKey(b("a"))
                    .setTargetValue(4)
                    .setUnknownFields(varint(8, 0))
                    .build();
            out.add(call(() -> kv.txn(TxnRequest.newBuilder()
                    .addCompare(leaseIsZero)
                    .addSuccess(RequestOp.newBuilder()
                            .setRequestTxn(TxnRequest.newBuilder()
                                    .addCompare(Compare.newBuilder()
                                            .setKey(b("b"))
                                            .setTarget(Compare.CompareTarget.VERSION)
                                            .setResult(Compare.CompareResult.GREATER)
                                            .setVersion(5))
                                    .addFailure(RequestOp.newBuilder()
                                            .setRequestPut(PutRequest.newBuilder()
                                                    .setKey(b("b"))
                                                    .setValue(b("2"))))
                                    .addFailure(RequestOp.newBuilder()
                                            .setRequestRange(
                                                    RangeRequest.newBuilder().setKey(b("b"))))))
                    .addSuccess(RequestOp.newBuilder()
                            .setRequestRange(RangeRequest.newBuilder().setKey(b("a"))))
                    .build())));
            out.add(call(() -> kv.txn(TxnRequest.newBuilder()
                    .addSuccess(RequestOp.newBuilder()
                            .setRequestPut(PutRequest.newBuilder().setKey(b("d"))))
                    .addSuccess(RequestOp.newBuilder()
                            .setRequestPut(PutRequest.newBuilder().setKey(b("d"))))
                    .build())));
            out.add(call(() -> LeaseGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .leaseTimeToLive(
                            LeaseTimeToLiveRequest.newBuilder().setID(42).build())));

            LinkedBlockingQueue<WatchResponse> got = new LinkedBlockingQueue<>();
            StreamObserver<WatchRequest> watch = WatchGrpc.newStub(ch).watch(new StreamObserver<>() {
                @Override
                public void onNext(WatchResponse r) {
                    got.add(r);
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {}
            });
            watch.onNext(WatchRequest.newBuilder()
                    .setCreateRequest(WatchCreateRequest.newBuilder()
                            .setKey(b("a"))
                            .setStartRevision(2)
                            .setPrevKv(true))
                    .build());
            take(got, 2, out);
            watch.onNext(WatchRequest.newBuilder()
                    .setProgressRequest(WatchProgressRequest.getDefaultInstance())
                    .build());
            take(got, 1, out);
            watch.onNext(WatchRequest.newBuilder()
                    .setCreateRequest(WatchCreateRequest.newBuilder()
                            .setKey(b("c/"))
                            .setRangeEnd(b("c0"))
                            .setUnknownFields(varint(7, 7)))
                    .build());
            take(got, 1, out);
            watch.onNext(WatchRequest.newBuilder()
                    .setCreateRequest(
                            WatchCreateRequest.newBuilder().setKey(b("x")).setUnknownFields(varint(7, 7)))
                    .build());
            take(got, 1, out);
            watch.onNext(WatchRequest.newBuilder()
                    .setCreateRequest(
                            WatchCreateRequest.newBuilder().setKey(b("z")).setRangeEnd(b("a")))
                    .build());
            take(got, 1, out);
            out.add(call(() -> kv.put(
                    PutRequest.newBuilder().setKey(b("c/y")).setValue(b("4")).build())));
            take(got, 1, out);
            watch.onNext(WatchRequest.newBuilder()
                    .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(7))
                    .build());
            take(got, 1, out);
            out.add(call(() ->
                    kv.compact(CompactionRequest.newBuilder().setRevision(4).build())));
            out.add(call(() -> kv.range(all.toBuilder().setRevision(3).build())));
            watch.onNext(WatchRequest.newBuilder()
                    .setCreateRequest(
                            WatchCreateRequest.newBuilder().setKey(b("a")).setStartRevision(2))
                    .build());
            take(got, 2, out);
            watch.onCompleted();
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        return out;
    }

    private static void take(LinkedBlockingQueue<WatchResponse> got, int n, List<String> out)
            throws InterruptedException {
        for (int i = 0; i < n; i++) {
            WatchResponse r = got.poll(15, TimeUnit.SECONDS);
            out.add(r == null ? "no watch response" : "watch " + text(r));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

package io.kubetwin.etcd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --auto-tls: a certificate generated into the data dir, reused, and --client-cert-auth dropped as etcd drops it. */
class AutoTlsTest {
    @TempDir
    Path dir;

    @Test
    void autoTlsServesTlsWithAGeneratedCertificateAndNoClientCertificate() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ZapLog log = new ZapLog(new PrintStream(out, true, StandardCharsets.UTF_8));
        String[] args = {
            "--data-dir", dir.toString(),
            "--auto-tls", "--client-cert-auth",
            "--listen-client-urls", "https://127.0.0.1:0",
            "--advertise-client-urls", "https://127.0.0.1:0",
            "--listen-peer-urls", "http://127.0.0.1:0"
        };
        Path cert = dir.resolve("fixtures").resolve("client").resolve("cert.pem");
        try (FakeEtcd etcd = FakeEtcd.start(EtcdFlags.parse(args).toConfig(log), log)) {
            assertTrue(Files.exists(cert));
            assertTrue(Files.exists(dir.resolve("fixtures").resolve("client").resolve("key.pem")));
            URI url = etcd.clientUrls().get(0);
            // as etcdctl --insecure-skip-tls-verify, and without a client certificate
            ManagedChannel ch = NettyChannelBuilder.forAddress(url.getHost(), url.getPort())
                    .sslContext(GrpcSslContexts.forClient()
                            .trustManager(InsecureTrustManagerFactory.INSTANCE)
                            .build())
                    .build();
            try {
                var resp = KVGrpc.newBlockingStub(ch)
                        .range(RangeRequest.newBuilder()
                                .setKey(ByteString.copyFromUtf8("a"))
                                .build());
                assertEquals(1, resp.getHeader().getRevision());
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"msg\":\"automatically generate certificates\""));
        String first = Files.readString(cert);
        try (FakeEtcd again = FakeEtcd.start(EtcdFlags.parse(args).toConfig(log), log)) {
            assertEquals(first, Files.readString(cert)); // reused, not regenerated
        }
    }
}

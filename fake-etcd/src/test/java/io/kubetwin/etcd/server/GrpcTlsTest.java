package io.kubetwin.etcd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.ClientCalls;
import io.kubetwin.etcd.mvcc.StoreOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fake etcd over real TLS sockets: etcd's client and peer certificate rules, status codes and texts. */
class GrpcTlsTest {
    @TempDir
    static Path dir;

    static TestCerts certs;
    static FakeEtcd etcd;

    @BeforeAll
    static void start() {
        certs = TestCerts.create(dir);
        EtcdConfig config = EtcdConfig.inMemory(
                        URI.create("https://127.0.0.1:0"),
                        URI.create("https://127.0.0.1:0"),
                        certs.serverTls(true),
                        certs.serverTls(true))
                .withStoreOptions(StoreOptions.defaults().withMaxRequestBytes(4096));
        etcd = FakeEtcd.start(config, new ZapLog(new PrintStream(new ByteArrayOutputStream())));
    }

    @AfterAll
    static void stop() {
        etcd.close();
    }

    private static ManagedChannel channel(Path crt, Path key) throws Exception {
        SslContextBuilder tls =
                GrpcSslContexts.forClient().trustManager(certs.ca().toFile());
        if (crt != null) {
            tls.keyManager(crt.toFile(), key.toFile());
        }
        URI url = etcd.clientUrls().get(0);
        return NettyChannelBuilder.forAddress(url.getHost(), url.getPort())
                .sslContext(tls.build())
                .build();
    }

    private static <T> T closing(ManagedChannel ch, java.util.function.Function<ManagedChannel, T> call)
            throws InterruptedException {
        try {
            return call.apply(ch);
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientWithTheCaSignedCertificateReadsAndWrites() throws Exception {
        closing(channel(certs.clientCrt(), certs.clientKey()), ch -> {
            var kv = KVGrpc.newBlockingStub(ch);
            var put = kv.put(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("tls"))
                    .setValue(ByteString.copyFromUtf8("ok"))
                    .build());
            assertEquals(etcd.store().memberId(), put.getHeader().getMemberId());
            var got = kv.range(RangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("tls"))
                    .build());
            assertEquals("ok", got.getKvs(0).getValue().toStringUtf8());
            return null;
        });
    }

    @Test
    void withoutACertificateOrWithAnotherCasTheHandshakeFails() throws Exception {
        for (Path[] cred : List.of(new Path[] {null, null}, new Path[] {certs.otherCrt(), certs.otherKey()})) {
            StatusRuntimeException e = closing(
                    channel(cred[0], cred[1]),
                    ch -> assertThrows(
                            StatusRuntimeException.class,
                            () -> KVGrpc.newBlockingStub(ch)
                                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                                    .range(RangeRequest.newBuilder()
                                            .setKey(ByteString.copyFromUtf8("a"))
                                            .build())));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
        }
    }

    /**
     * The TLS alert a refused client receives, as etcd v3.6.4 sends it (Go's crypto/tls; recorded with etcdctl:
     * "remote error: tls: certificate required" and "remote error: tls: unknown certificate authority").
     */
    @Test
    void theHandshakeFailsWithGosAlerts() throws Exception {
        assertEquals("certificate_required", alert(null));
        assertEquals("unknown_ca", alert(io.kubetwin.pki.Credential.load(certs.otherCrt(), certs.otherKey())));
        io.kubetwin.pki.CertificateAuthority ca = io.kubetwin.pki.CertificateAuthority.load(
                certs.ca(), certs.dir().resolve("ca.key"));
        java.time.Instant now = java.time.Instant.now();
        var expired = ca.issue(io.kubetwin.pki.CertificateSpec.client("late")
                .keyType(io.kubetwin.pki.KeyType.EC_P256)
                .notBefore(now.minus(java.time.Duration.ofDays(2)))
                .notAfter(now.minus(java.time.Duration.ofDays(1)))
                .build());
        assertEquals("certificate_expired", alert(expired));
    }

    private static String alert(io.kubetwin.pki.Credential credential) throws Exception {
        SSLContext ctx =
                io.kubetwin.pki.KeyStores.clientContext(io.kubetwin.pki.Pem.readCertificates(certs.ca()), credential);
        URI url = etcd.clientUrls().get(0);
        try (javax.net.ssl.SSLSocket socket =
                (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            javax.net.ssl.SSLParameters p = socket.getSSLParameters();
            p.setApplicationProtocols(new String[] {"h2"});
            socket.setSSLParameters(p);
            // TLS 1.3: the client finishes first; the server checks the certificate, then alerts and closes
            javax.net.ssl.SSLException e = assertThrows(javax.net.ssl.SSLException.class, () -> {
                socket.startHandshake();
                socket.getInputStream().read();
            });
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Received fatal alert: (\\w+)")
                    .matcher(e.getMessage());
            return m.find() ? m.group(1) : e.getMessage();
        }
    }

    @Test
    void etcdsStatusCodesAndTexts() throws Exception {
        closing(channel(certs.clientCrt(), certs.clientKey()), ch -> {
            var kv = KVGrpc.newBlockingStub(ch);
            StatusRuntimeException empty =
                    assertThrows(StatusRuntimeException.class, () -> kv.range(RangeRequest.getDefaultInstance()));
            assertEquals(Status.Code.INVALID_ARGUMENT, empty.getStatus().getCode());
            assertEquals("etcdserver: key is not provided", empty.getStatus().getDescription());

            StatusRuntimeException tooLarge = assertThrows(
                    StatusRuntimeException.class,
                    () -> kv.put(PutRequest.newBuilder()
                            .setKey(ByteString.copyFromUtf8("big"))
                            .setValue(ByteString.copyFromUtf8("x".repeat(5000)))
                            .build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, tooLarge.getStatus().getCode());
            assertEquals(
                    "etcdserver: request is too large", tooLarge.getStatus().getDescription());

            // beyond --max-request-bytes plus gRPC's overhead allowance, gRPC itself refuses the message
            StatusRuntimeException huge = assertThrows(
                    StatusRuntimeException.class,
                    () -> kv.put(PutRequest.newBuilder()
                            .setKey(ByteString.copyFromUtf8("huge"))
                            .setValue(ByteString.copyFrom(new byte[600 * 1024]))
                            .build()));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, huge.getStatus().getCode());

            StatusRuntimeException lease = assertThrows(
                    StatusRuntimeException.class,
                    () -> LeaseGrpc.newBlockingStub(ch)
                            .leaseRevoke(io.etcd.jetcd.api.LeaseRevokeRequest.newBuilder()
                                    .setID(12345)
                                    .build()));
            assertEquals(Status.Code.NOT_FOUND, lease.getStatus().getCode());
            assertEquals(
                    "etcdserver: requested lease not found", lease.getStatus().getDescription());
            return null;
        });
    }

    @Test
    void leaseLeasesAndTheNewerStatusFields() throws Exception {
        closing(channel(certs.clientCrt(), certs.clientKey()), ch -> {
            long id = LeaseGrpc.newBlockingStub(ch)
                    .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(30).build())
                    .getID();
            Empty leases = ClientCalls.blockingUnaryCall(
                    ch,
                    io.kubetwin.etcd.grpc.LeaseServiceAccess.leaseLeases(),
                    CallOptions.DEFAULT,
                    Empty.getDefaultInstance());
            var statuses = leases.getUnknownFields().getField(2).getLengthDelimitedList();
            assertTrue(statuses.stream().anyMatch(s -> {
                try {
                    return com.google.protobuf.UnknownFieldSet.parseFrom(s)
                                    .getField(1)
                                    .getVarintList()
                                    .get(0)
                            == id;
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    return false;
                }
            }));
            StatusResponse status = MaintenanceGrpc.newBlockingStub(ch).status(StatusRequest.getDefaultInstance());
            assertEquals("3.6.4", status.getVersion());
            assertEquals(etcd.store().memberId(), status.getLeader());
            assertEquals(
                    "3.6.0",
                    status.getUnknownFields()
                            .getField(11)
                            .getLengthDelimitedList()
                            .get(0)
                            .toStringUtf8());
            return null;
        });
    }

    @Test
    void thePeerListenerRequiresAPeerCertificate() throws Exception {
        URI version = URI.create("https://127.0.0.1:" + etcd.peerPorts().get(0) + "/version");
        SSLContext withCert = io.kubetwin.pki.KeyStores.clientContext(
                io.kubetwin.pki.Pem.readCertificates(certs.ca()),
                io.kubetwin.pki.Credential.load(certs.serverCrt(), certs.serverKey()));
        HttpResponse<String> ok = HttpClient.newBuilder()
                .sslContext(withCert)
                .build()
                .send(HttpRequest.newBuilder(version).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode());
        assertEquals("{\"etcdserver\":\"3.6.4\",\"etcdcluster\":\"3.6.0\"}", ok.body());

        SSLContext noCert =
                io.kubetwin.pki.KeyStores.clientContext(io.kubetwin.pki.Pem.readCertificates(certs.ca()), null);
        assertThrows(
                java.io.IOException.class,
                () -> HttpClient.newBuilder()
                        .sslContext(noCert)
                        .build()
                        .send(HttpRequest.newBuilder(version).build(), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void httpsWithoutCertificatesIsRefusedWithEtcdsText() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> FakeEtcd.start(
                        EtcdConfig.inMemory(
                                URI.create("https://127.0.0.1:0"),
                                URI.create("http://127.0.0.1:0"),
                                TlsInfo.NONE,
                                TlsInfo.NONE),
                        new ZapLog(new PrintStream(new ByteArrayOutputStream()))));
        assertEquals(
                "TLS key/cert (--cert-file, --key-file) must be provided for client url https://127.0.0.1:0 with HTTPS scheme",
                e.getMessage());
        ConfigException peer = assertThrows(
                ConfigException.class,
                () -> FakeEtcd.start(
                        EtcdConfig.inMemory(
                                URI.create("http://127.0.0.1:0"),
                                URI.create("https://127.0.0.1:0"),
                                TlsInfo.NONE,
                                TlsInfo.NONE),
                        new ZapLog(new PrintStream(new ByteArrayOutputStream()))));
        assertEquals("cannot listen on TLS for 127.0.0.1:0: KeyFile and CertFile are not presented", peer.getMessage());
    }

    @Test
    void plainHttpIsServedWhereEtcdAllowsItWithItsWarnings() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FakeEtcd plain = FakeEtcd.start(
                EtcdConfig.inMemory(
                        URI.create("http://127.0.0.1:0"),
                        URI.create("http://127.0.0.1:0"),
                        certs.serverTls(true),
                        TlsInfo.NONE),
                new ZapLog(new PrintStream(out, true)))) {
            URI url = plain.clientUrls().get(0);
            ManagedChannel ch = NettyChannelBuilder.forAddress(url.getHost(), url.getPort())
                    .usePlaintext()
                    .build();
            closing(
                    ch,
                    c -> KVGrpc.newBlockingStub(c)
                            .range(RangeRequest.newBuilder()
                                    .setKey(ByteString.copyFromUtf8("a"))
                                    .build()));
        }
        String log = out.toString();
        assertTrue(
                log.contains(
                        "\"msg\":\"scheme is http or unix while key and cert files are present; ignoring key and cert files\",\"client-url\":\"http://127.0.0.1:0\""),
                log);
        assertTrue(
                log.contains(
                        "\"msg\":\"scheme is http or unix while --client-cert-auth is enabled; ignoring client cert auth for this URL\""),
                log);
    }

    @Test
    void membersIdsAreEtcds() {
        // recorded from etcd v3.6.4 started with --initial-advertise-peer-urls http://127.0.0.1:23801
        long member = FakeEtcd.memberId(List.of(URI.create("http://127.0.0.1:23801")), "etcd-cluster");
        assertEquals("bdae9bbc11dd390d", Long.toHexString(member));
        assertEquals(Long.parseUnsignedLong("15118495548433857066"), FakeEtcd.clusterId(member));
    }
}

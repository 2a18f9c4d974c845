package io.kubetwin.etcd.server;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.kubetwin.etcd.grpc.ClusterService;
import io.kubetwin.etcd.grpc.KvService;
import io.kubetwin.etcd.grpc.LeaseService;
import io.kubetwin.etcd.grpc.MaintenanceService;
import io.kubetwin.etcd.grpc.MemberInfo;
import io.kubetwin.etcd.grpc.WatchService;
import io.kubetwin.etcd.mvcc.Backend;
import io.kubetwin.etcd.mvcc.EtcdStore;
import io.kubetwin.etcd.mvcc.SqliteBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running fake etcd member: the store, a gRPC server per client URL (TLS for https URLs, plain for http
 * ones, as etcd allows) and the peer listeners. Start it with {@link #start}; close it to stop. The order of
 * start-up checks and the warnings follow server/embed/etcd.go (configureClientListeners, configurePeerListeners).
 */
public final class FakeEtcd implements AutoCloseable {
    /** etcd's grpcOverheadBytes: gRPC accepts this much more than --max-request-bytes. */
    static final int GRPC_OVERHEAD_BYTES = 512 * 1024;

    private final EtcdConfig config;
    private final EtcdStore store;
    private final List<Server> servers = new ArrayList<>();
    private final List<PeerListener> peers = new ArrayList<>();
    private final List<URI> boundClientUrls = new ArrayList<>();

    private FakeEtcd(EtcdConfig config, EtcdStore store) {
        this.config = config;
        this.store = store;
    }

    /** Starts a member; throws {@link ConfigException} (kind START) with etcd's text when it cannot. */
    public static FakeEtcd start(EtcdConfig config, ZapLog log) {
        EtcdConfig c = autoTls(config, log);
        checkClientTls(c, log);
        checkPeerTls(c, log);
        long memberId = memberId(c.advertisePeerUrls(), c.initialClusterToken());
        Backend backend = c.dataDir() == null ? SqliteBackend.inMemory() : SqliteBackend.open(c.dataDir());
        EtcdStore store;
        try {
            store = EtcdStore.open(backend, c.storeOptions(), clusterId(memberId), memberId);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        FakeEtcd etcd = new FakeEtcd(c, store);
        try {
            for (URI u : c.listenPeerUrls()) {
                etcd.peers.add(PeerListener.start(u, c.peerTls()));
            }
            for (URI u : c.listenClientUrls()) {
                etcd.serveClients(u);
            }
        } catch (IOException | RuntimeException e) {
            etcd.close();
            if (e instanceof ConfigException ce) {
                throw ce;
            }
            throw new ConfigException(ConfigException.Kind.START, "listen tcp: " + e.getMessage());
        }
        log.info(
                "embed/serve.go",
                "serving client traffic",
                "address",
                etcd.boundClientUrls.toString(),
                "data-dir",
                String.valueOf(c.dataDir()));
        return etcd;
    }

    private static EtcdConfig autoTls(EtcdConfig c, ZapLog log) {
        TlsInfo client = c.clientTls();
        TlsInfo peer = c.peerTls();
        if (c.clientAutoTls()) {
            if (!client.empty()) {
                log.warn("embed/config.go", "ignoring client auto TLS since certs given");
            } else {
                java.nio.file.Path fixtures =
                        dataDirOrTemp(c).resolve("fixtures").resolve("client");
                if (!java.nio.file.Files.exists(fixtures.resolve("cert.pem"))) {
                    log.warn("transport/listener.go", "automatically generate certificates");
                }
                // etcd replaces the whole TLSInfo, so --client-cert-auth does not survive --auto-tls
                client = ServerTls.selfCert(fixtures, c.listenClientUrls(), c.selfSignedCertValidityYears());
            }
        }
        if (c.peerAutoTls()) {
            if (!peer.empty()) {
                log.warn("embed/config.go", "ignoring peer auto TLS since certs given");
            } else {
                java.nio.file.Path fixtures =
                        dataDirOrTemp(c).resolve("fixtures").resolve("peer");
                if (!java.nio.file.Files.exists(fixtures.resolve("cert.pem"))) {
                    log.warn("transport/listener.go", "automatically generate certificates");
                }
                peer = ServerTls.selfCert(fixtures, c.listenPeerUrls(), c.selfSignedCertValidityYears());
            }
        }
        return new EtcdConfig(
                c.name(),
                c.dataDir(),
                c.listenClientUrls(),
                c.advertiseClientUrls(),
                c.listenPeerUrls(),
                c.advertisePeerUrls(),
                c.initialClusterToken(),
                client,
                peer,
                c.clientAutoTls(),
                c.peerAutoTls(),
                c.selfSignedCertValidityYears(),
                c.storeOptions());
    }

    private static java.nio.file.Path dataDirOrTemp(EtcdConfig c) {
        if (c.dataDir() != null) {
            return c.dataDir();
        }
        try {
            return java.nio.file.Files.createTempDirectory("fake-etcd-autotls");
        } catch (IOException e) {
            throw new ConfigException(ConfigException.Kind.START, e.getMessage());
        }
    }

    private static void checkClientTls(EtcdConfig c, ZapLog log) {
        for (URI u : c.listenClientUrls()) {
            if ("http".equals(u.getScheme())) {
                if (!c.clientTls().empty()) {
                    log.warn(
                            "embed/etcd.go",
                            "scheme is http or unix while key and cert files are present; ignoring key and cert files",
                            "client-url",
                            u.toString());
                }
                if (c.clientTls().clientCertAuth()) {
                    log.warn(
                            "embed/etcd.go",
                            "scheme is http or unix while --client-cert-auth is enabled; ignoring client cert auth for this URL",
                            "client-url",
                            u.toString());
                }
            }
            if ("https".equals(u.getScheme()) && c.clientTls().empty()) {
                throw new ConfigException(
                        ConfigException.Kind.START,
                        "TLS key/cert (--cert-file, --key-file) must be provided for client url " + u
                                + " with HTTPS scheme");
            }
        }
    }

    private static void checkPeerTls(EtcdConfig c, ZapLog log) {
        for (URI u : c.listenPeerUrls()) {
            if ("http".equals(u.getScheme())) {
                if (!c.peerTls().empty()) {
                    log.warn(
                            "embed/etcd.go",
                            "scheme is HTTP while key and cert files are present; ignoring key and cert files",
                            "peer-url",
                            u.toString());
                }
                if (c.peerTls().clientCertAuth()) {
                    log.warn(
                            "embed/etcd.go",
                            "scheme is HTTP while --peer-client-cert-auth is enabled; ignoring client cert auth for this URL",
                            "peer-url",
                            u.toString());
                }
            } else if (c.peerTls().empty()) {
                throw new ConfigException(
                        ConfigException.Kind.START,
                        "cannot listen on TLS for " + u.getHost() + ":" + u.getPort()
                                + ": KeyFile and CertFile are not presented");
            }
        }
    }

    private void serveClients(URI u) throws IOException {
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(u.getHost(), u.getPort()))
                .maxInboundMessageSize((int)
                        Math.min(Integer.MAX_VALUE, config.storeOptions().maxRequestBytes() + GRPC_OVERHEAD_BYTES))
                // etcd's --grpc-keepalive-min-time default (5s), and pings without calls are allowed
                .permitKeepAliveTime(5, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .addService(new KvService(store))
                .addService(new WatchService(store))
                .addService(new LeaseService(store).definition())
                .addService(new MaintenanceService(store))
                .addService(new ClusterService(store, member()));
        if ("https".equals(u.getScheme())) {
            b.sslContext(ServerTls.grpcContext(config.clientTls()));
        }
        Server server = b.build().start();
        servers.add(server);
        int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
        boundClientUrls.add(URI.create(u.getScheme() + "://" + u.getHost() + ":" + port));
    }

    private MemberInfo member() {
        return new MemberInfo(
                config.name(),
                config.advertisePeerUrls().stream().map(URI::toString).toList(),
                config.advertiseClientUrls().stream().map(URI::toString).toList());
    }

    /**
     * etcd's member id (membership/member.go computeMemberID): the first 8 bytes of SHA-1 over the sorted peer
     * URLs joined, then the cluster token. Stored on first start-up, so later runs keep it.
     */
    static long memberId(List<URI> peerUrls, String token) {
        List<String> urls = new ArrayList<>(peerUrls.stream().map(URI::toString).toList());
        urls.sort(null);
        return sha1Prefix((String.join("", urls) + token).getBytes(StandardCharsets.UTF_8));
    }

    /** etcd's cluster id of a one-member cluster (membership/cluster.go genID): SHA-1 over the member id. */
    static long clusterId(long memberId) {
        return sha1Prefix(ByteBuffer.allocate(8).putLong(memberId).array());
    }

    private static long sha1Prefix(byte[] data) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-1").digest(data);
            return ByteBuffer.wrap(h, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public EtcdStore store() {
        return store;
    }

    /** The client URLs with the ports actually bound (port 0 in a listen URL picks a free one). */
    public List<URI> clientUrls() {
        return List.copyOf(boundClientUrls);
    }

    /** The peer listeners' bound ports, in --listen-peer-urls order. */
    public List<Integer> peerPorts() {
        return peers.stream().map(PeerListener::port).toList();
    }

    @Override
    public void close() {
        for (Server s : servers) {
            s.shutdownNow();
        }
        for (Server s : servers) {
            try {
                s.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (PeerListener p : peers) {
            p.close();
        }
        store.close();
    }
}

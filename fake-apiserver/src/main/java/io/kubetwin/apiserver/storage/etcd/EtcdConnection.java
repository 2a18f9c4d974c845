package io.kubetwin.apiserver.storage.etcd;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.ManagedChannel;
import io.grpc.NameResolver;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.kubetwin.pki.Pem;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The client side of kube-apiserver's {@code --etcd-servers}, {@code --etcd-cafile}, {@code --etcd-certfile}
 * and {@code --etcd-keyfile} (k8s.io/apiserver/pkg/storage/storagebackend/factory/etcd3.go): one gRPC channel
 * over all the servers with the {@code round_robin} policy, as etcd's client v3 dials them (client/v3/client.go):
 * a connection to every member, requests spread over those that are up, a member that goes away left out until
 * it is back; TLS with the CA bundle and the client certificate for https URLs (each member's certificate
 * verified for the host its URL names), plain for http ones.
 *
 * @param servers the client URLs, all http or all https
 * @param caFile CA bundle that verifies the servers (the system roots when null)
 * @param certFile client certificate, with {@code keyFile}
 */
public record EtcdConnection(List<URI> servers, Path caFile, Path certFile, Path keyFile) {
    public EtcdConnection {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("--etcd-servers must be specified");
        }
        long tls = servers.stream().filter(u -> "https".equals(u.getScheme())).count();
        for (URI u : servers) {
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("--etcd-servers: " + u + " is not an http:// or https:// URL");
            }
        }
        if (tls != 0 && tls != servers.size()) {
            throw new IllegalArgumentException("--etcd-servers: mixing http and https servers is not supported");
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("--etcd-certfile and --etcd-keyfile must be given together");
        }
    }

    /** Parses {@code --etcd-servers}' comma-separated list. */
    public static List<URI> parseServers(List<String> values) {
        return values.stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(EtcdConnection::url)
                .toList();
    }

    private static URI url(String s) {
        try {
            return new URI(s);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("--etcd-servers: " + s + " is not an http:// or https:// URL");
        }
    }

    public boolean tls() {
        return "https".equals(servers.get(0).getScheme());
    }

    /** A channel to the servers; the caller shuts it down. Reads the TLS files now, failing with their problem. */
    public ManagedChannel open() {
        URI first = servers.get(0);
        @SuppressWarnings("deprecation")
        NettyChannelBuilder b = NettyChannelBuilder.forTarget("etcd:///" + first.getHost())
                .nameResolverFactory(new StaticResolverFactory(servers))
                .defaultLoadBalancingPolicy("round_robin")
                .maxInboundMessageSize(Integer.MAX_VALUE);
        if (tls()) {
            b.sslContext(sslContext()).overrideAuthority(first.getHost() + ":" + port(first));
        } else {
            b.usePlaintext();
        }
        return b.build();
    }

    private SslContext sslContext() {
        try {
            SslContextBuilder b = GrpcSslContexts.forClient();
            if (caFile != null) {
                b.trustManager(Pem.readCertificates(caFile).toArray(X509Certificate[]::new));
            }
            if (certFile != null) {
                List<X509Certificate> chain = Pem.readCertificates(certFile);
                PrivateKey key = Pem.readPrivateKey(keyFile);
                b.keyManager(key, chain.toArray(X509Certificate[]::new));
            }
            return b.build();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("etcd client TLS: " + e.getMessage(), e);
        }
    }

    private static int port(URI u) {
        return u.getPort() > 0 ? u.getPort() : 2379;
    }

    /** All the servers, in flag order, as one address list. */
    private static final class StaticResolverFactory extends NameResolver.Factory {
        private final List<URI> servers;

        StaticResolverFactory(List<URI> servers) {
            this.servers = servers;
        }

        @Override
        public NameResolver newNameResolver(URI target, NameResolver.Args args) {
            return new NameResolver() {
                @Override
                public String getServiceAuthority() {
                    return target.getPath().isEmpty()
                            ? "etcd"
                            : target.getPath().substring(1);
                }

                @Override
                public void start(Listener2 listener) {
                    List<EquivalentAddressGroup> groups = servers.stream()
                            .map(u -> new EquivalentAddressGroup(
                                    new InetSocketAddress(u.getHost(), port(u)),
                                    // each member's certificate is checked against its own host
                                    Attributes.newBuilder()
                                            .set(
                                                    EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE,
                                                    u.getHost() + ":" + port(u))
                                            .build()))
                            .toList();
                    listener.onResult(
                            ResolutionResult.newBuilder().setAddresses(groups).build());
                }

                @Override
                public void shutdown() {}
            };
        }

        @Override
        public String getDefaultScheme() {
            return "etcd";
        }
    }
}

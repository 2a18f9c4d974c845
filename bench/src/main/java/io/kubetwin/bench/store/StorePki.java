package io.kubetwin.bench.store;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * The stores' PKI, the same for both: an etcd CA, a serving certificate for 127.0.0.1 and the client certificate
 * every benchmark client presents (both stores require one: {@code --client-cert-auth}).
 */
record StorePki(Path ca, Path serverCert, Path serverKey, Credential caCredential, Credential client) {

    static StorePki create(Path dir) throws IOException {
        Files.createDirectories(dir);
        Duration day = Duration.ofDays(1);
        CertificateAuthority ca = CertificateAuthority.generate("etcd-ca", KeyType.EC_P256, day);
        Credential server = ca.issue(CertificateSpec.server("etcd-server")
                .dnsNames("localhost")
                .ipAddresses("127.0.0.1")
                .keyType(KeyType.EC_P256)
                .validFor(day)
                .build());
        Credential client = ca.issue(CertificateSpec.client("bench-client")
                .keyType(KeyType.EC_P256)
                .validFor(day)
                .build());
        StorePki pki = new StorePki(
                dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"), ca.credential(), client);
        ca.writeTo(pki.ca(), dir.resolve("ca.key"));
        server.writeTo(pki.serverCert(), pki.serverKey());
        return pki;
    }

    /** One client: its own channel, so its own TLS connection, as each etcd client has. */
    ManagedChannel channel(URI url) {
        try {
            return NettyChannelBuilder.forAddress(url.getHost(), url.getPort())
                    .sslContext(GrpcSslContexts.forClient()
                            .trustManager(caCredential.certificate())
                            .keyManager(client.privateKey(), client.certificate())
                            .build())
                    .maxInboundMessageSize(Integer.MAX_VALUE)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.kubetwin.etcd.server;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyStores;
import io.kubetwin.pki.KeyType;
import io.kubetwin.pki.Pem;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The listeners' TLS, as etcd's transport.TLSInfo.ServerConfig makes it: the certificate chain and key from
 * files, TLS 1.2 at least, and with client-cert-auth a client certificate required and verified at the
 * handshake against the trusted CA file (the system roots when none is given). Unlike kube-apiserver, etcd
 * refuses a missing or untrusted client certificate during the handshake; so does this.
 */
final class ServerTls {
    private ServerTls() {}

    /** The gRPC listener's context (ALPN h2). */
    static SslContext grpcContext(TlsInfo tls) {
        try {
            Material m = material(tls);
            SslContextBuilder b = SslContextBuilder.forServer(m.key, m.chain.toArray(X509Certificate[]::new))
                    .protocols("TLSv1.3", "TLSv1.2");
            if (tls.clientCertAuth()) {
                b.clientAuth(ClientAuth.REQUIRE).trustManager(GoTlsAlerts.wrap(trustManagers(tls)));
            }
            // BoringSSL (bundled with grpc-netty-shaded) sends the TLS alerts Go sends; the JDK's differ
            SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            return GrpcSslContexts.configure(b, provider).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(ConfigException.Kind.START, e.getMessage());
        }
    }

    /** The peer listener's context (HTTPS). */
    static SSLContext httpsContext(TlsInfo tls) {
        try {
            Material m = material(tls);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", m.key, new char[0], m.chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), trustManagers(tls).getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(ConfigException.Kind.START, e.getMessage());
        }
    }

    private record Material(List<X509Certificate> chain, PrivateKey key) {}

    private static Material material(TlsInfo tls) throws IOException {
        List<X509Certificate> chain = Pem.readCertificates(Path.of(tls.certFile()));
        PrivateKey key = Pem.readPrivateKey(Path.of(tls.keyFile()));
        return new Material(chain, key);
    }

    private static TrustManagerFactory trustManagers(TlsInfo tls) throws IOException, GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (tls.trustedCaFile().isEmpty()) {
            tmf.init((KeyStore) null); // Go verifies client certificates against the system roots then
        } else {
            tmf.init(KeyStores.trustStore(Pem.readCertificates(Path.of(tls.trustedCaFile()))));
        }
        return tmf;
    }

    /**
     * etcd's transport.SelfCert: a certificate for the listeners' hosts in {@code dir}/cert.pem and key.pem,
     * reused when both exist. etcd signs it with its own key (P-521, IsCA); here a throwaway CA of the pki module
     * signs it (P-256), which clients using auto TLS (they skip verification) cannot tell apart.
     */
    static TlsInfo selfCert(Path dir, List<URI> urls, int validityYears) {
        Path cert = dir.resolve("cert.pem").toAbsolutePath();
        Path key = dir.resolve("key.pem").toAbsolutePath();
        if (Files.exists(cert) && Files.exists(key)) {
            return new TlsInfo(cert.toString(), key.toString(), "", false);
        }
        if (validityYears <= 0) {
            throw new ConfigException(
                    ConfigException.Kind.START, "selfSignedCertValidity is invalid,it should be greater than 0");
        }
        List<String> ips = new ArrayList<>();
        List<String> dns = new ArrayList<>();
        for (URI u : urls) {
            String h = u.getHost();
            if (h.matches("[0-9.]+") || h.startsWith("[")) {
                ips.add(h.replace("[", "").replace("]", ""));
            } else {
                dns.add(h);
            }
        }
        Duration validity = Duration.ofDays(365L * validityYears);
        CertificateAuthority ca = CertificateAuthority.generate("etcd", KeyType.EC_P256, validity);
        Credential c = ca.issue(CertificateSpec.server("etcd")
                .organizations("etcd")
                .dnsNames(dns)
                .ipAddresses(ips)
                .keyType(KeyType.EC_P256)
                .validFor(validity)
                .build());
        try {
            Files.createDirectories(dir);
            c.writeTo(cert, key);
        } catch (IOException e) {
            throw new ConfigException(ConfigException.Kind.START, "cannot create cert directory: " + e.getMessage());
        }
        return new TlsInfo(cert.toString(), key.toString(), "", false);
    }
}

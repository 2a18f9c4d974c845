package io.kubetwin.etcd.server;

import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The PEM files of an etcd TLS set-up, made with the pki module: the etcd CA, a server certificate for
 * 127.0.0.1 and localhost (server and client usage, as etcd's peer certificates need both), a client
 * certificate, and a client certificate from another CA.
 */
record TestCerts(
        Path dir,
        Path ca,
        Path serverCrt,
        Path serverKey,
        Path clientCrt,
        Path clientKey,
        Path otherCrt,
        Path otherKey) {

    static TestCerts create(Path dir) {
        try {
            Duration day = Duration.ofDays(1);
            CertificateAuthority ca = CertificateAuthority.generate("etcd-ca", KeyType.EC_P256, day);
            CertificateAuthority other = CertificateAuthority.generate("other-ca", KeyType.EC_P256, day);
            Credential server = ca.issue(CertificateSpec.server("etcd-server")
                    .client(true)
                    .dnsNames("localhost")
                    .ipAddresses("127.0.0.1")
                    .keyType(KeyType.EC_P256)
                    .validFor(day)
                    .build());
            Credential client = ca.issue(CertificateSpec.client("root")
                    .keyType(KeyType.EC_P256)
                    .validFor(day)
                    .build());
            Credential stranger = other.issue(CertificateSpec.client("root")
                    .keyType(KeyType.EC_P256)
                    .validFor(day)
                    .build());
            TestCerts c = new TestCerts(
                    dir,
                    dir.resolve("ca.crt"),
                    dir.resolve("server.crt"),
                    dir.resolve("server.key"),
                    dir.resolve("client.crt"),
                    dir.resolve("client.key"),
                    dir.resolve("other.crt"),
                    dir.resolve("other.key"));
            ca.credential().writeTo(c.ca, dir.resolve("ca.key"));
            server.writeTo(c.serverCrt, c.serverKey);
            client.writeTo(c.clientCrt, c.clientKey);
            stranger.writeTo(c.otherCrt, c.otherKey);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TlsInfo serverTls(boolean clientCertAuth) {
        return new TlsInfo(serverCrt.toString(), serverKey.toString(), ca.toString(), clientCertAuth);
    }
}

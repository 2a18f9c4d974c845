package io.kubetwin.apiserver.server;

import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import io.kubetwin.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Logger;

/**
 * The server's key material, resolved once at start-up (blocking: call off the event loop).
 * Given files win; otherwise material is reused from {@code --cert-dir} under kubeadm's file names
 * ({@code ca.crt}, {@code ca.key}, {@code apiserver.crt}, {@code apiserver.key}, {@code sa.key},
 * {@code sa.pub}) or generated there, or kept in memory when there is no cert dir (the embedded default).
 *
 * @param clusterCa the CA that signs the admin kubeconfig and approved CertificateSigningRequests
 * @param clientCas the bundle x509 authentication verifies against: {@code --client-ca-file}; else the generated
 *                  cluster CA when the fake made its own serving certificate; else none (no x509 authentication)
 * @param serving the HTTPS serving certificate and key
 * @param serviceAccountSigningKey signs TokenRequest tokens
 * @param serviceAccountPublicKeys verify service-account tokens
 */
public record ServerPki(
        CertificateAuthority clusterCa,
        List<X509Certificate> clientCas,
        Credential serving,
        PrivateKey serviceAccountSigningKey,
        List<PublicKey> serviceAccountPublicKeys) {

    private static final Logger LOG = Logger.getLogger(ServerPki.class.getName());
    static final Duration CA_VALIDITY = Duration.ofDays(3650);

    public static ServerPki resolve(ApiServerConfig config) {
        try {
            Path dir = config.certDir();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            // on a cold start three keys are generated: the service-account key beside the CA and serving ones
            CompletableFuture<KeyPair> serviceAccountKey = config.serviceAccountSigningKeyFile() != null
                    ? null
                    : CompletableFuture.supplyAsync(() -> {
                        try {
                            return loadOrGenerateServiceAccountKey(dir);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
            CertificateAuthority ca = loadOrGenerateCa(dir);
            Credential serving = servingCredential(config, dir, ca);
            // kube-apiserver without --client-ca-file has no x509 authentication at all. When the fake
            // makes its own PKI (no --tls-cert-file), its CA doubles as the client CA, as kubeadm sets it up.
            List<X509Certificate> clientCas = config.clientCaFile() != null
                    ? Pem.readCertificates(config.clientCaFile())
                    : config.tlsCertFile() == null ? List.of(ca.certificate()) : List.of();
            PrivateKey signingKey;
            List<PublicKey> publicKeys = new ArrayList<>();
            if (config.serviceAccountSigningKeyFile() != null) {
                signingKey = Pem.readPrivateKey(config.serviceAccountSigningKeyFile());
            } else {
                KeyPair pair = join(serviceAccountKey);
                signingKey = pair.getPrivate();
                if (config.serviceAccountKeyFiles().isEmpty()) {
                    publicKeys.add(pair.getPublic());
                }
            }
            for (Path keyFile : config.serviceAccountKeyFiles()) {
                publicKeys.addAll(Pem.parsePublicKeys(Files.readString(keyFile)));
            }
            if (publicKeys.isEmpty()) {
                publicKeys.add(Pem.publicKeyOf(signingKey));
            }
            return new ServerPki(ca, clientCas, serving, signingKey, publicKeys);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the server's certificates: " + e.getMessage(), e);
        }
    }

    private static KeyPair join(CompletableFuture<KeyPair> key) throws IOException {
        try {
            return key.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * RSA 2048 for PKI written to a cert dir (kubeadm's choice, and what tools expect to find there);
     * ECDSA P-256 for the in-memory PKI of embedded servers, whose keys are made in a millisecond where
     * RSA takes a good part of a second.
     */
    private static KeyType keyType(Path dir) {
        return dir == null ? KeyType.EC_P256 : KeyType.RSA_2048;
    }

    /**
     * The cluster CA kept in {@code certDir} ({@code ca.crt}, {@code ca.key}), generated and written there first
     * when absent, as a server started with that {@code --cert-dir} loads it: lets a launcher issue certificates
     * (a kubelet client identity) before the server starts.
     */
    public static CertificateAuthority clusterCa(Path certDir) throws IOException {
        return loadOrGenerateCa(certDir);
    }

    private static CertificateAuthority loadOrGenerateCa(Path dir) throws IOException {
        if (dir != null && Files.exists(dir.resolve("ca.crt")) && Files.exists(dir.resolve("ca.key"))) {
            return CertificateAuthority.load(dir.resolve("ca.crt"), dir.resolve("ca.key"));
        }
        CertificateAuthority ca = CertificateAuthority.generate("kubernetes", keyType(dir), CA_VALIDITY);
        if (dir != null) {
            ca.writeTo(dir.resolve("ca.crt"), dir.resolve("ca.key"));
            LOG.info("generated cluster CA in " + dir);
        }
        return ca;
    }

    private static Credential servingCredential(ApiServerConfig config, Path dir, CertificateAuthority ca)
            throws IOException {
        if (config.tlsCertFile() != null || config.tlsPrivateKeyFile() != null) {
            if (config.tlsCertFile() == null || config.tlsPrivateKeyFile() == null) {
                throw new IllegalArgumentException("--tls-cert-file and --tls-private-key-file must be given together");
            }
            List<X509Certificate> chain = Pem.readCertificates(config.tlsCertFile());
            return new Credential(chain.get(0), Pem.readPrivateKey(config.tlsPrivateKeyFile()));
        }
        if (dir != null && Files.exists(dir.resolve("apiserver.crt")) && Files.exists(dir.resolve("apiserver.key"))) {
            List<X509Certificate> chain = Pem.readCertificates(dir.resolve("apiserver.crt"));
            return new Credential(chain.get(0), Pem.readPrivateKey(dir.resolve("apiserver.key")));
        }
        Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
        if (config.advertiseAddress() != null && !config.advertiseAddress().isEmpty()) {
            ips.add(config.advertiseAddress());
        }
        List<String> dnsNames = List.of(
                "localhost",
                "kubernetes",
                "kubernetes.default",
                "kubernetes.default.svc",
                "kubernetes.default.svc.cluster.local");
        Credential serving = ca.issue(CertificateSpec.server("kube-apiserver")
                .keyType(keyType(dir))
                .dnsNames(dnsNames)
                .ipAddresses(new ArrayList<>(ips))
                .validFor(Duration.ofDays(365))
                .build());
        if (dir != null) {
            serving.writeTo(dir.resolve("apiserver.crt"), dir.resolve("apiserver.key"));
        }
        return serving;
    }

    private static KeyPair loadOrGenerateServiceAccountKey(Path dir) throws IOException {
        if (dir != null && Files.exists(dir.resolve("sa.key"))) {
            PrivateKey key = Pem.readPrivateKey(dir.resolve("sa.key"));
            return new KeyPair(Pem.publicKeyOf(key), key);
        }
        KeyPair pair = keyType(dir).generate();
        if (dir != null) {
            Path key = dir.resolve("sa.key");
            Files.writeString(key, Pem.privateKeyPem(pair.getPrivate()));
            if (key.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(dir.resolve("sa.pub"), Pem.publicKeyPem(pair.getPublic()));
        }
        return pair;
    }
}

package io.kubetwin.reference;

import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import io.kubetwin.pki.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference kube-apiserver on an etcd that is already running, on a 127.0.0.1 ephemeral port, with a PKI of
 * its own generated into {@code DIR/pki} (CA "kubernetes", a serving certificate for 127.0.0.1 and localhost, an
 * admin client certificate in {@code system:masters}, service-account keys); its log in
 * {@code DIR/kube-apiserver.log}. For tests of one mechanism; the runner's reference target, with its controller
 * manager and kubelets, builds its cluster from {@link ManagedProcess} and {@link EtcdProcess} itself.
 */
public final class KubeApiServerProcess implements AutoCloseable {

    /** kube-apiserver's view of a TLS etcd: {@code --etcd-cafile}, {@code --etcd-certfile}, {@code --etcd-keyfile}. */
    public record EtcdClientTls(Path ca, Path cert, Path key) {}

    private final ManagedProcess process;
    private final String url;
    private final CertificateAuthority ca;
    private final ApiClient admin;

    private KubeApiServerProcess(ManagedProcess process, String url, CertificateAuthority ca, ApiClient admin) {
        this.process = process;
        this.url = url;
        this.ca = ca;
        this.admin = admin;
    }

    public static Builder builder(Path binary, Path dir) {
        return new Builder(binary, dir);
    }

    public String url() {
        return url;
    }

    /** The cluster CA, to issue more client certificates. */
    public CertificateAuthority ca() {
        return ca;
    }

    /** A client as {@code kubernetes-admin} in {@code system:masters}. */
    public ApiClient admin() {
        return admin;
    }

    public ManagedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }

    /** How to start it. */
    public static final class Builder {
        private final Path binary;
        private final Path dir;
        private String etcdUrl;
        private EtcdClientTls etcdTls;
        private String authorizationMode = "Node,RBAC";
        private final List<String> extraFlags = new ArrayList<>();
        private Duration readyTimeout = Duration.ofSeconds(120);

        private Builder(Path binary, Path dir) {
            this.binary = binary;
            this.dir = dir;
        }

        /** {@code --etcd-servers}, with the client certificate for a TLS etcd (null for plain HTTP). */
        public Builder etcd(String url, EtcdClientTls tls) {
            this.etcdUrl = url;
            this.etcdTls = tls;
            return this;
        }

        public Builder authorizationMode(String mode) {
            this.authorizationMode = mode;
            return this;
        }

        /** More flags, after the defaults (kube-apiserver takes the last value of a repeated flag). */
        public Builder flags(String... flags) {
            extraFlags.addAll(List.of(flags));
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        /** Starts it and waits for {@code /readyz}. */
        public KubeApiServerProcess start() throws IOException, InterruptedException {
            if (etcdUrl == null) {
                throw new IllegalStateException("no etcd given");
            }
            Path pki = Files.createDirectories(dir.resolve("pki"));
            Duration day = Duration.ofDays(1);
            CertificateAuthority ca = CertificateAuthority.generate("kubernetes", KeyType.RSA_2048, day);
            Credential serving = ca.issueServing(List.of("localhost"), List.of("127.0.0.1"));
            Credential adminCert = ca.issue(CertificateSpec.client("kubernetes-admin")
                    .organizations("system:masters")
                    .validFor(day)
                    .build());
            ca.credential().writeTo(pki.resolve("ca.crt"), pki.resolve("ca.key"));
            serving.writeTo(pki.resolve("apiserver.crt"), pki.resolve("apiserver.key"));
            KeyPair sa = KeyType.RSA_2048.generate();
            Files.writeString(pki.resolve("sa.key"), Pem.privateKeyPem(sa.getPrivate()));
            Files.writeString(pki.resolve("sa.pub"), Pem.publicKeyPem(sa.getPublic()));

            int port = LocalPorts.free();
            String url = "https://127.0.0.1:" + port;
            List<String> command = new ArrayList<>(List.of(
                    binary.toString(),
                    "--etcd-servers=" + etcdUrl,
                    "--bind-address=127.0.0.1",
                    "--secure-port=" + port,
                    "--advertise-address=127.0.0.1",
                    "--tls-cert-file=" + pki.resolve("apiserver.crt"),
                    "--tls-private-key-file=" + pki.resolve("apiserver.key"),
                    "--client-ca-file=" + pki.resolve("ca.crt"),
                    "--authorization-mode=" + authorizationMode,
                    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                    "--service-account-key-file=" + pki.resolve("sa.pub"),
                    "--service-account-signing-key-file=" + pki.resolve("sa.key"),
                    "--service-cluster-ip-range=10.96.0.0/12",
                    "--cert-dir=" + dir.resolve("certs")));
            if (etcdTls != null) {
                command.add("--etcd-cafile=" + etcdTls.ca());
                command.add("--etcd-certfile=" + etcdTls.cert());
                command.add("--etcd-keyfile=" + etcdTls.key());
            }
            command.addAll(extraFlags);
            var process = ManagedProcess.start("kube-apiserver", command, dir.resolve("kube-apiserver.log"));
            var apiServer = new KubeApiServerProcess(
                    process,
                    url,
                    ca,
                    ApiClient.withCertificate(url, ca.certificate(), adminCert.certificate(), adminCert.privateKey()));
            long deadline = System.nanoTime() + readyTimeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.alive()) {
                    apiServer.close();
                    throw new IllegalStateException("kube-apiserver exited: " + process.tail(40));
                }
                try {
                    if (apiServer.admin.get("/readyz").code() == 200) {
                        return apiServer;
                    }
                } catch (RuntimeException e) {
                    // not listening yet
                }
                TimeUnit.MILLISECONDS.sleep(300);
            }
            apiServer.close();
            throw new IllegalStateException("kube-apiserver not ready in " + readyTimeout + ": " + process.tail(40));
        }
    }
}

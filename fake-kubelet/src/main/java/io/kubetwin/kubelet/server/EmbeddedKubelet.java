package io.kubetwin.kubelet.server;

import io.kubetwin.client.ApiClient;
import io.kubetwin.kubelet.config.KubeletConfig;
import io.kubetwin.kubelet.config.KubeletFlags;
import io.kubetwin.kubelet.node.KubeletNode;
import io.kubetwin.kubelet.pods.PodSource;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import io.kubetwin.pki.Kubeconfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fake kubelet joined to a cluster in the same process, with the files a kubeadm node has in
 * {@code DIR/kubelet-NAME}: a serving certificate and the node's client certificate ({@code system:node:NAME} in
 * {@code system:nodes}) from the cluster CA, a kubeconfig, and a KubeletConfiguration with the config file's secure
 * defaults (anonymous off, webhook authentication, Webhook authorization, no read-only port). Certificates already
 * there and signed by this CA are reused, so a cluster kept on disk keeps its nodes' identities across restarts.
 * The kubelet listens on a free port, then registers its Node with that port (an existing Node is updated). Used by the JUnit extension's
 * nodes and by the demo cluster.
 */
public final class EmbeddedKubelet implements AutoCloseable {
    private static final Duration CLIENT_VALIDITY = Duration.ofDays(365);

    private final String name;
    private final KubeletNode registration;
    private final KubeletServer server;

    private EmbeddedKubelet(String name, KubeletNode registration, KubeletServer server) {
        this.name = name;
        this.registration = registration;
        this.server = server;
    }

    /**
     * Registers and starts the kubelet of node {@code name} on 127.0.0.1 and a free port; blocks (call it off the
     * event loop).
     *
     * @param vertx the Vert.x the kubelet's server runs on (the apiserver's, in the same process)
     * @param ca the cluster CA, which signs the kubelet's certificates and verifies its clients
     * @param apiserverUrl the apiserver's HTTPS URL, whose certificate the CA signed
     * @param workingDirectory where {@code kubelet-NAME/} is kept
     * @throws IllegalStateException with the apiserver's answer when the node cannot register (the Node authorizer
     *     is needed: {@code --authorization-mode=Node,RBAC}, as kubeadm sets it)
     */
    public static EmbeddedKubelet start(
            Vertx vertx, CertificateAuthority ca, String apiserverUrl, Path workingDirectory, String name) {
        try {
            Path dir = Files.createDirectories(workingDirectory.resolve("kubelet-" + name));
            keep(
                    ca,
                    dir.resolve("serving.crt"),
                    dir.resolve("serving.key"),
                    CertificateSpec.server(name)
                            .dnsNames(List.of(name, "localhost"))
                            .ipAddresses("127.0.0.1")
                            .keyType(KeyType.EC_P256)
                            .build());
            Credential client = keep(
                    ca,
                    dir.resolve("kubelet-client.crt"),
                    dir.resolve("kubelet-client.key"),
                    CertificateSpec.client("system:node:" + name)
                            .organizations(List.of("system:nodes"))
                            .keyType(KeyType.EC_P256)
                            .validFor(CLIENT_VALIDITY)
                            .build());
            Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
            // the kubeconfig is written afresh: the apiserver's port may differ from the last start's
            String user = "system:node:" + name;
            String kubeconfig = Kubeconfig.builder()
                    .cluster("kubernetes", apiserverUrl, ca.certificatePem())
                    .userCertificate(user, client.certificatePem(), client.privateKeyPem())
                    .context(user + "@kubernetes", "kubernetes", user)
                    .currentContext(user + "@kubernetes")
                    .build()
                    .toYaml();
            Files.writeString(dir.resolve("kubeconfig"), kubeconfig);
            Files.writeString(
                    dir.resolve("config.yaml"),
                    String.join(
                            "\n",
                            "apiVersion: kubelet.config.k8s.io/v1beta1",
                            "kind: KubeletConfiguration",
                            "address: 127.0.0.1",
                            "readOnlyPort: 0",
                            "tlsCertFile: serving.crt",
                            "tlsPrivateKeyFile: serving.key",
                            "authentication:",
                            "  anonymous:",
                            "    enabled: false",
                            "  webhook:",
                            "    enabled: true",
                            "  x509:",
                            "    clientCAFile: ca.crt",
                            "authorization:",
                            "  mode: Webhook",
                            ""));
            KubeletConfig config = KubeletFlags.parse(List.of(
                    "--config=" + dir.resolve("config.yaml"),
                    "--kubeconfig=" + dir.resolve("kubeconfig"),
                    "--hostname-override=" + name,
                    "--node-ip=127.0.0.1",
                    "--port=0"));
            // the server listens first, on a free port, so that the Node registers the port it really serves on
            // (status.daemonEndpoints, where the apiserver dials it); its pods come from the registration
            AtomicReference<PodSource> bound = new AtomicReference<>(List::of);
            KubeletServer server = KubeletServer.start(
                            vertx,
                            config,
                            KubeletServer.Dependencies.of(() -> bound.get().pods(), Clock.systemUTC()))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            KubeletNode registration;
            try {
                registration = KubeletNode.start(
                        ApiClient.of(Kubeconfig.parse(kubeconfig)),
                        config.nodeName(),
                        "127.0.0.1",
                        server.port(),
                        Clock.systemUTC());
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            bound.set(registration.pods());
            return new EmbeddedKubelet(name, registration, server);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the files of the kubelet of node " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the kubelet of node " + name, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "the fake kubelet of node " + name + " did not start: " + e.getMessage()
                            + " (a kubelet registers its Node as system:node:" + name
                            + ", which the Node authorizer allows: --authorization-mode=Node,RBAC)",
                    e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "the fake kubelet of node " + name + " did not start: " + e.getMessage(), e);
        }
    }

    /** The certificate in {@code cert}/{@code key} when this CA signed it, else a new one written there. */
    private static Credential keep(CertificateAuthority ca, Path cert, Path key, CertificateSpec spec)
            throws IOException {
        if (Files.exists(cert) && Files.exists(key)) {
            Credential kept = Credential.load(cert, key);
            try {
                kept.certificate().verify(ca.certificate().getPublicKey());
                kept.certificate().checkValidity();
                return kept;
            } catch (GeneralSecurityException e) {
                // another CA's (the cluster was started afresh) or expired: issue again
            }
        }
        Credential issued = ca.issue(spec);
        issued.writeTo(cert, key);
        return issued;
    }

    /** The node's name. */
    public String name() {
        return name;
    }

    /** The port the kubelet's HTTPS API listens on (127.0.0.1). */
    public int port() {
        return server.port();
    }

    /** The pods bound to this node and its Node's registration. */
    public KubeletNode registration() {
        return registration;
    }

    /** Stops the heartbeat and the pod watch, then closes the server; close it before its Vert.x. */
    @Override
    public void close() throws Exception {
        registration.stop();
        server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}

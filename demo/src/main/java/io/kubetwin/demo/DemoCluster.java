package io.kubetwin.demo;

import io.kubetwin.apiserver.kubelet.KubeletClientOptions;
import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.DemoDefaults;
import io.kubetwin.apiserver.server.FakeApiServer;
import io.kubetwin.apiserver.server.ServerPki;
import io.kubetwin.client.ApiClient;
import io.kubetwin.kubelet.server.EmbeddedKubelet;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.Kubeconfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo cluster: a fake apiserver started as {@code fake-apiserver --demo} starts it, with what a kubeadm
 * control plane adds for its nodes (the Node authorizer, NodeRestriction, a kubelet client identity and the CA that
 * verifies kubelets), then {@code --nodes N} fake kubelets registered as its nodes. Everything is kept in the
 * demo's directory ({@code --cert-dir}, default ./kubetwin-demo), so a restart finds the same CA, certificates,
 * objects and nodes. Not thread-safe; close it once.
 */
public final class DemoCluster implements AutoCloseable {
    /** The default node count: a one-node cluster, as kind's or minikube's. */
    public static final int DEFAULT_NODES = 1;

    /** kubeadm's --kubelet-preferred-address-types: the node's InternalIP (127.0.0.1 here) before its name. */
    static final List<String> KUBEADM_ADDRESS_TYPES = List.of("InternalIP", "ExternalIP", "Hostname");

    private final ApiServerConfig config;
    private final FakeApiServer server;
    private final List<EmbeddedKubelet> kubelets;

    private DemoCluster(ApiServerConfig config, FakeApiServer server, List<EmbeddedKubelet> kubelets) {
        this.config = config;
        this.server = server;
        this.kubelets = kubelets;
    }

    /** The node names of an {@code n}-node demo: kubetwin-node-1, kubetwin-node-2, ... */
    public static List<String> nodeNames(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            names.add("kubetwin-node-" + i);
        }
        return names;
    }

    /**
     * Starts the cluster; blocks until every node is registered and its kubelet listens.
     *
     * @param flags the fake apiserver's flags (everything {@code fake-apiserver --demo} accepts, without
     *     {@code --demo})
     * @param nodes how many fake kubelets to start (0: none)
     * @throws IllegalArgumentException for a bad flag, with kube-apiserver's text
     * @throws IllegalStateException when the server or a kubelet cannot start
     */
    public static DemoCluster start(List<String> flags, int nodes) {
        ApiServerConfig config = configure(flags);
        FakeApiServer server = FakeApiServer.startBlocking(config);
        List<EmbeddedKubelet> kubelets = new ArrayList<>();
        try {
            if (nodes > 0) {
                awaitReady(server);
            }
            for (String name : nodeNames(nodes)) {
                kubelets.add(EmbeddedKubelet.start(
                        server.vertx(), server.clusterCa(), server.url(), config.certDir(), name));
            }
        } catch (RuntimeException e) {
            new DemoCluster(config, server, kubelets).close();
            throw e;
        }
        return new DemoCluster(config, server, kubelets);
    }

    /**
     * The fake apiserver's configuration: the flags, the demo's defaults, then kubeadm's settings for nodes where
     * the flags leave them unset.
     */
    static ApiServerConfig configure(List<String> flags) {
        ApiServerConfig demo = DemoDefaults.apply(ApiServerConfig.fromArgs(flags), flags);
        ApiServerConfig.Builder b = demo.toBuilder();
        // a given --authorization-mode stands: without Node the kubelets cannot register, which start() reports
        if (!given(flags, "--authorization-mode")) {
            b.authorizationModes(List.of("Node", "RBAC"));
        }
        if (!given(flags, "--enable-admission-plugins")) {
            b.enableAdmissionPlugins(List.of("NodeRestriction"));
        }
        KubeletClientOptions kubeletClient = demo.kubeletClient();
        if (kubeletClient.clientCertificate() == null && kubeletClient.clientKey() == null) {
            Path dir = demo.certDir();
            List<String> types = given(flags, "--kubelet-preferred-address-types")
                    ? kubeletClient.preferredAddressTypes()
                    : KUBEADM_ADDRESS_TYPES;
            Path ca = kubeletCertificateAuthority(dir, kubeletClient);
            kubeletClient = new KubeletClientOptions(
                    dir.resolve("apiserver-kubelet-client.crt"),
                    dir.resolve("apiserver-kubelet-client.key"),
                    ca,
                    types);
            writeKubeletClient(dir, kubeletClient);
        }
        return b.kubeletClient(kubeletClient).build();
    }

    private static Path kubeletCertificateAuthority(Path dir, KubeletClientOptions given) {
        return given.certificateAuthority() != null ? given.certificateAuthority() : dir.resolve("ca.crt");
    }

    /**
     * kubeadm's apiserver-kubelet-client certificate, kept in the cert dir. Its group is system:masters (kubeadm's
     * choice before v1.29, which binds cluster-admin without a kubeadm-made ClusterRoleBinding), so the kubelets'
     * SubjectAccessReviews allow the apiserver's logs and exec.
     */
    private static void writeKubeletClient(Path dir, KubeletClientOptions options) {
        try {
            Files.createDirectories(dir);
            CertificateAuthority ca = ServerPki.clusterCa(dir);
            Path cert = options.clientCertificate();
            Path key = options.clientKey();
            if (Files.exists(cert) && Files.exists(key)) {
                try {
                    Credential kept = Credential.load(cert, key);
                    kept.certificate().verify(ca.certificate().getPublicKey());
                    kept.certificate().checkValidity();
                    return;
                } catch (GeneralSecurityException e) {
                    // signed by an earlier CA, or expired: issue again
                }
            }
            ca.issue(CertificateSpec.client("kube-apiserver-kubelet-client")
                            .organizations(List.of("system:masters"))
                            .validFor(Duration.ofDays(365))
                            .build())
                    .writeTo(cert, key);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the apiserver's kubelet client certificate in " + dir, e);
        }
    }

    private static boolean given(List<String> flags, String name) {
        return flags.stream().anyMatch(f -> f.equals(name) || f.startsWith(name + "="));
    }

    /**
     * Waits (a minute at most) for the admin's 200 on {@code /readyz}: a kubelet's first request has a short
     * connect timeout, which a server still busy starting can miss on a loaded machine.
     */
    private static void awaitReady(FakeApiServer server) {
        ApiClient admin = ApiClient.of(Kubeconfig.parse(server.adminKubeconfig()));
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        RuntimeException last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                if (admin.get("/readyz").code() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for /readyz", e);
            }
        }
        throw new IllegalStateException("the fake apiserver did not answer /readyz within a minute", last);
    }

    public ApiServerConfig config() {
        return config;
    }

    public FakeApiServer server() {
        return server;
    }

    /** The running kubelets, in node order. */
    public List<EmbeddedKubelet> kubelets() {
        return List.copyOf(kubelets);
    }

    /** Stops the kubelets, then the server (and its Vert.x). */
    @Override
    public void close() {
        for (EmbeddedKubelet kubelet : kubelets) {
            try {
                kubelet.close();
            } catch (Exception e) {
                // the server stops anyway; the kubelet's threads are daemons
            }
        }
        server.close();
    }
}

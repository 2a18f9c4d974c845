package io.kubetwin.scenarios.target.fake;

import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.FakeApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Kubeconfig;
import io.kubetwin.reference.LocalPorts;
import io.kubetwin.scenarios.model.Capability;
import io.kubetwin.scenarios.target.ClusterFiles;
import io.kubetwin.scenarios.target.ClusterSpec;
import io.kubetwin.scenarios.target.EtcdEndpoint;
import io.kubetwin.scenarios.target.KubeletEndpoint;
import io.kubetwin.scenarios.target.LocalCluster;
import io.kubetwin.scenarios.target.ReferenceStore;
import io.kubetwin.scenarios.target.RunningCluster;
import io.kubetwin.scenarios.target.Target;
import io.kubetwin.scenarios.target.UnsupportedConfigurationException;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The fake apiserver in-process, configured with exactly the kube-apiserver flags {@link ClusterFiles} gives the
 * reference (so a flag the fake does not know fails the suite loudly instead of being dropped), and the suite's
 * kubelets as fake kubelets in-process ({@link FakeKubelets}).
 */
public final class FakeTarget implements Target {

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public RunningCluster start(ClusterSpec spec) throws Exception {
        var files = new ClusterFiles(spec);
        int port = LocalPorts.free();
        ApiServerConfig config;
        // The suite's CA signs approved CSRs, as the reference's kube-controller-manager is given it with
        // --cluster-signing-cert-file: the fake takes its cluster CA from --cert-dir (kubeadm's ca.crt and ca.key).
        var certDir = files.path("fake-certs");
        Files.createDirectories(certDir);
        Files.copy(files.path("ca.crt"), certDir.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(files.path("ca.key"), certDir.resolve("ca.key"), StandardCopyOption.REPLACE_EXISTING);
        var flags = new java.util.ArrayList<>(files.apiServerFlags(port));
        flags.add("--cert-dir=" + certDir);
        // A suite that reads etcd gets the fake apiserver on an in-process fake etcd over mTLS, as the reference's
        // kube-apiserver runs on its etcd; the others keep the in-memory store, which is quicker.
        ReferenceStore.Running etcd = spec.etcd() ? ReferenceStore.FAKE_ETCD.start(null, files.path("etcd")) : null;
        if (etcd != null) {
            flags.addAll(etcd.apiServerFlags());
        }
        try {
            config = ApiServerConfig.fromArgs(flags);
        } catch (IllegalArgumentException e) {
            if (etcd != null) {
                etcd.close();
            }
            // The fake refuses flags it does not implement rather than ignore them.
            throw new UnsupportedConfigurationException(e.getMessage(), e);
        }
        var vertx = Vertx.vertx();
        FakeApiServer server = null;
        try {
            server = FakeApiServer.start(vertx, config)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            var url = "https://127.0.0.1:" + server.port();
            // Trust our CA (the serving certificate from --tls-cert-file) and whatever the fake says it serves with.
            var trust = files.ca().certificatePem();
            try {
                var own = Kubeconfig.parse(server.adminKubeconfig(), spec.workDir())
                        .certificateAuthorityPem();
                if (own.isPresent() && !own.get().equals(trust)) {
                    trust = trust + own.get();
                }
            } catch (RuntimeException ignored) {
                // the fake's own kubeconfig is only a fallback for the trust bundle
            }
            var base = files.admin(url);
            var admin = base.toBuilder()
                    .cluster(base.currentCluster().name(), url, trust)
                    .build();
            var description = "fake apiserver on " + url
                    + (files.insecureModes().isEmpty()
                            ? ""
                            : "; insecure: " + String.join(", ", files.insecureModes()));
            ApiClient.of(admin); // fail fast on a bad trust bundle
            var kubelets = FakeKubelets.start(vertx, files, spec.kubelets(), url);
            if (!spec.kubelets().isEmpty()) {
                description += "; fake kubelets "
                        + String.join(
                                ", ",
                                spec.kubelets().stream()
                                        .map(k -> k.name() + " on "
                                                + kubelets.endpoint(k.name())
                                                        .orElseThrow()
                                                        .url())
                                        .toList());
            }
            if (etcd != null) {
                description +=
                        "; on kubetwin fake etcd (mTLS) at " + etcd.endpoint().url();
            }
            return new Cluster(vertx, server, kubelets, etcd, files, admin, description, spec.auditPolicy() != null);
        } catch (Exception e) {
            if (server != null) {
                server.stop();
            }
            vertx.close();
            if (etcd != null) {
                etcd.close();
            }
            throw e;
        }
    }

    private static final class Cluster extends LocalCluster {
        private final Vertx vertx;
        private final FakeApiServer server;
        private final FakeKubelets kubelets;
        private final ReferenceStore.Running etcd;

        Cluster(
                Vertx vertx,
                FakeApiServer server,
                FakeKubelets kubelets,
                ReferenceStore.Running etcd,
                ClusterFiles files,
                Kubeconfig admin,
                String description,
                boolean audit) {
            super(files, admin, description, audit);
            this.vertx = vertx;
            this.server = server;
            this.kubelets = kubelets;
            this.etcd = etcd;
        }

        @Override
        public Optional<EtcdEndpoint> etcd() {
            return Optional.ofNullable(etcd).map(ReferenceStore.Running::endpoint);
        }

        @Override
        public Optional<KubeletEndpoint> kubelet(String node) {
            return kubelets.endpoint(node);
        }

        @Override
        public String target() {
            return "fake";
        }

        @Override
        public Set<Capability> capabilities() {
            var capabilities = EnumSet.of(
                    Capability.SERVER_FLAGS,
                    Capability.CLIENT_CA,
                    Capability.AUDIT_LOG,
                    Capability.ADMISSION_WEBHOOK,
                    Capability.KUBELET,
                    // the fake runs kube-controller-manager's controllers in process (CSR signing, namespace
                    // deletion, garbage collection, ...)
                    Capability.CONTROLLER_MANAGER);
            if (etcd != null) {
                capabilities.add(Capability.ETCD);
            }
            return capabilities;
        }

        @Override
        protected void shutdown() {
            kubelets.close();
            try {
                server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // closing Vert.x below releases the port anyway
            }
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // nothing more to release
            }
            if (etcd != null) {
                etcd.close(); // after the apiserver, whose storage holds a channel to it
            }
        }
    }
}

package io.kubetwin.scenarios.target.fake;

import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.FakeApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Kubeconfig;
import io.kubetwin.scenarios.model.Capability;
import io.kubetwin.scenarios.target.ClusterFiles;
import io.kubetwin.scenarios.target.ClusterSpec;
import io.kubetwin.scenarios.target.LocalCluster;
import io.kubetwin.scenarios.target.RunningCluster;
import io.kubetwin.scenarios.target.Target;
import io.kubetwin.scenarios.target.UnsupportedConfigurationException;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The fake apiserver in-process, configured with exactly the kube-apiserver flags {@link ClusterFiles} gives the
 * reference (so a flag the fake does not know fails the suite loudly instead of being dropped).
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
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ApiServerConfig config;
        try {
            config = ApiServerConfig.fromArgs(files.apiServerFlags(port));
        } catch (IllegalArgumentException e) {
            // The fake refuses flags it does not implement rather than ignore them.
            throw new UnsupportedConfigurationException(e.getMessage(), e);
        }
        var vertx = Vertx.vertx();
        try {
            FakeApiServer server = FakeApiServer.start(vertx, config)
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
            return new Cluster(vertx, server, files, admin, description, spec.auditPolicy() != null);
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
    }

    private static final class Cluster extends LocalCluster {
        private final Vertx vertx;
        private final FakeApiServer server;

        Cluster(
                Vertx vertx,
                FakeApiServer server,
                ClusterFiles files,
                Kubeconfig admin,
                String description,
                boolean audit) {
            super(files, admin, description, audit);
            this.vertx = vertx;
            this.server = server;
        }

        @Override
        public String target() {
            return "fake";
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.of(
                    Capability.SERVER_FLAGS, Capability.CLIENT_CA, Capability.AUDIT_LOG, Capability.ADMISSION_WEBHOOK);
        }

        @Override
        protected void shutdown() {
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
        }
    }
}

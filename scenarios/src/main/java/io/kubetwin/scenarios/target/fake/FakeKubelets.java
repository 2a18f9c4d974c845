package io.kubetwin.scenarios.target.fake;

import io.kubetwin.client.ApiClient;
import io.kubetwin.kubelet.config.KubeletFlags;
import io.kubetwin.kubelet.node.KubeletNode;
import io.kubetwin.kubelet.server.KubeletServer;
import io.kubetwin.pki.Kubeconfig;
import io.kubetwin.scenarios.model.KubeletSpec;
import io.kubetwin.scenarios.target.ClusterFiles;
import io.kubetwin.scenarios.target.KubeletEndpoint;
import io.kubetwin.scenarios.target.KubeletFiles;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The fake target's kubelets: for each of the suite's nodes, the fake kubelet in-process, started from the same
 * KubeletConfiguration file and kubeconfig the real kubelet gets on the reference ({@link KubeletFiles}), with
 * the kubelet's own flags ({@code --config}, {@code --kubeconfig}, {@code --hostname-override}), registered with
 * the fake apiserver as {@code system:node:NAME} before its servers listen. Not thread-safe; closed once.
 */
final class FakeKubelets implements AutoCloseable {

    private record Running(KubeletFiles files, KubeletNode node, KubeletServer server) {}

    private final List<Running> running = new ArrayList<>();
    private final Map<String, KubeletEndpoint> endpoints = new LinkedHashMap<>();

    /** Starts every kubelet or, when one fails, stops those started and throws. */
    static FakeKubelets start(Vertx vertx, ClusterFiles cluster, List<KubeletSpec> specs, String apiServer)
            throws Exception {
        var kubelets = new FakeKubelets();
        try {
            for (var spec : specs) {
                kubelets.add(vertx, cluster, spec, apiServer);
            }
            return kubelets;
        } catch (Exception e) {
            kubelets.close();
            throw e;
        }
    }

    private void add(Vertx vertx, ClusterFiles cluster, KubeletSpec spec, String apiServer) throws Exception {
        var files = KubeletFiles.write(cluster, spec, apiServer, null);
        try {
            var config = KubeletFlags.parse(List.of(
                    "--config=" + files.config(),
                    "--kubeconfig=" + files.kubeconfig(),
                    "--hostname-override=" + spec.name(),
                    "--node-ip=127.0.0.1"));
            var node = KubeletNode.start(
                    ApiClient.of(Kubeconfig.read(files.kubeconfig())),
                    config.nodeName(),
                    config.nodeIp(),
                    Clock.systemUTC());
            KubeletServer server;
            try {
                server = KubeletServer.start(
                                vertx, config, KubeletServer.Dependencies.of(node.pods(), Clock.systemUTC()))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                node.stop();
                throw e;
            }
            running.add(new Running(files, node, server));
            endpoints.put(spec.name(), files.endpoint(cluster, server.port(), server.readOnlyPort()));
        } catch (Exception e) {
            files.delete();
            throw new IllegalStateException("fake kubelet " + spec.name() + " did not start: " + e.getMessage(), e);
        }
    }

    Optional<KubeletEndpoint> endpoint(String node) {
        return Optional.ofNullable(endpoints.get(node));
    }

    @Override
    public void close() {
        for (var kubelet : running) {
            kubelet.node().stop();
            try {
                kubelet.server()
                        .close()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // closing Vert.x releases the ports anyway
            }
            kubelet.files().delete();
        }
        running.clear();
    }
}

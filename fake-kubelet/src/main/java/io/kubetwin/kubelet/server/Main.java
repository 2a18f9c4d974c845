package io.kubetwin.kubelet.server;

import io.kubetwin.client.ApiClient;
import io.kubetwin.kubelet.config.KubeletConfig;
import io.kubetwin.kubelet.config.KubeletFlags;
import io.kubetwin.kubelet.node.KubeletNode;
import io.kubetwin.kubelet.pods.InMemoryPodSource;
import io.kubetwin.kubelet.pods.PodSource;
import io.kubetwin.pki.Kubeconfig;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Command line: {@code fake-kubelet [kubelet flags]}; serves until interrupted. With {@code --kubeconfig} the node
 * registers with its apiserver and serves the pods bound to it; without, it is a standalone node without pods.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        List<String> flags = Arrays.asList(args);
        if (flags.contains("--help") || flags.contains("-h")) {
            System.out.println(KubeletFlags.usage());
            return;
        }
        KubeletConfig config;
        try {
            config = KubeletFlags.parse(flags);
        } catch (IllegalArgumentException e) {
            System.err.println("Error: " + e.getMessage());
            System.exit(1);
            return;
        }
        PodSource pods = new InMemoryPodSource();
        KubeletNode node = null;
        if (config.kubeconfig() != null) {
            // as the kubelet does with --kubeconfig: register the Node, report it Ready, watch its pods
            try {
                node = KubeletNode.start(
                        ApiClient.of(Kubeconfig.read(config.kubeconfig())),
                        config.nodeName(),
                        config.nodeIp(),
                        Clock.systemUTC());
                pods = node.pods();
            } catch (Exception e) {
                System.err.println("Warning: serving an empty node: " + e.getMessage());
            }
        }
        Vertx vertx = Vertx.vertx();
        KubeletServer server;
        try {
            server = KubeletServer.start(vertx, config, KubeletServer.Dependencies.of(pods, Clock.systemUTC()))
                    .await();
        } catch (Exception e) {
            System.err.println("Error: " + e.getMessage());
            vertx.close();
            System.exit(1);
            return;
        }
        System.out.println("fake kubelet " + config.nodeName() + " serving on " + config.address() + ":" + server.port()
                + (server.readOnlyPort() > 0 ? " (read-only port " + server.readOnlyPort() + ")" : ""));
        CountDownLatch stopped = new CountDownLatch(1);
        KubeletNode member = node;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (member != null) {
                member.stop();
            }
            server.close().await();
            vertx.close().await();
            stopped.countDown();
        }));
        stopped.await();
    }
}

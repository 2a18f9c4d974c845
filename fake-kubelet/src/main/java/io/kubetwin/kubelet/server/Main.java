package io.kubetwin.kubelet.server;

import io.kubetwin.kubelet.config.KubeletConfig;
import io.kubetwin.kubelet.config.KubeletFlags;
import io.kubetwin.kubelet.pods.InMemoryPodSource;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Command line: {@code fake-kubelet [kubelet flags]}; serves until interrupted. The node has no pods yet. */
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
        Vertx vertx = Vertx.vertx();
        KubeletServer server;
        try {
            server = KubeletServer.start(
                            vertx, config, KubeletServer.Dependencies.of(new InMemoryPodSource(), Clock.systemUTC()))
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
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close().await();
            vertx.close().await();
            stopped.countDown();
        }));
        stopped.await();
    }
}

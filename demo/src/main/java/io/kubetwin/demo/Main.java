package io.kubetwin.demo;

import io.kubetwin.apiserver.server.ApiServerFlags;
import io.kubetwin.apiserver.server.ClassDataSharing;
import io.kubetwin.apiserver.server.DemoDefaults;
import io.kubetwin.kubelet.server.EmbeddedKubelet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Command line: {@code kubetwin-demo [--nodes N] [fake-apiserver flags]}: the demo cluster, one process. Every flag
 * of {@code fake-apiserver --demo} is accepted ({@code --demo} itself is implied).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        long began = System.nanoTime();
        List<String> flags = new ArrayList<>(Arrays.asList(args));
        if (flags.contains("--help") || flags.contains("-h")) {
            System.out.println("Usage: kubetwin-demo [--nodes N] [fake-apiserver flags]");
            System.out.println("  --nodes N   fake kubelets registered as nodes kubetwin-node-1..N (default "
                    + DemoCluster.DEFAULT_NODES + "; 0: none)");
            System.out.println(ApiServerFlags.usage());
            return;
        }
        flags.remove("--demo");
        DemoCluster cluster;
        try {
            int nodes = nodes(flags);
            cluster = DemoCluster.start(flags, nodes);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("Error: " + e.getMessage());
            System.exit(1);
            return;
        }
        DemoDefaults.printServing(cluster.config(), cluster.server(), System.out);
        for (EmbeddedKubelet kubelet : cluster.kubelets()) {
            System.out.println("Node " + kubelet.name() + ": fake kubelet on https://127.0.0.1:" + kubelet.port()
                    + " (files in "
                    + cluster.config()
                            .certDir()
                            .resolve("kubelet-" + kubelet.name())
                            .toAbsolutePath()
                    + ")");
        }
        if (!cluster.kubelets().isEmpty()) {
            // no scheduler runs here: a pod is bound by its own spec.nodeName
            System.out.println("No scheduler: set spec.nodeName, e.g. kubectl run web --image=nginx --overrides="
                    + "'{\"spec\":{\"nodeName\":\"" + cluster.kubelets().get(0).name() + "\"}}'");
        }
        System.out.println("Demo cluster ready in " + (System.nanoTime() - began) / 1_000_000 + " ms");
        ClassDataSharing.exitIfTraining(cluster);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    /** Takes {@code --nodes N} or {@code --nodes=N} out of the flags. */
    static int nodes(List<String> flags) {
        int nodes = DemoCluster.DEFAULT_NODES;
        for (int i = 0; i < flags.size(); i++) {
            String flag = flags.get(i);
            String value;
            if (flag.equals("--nodes")) {
                if (i + 1 >= flags.size()) {
                    throw new IllegalArgumentException("flag needs an argument: --nodes");
                }
                value = flags.remove(i + 1);
            } else if (flag.startsWith("--nodes=")) {
                value = flag.substring("--nodes=".length());
            } else {
                continue;
            }
            flags.remove(i--);
            try {
                nodes = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                nodes = -1;
            }
            if (nodes < 0) {
                throw new IllegalArgumentException(
                        "invalid argument \"" + value + "\" for \"--nodes\" flag: not a count of nodes");
            }
        }
        return nodes;
    }
}

package io.kubetwin.scenarios.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubetwin.client.ApiClient;
import io.kubetwin.reference.BinaryLocator;
import io.kubetwin.reference.ManagedProcess;
import io.kubetwin.scenarios.model.KubeletSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The reference target's kubelets: for each of the suite's nodes, the real kubelet of the pinned release behind
 * k8s.io/cri-client's fake runtime (both from {@code ci/reference/build-kubelet.sh}), with the suite's
 * KubeletConfiguration ({@link KubeletFiles}) plus {@code ci/reference/kubelet-runtime.yaml} (no cgroups, no
 * evictions), as {@code ci/reference/run-kubelet.sh} starts it by hand. Ready when the kubelet's healthz answers and
 * its Node exists. Not thread-safe; closed once.
 */
final class ReferenceKubelets implements AutoCloseable {

    private static final String RUNTIME_SETTINGS = "ci/reference/kubelet-runtime.yaml";

    private final List<ManagedProcess> processes = new ArrayList<>();
    private final List<KubeletFiles> files = new ArrayList<>();
    private final Map<String, KubeletEndpoint> endpoints = new LinkedHashMap<>();

    static ReferenceKubelets start(
            KubeletBinaries binaries, ClusterFiles cluster, List<KubeletSpec> specs, String apiServer, ApiClient admin)
            throws Exception {
        var kubelets = new ReferenceKubelets();
        try {
            var runtime = runtimeSettings();
            for (var spec : specs) {
                kubelets.add(binaries, cluster, spec, apiServer, admin, runtime);
            }
            return kubelets;
        } catch (Exception e) {
            var logs = new StringBuilder();
            for (var p : kubelets.processes) {
                logs.append("\n--- ")
                        .append(p.name())
                        .append(" (alive=")
                        .append(p.alive())
                        .append(")\n")
                        .append(p.tail(25));
            }
            kubelets.close();
            throw new IllegalStateException(e.getMessage() + logs, e);
        }
    }

    private static JsonNode runtimeSettings() throws IOException {
        var file = BinaryLocator.repoFile(RUNTIME_SETTINGS);
        if (file == null) {
            throw new IllegalStateException(RUNTIME_SETTINGS + " not found");
        }
        return new YAMLMapper().readTree(file.toFile());
    }

    private void add(
            KubeletBinaries binaries,
            ClusterFiles cluster,
            KubeletSpec spec,
            String apiServer,
            ApiClient admin,
            JsonNode runtime)
            throws Exception {
        var node = KubeletFiles.write(cluster, spec, apiServer, runtime);
        files.add(node);
        Files.createDirectories(node.rootDir());
        Files.createDirectories(node.certDir());
        var cri = ManagedProcess.start(
                "fake-cri " + spec.name(),
                List.of(binaries.fakeCri().toString(), "unix://" + node.criSocket()),
                cluster.path("fake-cri-" + spec.name() + ".log"));
        processes.add(cri);
        ReferenceTarget.waitFor(
                "the fake container runtime's socket",
                cri,
                Duration.ofSeconds(20),
                () -> Files.exists(node.criSocket()));
        var kubelet = ManagedProcess.start(
                "kubelet " + spec.name(),
                List.of(
                        binaries.kubelet().toString(),
                        "--config=" + node.config(),
                        "--kubeconfig=" + node.kubeconfig(),
                        "--hostname-override=" + spec.name(),
                        "--root-dir=" + node.rootDir(),
                        "--cert-dir=" + node.certDir(),
                        "--v=1"),
                cluster.path("kubelet-" + spec.name() + ".log"));
        processes.add(kubelet);
        var healthz = ApiClient.anonymous(
                "http://127.0.0.1:" + node.healthzPort(), cluster.ca().certificate());
        ReferenceTarget.waitFor(
                "kubelet " + spec.name() + " healthz and its Node",
                kubelet,
                Duration.ofSeconds(120),
                () -> healthz.get("/healthz").code() == 200
                        && admin.get("/api/v1/nodes/" + spec.name()).code() == 200
                        && listening(node.port()));
        endpoints.put(spec.name(), node.endpoint(cluster, node.port(), node.readOnlyPort()));
    }

    /**
     * A bare TCP connect: an HTTP request would go through the kubelet's authentication and authorization and
     * leave a SubjectAccessReview answer in its cache before the suite's first step.
     */
    private static boolean listening(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    Optional<KubeletEndpoint> endpoint(String node) {
        return Optional.ofNullable(endpoints.get(node));
    }

    @Override
    public void close() {
        ReferenceTarget.closeAll(processes);
        processes.clear();
        for (var node : files) {
            unmountUnder(node.dir());
            node.delete();
        }
        files.clear();
    }

    /**
     * The real kubelet bind-mounts its root directory onto itself and mounts a tmpfs for every projected volume
     * (a pod's service-account token); it leaves them behind when it stops. Lazily unmounted, deepest first, so
     * that neither mounts nor directories pile up from run to run.
     */
    private static void unmountUnder(Path dir) {
        List<String> mounts;
        try {
            mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(line -> line.split(" ")[4].replace("\\040", " "))
                    .filter(point -> point.startsWith(dir + "/"))
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .toList();
        } catch (IOException | RuntimeException e) {
            return; // not Linux, or no procfs: nothing was mounted that we could see
        }
        for (var point : mounts) {
            try {
                var umount = new ProcessBuilder("umount", "-l", point)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                umount.waitFor(30, TimeUnit.SECONDS);
            } catch (IOException e) {
                return; // no umount: leave the rest as it is
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

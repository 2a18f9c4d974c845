package io.kubetwin.bench.target;

import io.kubetwin.bench.report.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The fake apiserver as a user starts it: {@code java -jar fake-apiserver.jar} with a cert dir, RBAC, on an ephemeral
 * 127.0.0.1 port. {@link #startMillis} is process start to the first authenticated answer.
 */
public final class FakeProcessTarget implements Target {
    private final Process process;
    private final String url;
    private final double startMillis;

    private FakeProcessTarget(Process process, String url, double startMillis) {
        this.process = process;
        this.url = url;
        this.startMillis = startMillis;
    }

    /**
     * Starts the jar with {@code certDir} (holding the bench CA, or empty for a cold start that generates its own:
     * then the first request uses the admin kubeconfig it writes) and waits for the first authenticated answer.
     */
    public static FakeProcessTarget start(
            Path jar, Path certDir, BenchPki pki, Path logDir, AuditLevel audit, Duration timeout) throws IOException {
        return start(jar, certDir, null, pki, logDir, audit, timeout);
    }

    /**
     * As {@link #start(Path, Path, BenchPki, Path, AuditLevel, Duration)}, with the objects in the embedded durable
     * store in {@code dataDir} ({@code --data-dir}, as the demo keeps them) when it is not null.
     */
    public static FakeProcessTarget start(
            Path jar, Path certDir, Path dataDir, BenchPki pki, Path logDir, AuditLevel audit, Duration timeout)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn -pl fake-apiserver -am package");
        }
        Files.createDirectories(logDir);
        int port = Processes.freePort();
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        classDataSharingArchive(jar).ifPresent(archive -> command.add("-XX:SharedArchiveFile=" + archive));
        command.addAll(List.of(
                "-jar",
                jar.toString(),
                "--secure-port=" + port,
                "--bind-address=127.0.0.1",
                "--cert-dir=" + certDir,
                "--authorization-mode=RBAC"));
        if (dataDir != null) {
            command.add("--data-dir=" + dataDir);
        }
        command.addAll(audit.flags(logDir));
        String url = "https://127.0.0.1:" + port;
        long began = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logDir.resolve("fake-apiserver.log").toFile())
                .start();
        try {
            long answered = pki != null
                    ? Processes.awaitAuthenticatedAnswer(url, pki.adminContext(), timeout, process)
                    : awaitWithWrittenKubeconfig(url, certDir, timeout, process);
            return new FakeProcessTarget(process, url, (answered - began) / 1e6);
        } catch (RuntimeException e) {
            Processes.stop(process);
            throw new IllegalStateException("fake apiserver process: " + e.getMessage(), e);
        }
    }

    /**
     * The class-data-sharing archive the build writes beside the jar ({@code fake-apiserver.jsa}), which a user
     * passes with {@code -XX:SharedArchiveFile} as the README's commands do; empty when the build skipped it.
     */
    public static java.util.Optional<Path> classDataSharingArchive(Path jar) {
        Path archive = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", ".jsa"));
        return Files.isRegularFile(archive) ? java.util.Optional.of(archive) : java.util.Optional.empty();
    }

    /** A cold cert dir: the admin credentials exist only once the fake has written its admin kubeconfig. */
    private static long awaitWithWrittenKubeconfig(String url, Path certDir, Duration timeout, Process process) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path kubeconfig = certDir.resolve("admin.kubeconfig");
        while (!Files.exists(kubeconfig)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("no " + kubeconfig + " within " + timeout.toSeconds() + " s");
            }
            Processes.sleep(5);
        }
        while (true) {
            io.kubetwin.pki.Kubeconfig kc;
            try {
                kc = io.kubetwin.pki.Kubeconfig.read(kubeconfig);
            } catch (IOException | RuntimeException e) {
                // still being written
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("unreadable " + kubeconfig + ": " + e.getMessage(), e);
                }
                Processes.sleep(5);
                continue;
            }
            return Processes.awaitAuthenticatedAnswer(
                    url,
                    io.kubetwin.pki.KeyStores.clientContext(kc),
                    Duration.ofNanos(Math.max(1, deadline - System.nanoTime())),
                    process);
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public double startMillis() {
        return startMillis;
    }

    @Override
    public String name() {
        return Report.FAKE_PROCESS;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public List<Long> pids() {
        return List.of(process.pid());
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}

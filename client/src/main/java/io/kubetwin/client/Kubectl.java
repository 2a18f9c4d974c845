package io.kubetwin.client;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real kubectl with a given kubeconfig, as a user would. The binary is {@code $KUBETWIN_KUBECTL}, else
 * {@code kubectl} on the PATH, else {@code /usr/bin/kubectl}. When there is none, {@link #unavailableReason()} says
 * why, for the caller to report a skip (a JUnit assumption, a skipped step); running it then fails.
 *
 * <p>Each instance has a home folder: kubectl's {@code HOME} (where it keeps its discovery cache, shared by every
 * kubeconfig naming the same server, as on a workstation) and working directory (relative {@code -f} paths). The
 * environment's {@code KUBECONFIG}, {@code KUBECACHEDIR} and in-cluster variables are not passed on. Immutable and
 * thread-safe; runs may overlap.
 */
public final class Kubectl {
    /** The environment variable naming the kubectl binary. */
    public static final String BINARY_VARIABLE = "KUBETWIN_KUBECTL";

    static final Path FALLBACK = Path.of("/usr/bin/kubectl");
    private static final long TIMEOUT_SECONDS = 120;

    /** Exit code, output and duration of one kubectl run. */
    public record Result(int exitCode, String stdout, String stderr, long millis) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private final Path binary;
    private final String unavailableReason;
    private final Path home;

    private Kubectl(Path binary, String unavailableReason, Path home) {
        this.binary = binary;
        this.unavailableReason = unavailableReason;
        this.home = home;
    }

    /** The kubectl of this machine (see the class comment), run with {@code home} as HOME and working directory. */
    public static Kubectl find(Path home) {
        return find(System.getenv(), FALLBACK, home);
    }

    static Kubectl find(Map<String, String> env, Path fallback, Path home) {
        String named = env.get(BINARY_VARIABLE);
        if (named != null && !named.isBlank()) {
            Path path = Path.of(named);
            return Files.isExecutable(path)
                    ? new Kubectl(path, null, home)
                    : new Kubectl(null, "$" + BINARY_VARIABLE + " (" + named + ") is not an executable file", home);
        }
        String searchPath = env.getOrDefault("PATH", "");
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
                return new Kubectl(Path.of(dir, "kubectl"), null, home);
            }
        }
        if (Files.isExecutable(fallback)) {
            return new Kubectl(fallback, null, home);
        }
        return new Kubectl(
                null, "no kubectl on the PATH or at " + fallback + " (set " + BINARY_VARIABLE + " to its path)", home);
    }

    /** Why kubectl cannot run here; empty when it can. */
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailableReason);
    }

    public boolean available() {
        return binary != null;
    }

    /** kubectl's HOME and working directory. */
    public Path home() {
        return home;
    }

    public Result run(Path kubeconfig, String... args) {
        return run(kubeconfig, List.of(args), null);
    }

    public Result runWithInput(Path kubeconfig, String stdin, String... args) {
        return run(kubeconfig, List.of(args), stdin);
    }

    /**
     * Runs {@code kubectl args...} with {@code KUBECONFIG=kubeconfig}, writing {@code stdin} (null for none) to it,
     * and waits for it to exit (two minutes at most). Fails with {@link IllegalStateException} when kubectl is
     * unavailable or times out, {@link UncheckedIOException} when it cannot be started.
     */
    public Result run(Path kubeconfig, List<String> args, String stdin) {
        return run(kubeconfig, args, stdin, Map.of());
    }

    /** {@link #run(Path, List, String)} with more environment variables (e.g. kubectl's feature switches). */
    public Result run(Path kubeconfig, List<String> args, String stdin, Map<String, String> environment) {
        ProcessBuilder builder = builder(kubeconfig, args);
        builder.environment().putAll(environment);
        List<String> command = builder.command();
        long start = System.nanoTime();
        try {
            Process process = builder.start();
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl timed out after " + TIMEOUT_SECONDS + " s: " + args);
            }
            return new Result(process.exitValue(), out.join(), err.join(), (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running kubectl " + args, e);
        }
    }

    /**
     * Starts {@code kubectl args...} for a command that does not end by itself ({@code attach}, {@code logs -f},
     * {@code port-forward}): the caller reads its output and destroys it.
     */
    public Process start(Path kubeconfig, String... args) {
        return start(kubeconfig, Map.of(), args);
    }

    /** {@link #start(Path, String...)} with more environment variables (e.g. kubectl's feature switches). */
    public Process start(Path kubeconfig, Map<String, String> environment, String... args) {
        ProcessBuilder builder = builder(kubeconfig, List.of(args));
        builder.environment().putAll(environment);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + builder.command(), e);
        }
    }

    private ProcessBuilder builder(Path kubeconfig, List<String> args) {
        if (binary == null) {
            throw new IllegalStateException(unavailableReason);
        }
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        Map<String, String> env = builder.environment();
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("HOME", home.toString());
        env.remove("KUBECACHEDIR");
        env.remove("KUBERNETES_SERVICE_HOST");
        env.remove("KUBERNETES_SERVICE_PORT");
        return builder;
    }

    /** Reads a pipe to its end on a thread of its own (blocking reads do not belong in a shared pool). */
    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (in) {
                        text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        text.completeExceptionally(new UncheckedIOException(e));
                    }
                },
                "kubectl-output");
        reader.setDaemon(true);
        reader.start();
        return text;
    }
}

package io.kubetwin.scenarios.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs kubectl with a given kubeconfig. The binary is {@code $KUBETWIN_KUBECTL} or {@code /usr/bin/kubectl}. */
public final class Kubectl {

    public record Result(int exitCode, String stdout, String stderr, long millis) {}

    private final Path binary;

    public Kubectl() {
        var env = System.getenv("KUBETWIN_KUBECTL");
        this.binary = Path.of(env != null && !env.isBlank() ? env : "/usr/bin/kubectl");
    }

    public boolean available() {
        return Files.isExecutable(binary);
    }

    public Path binary() {
        return binary;
    }

    public Result run(Path kubeconfig, List<String> args, String stdin, Path workDir)
            throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        command.add(binary.toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(args);
        var builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().remove("KUBECONFIG");
        // kubectl writes its discovery cache under $HOME/.kube/cache: keep runs independent of each other.
        builder.environment().put("HOME", workDir.toString());
        builder.environment().put("KUBECACHEDIR", workDir.resolve(".kube-cache").toString());
        long start = System.nanoTime();
        var process = builder.start();
        var out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        var err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("kubectl timed out: " + args);
        }
        return new Result(process.exitValue(), out.join(), err.join(), (System.nanoTime() - start) / 1_000_000);
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}

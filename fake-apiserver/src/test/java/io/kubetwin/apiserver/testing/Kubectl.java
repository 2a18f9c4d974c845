package io.kubetwin.apiserver.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl (/usr/bin/kubectl, or $KUBECTL) with a given kubeconfig, as a user would. */
public final class Kubectl {
    private final Path binary;
    private final Path home;

    private Kubectl(Path binary, Path home) {
        this.binary = binary;
        this.home = home;
    }

    /**
     * The kubectl on this machine, or null when there is none (tests then skip with a message).
     * {@code home} is its HOME: it keeps the discovery cache there, shared by every kubeconfig that
     * names the same server, as on a workstation.
     */
    public static Kubectl find(Path home) {
        String env = System.getenv("KUBECTL");
        for (String candidate : new String[] {env, "/usr/bin/kubectl", "/usr/local/bin/kubectl"}) {
            if (candidate != null && Files.isExecutable(Path.of(candidate))) {
                return new Kubectl(Path.of(candidate), home);
            }
        }
        return null;
    }

    public Result run(Path kubeconfig, String... args) {
        return runWithInput(kubeconfig, null, args);
    }

    public Result runWithInput(Path kubeconfig, String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("KUBERNETES_SERVICE_HOST");
        try {
            Path out = Files.createTempFile(kubeconfig.getParent(), "kubectl", ".out");
            Path err = Files.createTempFile(kubeconfig.getParent(), "kubectl", ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("kubectl timed out: " + command);
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Exit code and output of one kubectl run. */
    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}

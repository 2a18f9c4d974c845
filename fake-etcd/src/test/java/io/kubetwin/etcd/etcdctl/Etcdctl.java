package io.kubetwin.etcd.etcdctl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real etcdctl binary ({@code KUBETWIN_ETCDCTL}) with TLS flags against one endpoint. */
final class Etcdctl {
    /** The etcdctl built by ci/reference/build-etcdctl.sh, exported by ci/test.sh; null when absent. */
    static Path binary() {
        String env = System.getenv("KUBETWIN_ETCDCTL");
        if (env == null || env.isBlank() || !Files.isExecutable(Path.of(env))) {
            return null;
        }
        return Path.of(env);
    }

    /** What one invocation printed. */
    record Result(int exitCode, String stdout, String stderr) {}

    private final Path binary;
    private final List<String> global;

    Etcdctl(Path binary, String endpoint, Path ca, Path cert, Path key) {
        this.binary = binary;
        this.global =
                new ArrayList<>(List.of("--endpoints", endpoint, "--dial-timeout", "2s", "--command-timeout", "5s"));
        if (ca != null) {
            global.addAll(List.of("--cacert", ca.toString()));
        }
        if (cert != null) {
            global.addAll(List.of("--cert", cert.toString(), "--key", key.toString()));
        }
    }

    /** Runs to completion (at most 30 s, then killed). */
    Result run(String stdin, List<String> args) {
        return run(stdin, args, 0);
    }

    /**
     * Runs; with {@code stopAfterLines} > 0 (a watch, which never ends by itself) the process is stopped half a
     * second after stdout has that many lines (or after 15 s), and its exit code is reported as 0.
     */
    Result run(String stdin, List<String> args, int stopAfterLines) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(global);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // etcdctl refuses flags that an ETCDCTL_* variable also sets; start from a clean environment
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCDCTL_"));
        try {
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread o = pump(p.getInputStream(), out);
            Thread e = pump(p.getErrorStream(), err);
            int code;
            if (stopAfterLines > 0) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (System.nanoTime() < deadline && p.isAlive() && lines(out) < stopAfterLines) {
                    Thread.sleep(50);
                }
                if (p.isAlive()) {
                    Thread.sleep(500); // anything beyond the expected lines still shows up, and differs
                    p.destroy();
                    p.waitFor(10, TimeUnit.SECONDS);
                    code = 0;
                } else {
                    code = p.exitValue();
                }
            } else {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                code = p.waitFor();
            }
            o.join(5000);
            e.join(5000);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static int lines(ByteArrayOutputStream out) {
        synchronized (out) {
            return (int) out.toString(StandardCharsets.UTF_8)
                    .chars()
                    .filter(c -> c == '\n')
                    .count();
        }
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (to) {
                        to.write(buf, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }
}

package io.kubetwin.reference;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference etcdctl v3.6.4 against one endpoint, to read and write raw values under the apiserver's keys.
 * Found by {@code $KUBETWIN_ETCDCTL}, the system property {@code kubetwin.etcdctl}, or
 * {@code ci/reference/build-etcdctl.sh --print-only}.
 */
public final class Etcdctl {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path binary;
    private final List<String> connection;

    private Etcdctl(Path binary, List<String> connection) {
        this.binary = binary;
        this.connection = connection;
    }

    /** Finds the binary or explains why it cannot be found. */
    public static BinaryLocator.Found locate() {
        return BinaryLocator.locateFile("kubetwin.etcdctl", "KUBETWIN_ETCDCTL", "ci/reference/build-etcdctl.sh");
    }

    /** etcdctl for a plain-HTTP endpoint. */
    public static Etcdctl of(Path binary, String endpoint) {
        return new Etcdctl(binary, List.of("--endpoints=" + endpoint));
    }

    /** etcdctl for a TLS endpoint, with a client certificate. */
    public static Etcdctl of(Path binary, String endpoint, KubeApiServerProcess.EtcdClientTls tls) {
        return new Etcdctl(
                binary,
                List.of(
                        "--endpoints=" + endpoint,
                        "--cacert=" + tls.ca(),
                        "--cert=" + tls.cert(),
                        "--key=" + tls.key()));
    }

    /** The raw value of a key. */
    public byte[] get(String key) throws IOException, InterruptedException {
        var kvs = JSON.readTree(run(null, "get", key, "-w", "json")).path("kvs");
        if (kvs.isEmpty()) {
            throw new IllegalStateException("no key " + key + " in etcd");
        }
        return Base64.getDecoder().decode(kvs.get(0).path("value").asText());
    }

    /** Writes raw bytes under a key (given on etcdctl's standard input). */
    public void put(String key, byte[] value) throws IOException, InterruptedException {
        run(value, "put", key);
    }

    /** How one etcdctl command ended: its exit code (-1 when it was killed at the time limit) and its outputs. */
    public record Outcome(int exitCode, String stdout, String stderr) {}

    /**
     * Runs one etcdctl command to its end, or kills it after {@code timeout}, and reports how it ended without
     * throwing: for commands whose verdict is their exit code and output ({@code check perf}). Both outputs go to
     * files while it runs, so a long or chatty command never blocks on a full pipe.
     */
    public Outcome runToEnd(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(connection);
        command.addAll(List.of(args));
        Path out = Files.createTempFile("etcdctl", ".out");
        Path err = Files.createTempFile("etcdctl", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            // etcdctl refuses flags that an ETCDCTL_* variable also sets
            pb.environment().keySet().removeIf(k -> k.startsWith("ETCDCTL_"));
            Process p = pb.start();
            int code;
            if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                code = p.exitValue();
            } else {
                p.destroyForcibly().waitFor();
                code = -1;
            }
            return new Outcome(
                    code,
                    new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
                    new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs one etcdctl command and returns its standard output; a failure throws with its standard error. */
    public String run(byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(connection);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin);
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("etcdctl " + String.join(" ", args) + " failed: " + err);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}

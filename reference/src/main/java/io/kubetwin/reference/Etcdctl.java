package io.kubetwin.reference;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

package io.kubetwin.reference;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real etcd (the reference's v3.6.4 binary) as one member on 127.0.0.1 ephemeral ports, its log in
 * {@code DIR/etcd.log}: plain HTTP, or TLS for clients with or without required client certificates.
 */
public final class EtcdProcess implements AutoCloseable {

    /**
     * The client listener's TLS: etcd's {@code --cert-file}, {@code --key-file}, {@code --trusted-ca-file} (none when
     * null) and {@code --client-cert-auth}.
     */
    public record ServerTls(Path cert, Path key, Path trustedCa, boolean clientCertAuth) {}

    private final ManagedProcess process;
    private final String url;

    private EtcdProcess(ManagedProcess process, String url) {
        this.process = process;
        this.url = url;
    }

    /** The client URL ({@code http://} or {@code https://127.0.0.1:PORT}). */
    public String url() {
        return url;
    }

    public ManagedProcess process() {
        return process;
    }

    public static Builder builder(Path binary, Path dir) {
        return new Builder(binary, dir);
    }

    /**
     * Runs etcd with a command line of the caller's (the binary and every flag), for tests that give the real etcd
     * exactly the flags they give the fake one, and waits until it serves on {@code clientPort}.
     */
    public static EtcdProcess start(List<String> command, String url, int clientPort, Path log, Duration readyTimeout)
            throws IOException, InterruptedException {
        var process = ManagedProcess.start("etcd", command, log);
        var etcd = new EtcdProcess(process, url);
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.alive()) {
                etcd.close();
                throw new IllegalStateException("etcd exited: " + process.tail(30));
            }
            // etcd binds its listener before the member is ready; this line comes once it serves
            if (Files.readString(process.log()).contains("ready to serve client requests") && accepts(clientPort)) {
                return etcd;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        etcd.close();
        throw new IllegalStateException("etcd not ready in " + readyTimeout + ": " + process.tail(30));
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.close();
    }

    /** How to start it. */
    public static final class Builder {
        private final Path binary;
        private final Path dir;
        private String name = "default";
        private ServerTls tls;
        private boolean fsync;
        private final List<String> extraFlags = new ArrayList<>();
        private Duration readyTimeout = Duration.ofSeconds(60);

        private Builder(Path binary, Path dir) {
            this.binary = binary;
            this.dir = dir;
        }

        public Builder name(String memberName) {
            this.name = memberName;
            return this;
        }

        /** TLS on the client listener; without it clients speak plain HTTP. */
        public Builder tls(ServerTls serverTls) {
            this.tls = serverTls;
            return this;
        }

        /** Off by default: a test store gains nothing from an fsync per write but time. */
        public Builder fsync(boolean on) {
            this.fsync = on;
            return this;
        }

        public Builder flags(String... flags) {
            extraFlags.addAll(List.of(flags));
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        /** Starts it and waits until it serves clients. */
        public EtcdProcess start() throws IOException, InterruptedException {
            Files.createDirectories(dir);
            int clientPort = LocalPorts.free();
            int peerPort = LocalPorts.free();
            String url = (tls == null ? "http" : "https") + "://127.0.0.1:" + clientPort;
            String peerUrl = "http://127.0.0.1:" + peerPort;
            List<String> command = new ArrayList<>(List.of(
                    binary.toString(),
                    "--name=" + name,
                    "--data-dir=" + dir.resolve("etcd-data"),
                    "--listen-client-urls=" + url,
                    "--advertise-client-urls=" + url,
                    "--listen-peer-urls=" + peerUrl,
                    "--initial-advertise-peer-urls=" + peerUrl,
                    "--initial-cluster=" + name + "=" + peerUrl));
            if (!fsync) {
                command.add("--unsafe-no-fsync=true");
            }
            if (tls != null) {
                command.add("--cert-file=" + tls.cert());
                command.add("--key-file=" + tls.key());
                if (tls.trustedCa() != null) {
                    command.add("--trusted-ca-file=" + tls.trustedCa());
                }
                if (tls.clientCertAuth()) {
                    command.add("--client-cert-auth");
                }
            }
            command.addAll(extraFlags);
            return EtcdProcess.start(command, url, clientPort, dir.resolve("etcd.log"), readyTimeout);
        }
    }
}

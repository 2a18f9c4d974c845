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
 * A real etcd (the reference's v3.6.4 binary) on 127.0.0.1 ephemeral ports: one member, its log in
 * {@code DIR/etcd.log}, or a cluster of several ({@link Builder#startCluster}), each member's log in
 * {@code DIR/etcd-N.log}; plain HTTP, or TLS for clients (and for peers) with or without required client
 * certificates.
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
        var etcd = new EtcdProcess(ManagedProcess.start("etcd", command, log), url);
        etcd.awaitReady(clientPort, System.nanoTime() + readyTimeout.toNanos(), readyTimeout);
        return etcd;
    }

    /** Closes this member (and throws) unless it serves on {@code clientPort} before {@code deadline}. */
    private void awaitReady(int clientPort, long deadline, Duration readyTimeout)
            throws IOException, InterruptedException {
        while (System.nanoTime() < deadline) {
            if (!process.alive()) {
                close();
                throw new IllegalStateException(process.name() + " exited: " + process.tail(30));
            }
            // etcd binds its listener before the member is ready (a cluster member: once it has a leader);
            // this line comes once it serves
            if (Files.readString(process.log()).contains("ready to serve client requests") && accepts(clientPort)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        close();
        throw new IllegalStateException(process.name() + " not ready in " + readyTimeout + ": " + process.tail(30));
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
        private ServerTls peerTls;
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

        /**
         * TLS on the peer listener ({@code --peer-cert-file}, {@code --peer-key-file}, {@code --peer-trusted-ca-file},
         * {@code --peer-client-cert-auth}); the certificate must serve 127.0.0.1 and be good for client use too, as
         * members dial each other with it. Without it peers speak plain HTTP.
         */
        public Builder peerTls(ServerTls serverTls) {
            this.peerTls = serverTls;
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
            Member member = new Member(name, LocalPorts.free(), LocalPorts.free());
            List<String> command = command(member, member.name() + "=" + peerUrl(member), dir.resolve("etcd-data"));
            return EtcdProcess.start(command, url(member), member.clientPort(), dir.resolve("etcd.log"), readyTimeout);
        }

        /**
         * Starts a cluster of {@code members} members named {@code NAME-0}, {@code NAME-1}, ..., each with its data in
         * {@code DIR/NAME-N} and its log in {@code DIR/etcd-N.log}, and waits until every one serves clients (which a
         * member does only once the cluster has elected a leader, so they are all started before any is awaited).
         */
        public EtcdCluster startCluster(int members) throws IOException, InterruptedException {
            if (members < 1) {
                throw new IllegalArgumentException("a cluster needs a member");
            }
            Files.createDirectories(dir);
            List<Member> all = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                all.add(new Member(name + "-" + i, LocalPorts.free(), LocalPorts.free()));
            }
            String initialCluster = String.join(
                    ",", all.stream().map(m -> m.name() + "=" + peerUrl(m)).toList());
            List<EtcdProcess> started = new ArrayList<>();
            try {
                for (int i = 0; i < members; i++) {
                    Member m = all.get(i);
                    List<String> command = command(m, initialCluster, dir.resolve(m.name()));
                    command.add("--initial-cluster-state=new");
                    started.add(new EtcdProcess(
                            ManagedProcess.start("etcd-" + i, command, dir.resolve("etcd-" + i + ".log")), url(m)));
                }
                long deadline = System.nanoTime() + readyTimeout.toNanos();
                for (int i = 0; i < members; i++) {
                    started.get(i).awaitReady(all.get(i).clientPort(), deadline, readyTimeout);
                }
                return new EtcdCluster(started);
            } catch (IOException | InterruptedException | RuntimeException e) {
                started.forEach(EtcdProcess::close);
                throw e;
            }
        }

        private record Member(String name, int clientPort, int peerPort) {}

        private String url(Member m) {
            return (tls == null ? "http" : "https") + "://127.0.0.1:" + m.clientPort();
        }

        private String peerUrl(Member m) {
            return (peerTls == null ? "http" : "https") + "://127.0.0.1:" + m.peerPort();
        }

        private List<String> command(Member m, String initialCluster, Path dataDir) {
            List<String> command = new ArrayList<>(List.of(
                    binary.toString(),
                    "--name=" + m.name(),
                    "--data-dir=" + dataDir,
                    "--listen-client-urls=" + url(m),
                    "--advertise-client-urls=" + url(m),
                    "--listen-peer-urls=" + peerUrl(m),
                    "--initial-advertise-peer-urls=" + peerUrl(m),
                    "--initial-cluster=" + initialCluster));
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
            if (peerTls != null) {
                command.add("--peer-cert-file=" + peerTls.cert());
                command.add("--peer-key-file=" + peerTls.key());
                if (peerTls.trustedCa() != null) {
                    command.add("--peer-trusted-ca-file=" + peerTls.trustedCa());
                }
                if (peerTls.clientCertAuth()) {
                    command.add("--peer-client-cert-auth");
                }
            }
            command.addAll(extraFlags);
            return command;
        }
    }
}

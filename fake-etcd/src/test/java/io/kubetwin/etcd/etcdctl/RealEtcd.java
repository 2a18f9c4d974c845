package io.kubetwin.etcd.etcdctl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The reference etcd binary ({@code KUBETWIN_REFERENCE_BIN}/etcd) as a child process, stopped on close. */
final class RealEtcd implements AutoCloseable {
    private final Process process;

    private RealEtcd(Process process) {
        this.process = process;
    }

    static Path binary() {
        String bin = System.getenv("KUBETWIN_REFERENCE_BIN");
        if (bin == null || bin.isBlank() || !Files.isExecutable(Path.of(bin, "etcd"))) {
            return null;
        }
        return Path.of(bin, "etcd");
    }

    /** Starts etcd with {@code flags} and waits (at most 30 s) until its client port accepts connections. */
    static RealEtcd start(Path binary, List<String> flags, int clientPort, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(flags);
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            RealEtcd etcd = new RealEtcd(p);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("etcd exited: " + Files.readString(log));
                }
                if (Files.readString(log).contains("ready to serve client requests") && accepts(clientPort)) {
                    return etcd;
                }
                Thread.sleep(100);
            }
            etcd.close();
            throw new IllegalStateException("etcd did not start: " + Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.kubetwin.bench.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/** Helpers for the process targets: free ports, readiness, resident memory, stopping. */
public final class Processes {
    private Processes() {}

    /** An ephemeral port on 127.0.0.1 that was free a moment ago. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Polls {@code GET /api/v1/namespaces/default} with {@code tls}'s client certificate until it is answered 200,
     * every 5 ms, and answers {@link System#nanoTime()} at that moment; fails after {@code timeout} or when
     * {@code process} (when given) exits first.
     */
    public static long awaitAuthenticatedAnswer(String url, SSLContext tls, Duration timeout, Process process) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/v1/namespaces/default"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("exited with " + process.exitValue() + " before answering");
            }
            try {
                HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return System.nanoTime();
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            sleep(5);
        }
        throw new IllegalStateException("no authenticated answer within " + timeout.toSeconds() + " s: " + last);
    }

    /** VmRSS of a process in bytes, from /proc; empty where /proc is not there or the process is gone. */
    public static OptionalLong residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone or not Linux: no figure
        }
        return OptionalLong.empty();
    }

    /** The summed resident memory of {@code pids} in MiB, NaN when any is unknown. */
    public static double residentMib(List<Long> pids) {
        if (pids.isEmpty()) {
            return Double.NaN;
        }
        long total = 0;
        for (long pid : pids) {
            OptionalLong rss = residentBytes(pid);
            if (rss.isEmpty()) {
                return Double.NaN;
            }
            total += rss.getAsLong();
        }
        return total / (1024.0 * 1024.0);
    }

    /** SIGTERM, then SIGKILL after 10 s; waits for the exit. */
    public static void stop(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

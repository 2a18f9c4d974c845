package io.kubetwin.scan;

import io.kubetwin.reference.ReferenceBinaries;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The reference's etcd, started as the reference target starts its own (plain HTTP on 127.0.0.1, no client
 * certificates), for the etcd probes; the reference target does not expose its etcd URL.
 */
record ReferenceEtcd(Process process, String url) implements AutoCloseable {

    static ReferenceEtcd start(ReferenceBinaries binaries, Path dir) throws Exception {
        Files.createDirectories(dir);
        int client = ScanTargets.freePort();
        int peer = ScanTargets.freePort();
        var url = "http://127.0.0.1:" + client;
        var process = new ProcessBuilder(
                        binaries.etcd().toString(),
                        "--name=scan",
                        "--data-dir=" + dir.resolve("data"),
                        "--listen-client-urls=" + url,
                        "--advertise-client-urls=" + url,
                        "--listen-peer-urls=http://127.0.0.1:" + peer,
                        "--initial-advertise-peer-urls=http://127.0.0.1:" + peer,
                        "--initial-cluster=scan=http://127.0.0.1:" + peer,
                        "--log-level=warn",
                        "--unsafe-no-fsync=true")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("etcd.log").toFile())
                .start();
        var etcd = new ReferenceEtcd(process, url);
        var http = HttpClient.newHttpClient();
        var deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try {
                var r = http.send(
                        HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return etcd;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        etcd.close();
        throw new IllegalStateException("etcd did not start: " + Files.readString(dir.resolve("etcd.log")));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

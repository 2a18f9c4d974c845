package io.kubetwin.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events per second delivered to {@code watchers} watches of the ConfigMaps of {@link Fixtures#NS_WATCH} while
 * {@code concurrency} writers create ConfigMaps there for the measured phase (bounded in time and writes). Each
 * watch is a streamed HTTP/1.1 response read line by line (one JSON event per line) on a thread of its own; the
 * watches ask the server to end them ({@code timeoutSeconds}) and are closed at the end in any case.
 */
public final class WatchFanOut {
    private static final Duration GRACE = Duration.ofSeconds(5);

    private WatchFanOut() {}

    /** Answers a result whose {@code requests} are the delivered events, and latencies those of the writes. */
    public static LoadResult run(HttpClient client, String url, int watchers, LoadSpec spec, String runId)
            throws IOException, InterruptedException {
        String path = Fixtures.configMapsPath(Fixtures.NS_WATCH);
        long timeoutSeconds = spec.measure().plus(GRACE).toSeconds() + 5;
        AtomicLong delivered = new AtomicLong();
        List<InputStream> streams = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        try {
            HttpRequest watch = HttpRequest.newBuilder(
                            URI.create(url + path + "?watch=true&timeoutSeconds=" + timeoutSeconds))
                    .header("Accept", "application/json")
                    .build();
            for (int i = 0; i < watchers; i++) {
                HttpResponse<InputStream> r = client.send(watch, HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() != 200) {
                    r.body().close();
                    throw new IllegalStateException("watch answered HTTP " + r.statusCode());
                }
                streams.add(r.body());
                Thread reader = new Thread(() -> count(r.body(), delivered), "watch-" + i);
                reader.setDaemon(true);
                readers.add(reader);
                reader.start();
            }
            // existing objects arrive as ADDED first: count only what the writes cause
            Thread.sleep(200);
            long before = delivered.get();
            LoadGenerator writers = new LoadGenerator(client, url);
            String prefix = "w-" + runId;
            Operation create = new Operation(
                    Operations.WATCH,
                    path,
                    201,
                    (u, seq) -> Operations.post(
                            u + path, Fixtures.configMapJson(Fixtures.NS_WATCH, prefix + "-" + seq, seq)));
            long began = System.nanoTime();
            LoadResult writes = writers.run(
                    create, new LoadSpec(Duration.ZERO, spec.measure(), spec.maxRequests(), spec.concurrency()));
            long expected = before + writes.requests() * watchers;
            long graceEnd = System.nanoTime() + GRACE.toNanos();
            while (delivered.get() < expected && System.nanoTime() < graceEnd) {
                Thread.sleep(10);
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            long events = delivered.get() - before;
            String error = writes.firstError();
            if (events < writes.requests() * watchers && error == null) {
                error = "only " + events + " of " + writes.requests() * watchers + " events delivered";
            }
            return new LoadResult(events, writes.errors(), seconds, writes.p50Millis(), writes.p99Millis(), error);
        } finally {
            for (InputStream s : streams) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing a watch that already ended
                }
            }
            for (Thread t : readers) {
                t.interrupt();
                t.join(2000);
            }
        }
    }

    private static void count(InputStream body, AtomicLong delivered) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    delivered.incrementAndGet();
                }
            }
        } catch (IOException e) {
            // the watch was closed
        }
    }
}

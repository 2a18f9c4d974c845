package io.kubetwin.bench.load;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The one load generator for every target: {@code concurrency} platform threads over one JDK HTTP/1.1 client (one
 * keep-alive TLS connection per worker, the client certificate of the given {@link javax.net.ssl.SSLContext}), each
 * sending its next request when the last is answered and its body read. Latencies go to an HdrHistogram recorder
 * during the measured phase only. Every phase is bounded in time and the measured one in requests.
 */
public final class LoadGenerator {
    private final HttpClient client;
    private final String baseUrl;
    private final AtomicLong sequence = new AtomicLong();

    public LoadGenerator(HttpClient client, String baseUrl) {
        this.client = client;
        this.baseUrl = baseUrl;
    }

    public LoadResult run(Operation operation, LoadSpec spec) throws InterruptedException {
        phase(operation, spec.concurrency(), spec.warmup().toNanos(), Long.MAX_VALUE, null);
        Recorder recorder = new Recorder(3);
        long began = System.nanoTime();
        Counts counts = phase(operation, spec.concurrency(), spec.measure().toNanos(), spec.maxRequests(), recorder);
        double seconds = (System.nanoTime() - began) / 1e9;
        Histogram h = recorder.getIntervalHistogram();
        return new LoadResult(
                counts.ok.get(),
                counts.errors.get(),
                seconds,
                h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(50) / 1e3,
                h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1e3,
                counts.firstError.get());
    }

    private record Counts(AtomicLong ok, AtomicLong errors, AtomicReference<String> firstError) {}

    private Counts phase(Operation operation, int concurrency, long nanos, long maxRequests, Recorder recorder)
            throws InterruptedException {
        Counts counts = new Counts(new AtomicLong(), new AtomicLong(), new AtomicReference<>());
        if (nanos <= 0) {
            return counts;
        }
        long deadline = System.nanoTime() + nanos;
        AtomicLong budget = new AtomicLong(maxRequests);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Thread t = new Thread(
                    () -> {
                        while (System.nanoTime() < deadline && budget.getAndDecrement() > 0) {
                            long start = System.nanoTime();
                            try {
                                HttpResponse<Void> r = client.send(
                                        operation.request(baseUrl, sequence.incrementAndGet()),
                                        HttpResponse.BodyHandlers.discarding());
                                if (r.statusCode() == operation.expectedStatus()) {
                                    counts.ok.incrementAndGet();
                                    if (recorder != null) {
                                        recorder.recordValue((System.nanoTime() - start) / 1000);
                                    }
                                } else {
                                    error(counts, "HTTP " + r.statusCode() + " for " + operation.name());
                                }
                            } catch (IOException e) {
                                error(counts, e.toString());
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "load-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            // a request has its own timeout: a worker ends at most that long after the deadline
            t.join();
        }
        return counts;
    }

    private static void error(Counts counts, String what) {
        counts.errors.incrementAndGet();
        counts.firstError.compareAndSet(null, what);
    }
}

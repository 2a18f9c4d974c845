package io.kubetwin.apiserver.testing;

import io.kubetwin.pki.Credential;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A bounded burst of concurrent HTTPS requests over several HTTP/2 connections, each request carrying its own
 * {@code Audit-ID}: for the audit load tests and the benchmark. Bounded in count and in time: it stops sending
 * when the time limit passes and reports how many requests were answered.
 *
 * @param connections HTTP/2 connections, each multiplexing up to {@code inFlight / connections} streams
 */
public record Burst(String url, String caPem, Credential client, int connections, int inFlight, Duration limit) {

    /** What one request is: its path; it is sent as a GET with {@code Audit-ID: <prefix><index>}. */
    public interface Requests extends IntFunction<String> {}

    /**
     * @param answered audit ID to the HTTP status the server answered (requests that failed at the transport
     *                 level are missing, and counted in {@code transportErrors})
     */
    public record Result(Map<String, Integer> answered, int transportErrors, boolean timedOut, Duration elapsed) {
        public double requestsPerSecond() {
            return answered.size() / Math.max(1e-9, elapsed.toNanos() / 1e9);
        }

        /** How many answers had each status code. */
        public Map<Integer, Integer> codes() {
            Map<Integer, Integer> codes = new TreeMap<>();
            answered.values().forEach(c -> codes.merge(c, 1, Integer::sum));
            return codes;
        }
    }

    /** Sends {@code count} requests with at most {@link #inFlight} outstanding; completes when all are answered. */
    public Future<Result> run(Vertx vertx, int count, String auditIdPrefix, Requests requests) {
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            HttpClientOptions options = new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2)
                    .setSsl(true)
                    .setUseAlpn(true)
                    .setDefaultHost(host())
                    .setDefaultPort(port())
                    .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(caPem)))
                    .setKeyCertOptions(new PemKeyCertOptions()
                            .addCertValue(Buffer.buffer(client.certificatePem()))
                            .addKeyValue(Buffer.buffer(client.privateKeyPkcs8Pem())));
            clients.add(vertx.createHttpClient(options, new PoolOptions().setHttp2MaxSize(1)));
        }
        Map<String, Integer> answered = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long began = System.nanoTime();
        long deadline = began + limit.toNanos();
        Promise<Result> finished = Promise.promise();
        Runnable[] send = new Runnable[1];
        send[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= count || System.nanoTime() > deadline) {
                if (done.incrementAndGet() == Math.min(inFlight, count)) {
                    boolean timedOut = answered.size() + errors.get() < count;
                    finished.complete(new Result(
                            Map.copyOf(answered), errors.get(), timedOut, Duration.ofNanos(System.nanoTime() - began)));
                }
                return;
            }
            String auditId = auditIdPrefix + i;
            HttpClient http = clients.get(i % clients.size());
            http.request(new RequestOptions()
                            .setMethod(HttpMethod.GET)
                            .setURI(requests.apply(i))
                            .putHeader("Audit-ID", auditId)
                            .putHeader("Accept", "application/json")
                            .putHeader("User-Agent", "kubetwin-burst/1.0"))
                    .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
                    .onComplete(ar -> {
                        if (ar.succeeded()) {
                            answered.put(auditId, ar.result());
                        } else {
                            errors.incrementAndGet();
                        }
                        send[0].run();
                    });
        };
        for (int w = 0; w < Math.min(inFlight, count); w++) {
            send[0].run();
        }
        return finished.future()
                .eventually(
                        () -> Future.all(clients.stream().map(HttpClient::close).toList()));
    }

    private String host() {
        String rest = url.substring(url.indexOf("://") + 3);
        return rest.startsWith("[") ? rest.substring(1, rest.indexOf(']')) : rest.substring(0, rest.lastIndexOf(':'));
    }

    private int port() {
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1).replaceAll("/.*", ""));
    }
}

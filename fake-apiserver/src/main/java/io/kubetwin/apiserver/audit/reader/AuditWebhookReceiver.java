package io.kubetwin.apiserver.audit.reader;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A tiny audit webhook receiver for tests: an HTTPS server on 127.0.0.1 (ephemeral port, its own CA) that
 * records every POST and answers it with a configurable code (200 by default, so that a backend retrying a
 * 500 or a 503 can be tested). Point {@code --audit-webhook-config-file} at {@link #writeKubeconfig(Path)}.
 * Started with a client CA, it requests a client certificate, verifies it against that CA and records its
 * subject.
 * <pre>{@code
 * AuditWebhookReceiver receiver = AuditWebhookReceiver.start(vertx).toCompletionStage().toCompletableFuture().join();
 * Path kubeconfig = receiver.writeKubeconfig(dir.resolve("webhook.yaml"));
 * ... run requests ...
 * receiver.awaitEvents(4, Duration.ofSeconds(10));
 * receiver.events().query().verb("create").single();
 * }</pre>
 * Thread-safe: requests are recorded on the event loop, read from any thread.
 */
public final class AuditWebhookReceiver implements AutoCloseable {
    /** One POST as received, and the code it was answered with. */
    public record Received(
            String method,
            String uri,
            Map<String, String> headers,
            byte[] body,
            int answeredWith,
            String clientCertificateSubject) {}

    private final HttpServer server;
    private final ReceiverTls tls;
    private final List<Received> received = new ArrayList<>();
    private volatile int answer = 200;

    private AuditWebhookReceiver(HttpServer server, ReceiverTls tls) {
        this.server = server;
        this.tls = tls;
    }

    /** Starts a receiver that does not ask for client certificates; the future completes once it listens. */
    public static Future<AuditWebhookReceiver> start(Vertx vertx) {
        return start(vertx, null);
    }

    /**
     * Starts a receiver; with {@code clientCaPem}, it requests a client certificate and refuses the
     * handshake of one that CA did not sign.
     */
    public static Future<AuditWebhookReceiver> start(Vertx vertx, String clientCaPem) {
        ReceiverTls tls = ReceiverTls.generate();
        HttpServerOptions options = new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertValue(Buffer.buffer(tls.certPem()))
                        .setKeyValue(Buffer.buffer(tls.keyPem())));
        if (clientCaPem != null) {
            options.setClientAuth(ClientAuth.REQUEST)
                    .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(clientCaPem)));
        }
        HttpServer server = vertx.createHttpServer(options);
        AuditWebhookReceiver receiver = new AuditWebhookReceiver(server, tls);
        server.requestHandler(receiver::handle);
        return server.listen().map(s -> receiver);
    }

    private void handle(HttpServerRequest req) {
        req.body().onComplete(ar -> {
            byte[] body = ar.succeeded() ? ar.result().getBytes() : new byte[0];
            Map<String, String> headers = new LinkedHashMap<>();
            req.headers().forEach(h -> headers.merge(h.getKey(), h.getValue(), (a, b) -> a + ", " + b));
            int code = answer;
            synchronized (received) {
                received.add(new Received(req.method().name(), req.uri(), headers, body, code, clientSubject(req)));
                received.notifyAll();
            }
            req.response().setStatusCode(code).end();
        });
    }

    private static String clientSubject(HttpServerRequest req) {
        try {
            List<Certificate> chain = req.connection().peerCertificates();
            return chain.isEmpty()
                    ? null
                    : ((X509Certificate) chain.get(0)).getSubjectX500Principal().getName();
        } catch (Exception e) {
            return null;
        }
    }

    /** Answers the following POSTs with {@code code} (e.g. 500 to make a backend retry). */
    public void respondWith(int code) {
        this.answer = code;
    }

    public int port() {
        return server.actualPort();
    }

    /** The URL to POST EventLists to. */
    public String url() {
        return "https://127.0.0.1:" + port() + "/audit";
    }

    /** The PEM of the CA that signed the receiver's certificate. */
    public String caPem() {
        return tls.caPem();
    }

    /** A kubeconfig naming this receiver, trusting its CA, for {@code --audit-webhook-config-file}. */
    public String kubeconfig() {
        String ca = Base64.getEncoder().encodeToString(tls.caPem().getBytes(StandardCharsets.US_ASCII));
        return "apiVersion: v1\nkind: Config\nclusters:\n- name: audit\n  cluster:\n    server: " + url()
                + "\n    certificate-authority-data: " + ca + "\nusers:\n- name: apiserver\n  user: {}\n"
                + "contexts:\n- name: audit\n  context:\n    cluster: audit\n    user: apiserver\n"
                + "current-context: audit\n";
    }

    public Path writeKubeconfig(Path file) {
        try {
            return Files.writeString(file, kubeconfig());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every POST so far, in arrival order. */
    public List<Received> requests() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The events of every EventList that was answered with a 2xx, in arrival order. */
    public AuditLog events() {
        return AuditLog.fromEventLists(requests().stream()
                .filter(r -> r.answeredWith() >= 200 && r.answeredWith() < 300)
                .map(Received::body)
                .toList());
    }

    /** Waits until at least {@code count} events were accepted; false on timeout. */
    public boolean awaitEvents(int count, Duration timeout) throws InterruptedException {
        return await(() -> events().size() >= count, timeout);
    }

    /** Waits until at least {@code count} POSTs arrived (accepted or not); false on timeout. */
    public boolean awaitRequests(int count, Duration timeout) throws InterruptedException {
        return await(() -> requests().size() >= count, timeout);
    }

    private boolean await(BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(received, left);
            }
            return true;
        }
    }

    /** Stops listening; the future completes when the port is released. */
    public Future<Void> stop() {
        return server.close();
    }

    /** Stops listening and waits for it; not from an event loop. */
    @Override
    public void close() {
        try {
            stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the audit webhook receiver", e);
        }
    }
}

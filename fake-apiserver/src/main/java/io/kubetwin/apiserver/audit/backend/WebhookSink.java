package io.kubetwin.apiserver.audit.backend;

import io.kubetwin.apiserver.api.ClientGoErrors;
import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.event.AuditEventJson;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The webhook backend proper (plugin/pkg/audit/webhook/webhook.go with util/webhook's GenericWebhook):
 * POSTs each batch as an {@code EventList} to the kubeconfig's server and retries every failure (any
 * error or non-2xx answer) with exponential back-off: up to 5 attempts, waiting
 * {@code --audit-webhook-initial-backoff} (10s) times 1.5 per retry plus up to 20% jitter. After the last
 * failure the batch is reported as missed. The request looks like client-go's: the server URL's path with
 * {@code ?timeout=30s}, {@code Content-Type: application/json}, {@code Accept: application/json, *}{@code /*},
 * {@code User-Agent: Go-http-client/1.1}.
 *
 * <p>Uses a Vert.x HTTP client; {@link #write} waits for it, so it must run on a worker or backend thread,
 * never on an event loop. Once {@link #stopRetrying()} was called (the backend is closing), a failed
 * attempt is not retried, so that closing never waits through a down receiver's back-off.
 */
public final class WebhookSink implements EventSink {
    private static final int STEPS = 5;
    private static final double FACTOR = 1.5;
    private static final double JITTER = 0.2;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClientAgent client;
    private final String url;
    private final WebhookKubeconfig config;
    private final Duration initialBackoff;
    private final PluginErrors errors = new PluginErrors();
    private final Object retryLock = new Object();
    private volatile boolean stopRetrying;

    public WebhookSink(Vertx vertx, WebhookKubeconfig config, Duration initialBackoff) {
        this.config = config;
        this.initialBackoff = initialBackoff;
        URI server = config.server();
        String path = server.getRawPath() == null || server.getRawPath().isEmpty() ? "/" : server.getRawPath();
        // client-go keeps the server URL's path and replaces its query by the request's parameters.
        this.url = server.getScheme() + "://" + server.getRawAuthority() + path + "?timeout=30s";
        HttpClientOptions options = config.httpClientOptions()
                .setConnectTimeout((int) TIMEOUT.toMillis())
                .setDecompressionSupported(true);
        this.client = vertx.createHttpClient(options);
    }

    /** The URL batches are POSTed to. */
    public String url() {
        return url;
    }

    @Override
    public boolean write(List<AuditEvent> events) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("the webhook sink waits for its receiver: never call it on an event loop");
        }
        Buffer body = Buffer.buffer(AuditEventJson.toEventList(events));
        Duration backoff = initialBackoff;
        String lastError = null;
        for (int attempt = 1; attempt <= STEPS; attempt++) {
            lastError = post(body);
            if (lastError == null) {
                return true;
            }
            if (attempt == STEPS || stopRetrying) {
                break;
            }
            long jittered =
                    backoff.toNanos() + (long) (ThreadLocalRandom.current().nextDouble() * JITTER * backoff.toNanos());
            if (!sleep(jittered)) {
                break;
            }
            backoff = Duration.ofNanos((long) (backoff.toNanos() * FACTOR));
        }
        errors.report(name(), lastError, events);
        return false;
    }

    /** One attempt; null on success, else the error as client-go would word it. */
    private String post(Buffer body) {
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url)
                .setIdleTimeout(TIMEOUT.toMillis())
                .putHeader("User-Agent", "Go-http-client/1.1")
                .putHeader("Accept", "application/json, */*")
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept-Encoding", "gzip");
        String authorization = config.authorizationHeader();
        if (authorization != null) {
            request.putHeader("Authorization", authorization);
        }
        try {
            Object[] outcome = client.request(request)
                    .compose(req -> req.send(body))
                    .compose(resp -> resp.body().map(b -> new Object[] {resp, b}))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
            HttpClientResponse resp = (HttpClientResponse) outcome[0];
            int code = resp.statusCode();
            if (code >= 200 && code < 300) {
                return null;
            }
            return statusError(code, ((Buffer) outcome[1]).toString(StandardCharsets.UTF_8));
        } catch (ExecutionException e) {
            return "Post \"" + url + "\": " + transportError(e.getCause());
        } catch (TimeoutException e) {
            return "Post \"" + url + "\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Post \"" + url + "\": context canceled";
        }
    }

    private String transportError(Throwable t) {
        URI u = URI.create(url);
        String hostPort =
                u.getHost() + ":" + (u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80);
        return ClientGoErrors.transportError(t, hostPort);
    }

    /** client-go's error for a non-2xx answer without a Status body (errors.NewGenericServerResponse). */
    static String statusError(int code, String body) {
        return ClientGoErrors.statusError(code, body);
    }

    /** Sleeps unless retrying stops meanwhile; false when it did. */
    private boolean sleep(long nanos) {
        long deadline = System.nanoTime() + nanos;
        synchronized (retryLock) {
            while (!stopRetrying) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(retryLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    @Override
    public void stopRetrying() {
        synchronized (retryLock) {
            stopRetrying = true;
            retryLock.notifyAll();
        }
    }

    @Override
    public long missedEvents() {
        return errors.missed();
    }

    @Override
    public void close() {
        stopRetrying();
        try {
            client.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing a client that cannot be closed loses nothing more
        }
    }

    @Override
    public String name() {
        return "webhook";
    }
}

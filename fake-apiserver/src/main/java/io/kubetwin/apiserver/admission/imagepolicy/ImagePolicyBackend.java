package io.kubetwin.apiserver.admission.imagepolicy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.api.ClientGoErrors;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.audit.backend.WebhookKubeconfig;
import io.kubetwin.pki.GoText;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * POSTs ImageReviews to the backend of the kubeconfig as util/webhook's GenericWebhook does: client-go's request
 * ({@code <server URL path>?timeout=30s}, {@code User-Agent: Go-http-client/1.1}, the kubeconfig's TLS and
 * credentials), retried up to 5 attempts with an exponential back-off (the configured first wait, times 1.5, plus up
 * to 20% jitter) while the error is one DefaultShouldRetry retries (500 InternalError, 504 Timeout, 429, a Status
 * asking for a retry, a reset connection). A failure is a {@link BackendException} worded as client-go's. Thread-safe.
 */
final class ImagePolicyBackend {
    private static final int STEPS = 5;
    private static final double FACTOR = 1.5;
    private static final double JITTER = 0.2;
    private static final long TIMEOUT_MILLIS = 30_000;
    private static final int MAX_TEXT = 2048;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A failed call: either the API error client-go made of a non-2xx answer ({@code status}), or a transport or
     * decoding error (status null).
     */
    static final class BackendException extends RuntimeException {
        private final transient Status status;

        BackendException(String message, Status status) {
            super(message, null, false, false);
            this.status = status;
        }

        Status status() {
            return status;
        }

        boolean retriable() {
            if (status == null) {
                return getMessage().contains("connection reset by peer");
            }
            int code = status.code();
            String reason = status.reason() == null ? "" : status.reason();
            boolean unknownReason = reason.isEmpty();
            Status.Details d = status.details();
            boolean retryAfter = d != null
                    && (reason.equals("ServerTimeout") || (d.retryAfterSeconds() != null && d.retryAfterSeconds() > 0));
            return reason.equals("InternalError")
                    || (unknownReason && code == 500)
                    || reason.equals("Timeout")
                    || (unknownReason && code == 504)
                    || reason.equals("TooManyRequests")
                    || code == 429
                    || retryAfter;
        }
    }

    private final Vertx vertx;
    private final HttpClientAgent client;
    private final String url;
    private final URI server;
    private final String authorization;
    private final Duration initialBackoff;

    ImagePolicyBackend(Vertx vertx, WebhookKubeconfig kubeconfig, Duration initialBackoff) {
        this.vertx = vertx;
        this.server = kubeconfig.server();
        String path = server.getRawPath() == null || server.getRawPath().isEmpty() ? "/" : server.getRawPath();
        this.url = server.getScheme() + "://" + server.getRawAuthority() + path + "?timeout=30s";
        this.authorization = kubeconfig.authorizationHeader();
        this.initialBackoff = initialBackoff;
        this.client = vertx.createHttpClient(kubeconfig.httpClientOptions().setConnectTimeout((int) TIMEOUT_MILLIS));
    }

    /** The backend's answer to {@code body}, after the retries; fails with a {@link BackendException}. */
    Future<ImageReviews.Answer> review(String body) {
        Promise<ImageReviews.Answer> result = Promise.promise();
        attempt(body, 1, initialBackoff, result);
        return result.future();
    }

    private void attempt(String body, int n, Duration backoff, Promise<ImageReviews.Answer> result) {
        post(body).onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(ar.result());
                return;
            }
            if (!(ar.cause() instanceof BackendException e) || !e.retriable() || n == STEPS) {
                result.fail(ar.cause());
                return;
            }
            long nanos =
                    backoff.toNanos() + (long) (ThreadLocalRandom.current().nextDouble() * JITTER * backoff.toNanos());
            vertx.setTimer(
                    Math.max(1, nanos / 1_000_000),
                    t -> attempt(body, n + 1, Duration.ofNanos((long) (backoff.toNanos() * FACTOR)), result));
        });
    }

    private Future<ImageReviews.Answer> post(String body) {
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url)
                .setTimeout(TIMEOUT_MILLIS)
                .putHeader("User-Agent", "Go-http-client/1.1")
                .putHeader("Accept", "application/json, */*")
                .putHeader("Content-Type", "application/json");
        if (authorization != null) {
            request.putHeader("Authorization", authorization);
        }
        String hostPort = server.getHost() + ":" + (server.getPort() > 0 ? server.getPort() : 443);
        return client.request(request)
                .compose(req -> req.send(Buffer.buffer(body)))
                .compose(resp -> resp.body().map(b -> answer(resp, b)))
                .recover(e -> Future.failedFuture(
                        e instanceof BackendException
                                ? e
                                : new BackendException(
                                        "Post " + GoText.quote(url) + ": " + transportError(e, hostPort), null)));
    }

    private static String transportError(Throwable e, String hostPort) {
        if (e instanceof java.util.concurrent.TimeoutException
                || String.valueOf(e.getMessage()).contains("timeout")) {
            return "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
        }
        return ClientGoErrors.transportError(e, hostPort);
    }

    /** rest.Request.transformResponse, Result.Error and Result.Into for one answer. */
    private static ImageReviews.Answer answer(HttpClientResponse resp, Buffer b) {
        int code = resp.statusCode();
        String text = b.toString(StandardCharsets.UTF_8);
        if (code >= 200 && code <= 206) {
            try {
                return ImageReviews.decode(text);
            } catch (ImageReviews.UndecodableException e) {
                throw new BackendException(e.getMessage(), null);
            }
        }
        Status fromBody = failureStatus(text);
        if (fromBody != null) {
            throw new BackendException(fromBody.message(), fromBody);
        }
        String contentType = resp.getHeader("Content-Type");
        String serverMessage = "unknown";
        if (contentType != null && contentType.startsWith("text/")) {
            byte[] bytes = b.getBytes();
            serverMessage =
                    (bytes.length > MAX_TEXT ? new String(bytes, 0, MAX_TEXT, StandardCharsets.UTF_8) : text).strip();
        }
        int retryAfter = 0;
        try {
            String header = resp.getHeader("Retry-After");
            retryAfter = header == null ? 0 : Integer.parseInt(header.strip());
        } catch (NumberFormatException ignored) {
            retryAfter = 0;
        }
        Status status = ClientGoErrors.genericServerResponse(code, serverMessage, retryAfter);
        throw new BackendException(status.message(), status);
    }

    /** A Status body with {@code status: Failure}, which client-go returns as the error itself. */
    private static Status failureStatus(String text) {
        JsonNode s;
        try {
            s = JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
        if (s == null
                || !"Status".equals(s.path("kind").asText())
                || !"Failure".equals(s.path("status").asText())) {
            return null;
        }
        JsonNode d = s.path("details");
        Status.Details details = null;
        if (d.isObject()) {
            List<Status.Cause> causes = new ArrayList<>();
            d.path("causes")
                    .forEach(c -> causes.add(new Status.Cause(
                            c.path("reason").asText(null),
                            c.path("message").asText(null),
                            c.path("field").asText(null))));
            details = new Status.Details(
                    d.path("name").asText(null),
                    d.path("group").asText(null),
                    d.path("kind").asText(null),
                    d.path("uid").asText(null),
                    causes.isEmpty() ? null : causes,
                    d.has("retryAfterSeconds") ? d.path("retryAfterSeconds").asInt() : null);
        }
        return Status.failure(
                s.path("code").asInt(0),
                s.path("reason").asText(""),
                s.path("message").asText(""),
                details);
    }

    void close() {
        client.close();
    }
}

package io.kubetwin.apiserver.admission.webhook.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.pki.Credential;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A small HTTPS admission webhook server: each path answers AdmissionReviews with a {@link Reviewer}, which sees the
 * review's {@code request} and returns the {@code response} fields (the server adds {@code uid} and answers in the
 * review's own apiVersion). It also serves ImagePolicyWebhook backends: an {@link ImageReviewer} sees an
 * imagepolicy.k8s.io/v1alpha1 ImageReview's {@code spec} and returns its {@code status}. Raw handlers serve anything
 * else (tests use them for broken webhooks).
 *
 * <pre>{@code
 * AdmissionWebhookServer server = AdmissionWebhookServer.builder(credential)
 *         .review("/validate", request -> AdmissionWebhookServer.deny("Image failed policy check: wordpress:latest"))
 *         .start(vertx, "127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
 * }</pre>
 */
public final class AdmissionWebhookServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Decides one review: the {@code request} in, the {@code response} fields out (without uid). */
    @FunctionalInterface
    public interface Reviewer {
        ObjectNode review(JsonNode request);
    }

    /**
     * Decides one ImageReview (what kube-apiserver's ImagePolicyWebhook sends): the {@code spec} in (containers'
     * images, the pod's {@code *.image-policy.k8s.io/*} annotations, namespace), the {@code status} out
     * ({@code allowed}, {@code reason}, {@code auditAnnotations}).
     */
    @FunctionalInterface
    public interface ImageReviewer {
        ObjectNode review(JsonNode spec);
    }

    private final HttpServer server;

    private AdmissionWebhookServer(HttpServer server) {
        this.server = server;
    }

    /** The port really bound. */
    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().join();
    }

    /** {@code {"allowed": true}}. */
    public static ObjectNode allow() {
        return JSON.createObjectNode().put("allowed", true);
    }

    /** {@code {"allowed": false, "status": {"message": message}}}. */
    public static ObjectNode deny(String message) {
        ObjectNode r = JSON.createObjectNode().put("allowed", false);
        r.putObject("status").put("message", message);
        return r;
    }

    public static Builder builder(Credential serving) {
        return new Builder(serving);
    }

    public static final class Builder {
        private final Credential serving;
        private final Map<String, Handler<RoutingContext>> routes = new LinkedHashMap<>();
        private BiConsumer<String, JsonNode> listener = (path, review) -> {};
        private String clientCaPem;

        private Builder(Credential serving) {
            this.serving = serving;
        }

        public Builder review(String path, Reviewer reviewer) {
            routes.put(path, rc -> answer(rc, reviewer));
            return this;
        }

        public Builder imageReview(String path, ImageReviewer reviewer) {
            routes.put(path, rc -> answerImageReview(rc, reviewer));
            return this;
        }

        public Builder raw(String path, Handler<RoutingContext> handler) {
            routes.put(path, handler);
            return this;
        }

        /**
         * Asks callers for a client certificate issued by this CA (without requiring one), so that a handler can see
         * who called ({@code rc.request().connection().peerCertificates()}).
         */
        public Builder clientCa(String caPem) {
            this.clientCaPem = caPem;
            return this;
        }

        /** Sees every request (its path, and its body as JSON, or null) before it is answered; thread-safe. */
        public Builder listener(BiConsumer<String, JsonNode> listener) {
            this.listener = listener;
            return this;
        }

        public Future<AdmissionWebhookServer> start(Vertx vertx, String host, int port) {
            Router router = Router.router(vertx);
            router.route().handler(BodyHandler.create().setBodyLimit(3 * 1024 * 1024));
            BiConsumer<String, JsonNode> seen = listener;
            routes.forEach((path, handler) -> router.post(path).handler(rc -> {
                seen.accept(path, parse(rc.body().asString()));
                handler.handle(rc);
            }));
            HttpServerOptions options = new HttpServerOptions()
                    .setSsl(true)
                    .setKeyCertOptions(new PemKeyCertOptions()
                            .setCertValue(Buffer.buffer(serving.certificatePem()))
                            .setKeyValue(Buffer.buffer(serving.privateKeyPem())));
            if (clientCaPem != null) {
                options.setClientAuth(ClientAuth.REQUEST)
                        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(clientCaPem)));
            }
            return vertx.createHttpServer(options)
                    .requestHandler(router)
                    .listen(port, host)
                    .map(AdmissionWebhookServer::new);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null ? null : JSON.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    private static void answer(RoutingContext rc, Reviewer reviewer) {
        JsonNode review;
        try {
            review = JSON.readTree(rc.body().asString());
        } catch (Exception e) {
            rc.response().setStatusCode(400).end("not an AdmissionReview: " + e.getMessage());
            return;
        }
        JsonNode request = review.path("request");
        ObjectNode response = reviewer.review(request);
        ObjectNode out = JSON.createObjectNode();
        out.put("apiVersion", review.path("apiVersion").asText("admission.k8s.io/v1"));
        out.put("kind", "AdmissionReview");
        ObjectNode r = out.putObject("response");
        r.put("uid", request.path("uid").asText(""));
        r.setAll(response);
        rc.response().putHeader("Content-Type", "application/json").end(out.toString());
    }

    private static void answerImageReview(RoutingContext rc, ImageReviewer reviewer) {
        JsonNode review;
        try {
            review = JSON.readTree(rc.body().asString());
        } catch (Exception e) {
            rc.response().setStatusCode(400).end("not an ImageReview: " + e.getMessage());
            return;
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("apiVersion", "imagepolicy.k8s.io/v1alpha1");
        out.put("kind", "ImageReview");
        out.set("status", reviewer.review(review.path("spec")));
        rc.response().putHeader("Content-Type", "application/json").end(out.toString());
    }
}

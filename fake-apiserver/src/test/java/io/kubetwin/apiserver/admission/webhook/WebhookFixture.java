package io.kubetwin.apiserver.admission.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.webhook.server.AdmissionWebhookServer;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.Credential;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Webhook servers for the tests, over TLS with a generated CA on 127.0.0.1 (an ephemeral port), answering as the
 * recording server of src/test/scripts/record-webhooks.py did against the reference. Every review received is
 * kept, by path.
 */
final class WebhookFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final CertificateAuthority ca = CertificateAuthority.generate();
    final CertificateAuthority otherCa = CertificateAuthority.generate();
    final Vertx vertx = Vertx.vertx();
    final Map<String, ConcurrentLinkedQueue<JsonNode>> received = new ConcurrentHashMap<>();
    final AtomicInteger reinvokeCount = new AtomicInteger();
    final AdmissionWebhookServer server;

    WebhookFixture() {
        Credential serving =
                ca.issueServing(List.of("localhost", "hook.webhooks.svc", "cip.webhooks.svc"), List.of("127.0.0.1"));
        AdmissionWebhookServer.Builder b = AdmissionWebhookServer.builder(serving)
                .review("/allow", r -> AdmissionWebhookServer.allow())
                .review("/options", r -> AdmissionWebhookServer.allow())
                .review("/deny", r -> AdmissionWebhookServer.deny("Image failed policy check: wordpress:latest"))
                .review("/deny-empty", r -> JSON.createObjectNode().put("allowed", false))
                .review("/deny-reason", r -> response(false, "{\"reason\":\"NotTrusted\",\"code\":403}"))
                .review(
                        "/deny-full",
                        r -> response(
                                false,
                                "{\"code\":422,\"message\":\"nope\",\"reason\":\"Invalid\","
                                        + "\"details\":{\"name\":\"x\",\"causes\":[{\"message\":\"m\",\"field\":\"f\"}]}}"))
                .review("/deny-200", r -> response(false, "{\"code\":200,\"message\":\"low\",\"status\":\"Success\"}"))
                .review("/warn", r -> {
                    ObjectNode o = AdmissionWebhookServer.allow();
                    o.putArray("warnings").add("first warning").add("second \"quoted\"");
                    o.putObject("auditAnnotations").put("k1", "v1").put("other", "x");
                    return o;
                })
                .review(
                        "/patch",
                        r -> patch(
                                "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"patched\":\"yes\"}}]",
                                true))
                .review("/patch-bad", r -> patch("[{\"op\":\"replace\",\"path\":\"/nothing/here\",\"value\":1}]", true))
                .review(
                        "/patch-notype",
                        r -> patch(
                                "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"patched\":\"yes\"}}]",
                                false))
                .review("/patch-validating", r -> patch("[]", true))
                .review("/label-a", r -> {
                    reinvokeCount.incrementAndGet();
                    String value = r.at("/object/metadata/labels/b").asText("none");
                    return patch(
                            "[{\"op\":\"add\",\"path\":\"/metadata/labels/a\",\"value\":\"saw-b-" + value + "\"}]",
                            true);
                })
                .review(
                        "/label-b",
                        r -> patch("[{\"op\":\"add\",\"path\":\"/metadata/labels/b\",\"value\":\"set\"}]", true))
                .review("/wronguid", r -> AdmissionWebhookServer.allow().put("uid", "wrong"))
                .review("/nouid", r -> AdmissionWebhookServer.allow().put("uid", ""))
                .raw("/slow", rc -> vertx.setTimer(3000, t -> rc.response().end("{}")))
                .raw(
                        "/garbage",
                        rc -> rc.response()
                                .putHeader("Content-Type", "text/plain")
                                .end("this is not json"))
                .raw(
                        "/garbage-json",
                        rc -> rc.response()
                                .putHeader("Content-Type", "application/json")
                                .end("{not json"))
                .raw(
                        "/500",
                        rc -> rc.response()
                                .setStatusCode(500)
                                .putHeader("Content-Type", "text/plain")
                                .end("boom"))
                .raw(
                        "/noresponse",
                        rc -> rc.response()
                                .putHeader("Content-Type", "application/json")
                                .end("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}"))
                .raw(
                        "/wrongkind",
                        rc -> rc.response()
                                .putHeader("Content-Type", "application/json")
                                .end(answer(rc.body().asString(), "admission.k8s.io/v1", "Other")))
                .raw(
                        "/v1beta1",
                        rc -> rc.response()
                                .putHeader("Content-Type", "application/json")
                                .end(answer(rc.body().asString(), "admission.k8s.io/v1beta1", "AdmissionReview")));
        b.listener((path, review) -> received.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>())
                .add(review));
        server = b.start(vertx, "127.0.0.1", 0)
                .toCompletionStage()
                .toCompletableFuture()
                .join();
    }

    /** The last review {@code path} received. */
    JsonNode last(String path) {
        ConcurrentLinkedQueue<JsonNode> q = received.get(path);
        JsonNode last = null;
        if (q != null) {
            for (JsonNode n : q) {
                last = n;
            }
        }
        return last;
    }

    int count(String path) {
        ConcurrentLinkedQueue<JsonNode> q = received.get(path);
        return q == null ? 0 : q.size();
    }

    String url(String path) {
        return "https://127.0.0.1:" + server.port() + path;
    }

    String caBundle() {
        return Base64.getEncoder().encodeToString(ca.certificatePem().getBytes(StandardCharsets.UTF_8));
    }

    String otherCaBundle() {
        return Base64.getEncoder().encodeToString(otherCa.certificatePem().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    static ObjectNode response(boolean allowed, String status) {
        ObjectNode o = JSON.createObjectNode().put("allowed", allowed);
        try {
            o.set("status", JSON.readTree(status));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        return o;
    }

    static ObjectNode patch(String ops, boolean withType) {
        ObjectNode o = AdmissionWebhookServer.allow();
        if (withType) {
            o.put("patchType", "JSONPatch");
        }
        o.put("patch", Base64.getEncoder().encodeToString(ops.getBytes(StandardCharsets.UTF_8)));
        return o;
    }

    static String answer(String reviewText, String apiVersion, String kind) {
        try {
            JsonNode review = JSON.readTree(reviewText);
            ObjectNode out =
                    JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
            out.putObject("response")
                    .put("uid", review.at("/request/uid").asText())
                    .put("allowed", true);
            return out.toString();
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}

package io.kubetwin.scenarios.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.webhook.server.AdmissionWebhookServer;
import io.kubetwin.apiserver.admission.webhook.server.TrustedRegistryPolicy;
import io.kubetwin.apiserver.admission.webhook.server.TrustedRegistryWebhook;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.scenarios.model.Suite;
import io.kubetwin.scenarios.model.SuiteWebhook;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The admission webhooks a suite declares, served over TLS on 127.0.0.1 (an ephemeral port, a CA of its own) for
 * the length of one suite run on one target, so that the fake and the reference call the very same server.
 */
final class SuiteWebhookServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final AdmissionWebhookServer server;
    private final String caBundle;

    private SuiteWebhookServer(Vertx vertx, AdmissionWebhookServer server, String caBundle) {
        this.vertx = vertx;
        this.server = server;
        this.caBundle = caBundle;
    }

    static SuiteWebhookServer start(List<SuiteWebhook> webhooks) {
        CertificateAuthority ca = CertificateAuthority.generate();
        Vertx vertx = Vertx.vertx();
        var builder = AdmissionWebhookServer.builder(ca.issueServing(List.of("localhost"), List.of("127.0.0.1")));
        for (SuiteWebhook w : webhooks) {
            if (w.response() != null) {
                JsonNode fixed = w.response();
                builder.review(w.path(), request -> ((ObjectNode) fixed).deepCopy());
            } else {
                builder.review(
                        w.path(),
                        TrustedRegistryWebhook.reviewer(
                                new TrustedRegistryPolicy(w.trustedRegistries(), w.requireDigest())));
            }
        }
        try {
            var server = builder.start(vertx, "127.0.0.1", 0)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .join();
            return new SuiteWebhookServer(
                    vertx,
                    server,
                    Base64.getEncoder().encodeToString(ca.certificatePem().getBytes(StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    String url() {
        return "https://127.0.0.1:" + server.port();
    }

    /** The suite's setup objects with {@code ${webhook.url}} and {@code ${webhook.caBundle}} filled in. */
    List<JsonNode> setup(Suite suite) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode object : suite.setup()) {
            String text = object.toString().replace("${webhook.url}", url()).replace("${webhook.caBundle}", caBundle);
            try {
                out.add(JSON.readTree(text));
            } catch (Exception e) {
                throw new IllegalArgumentException(e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}

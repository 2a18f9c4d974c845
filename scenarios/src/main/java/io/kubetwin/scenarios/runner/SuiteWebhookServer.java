package io.kubetwin.scenarios.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.webhook.server.AdmissionWebhookServer;
import io.kubetwin.apiserver.admission.webhook.server.TrustedRegistryPolicy;
import io.kubetwin.apiserver.admission.webhook.server.TrustedRegistryWebhook;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.Kubeconfig;
import io.kubetwin.scenarios.model.Suite;
import io.kubetwin.scenarios.model.SuiteWebhook;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
    private final CertificateAuthority ca;
    private final String caBundle;
    private final List<SuiteWebhook> webhooks;

    private SuiteWebhookServer(
            Vertx vertx, AdmissionWebhookServer server, CertificateAuthority ca, List<SuiteWebhook> webhooks) {
        this.vertx = vertx;
        this.server = server;
        this.ca = ca;
        this.webhooks = webhooks;
        this.caBundle = Base64.getEncoder().encodeToString(ca.certificatePem().getBytes(StandardCharsets.UTF_8));
    }

    static SuiteWebhookServer start(List<SuiteWebhook> webhooks) {
        CertificateAuthority ca = CertificateAuthority.generate();
        Vertx vertx = Vertx.vertx();
        var builder = AdmissionWebhookServer.builder(ca.issueServing(List.of("localhost"), List.of("127.0.0.1")));
        for (SuiteWebhook w : webhooks) {
            if (w.imageReview()) {
                JsonNode fixed = w.response();
                builder.imageReview(
                        w.path(),
                        fixed != null
                                ? spec -> ((ObjectNode) fixed).deepCopy()
                                : TrustedRegistryWebhook.imageReviewer(
                                        new TrustedRegistryPolicy(w.trustedRegistries(), w.requireDigest())));
            } else if (w.response() != null) {
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
            return new SuiteWebhookServer(vertx, server, ca, webhooks);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    String url() {
        return "https://127.0.0.1:" + server.port();
    }

    /**
     * Writes {@code webhook.kubeconfig} into {@code dir}: the kubeconfig of the ImageReview path (the first one),
     * trusting the server's CA and presenting a client certificate of that CA, as an ImagePolicyWebhook
     * configuration names it. Returns its path, or null when the suite serves no ImageReviews.
     */
    Path writeKubeconfig(Path dir) throws IOException {
        SuiteWebhook images =
                webhooks.stream().filter(SuiteWebhook::imageReview).findFirst().orElse(null);
        if (images == null) {
            return null;
        }
        Credential client = ca.issue(CertificateSpec.client("kube-apiserver").build());
        Path file = dir.resolve("webhook.kubeconfig");
        Kubeconfig.withClientCertificate(
                        "webhook", url() + images.path(), ca.certificatePem(), "kube-apiserver", client)
                .write(file);
        return file.toAbsolutePath();
    }

    /** {@code ${webhook.url}}, {@code ${webhook.caBundle}} and {@code ${webhook.kubeconfig}} filled in. */
    JsonNode fill(JsonNode node, Path kubeconfig) {
        if (node == null) {
            return null;
        }
        String text = node.toString().replace("${webhook.url}", url()).replace("${webhook.caBundle}", caBundle);
        if (kubeconfig != null) {
            text = text.replace("${webhook.kubeconfig}", kubeconfig.toString());
        }
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
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

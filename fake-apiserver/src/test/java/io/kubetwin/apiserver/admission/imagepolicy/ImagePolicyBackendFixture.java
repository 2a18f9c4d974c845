package io.kubetwin.apiserver.admission.imagepolicy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.admission.webhook.server.AdmissionWebhookServer;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An ImagePolicyWebhook backend over TLS on 127.0.0.1 that answers by the first image's name, as the recording
 * backend did against the reference: {@code deny-*} denies with a reason listing the images, {@code deny-noreason}
 * denies without one, {@code annot*} adds audit annotations, {@code e500} answers a 500 Status, {@code json500} a
 * 500 without Status, {@code e403} a 403 without Status, {@code st403} a Forbidden Status, {@code garbage} no
 * JSON, {@code nokind} a status without kind, {@code wrongkind} a Pod; anything else is allowed. It asks for a
 * client certificate of its CA and keeps every request.
 */
final class ImagePolicyBackendFixture implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the backend saw it. */
    record Seen(String uri, String userAgent, String authorization, String client, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    final CertificateAuthority ca = CertificateAuthority.generate();
    final Credential client =
            ca.issue(CertificateSpec.client("apiserver-client").build());
    final Vertx vertx = Vertx.vertx();
    final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    final AdmissionWebhookServer server;

    ImagePolicyBackendFixture() {
        server = AdmissionWebhookServer.builder(ca.issueServing(List.of("localhost"), List.of("127.0.0.1")))
                .clientCa(ca.certificatePem())
                .raw("/review", this::answer)
                .start(vertx, "127.0.0.1", 0)
                .toCompletionStage()
                .toCompletableFuture()
                .join();
    }

    String url() {
        return "https://127.0.0.1:" + server.port() + "/review";
    }

    /** A kubeconfig for the backend: its CA, and the client certificate or a token as the user. */
    Path kubeconfig(Path dir, boolean token) {
        String user = token
                ? "    token: secret-token\n"
                : "    client-certificate-data: " + b64(client.certificatePem()) + "\n    client-key-data: "
                        + b64(client.privateKeyPem()) + "\n";
        String yaml = "apiVersion: v1\nkind: Config\nclusters:\n- name: backend\n  cluster:\n    server: " + url()
                + "\n    certificate-authority-data: " + b64(ca.certificatePem())
                + "\nusers:\n- name: apiserver\n  user:\n"
                + user + "contexts:\n- name: default\n  context: {cluster: backend, user: apiserver}\n"
                + "current-context: default\n";
        try {
            return Files.writeString(dir.resolve(token ? "token.kubeconfig" : "cert.kubeconfig"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    long calls(String image) {
        return seen.stream()
                .filter(s -> s.body().contains("\"image\":\"" + image + "\""))
                .count();
    }

    Seen last() {
        Seen last = null;
        for (Seen s : seen) {
            last = s;
        }
        return last;
    }

    private void answer(RoutingContext rc) {
        String body = rc.body().asString();
        String who = "";
        try {
            var certs = rc.request().connection().peerCertificates();
            if (!certs.isEmpty() && certs.get(0) instanceof X509Certificate x) {
                who = x.getSubjectX500Principal().getName();
            }
        } catch (Exception e) {
            who = "";
        }
        seen.add(new Seen(
                rc.request().uri(),
                rc.request().getHeader("User-Agent"),
                rc.request().getHeader("Authorization"),
                who,
                rc.request().getHeader("Content-Type"),
                body));
        JsonNode spec;
        try {
            spec = JSON.readTree(body).path("spec");
        } catch (IOException e) {
            rc.response().setStatusCode(400).end();
            return;
        }
        List<String> images = spec.path("containers").findValuesAsText("image");
        String first = images.isEmpty() ? "" : images.get(0);
        var response = rc.response().putHeader("Content-Type", "application/json");
        String status = "{\"allowed\":true}";
        if (first.contains("deny-noreason")) {
            status = "{\"allowed\":false}";
        } else if (first.contains("deny")) {
            status = "{\"allowed\":false,\"reason\":\"images " + String.join(",", images) + " not allowed\"}";
        }
        if (first.contains("annot")) {
            status = status.substring(0, status.length() - 1)
                    + ",\"auditAnnotations\":{\"mykey\":\"myvalue\",\"other\":\"x\"}}";
        }
        String out =
                "{\"apiVersion\":\"imagepolicy.k8s.io/v1alpha1\",\"kind\":\"ImageReview\",\"status\":" + status + "}";
        if (first.contains("e500")) {
            response.setStatusCode(500);
            out = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"backend broke\","
                    + "\"code\":500}";
        } else if (first.contains("json500")) {
            response.setStatusCode(500);
            out = "not a status";
        } else if (first.contains("txt500")) {
            response.setStatusCode(500).putHeader("Content-Type", "text/plain");
            out = "plain broke";
        } else if (first.contains("e403")) {
            response.setStatusCode(403);
            out = "forbidden text";
        } else if (first.contains("st403")) {
            response.setStatusCode(403);
            out = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"no way\","
                    + "\"reason\":\"Forbidden\",\"code\":403}";
        } else if (first.contains("garbage")) {
            out = "not json";
        } else if (first.contains("nokind")) {
            out = "{\"status\":{\"allowed\":true}}";
        } else if (first.contains("wrongkind")) {
            out = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"status\":{\"allowed\":true}}";
        }
        response.end(out);
    }

    @Override
    public void close() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}

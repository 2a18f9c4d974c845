package io.kubetwin.apiserver.admission.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.admission.webhook.server.AdmissionWebhookServer;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The credentials kube-apiserver presents to webhooks from the kubeconfig of ValidatingAdmissionWebhook's
 * WebhookAdmissionConfiguration, over TLS: the user named after the webhook's host:port gets its token, a webhook
 * on another host the {@code *} user's client certificate (as the reference did on 2026-12-07 for the same
 * kubeconfig: {@code Bearer exact-token} for https://127.0.0.1:PORT, the client certificate for
 * https://localhost:PORT).
 */
class WebhookAuthenticationApiTest {
    private static final Path DIR = tempDir();
    private static final CertificateAuthority CA = CertificateAuthority.generate();
    private static final Credential CLIENT =
            CA.issue(CertificateSpec.client("apiserver-client").build());
    private static final Vertx VERTX = Vertx.vertx();
    private static final Map<String, String> SEEN = new ConcurrentHashMap<>();
    private static final AdmissionWebhookServer SERVER = AdmissionWebhookServer.builder(
                    CA.issueServing(List.of("localhost"), List.of("127.0.0.1")))
            .clientCa(CA.certificatePem())
            .raw("/ip", WebhookAuthenticationApiTest::deny)
            .raw("/star", WebhookAuthenticationApiTest::deny)
            .start(VERTX, "127.0.0.1", 0)
            .toCompletionStage()
            .toCompletableFuture()
            .join();

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder()
            .config(b -> b.admissionControlConfigFile(admissionConfig()))
            .build();

    private final ApiClient admin = cluster.admin();

    @AfterAll
    static void stop() {
        SERVER.close();
        VERTX.close().toCompletionStage().toCompletableFuture().join();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("webhook-auth");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path admissionConfig() {
        try {
            Files.writeString(DIR.resolve("cli.crt"), CLIENT.certificatePem());
            Files.writeString(DIR.resolve("cli.key"), CLIENT.privateKeyPem());
            Path kubeconfig = Files.writeString(DIR.resolve("webhooks.kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    users:
                    - name: "127.0.0.1:%d"
                      user: {token: exact-token}
                    - name: "*.example.com"
                      user: {token: wildcard-token}
                    - name: "*"
                      user: {client-certificate: cli.crt, client-key: cli.key}
                    """.formatted(SERVER.port()));
            return Files.writeString(DIR.resolve("admission.yaml"), """
                    apiVersion: apiserver.config.k8s.io/v1
                    kind: AdmissionConfiguration
                    plugins:
                    - name: ValidatingAdmissionWebhook
                      configuration:
                        apiVersion: apiserver.config.k8s.io/v1
                        kind: WebhookAdmissionConfiguration
                        kubeConfigFile: %s
                    """.formatted(kubeconfig));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records who called, and denies with the path. */
    private static void deny(RoutingContext rc) {
        String who = "";
        try {
            var certs = rc.request().connection().peerCertificates();
            if (!certs.isEmpty() && certs.get(0) instanceof X509Certificate x) {
                who = x.getSubjectX500Principal().getName();
            }
        } catch (Exception e) {
            who = "";
        }
        String auth = rc.request().getHeader("Authorization");
        SEEN.put(rc.request().path(), (auth == null ? "-" : auth) + " / " + (who.isEmpty() ? "-" : who));
        var review = rc.body().asJsonObject();
        String uid = review.getJsonObject("request").getString("uid");
        rc.response()
                .putHeader("Content-Type", "application/json")
                .end("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\""
                        + uid + "\",\"allowed\":false,\"status\":{\"message\":\"denied by "
                        + rc.request().path()
                        + "\"}}}");
    }

    private void install(String name, String url, String namespace) {
        String bundle = Base64.getEncoder().encodeToString(CA.certificatePem().getBytes(StandardCharsets.UTF_8));
        assertEquals(
                201,
                admin.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + namespace + "\"}}")
                        .code());
        ApiClient.Response r = admin.post(
                "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
                "{\"apiVersion\":\"admissionregistration.k8s.io/v1\",\"kind\":\"ValidatingWebhookConfiguration\","
                        + "\"metadata\":{\"name\":\"" + name + "\"},\"webhooks\":[{\"name\":\"" + name
                        + ".example.com\",\"clientConfig\":{\"url\":\"" + url + "\",\"caBundle\":\"" + bundle
                        + "\"},\"rules\":[{\"operations\":[\"CREATE\"],\"apiGroups\":[\"\"],\"apiVersions\":[\"v1\"],"
                        + "\"resources\":[\"configmaps\"]}],\"namespaceSelector\":{\"matchLabels\":"
                        + "{\"kubernetes.io/metadata.name\":\"" + namespace + "\"}},\"sideEffects\":\"None\","
                        + "\"admissionReviewVersions\":[\"v1\"]}]}");
        assertEquals(201, r.code(), r.body());
    }

    @Test
    void eachHostGetsItsUser() {
        install("ip", "https://127.0.0.1:" + SERVER.port() + "/ip", "by-ip");
        install("star", "https://localhost:" + SERVER.port() + "/star", "by-star");
        for (String ns : List.of("by-ip", "by-star")) {
            ApiClient.Response r =
                    admin.post("/api/v1/namespaces/" + ns + "/configmaps", "{\"metadata\":{\"name\":\"c\"}}");
            assertEquals(400, r.code(), r.body());
        }
        assertEquals("Bearer exact-token / -", SEEN.get("/ip"));
        assertEquals("- / CN=apiserver-client", SEEN.get("/star"));
    }
}

package io.kubetwin.apiserver.admission.webhook.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.CertificateAuthority;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed's supply-chain control end to end: the fake calls TrustedRegistryWebhook over TLS for pods, their
 * ephemeral containers and workloads, and answers as kube-apiserver does for a denying webhook (400,
 * {@code admission webhook "<name>" denied the request: Image failed policy check: wordpress:latest}, the
 * reference's text for the same webhook answer, see WebhookAdmissionApiTest).
 */
class TrustedRegistryWebhookTest {
    private static final String NAME = "trusted-registry.kubetwin.io";
    private static final String PODS = "/api/v1/namespaces/default/pods";

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private static Vertx vertx;
    private static AdmissionWebhookServer webhook;

    private final ApiClient admin = cluster.admin();

    @BeforeAll
    static void start() {
        CertificateAuthority ca = CertificateAuthority.generate();
        vertx = Vertx.vertx();
        webhook = TrustedRegistryWebhook.start(
                        vertx,
                        new TrustedRegistryPolicy(List.of("myregistry.io"), false),
                        ca.issueServing(List.of("localhost"), List.of("127.0.0.1")),
                        "127.0.0.1",
                        0)
                .toCompletionStage()
                .toCompletableFuture()
                .join();
        String bundle = Base64.getEncoder().encodeToString(ca.certificatePem().getBytes(StandardCharsets.UTF_8));
        String config =
                "{\"apiVersion\":\"admissionregistration.k8s.io/v1\",\"kind\":\"ValidatingWebhookConfiguration\","
                        + "\"metadata\":{\"name\":\"" + NAME + "\"},\"webhooks\":[{\"name\":\"" + NAME
                        + "\",\"clientConfig\":{"
                        + "\"url\":\"https://127.0.0.1:" + webhook.port() + "/validate\",\"caBundle\":\"" + bundle
                        + "\"},"
                        + "\"rules\":[{\"operations\":[\"CREATE\",\"UPDATE\"],\"apiGroups\":[\"\"],\"apiVersions\":[\"v1\"],"
                        + "\"resources\":[\"pods\",\"pods/ephemeralcontainers\"]},{\"operations\":[\"CREATE\",\"UPDATE\"],"
                        + "\"apiGroups\":[\"apps\"],\"apiVersions\":[\"v1\"],\"resources\":[\"deployments\"]}],"
                        + "\"sideEffects\":\"None\",\"admissionReviewVersions\":[\"v1\"]}]}";
        ApiClient.Response r =
                cluster.admin().post("/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations", config);
        assertEquals(201, r.code(), r.body());
    }

    @AfterAll
    static void stop() {
        webhook.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static String pod(String name, String containers) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + containers + "}}";
    }

    private static void assertDenied(ApiClient.Response r, String image, String reason) {
        assertEquals(400, r.code(), r.body());
        assertEquals(
                "admission webhook \"" + NAME + "\" denied the request: Image failed policy check: " + image,
                r.json().path("message").asText());
        assertEquals("299 - \"image " + image.replace("\"", "\\\"") + ": " + reason + "\"", r.header("Warning"));
    }

    @Test
    void theSeedsWordpressPodIsRefused() {
        assertDenied(
                admin.post(PODS, pod("wp", "\"containers\":[{\"name\":\"wp\",\"image\":\"wordpress:latest\"}]")),
                "wordpress:latest",
                "registry docker.io is not trusted");
    }

    @Test
    void aTrustedImageIsAdmitted() {
        ApiClient.Response r =
                admin.post(PODS, pod("ok", "\"containers\":[{\"name\":\"c\",\"image\":\"myregistry.io/app:1.0\"}]"));
        assertEquals(201, r.code(), r.body());
    }

    @Test
    void lookalikeRegistriesAndInitContainersAreRefused() {
        assertDenied(
                admin.post(
                        PODS,
                        pod(
                                "lookalike",
                                "\"containers\":[{\"name\":\"c\",\"image\":\"myregistry.io.malicious.com/app\"}]")),
                "myregistry.io.malicious.com/app",
                "registry myregistry.io.malicious.com is not trusted");
        assertDenied(
                admin.post(PODS, pod("at", "\"containers\":[{\"name\":\"c\",\"image\":\"myregistry.io@evil/app\"}]")),
                "myregistry.io@evil/app",
                "not a valid image reference: invalid reference format");
        assertDenied(
                admin.post(
                        PODS,
                        pod(
                                "init",
                                "\"initContainers\":[{\"name\":\"i\",\"image\":\"evil.com/init\"}],"
                                        + "\"containers\":[{\"name\":\"c\",\"image\":\"myregistry.io/app\"}]")),
                "evil.com/init",
                "registry evil.com is not trusted");
    }

    /**
     * The fake does not serve pods/ephemeralcontainers yet (known-divergences), so the webhook is given the review
     * kube-apiserver sends for {@code kubectl debug}: kind Pod, subResource ephemeralcontainers, the whole pod.
     */
    @Test
    void ephemeralContainersAddedLaterAreRefused() throws Exception {
        var request = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"uid":"u","kind":{"group":"","version":"v1","kind":"Pod"},
                 "resource":{"group":"","version":"v1","resource":"pods"},"subResource":"ephemeralcontainers",
                 "operation":"UPDATE","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p"},
                 "spec":{"containers":[{"name":"c","image":"myregistry.io/app"}],
                         "ephemeralContainers":[{"name":"dbg","image":"busybox"}]}}}""");
        var answer = TrustedRegistryWebhook.reviewer(new TrustedRegistryPolicy(List.of("myregistry.io"), false))
                .review(request);
        assertEquals(
                "{\"allowed\":false,\"status\":{\"message\":\"Image failed policy check: busybox\"},"
                        + "\"warnings\":[\"image busybox: registry docker.io is not trusted\"]}",
                answer.toString());
    }

    @Test
    void podsThroughControllersAreRefusedAtTheTemplate() {
        String deployment = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"wp\"},"
                + "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"wp\"}},\"template\":{\"metadata\":{\"labels\":"
                + "{\"app\":\"wp\"}},\"spec\":{\"containers\":[{\"name\":\"wp\",\"image\":\"wordpress:latest\"}]}}}}";
        assertDenied(
                admin.post("/apis/apps/v1/namespaces/default/deployments", deployment),
                "wordpress:latest",
                "registry docker.io is not trusted");
    }
}

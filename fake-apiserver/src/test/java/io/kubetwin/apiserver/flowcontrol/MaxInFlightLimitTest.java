package io.kubetwin.apiserver.flowcontrol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubetwin.apiserver.admission.webhook.server.AdmissionWebhookServer;
import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.CertificateAuthority;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --enable-priority-and-fairness=false} with {@code --max-mutating-requests-inflight=1}: while one create is
 * held by a validating webhook that does not answer yet, another mutating request gets kube-apiserver's 429
 * (maxinflight.go, tooManyRequests: plain text, {@code Retry-After: 1}), a member of {@code system:masters} and every
 * read still pass, and once the held request ends its place is free again.
 */
class MaxInFlightLimitTest {
    private final CertificateAuthority webhookCa = CertificateAuthority.generate();
    private final Vertx webhookVertx = Vertx.vertx();
    private final CompletableFuture<RoutingContext> held = new CompletableFuture<>();
    private AdmissionWebhookServer webhook;
    private TestApiServer cluster;

    @BeforeEach
    void start() {
        webhook = AdmissionWebhookServer.builder(webhookCa.issueServing(List.of("localhost"), List.of("127.0.0.1")))
                .raw("/hold", held::complete)
                .start(webhookVertx, "127.0.0.1", 0)
                .toCompletionStage()
                .toCompletableFuture()
                .join();
        cluster = TestApiServer.start(b -> b.flowControl(new FlowControlOptions(false, 400, 1)));
        ApiClient admin = cluster.admin();
        assertEquals(
                201,
                admin.post("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", """
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"alice"},
                 "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},
                 "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"alice"}]}""")
                        .code());
        String caBundle =
                Base64.getEncoder().encodeToString(webhookCa.certificatePem().getBytes(StandardCharsets.UTF_8));
        assertEquals(
                201,
                admin.post("/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations", """
                {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingWebhookConfiguration",
                 "metadata":{"name":"hold"},
                 "webhooks":[{"name":"hold.example.com","sideEffects":"None","admissionReviewVersions":["v1"],
                   "timeoutSeconds":30,"objectSelector":{"matchLabels":{"hold":"yes"}},
                   "clientConfig":{"url":"https://127.0.0.1:%d/hold","caBundle":"%s"},
                   "rules":[{"operations":["CREATE"],"apiGroups":[""],"apiVersions":["v1"],"resources":["configmaps"]}]}]}""".formatted(
                                        webhook.port(), caBundle))
                        .code());
    }

    @AfterEach
    void stop() {
        cluster.close();
        webhook.close();
        webhookVertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aSecondMutatingRequestGets429WhileTheFirstIsInFlight() throws Exception {
        ApiClient alice = cluster.as("alice");
        CompletableFuture<ApiClient.Response> first = CompletableFuture.supplyAsync(
                () -> alice.post("/api/v1/namespaces/default/configmaps", configMap("held", true)));
        RoutingContext review = held.get(60, TimeUnit.SECONDS);

        ApiClient.Response refused = alice.post("/api/v1/namespaces/default/configmaps", configMap("second", false));
        assertEquals(429, refused.code());
        assertEquals("Too many requests, please try again later.\n", refused.body());
        assertEquals("1", refused.header("Retry-After"));
        assertEquals("text/plain; charset=utf-8", refused.header("Content-Type"));
        assertEquals("nosniff", refused.header("X-Content-Type-Options"));

        assertEquals(200, alice.get("/api/v1/namespaces/default/configmaps").code(), "reads have their own limit");
        assertEquals(
                201,
                cluster.admin()
                        .post("/api/v1/namespaces/default/configmaps", configMap("by-admin", false))
                        .code(),
                "system:masters is never refused");

        String uid = review.body().asJsonObject().getJsonObject("request").getString("uid");
        review.response()
                .putHeader("Content-Type", "application/json")
                .end("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\""
                        + uid + "\",\"allowed\":true}}");
        assertEquals(201, first.get(60, TimeUnit.SECONDS).code());
        // The seat is given back when the server has finished the response, which may be just after the client has
        // read it: a 429 in that instant is what kube-apiserver's filter answers too, so ask again until it is free.
        ApiClient.Response after = alice.post("/api/v1/namespaces/default/configmaps", configMap("after", false));
        for (int attempt = 1; after.code() == 429 && attempt < 50; attempt++) {
            Thread.sleep(100);
            after = alice.post("/api/v1/namespaces/default/configmaps", configMap("after", false));
        }
        assertEquals(201, after.code(), "the seat is given back once the first request is done");
    }

    @Test
    void limitsAreCheckedWithKubeApiserversMessages() {
        assertEquals(
                "[--max-requests-inflight can not be negative value,"
                        + " --max-mutating-requests-inflight can not be negative value]",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ApiServerConfig.fromArgs(
                                        List.of("--max-requests-inflight=-1", "--max-mutating-requests-inflight=-1")))
                        .getMessage());
        assertEquals(
                "invalid configuration: MaxRequestsInFlight=0 and MaxMutatingRequestsInFlight=0; they must add up to"
                        + " something positive",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ApiServerConfig.fromArgs(
                                        List.of("--max-requests-inflight=0", "--max-mutating-requests-inflight=0")))
                        .getMessage());
        assertEquals(
                new FlowControlOptions(false, 0, 0),
                ApiServerConfig.fromArgs(List.of(
                                "--enable-priority-and-fairness=false",
                                "--max-requests-inflight=0",
                                "--max-mutating-requests-inflight=0"))
                        .flowControl());
    }

    private static String configMap(String name, boolean hold) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\""
                + (hold ? ",\"labels\":{\"hold\":\"yes\"}" : "") + "}}";
    }
}

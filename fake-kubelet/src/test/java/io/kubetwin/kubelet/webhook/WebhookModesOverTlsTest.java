package io.kubetwin.kubelet.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.FakeApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.kubelet.config.KubeletConfig;
import io.kubetwin.kubelet.pods.InMemoryPodSource;
import io.kubetwin.kubelet.pods.Pod;
import io.kubetwin.kubelet.server.KubeletServer;
import io.kubetwin.kubelet.server.ServingCertificate;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyStores;
import io.kubetwin.pki.KeyType;
import io.kubetwin.pki.Kubeconfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook modes for real: a fake kubelet with {@code --authentication-token-webhook} and
 * {@code --authorization-mode=Webhook} asks a fake apiserver, over TLS with its kubeconfig's client certificate,
 * for TokenReviews and SubjectAccessReviews, and the apiserver's RBAC decides who reads the node's pods.
 */
class WebhookModesOverTlsTest {
    static final String NODE = "node-1";
    static final String POD_LIST_PREFIX = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[";

    @TempDir
    static Path dir;

    static FakeApiServer apiserver;
    static Vertx vertx;
    static ApiClient admin;
    static ServingCertificate serving;
    static Path clusterCaFile;
    static KubeletServer kubelet;

    @BeforeAll
    static void cluster() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens.csv"), "carol-token,carol,uid-carol,\"ops\"\n");
        apiserver = FakeApiServer.startBlocking(
                ApiServerConfig.builder().tokenAuthFile(tokens).build());
        admin = ApiClient.of(Kubeconfig.parse(apiserver.adminKubeconfig()));
        vertx = Vertx.vertx();
        serving = ServingCertificate.issuedBy(apiserver.clusterCa(), NODE, List.of("127.0.0.1"));
        clusterCaFile =
                Files.writeString(dir.resolve("ca.crt"), apiserver.clusterCa().certificatePem());
        // the kubelet's own identity may create the reviews, as kubeadm's kubelets may through system:node
        clusterRoleBinding("kubelet-reviews", "system:auth-delegator", "kubelet");
        clusterRole("node-proxy-reader", "proxy");
        clusterRole("node-pods-reader", "pods");
        clusterRoleBinding("monitor-proxy", "node-proxy-reader", "monitor");
        clusterRoleBinding("carol-pods", "node-pods-reader", "carol");
        kubelet = start(kubeconfig("kubelet", "kubelet.kubeconfig"), Duration.ofMinutes(5));
    }

    @AfterAll
    static void stop() {
        if (kubelet != null) {
            kubelet.close().await();
        }
        vertx.close().await();
        apiserver.close();
    }

    static Path kubeconfig(String user, String file) throws Exception {
        return Files.writeString(dir.resolve(file), apiserver.kubeconfigFor(user));
    }

    static KubeletServer start(Path kubeconfig, Duration authorizedTtl) {
        KubeletConfig config = KubeletConfig.configFileDefaults()
                .address("127.0.0.1")
                .port(0)
                .hostnameOverride(NODE)
                .clientCaFile(clusterCaFile)
                .kubeconfig(kubeconfig)
                .webhookAuthorizedTtl(authorizedTtl)
                .build();
        Pod web = new Pod(
                "default", "web", "uid-web", List.of(new Pod.Container("nginx", "nginx:1.27", List.of())), true);
        return KubeletServer.start(
                        vertx,
                        config,
                        new KubeletServer.Dependencies(
                                new InMemoryPodSource(List.of(web)), null, null, serving, Clock.systemUTC()))
                .await();
    }

    static void clusterRole(String name, String subresource) {
        ApiClient.Response r =
                admin.post("/apis/rbac.authorization.k8s.io/v1/clusterroles", """
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"%s"},
                 "rules":[{"apiGroups":[""],"resources":["nodes/%s"],"verbs":["get"]}]}""".formatted(name, subresource));
        assertEquals(201, r.code(), r.body());
    }

    static void clusterRoleBinding(String name, String role, String user) {
        ApiClient.Response r =
                admin.post("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", """
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"%s"},
                 "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"%s"},
                 "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"%s"}]}""".formatted(name, role, user));
        assertEquals(201, r.code(), r.body());
    }

    static Credential user(String name, String... groups) {
        return apiserver
                .clusterCa()
                .issue(CertificateSpec.client(name)
                        .organizations(groups)
                        .keyType(KeyType.EC_P256)
                        .build());
    }

    static HttpResponse<String> get(KubeletServer server, String path, Credential cert, String token) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .sslContext(
                        KeyStores.clientContext(List.of(apiserver.clusterCa().certificate()), cert))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCallerThatRbacGrantsNodesProxyGetsThePodList() throws Exception {
        HttpResponse<String> r = get(kubelet, "/pods", user("monitor", "monitoring"), null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(POD_LIST_PREFIX, r.body().substring(0, POD_LIST_PREFIX.length()));
    }

    @Test
    void aCallerWithoutTheGrantGetsTheKubeletsForbiddenBody() throws Exception {
        HttpResponse<String> r = get(kubelet, "/pods", user("bob", "dev"), null);
        assertEquals(403, r.statusCode());
        assertEquals("Forbidden (user=bob, verb=get, resource=nodes, subresource(s)=[pods proxy])\n", r.body());
        HttpResponse<String> stats = get(kubelet, "/stats/summary", user("monitor"), null);
        assertEquals("Forbidden (user=monitor, verb=get, resource=nodes, subresource(s)=[stats])\n", stats.body());
    }

    @Test
    void aTokenTheApiserverAuthenticatesIsThatUser() throws Exception {
        HttpResponse<String> pods = get(kubelet, "/pods", null, "carol-token");
        assertEquals(200, pods.statusCode(), pods.body());
        HttpResponse<String> configz = get(kubelet, "/configz", null, "carol-token");
        assertEquals(
                "Forbidden (user=carol, verb=get, resource=nodes, subresource(s)=[configz proxy])\n", configz.body());
    }

    @Test
    void aTokenTheApiserverRejectsIs401Unauthorized() throws Exception {
        HttpResponse<String> r = get(kubelet, "/pods", null, "not-a-token");
        assertEquals(401, r.statusCode());
        assertEquals("Unauthorized", r.body());
    }

    @Test
    void anAllowedAnswerIsCachedSoARevokedBindingStillWorksUntilItExpires() throws Exception {
        clusterRole("node-healthz-reader", "healthz");
        clusterRoleBinding("dave-healthz", "node-healthz-reader", "dave");
        KubeletServer uncached = start(kubeconfig("kubelet", "uncached.kubeconfig"), Duration.ZERO);
        try {
            Credential dave = user("dave");
            assertEquals(200, get(kubelet, "/healthz", dave, null).statusCode());
            assertEquals(200, get(uncached, "/healthz", dave, null).statusCode());
            assertEquals(
                    200,
                    admin.delete("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/dave-healthz")
                            .code());
            assertEquals(200, get(kubelet, "/healthz", dave, null).statusCode(), "cached for 5m");
            HttpResponse<String> r = get(uncached, "/healthz", dave, null);
            assertEquals(403, r.statusCode());
            assertEquals("Forbidden (user=dave, verb=get, resource=nodes, subresource(s)=[healthz proxy])\n", r.body());
        } finally {
            uncached.close().await();
        }
    }

    @Test
    void aKubeletWhoseIdentityMayNotReviewAnswersAuthorizationError() throws Exception {
        KubeletServer unprivileged = start(kubeconfig("nobody", "nobody.kubeconfig"), Duration.ofMinutes(5));
        try {
            HttpResponse<String> r = get(unprivileged, "/pods", user("monitor"), null);
            assertEquals(500, r.statusCode());
            assertEquals("Authorization error (user=monitor, verb=get, resource=nodes, subresource=pods)", r.body());
            // the TokenReview is refused too: every authentication failure is the bare 401
            assertEquals(401, get(unprivileged, "/pods", null, "carol-token").statusCode());
        } finally {
            unprivileged.close().await();
        }
    }
}

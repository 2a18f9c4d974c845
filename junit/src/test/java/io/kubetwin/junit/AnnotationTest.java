package io.kubetwin.junit;

import static io.kubetwin.junit.KubeTwinAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Kubeconfig;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The annotation way in: every attribute, parameter and field injection, fabric8 clients over TLS. */
@KubeTwin(
        users = {@User(name = "alice", groups = "dev"), @User(name = "bob", token = "bob-token-1", groups = "ops")},
        serviceAccounts = @ServiceAccount(namespace = "team", name = "operator"),
        preload = "kubetwin/rbac.yaml",
        auditPolicy = "kubetwin/audit-policy.yaml")
class AnnotationTest {
    @KubeTwinInject
    static KubeTwinServer server;

    @KubeTwinInject
    AuditTrail audit;

    @Actor("alice")
    KubeTwinActor alice;

    static Pod pod(String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("busybox")
                .endContainer()
                .endSpec()
                .build();
    }

    @Test
    void aliceIsForbiddenToCreatePodsWithTheApiserversOwnStatus(@Actor("alice") KubernetesClient client) {
        KubernetesClientException e = assertThrows(
                KubernetesClientException.class,
                () -> client.pods().inNamespace("default").resource(pod("web")).create());
        assertEquals(403, e.getCode());
        assertEquals("Forbidden", e.getStatus().getReason());
        assertEquals(
                "pods is forbidden: User \"alice\" cannot create resource \"pods\" in API group \"\" in the namespace"
                        + " \"default\"",
                e.getStatus().getMessage());

        assertThat(audit)
                .hasEvent()
                .user("alice")
                .verb("create")
                .resource("pods")
                .namespace("default")
                .code(403)
                .decision("forbid");
    }

    @Test
    void theAdminCreatesWhatAliceCannot(KubernetesClient admin) {
        Pod created =
                admin.pods().inNamespace("default").resource(pod("admin-web")).create();
        assertEquals("admin-web", created.getMetadata().getName());
        assertThat(audit)
                .hasEvent()
                .user("kubernetes-admin")
                .verb("create")
                .name("admin-web")
                .decision("allow");
    }

    @Test
    void preloadedRbacLetsTheServiceAccountAndTheTokenUserReadConfigMaps(
            @Actor("system:serviceaccount:team:operator") KubernetesClient operator,
            @Actor("bob") KubernetesClient bob,
            @Actor("bob") KubeTwinActor bobActor) {
        ConfigMap settings =
                operator.configMaps().inNamespace("team").withName("settings").get();
        assertEquals("strict", settings.getData().get("mode"));
        assertTrue(
                bob.configMaps().inNamespace("team").list().getItems().stream()
                        .anyMatch(c -> c.getMetadata().getName().equals("settings")),
                "bob lists the preloaded ConfigMap");
        assertEquals(List.of("ops"), bobActor.groups());
        assertEquals("bob-token-1", bobActor.token().orElseThrow());
        KubernetesClientException e = assertThrows(
                KubernetesClientException.class,
                () -> operator.configMaps().inNamespace("default").list());
        assertEquals(
                "configmaps is forbidden: User \"system:serviceaccount:team:operator\" cannot list resource"
                        + " \"configmaps\" in API group \"\" in the namespace \"default\"",
                e.getStatus().getMessage());
    }

    @Test
    void fieldsAndParametersShareOneServerPerClass(KubeTwinServer param, AuditTrail trail) throws Exception {
        assertSame(server, param);
        assertSame(server.audit(), trail);
        assertSame(server.actor("alice"), alice);
        assertEquals(List.of("dev"), alice.groups());
        assertEquals(KubeTwinActor.Kind.CLIENT_CERTIFICATE, alice.kind());
        assertEquals(alice.kubeconfig(), Files.readString(alice.kubeconfigPath()));
        assertEquals(server.adminKubeconfig(), Files.readString(server.adminKubeconfigPath()));
        assertTrue(server.url().startsWith("https://127.0.0.1:"), server.url());
        assertTrue(server.caCertificatePem().startsWith("-----BEGIN CERTIFICATE-----"));

        // the kubeconfig file is all a client needs: alice, in groups dev and system:authenticated, over TLS
        ApiClient.Response review = ApiClient.of(Kubeconfig.read(alice.kubeconfigPath()))
                .post(
                        "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}");
        assertEquals(201, review.code(), review.body());
        assertEquals(
                "alice",
                review.json().path("status").path("userInfo").path("username").asText());
        assertEquals(
                "[\"dev\",\"system:authenticated\"]",
                review.json().path("status").path("userInfo").path("groups").toString());
    }

    @Nested
    class NestedClasses {
        @Test
        void shareTheEnclosingClassesServer(KubeTwinServer nested) {
            assertSame(server, nested);
        }
    }
}

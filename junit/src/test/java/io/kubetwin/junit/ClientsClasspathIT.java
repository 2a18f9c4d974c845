package io.kubetwin.junit;

import static io.kubetwin.junit.KubeTwinAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Status;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Run by failsafe on the installed (shaded) jar beside one fabric8 line with its default HTTP client and the official
 * Java client (OkHttp, Gson, its own client-java-proto and BouncyCastle), and nothing else of ours: fabric8 7.x brings
 * Vert.x 4, fabric8 8.x Vert.x 5, and neither meets the fake's relocated Vert.x 5. Before relocation, fabric8 7.x
 * beside the fake failed with {@code NoSuchMethodError: io.vertx.core.Future.await()}.
 */
@KubeTwin(users = @User(name = "alice", groups = "dev"), auditPolicy = "kubetwin/audit-policy.yaml")
class ClientsClasspathIT {
    @Test
    void fabric8AndTheFakeShareOneClasspath(
            KubernetesClient admin, @Actor("alice") KubernetesClient alice, AuditTrail audit) throws IOException {
        String vertx = vertxMajor() + ".x";
        System.out.println("kubetwin: fabric8 " + version("io.fabric8", "kubernetes-client") + " with Vert.x " + vertx
                + " beside the shaded kubetwin-junit");
        assertTrue(
                vertx.startsWith(System.getProperty("expected.vertx.major") + "."),
                "the user's Vert.x is fabric8's: " + vertx);
        assertNotNull(
                KubeTwinServer.class.getResource("/io/kubetwin/shaded/io/vertx/core/Vertx.class"),
                "the fake's own Vert.x, relocated");

        assertTrue(admin.namespaces().list().getItems().stream()
                .anyMatch(n -> n.getMetadata().getName().equals("kube-system")));
        KubernetesClientException e = assertThrows(
                KubernetesClientException.class,
                () -> alice.secrets().inNamespace("kube-system").list());
        assertEquals(403, e.getCode());
        assertEquals(
                "secrets is forbidden: User \"alice\" cannot list resource \"secrets\" in API group \"\" in the namespace"
                        + " \"kube-system\"",
                e.getStatus().getMessage());
        assertThat(audit)
                .hasEvent()
                .user("alice")
                .verb("list")
                .resource("secrets")
                .decision("forbid");
    }

    @Test
    void theOfficialJavaClientSharesItToo(ApiClient admin, @Actor("alice") ApiClient alice, AuditTrail audit)
            throws Exception {
        System.out.println("kubetwin: client-java " + version("io.kubernetes", "client-java")
                + " beside fabric8 and the shaded kubetwin-junit");
        assertTrue(new CoreV1Api(admin)
                .listNamespace().execute().getItems().stream()
                        .anyMatch(n -> n.getMetadata().getName().equals("kube-system")));
        ApiException e = assertThrows(
                ApiException.class,
                () -> new CoreV1Api(alice)
                        .listNamespacedConfigMap("kube-system")
                        .execute());
        assertEquals(403, e.getCode());
        V1Status status = alice.getJSON().deserialize(e.getResponseBody(), V1Status.class);
        assertEquals(
                "configmaps is forbidden: User \"alice\" cannot list resource \"configmaps\" in API group \"\" in the "
                        + "namespace \"kube-system\"",
                status.getMessage());
        assertThat(audit)
                .hasEvent()
                .user("alice")
                .verb("list")
                .resource("configmaps")
                .decision("forbid");
    }

    /** Vert.x 5 has {@code Future.await()}, the method whose absence broke fabric8 7.x beside the unshaded fake. */
    private static int vertxMajor() {
        try {
            Class.forName("io.vertx.core.Future").getMethod("await");
            return 5;
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return 4;
        }
    }

    /** The version in a jar's Maven metadata, as the user's class path has it. */
    private static String version(String group, String artifact) throws IOException {
        String path = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = ClientsClasspathIT.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                return "(no " + path + ")";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        }
    }
}

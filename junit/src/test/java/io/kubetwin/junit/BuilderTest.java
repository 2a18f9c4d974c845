package io.kubetwin.junit;

import static io.kubetwin.junit.KubeTwinAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Pem;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/** The builder way in, per method: each test gets a fresh server, so state never leaks between tests. */
class BuilderTest {
    @RegisterExtension
    static final KubeTwinExtension cluster = KubeTwinExtension.builder()
            .user("alice", "dev")
            .anonymousAuth(false)
            .auditPolicy(AuditPolicy.atLevel("Metadata"))
            .perMethod()
            .build();

    private static final Set<String> urls = ConcurrentHashMap.newKeySet();

    @RepeatedTest(2)
    void eachTestHasAFreshServer(KubeTwinServer server, KubernetesClient admin, AuditTrail audit) {
        // the same name both times: the second creation would be 409 AlreadyExists on a shared server
        admin.configMaps()
                .inNamespace("default")
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("only-once")
                        .endMetadata()
                        .build())
                .create();
        assertEquals(
                1,
                audit.events().stream()
                        .filter(e -> e.name().equals("only-once"))
                        .count());
        assertTrue(urls.add(server.url()), "a new server, not one of " + urls);
    }

    @Test
    void anonymousAuthOffGetsTheCanonical401(KubeTwinServer server) {
        ApiClient.Response r = ApiClient.anonymous(server.url(), Pem.parseCertificate(server.caCertificatePem()))
                .get("/api/v1/namespaces");
        assertEquals(401, r.code());
        assertEquals("Unauthorized", r.statusMessage().orElseThrow());
    }

    @Test
    void actorsDeclaredByTheBuilder(@Actor("alice") KubernetesClient alice, AuditTrail audit) {
        KubernetesClientException e = assertThrows403(() -> alice.namespaces().list());
        assertEquals(
                "namespaces is forbidden: User \"alice\" cannot list resource \"namespaces\" in API group \"\" at the"
                        + " cluster scope",
                e.getStatus().getMessage());
        assertThat(audit)
                .hasEvent()
                .user("alice")
                .verb("list")
                .resource("namespaces")
                .decision("forbid");
        assertNotEquals("", audit.events().get(0).json());
    }

    private static KubernetesClientException assertThrows403(Executable call) {
        KubernetesClientException e = assertThrows(KubernetesClientException.class, call);
        assertEquals(403, e.getCode());
        return e;
    }
}

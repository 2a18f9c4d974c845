package io.kubetwin.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.Kubeconfig;
import io.kubetwin.pki.Pem;
import org.junit.jupiter.api.Test;

/** Fake kubelets: registered as Ready nodes, serving the kubelet API with webhook authorization over TLS. */
@KubeTwin(
        authorizationModes = {"Node", "RBAC"},
        nodes = "node-1",
        users = @User(name = "alice", groups = "dev"))
class NodesTest {

    @Test
    void theKubeletRegisteredItsNode(KubernetesClient admin, KubeTwinServer server) {
        Node node = admin.nodes().withName("node-1").get();
        assertEquals(
                "True",
                node.getStatus().getConditions().stream()
                        .filter(c -> c.getType().equals("Ready"))
                        .findFirst()
                        .orElseThrow()
                        .getStatus());
        assertEquals(
                "https://127.0.0.1:" + server.node("node-1").port(),
                server.node("node-1").url());
        assertEquals(1, server.nodes().size());
        var e = assertThrows(IllegalArgumentException.class, () -> server.node("node-2"));
        assertEquals("no node named \"node-2\"; declared: [node-1]", e.getMessage());
    }

    @Test
    void theKubeletAuthorizesEachCallerThroughTheApiserver(KubeTwinServer server) {
        ApiClient.Response admin = kubeletClient(server, server.admin()).get("/pods");
        assertEquals(200, admin.code(), admin.body());
        ApiClient.Response alice = kubeletClient(server, server.actor("alice")).get("/pods");
        assertEquals(403, alice.code());
        assertEquals("Forbidden (user=alice, verb=get, resource=nodes, subresource(s)=[pods proxy])\n", alice.body());
    }

    /** The actor's client certificate, sent to the kubelet, which trusts the cluster CA. */
    private static ApiClient kubeletClient(KubeTwinServer server, KubeTwinActor actor) {
        Credential credential =
                Kubeconfig.parse(actor.kubeconfig()).clientCredential().orElseThrow();
        return ApiClient.withCertificate(
                server.node("node-1").url(),
                Pem.parseCertificate(server.caCertificatePem()),
                credential.certificate(),
                credential.privateKey());
    }
}

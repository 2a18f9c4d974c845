package io.kubetwin.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Kubeconfig;
import org.junit.jupiter.api.Test;

/** Preloading: custom resources after their CRD, JSON documents, and the errors a bad file gets. */
class PreloadTest {
    @Test
    void aCustomResourceFollowsItsCrdInOneFile() {
        try (KubeTwinServer server = KubeTwinServer.start(
                KubeTwinConfig.builder().preload("kubetwin/crd.yaml").build())) {
            ApiClient admin = ApiClient.of(Kubeconfig.parse(server.adminKubeconfig()));
            ApiClient.Response r = admin.get("/apis/example.com/v1/namespaces/default/widgets/w1");
            assertEquals(200, r.code(), r.body());
            assertEquals(3, r.json().path("spec").path("size").asInt());
        }
    }

    @Test
    void aRefusedObjectStopsTheStartWithTheServersMessage() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> KubeTwinServer.start(KubeTwinConfig.builder()
                        .preload("kubetwin/duplicate.yaml")
                        .build()));
        assertEquals(
                "kubetwin/duplicate.yaml: creating ConfigMap twice failed: 409 configmaps \"twice\" already exists",
                e.getMessage());
    }

    @Test
    void aMissingResourceIsNamed() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> KubeTwinServer.start(KubeTwinConfig.builder()
                        .preload("kubetwin/missing.yaml")
                        .build()));
        assertEquals("classpath resource not found: kubetwin/missing.yaml", e.getMessage());
    }

    @Test
    void unknownActorsAreNamedWithTheDeclaredOnes() {
        try (KubeTwinServer server =
                KubeTwinServer.start(KubeTwinConfig.builder().user("alice").build())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> server.actor("mallory"));
            assertEquals("no actor named \"mallory\"; declared: [alice]", e.getMessage());
            assertEquals("carol", server.newUser("carol", "qa").name());
            assertEquals(2, server.actors().size());
        }
    }
}

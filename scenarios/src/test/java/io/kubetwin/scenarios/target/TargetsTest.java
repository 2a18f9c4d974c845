package io.kubetwin.scenarios.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetsTest {

    @Test
    void fakeIsAvailableExactlyWhenTheFakeApiServerIsOnTheClassPath() {
        boolean present;
        try {
            Class.forName("io.kubetwin.apiserver.server.FakeApiServer");
            present = true;
        } catch (ClassNotFoundException e) {
            present = false;
        }
        var fake = Targets.byName("fake");
        assertEquals("fake", fake.name());
        assertEquals(present ? Optional.empty() : Optional.of("the fake apiserver's embedding API"
                + " (io.kubetwin.apiserver.server.FakeApiServer) is not in this build"), fake.unavailableReason());
    }

    @Test
    void namedTargets() {
        assertInstanceOf(ReferenceTarget.class, Targets.byName("reference"));
        assertInstanceOf(K3sTarget.class, Targets.byName("k3s"));
        assertInstanceOf(KubeconfigTarget.class, Targets.byName("kubeconfig"));
        assertEquals(Optional.of("unknown target (known: fake, reference, k3s, kubeconfig)"),
                Targets.byName("minikube").unavailableReason());
    }

    @Test
    void kubeconfigTargetWithoutAFileSaysHowToGiveOne() {
        assertEquals(Optional.of("cannot read /nonexistent/admin.conf"),
                new KubeconfigTarget(java.nio.file.Path.of("/nonexistent/admin.conf")).unavailableReason());
    }
}

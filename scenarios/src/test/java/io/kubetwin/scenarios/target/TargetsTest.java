package io.kubetwin.scenarios.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.kubetwin.scenarios.target.fake.FakeTarget;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetsTest {

    @Test
    void fakeIsAlwaysAvailable() {
        var fake = Targets.byName("fake");
        assertInstanceOf(FakeTarget.class, fake);
        assertEquals("fake", fake.name());
        assertEquals(Optional.empty(), fake.unavailableReason());
    }

    @Test
    void namedTargets() {
        assertInstanceOf(ReferenceTarget.class, Targets.byName("reference"));
        assertEquals("reference", Targets.byName("reference").name());
        assertInstanceOf(ReferenceTarget.class, Targets.byName("reference-fake-etcd"));
        assertEquals(
                "reference-fake-etcd", Targets.byName("reference-fake-etcd").name());
        assertInstanceOf(K3sTarget.class, Targets.byName("k3s"));
        assertInstanceOf(KubeconfigTarget.class, Targets.byName("kubeconfig"));
        assertEquals(
                Optional.of("unknown target (known: fake, reference, reference-fake-etcd, k3s, kubeconfig)"),
                Targets.byName("minikube").unavailableReason());
    }

    @Test
    void kubeconfigTargetWithoutAFileSaysHowToGiveOne() {
        assertEquals(
                Optional.of("cannot read /nonexistent/admin.conf"),
                new KubeconfigTarget(Path.of("/nonexistent/admin.conf")).unavailableReason());
    }
}

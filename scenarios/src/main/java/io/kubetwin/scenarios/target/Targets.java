package io.kubetwin.scenarios.target;

import io.kubetwin.scenarios.target.fake.FakeTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Targets by name: {@code fake}, {@code reference}, {@code reference-fake-etcd} (the reference kube-apiserver on the
 * kubetwin fake etcd), {@code k3s}, {@code kubeconfig}.
 */
public final class Targets {

    private Targets() {}

    /**
     * The target names chosen by the system property {@code kubetwin.targets}, else the environment variable
     * {@code KUBETWIN_TARGETS}, else {@code fake}.
     */
    public static List<String> selectedNames() {
        var value = System.getProperty("kubetwin.targets");
        if (value == null || value.isBlank()) {
            value = System.getenv("KUBETWIN_TARGETS");
        }
        if (value == null || value.isBlank()) {
            value = "fake";
        }
        var names = new ArrayList<String>();
        for (var part : value.split(",")) {
            if (!part.isBlank()) {
                names.add(part.trim());
            }
        }
        return names;
    }

    public static Target byName(String name) {
        return switch (name) {
            case "fake" -> new FakeTarget();
            case "reference" -> new ReferenceTarget();
            case "reference-fake-etcd" -> new ReferenceTarget(ReferenceStore.FAKE_ETCD);
            case "k3s" -> new K3sTarget();
            case "kubeconfig" -> new KubeconfigTarget();
            default ->
                new UnavailableTarget(
                        name, "unknown target (known: fake, reference, reference-fake-etcd, k3s, kubeconfig)");
        };
    }

    /** A target that cannot run here; every step on it is skipped with the reason. */
    public record UnavailableTarget(String name, String reason) implements Target {
        @Override
        public Optional<String> unavailableReason() {
            return Optional.of(reason);
        }

        @Override
        public RunningCluster start(ClusterSpec spec) {
            throw new IllegalStateException(reason);
        }
    }
}

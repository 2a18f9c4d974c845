package io.kubetwin.scenarios.target;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Targets by name: {@code fake}, {@code reference}, {@code k3s}, {@code kubeconfig}. */
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
            case "reference" -> new ReferenceTarget();
            case "k3s" -> new K3sTarget();
            case "kubeconfig" -> new KubeconfigTarget();
            default -> provided(name).orElseGet(() -> new UnavailableTarget(name, name.equals("fake")
                    ? "the fake apiserver's embedding API (io.kubetwin.apiserver.server.FakeApiServer) is not in this build"
                    : "unknown target (known: fake, reference, k3s, kubeconfig)"));
        };
    }

    private static Optional<Target> provided(String name) {
        var iterator = ServiceLoader.load(TargetProvider.class, Targets.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!iterator.hasNext()) {
                    return Optional.empty();
                }
                var provider = iterator.next();
                if (provider.name().equals(name)) {
                    return Optional.of(provider.create());
                }
            } catch (ServiceConfigurationError | LinkageError e) {
                // a provider whose class was left out of this build; the others may still load
                if (!iterator.hasNext()) {
                    return Optional.empty();
                }
            }
        }
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

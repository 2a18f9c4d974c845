package io.kubetwin.kubelet.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The feature gates the fake kubelet knows, with their v1.34 defaults (pkg/features/kube_features.go):
 * {@code KubeletFineGrainedAuthz} alpha in 1.32, beta and on by default since 1.33. Any other name is refused
 * as upstream's feature gate refuses it ({@code unrecognized feature gate: NAME}), so that a gate the fake
 * would ignore cannot make a test pass for the wrong reason.
 */
public final class FeatureGates {
    public static final String KUBELET_FINE_GRAINED_AUTHZ = "KubeletFineGrainedAuthz";
    private static final Map<String, Boolean> DEFAULTS = Map.of(KUBELET_FINE_GRAINED_AUTHZ, true);

    private FeatureGates() {}

    /** Parses {@code --feature-gates} syntax: {@code A=true,B=false}. */
    public static Map<String, Boolean> parse(String flag) {
        Map<String, Boolean> gates = new LinkedHashMap<>();
        for (String item : flag.split(",")) {
            String s = item.strip();
            if (s.isEmpty()) {
                continue;
            }
            int eq = s.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("missing bool value for " + s);
            }
            String name = s.substring(0, eq).strip();
            gates.put(name, GoBool.parse(s.substring(eq + 1).strip(), "feature gate " + name));
        }
        return validate(gates);
    }

    public static Map<String, Boolean> validate(Map<String, Boolean> gates) {
        for (String name : gates.keySet()) {
            if (!DEFAULTS.containsKey(name)) {
                throw new IllegalArgumentException("unrecognized feature gate: " + name);
            }
        }
        return gates;
    }

    public static boolean enabled(Map<String, Boolean> gates, String name) {
        return gates.getOrDefault(name, DEFAULTS.get(name));
    }
}

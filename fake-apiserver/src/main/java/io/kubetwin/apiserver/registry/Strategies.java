package io.kubetwin.apiserver.registry;

import io.kubetwin.apiserver.apiextensions.CrdStrategy;
import io.kubetwin.apiserver.certificates.CsrStrategy;
import io.kubetwin.apiserver.registry.kinds.BuiltInKinds;
import io.kubetwin.apiserver.registry.kinds.Capabilities;
import io.kubetwin.apiserver.registry.kinds.ConfigMapStrategy;
import io.kubetwin.apiserver.registry.kinds.EventStrategy;
import io.kubetwin.apiserver.registry.kinds.GatedFields;
import io.kubetwin.apiserver.registry.kinds.NamespaceStrategy;
import io.kubetwin.apiserver.registry.kinds.NodeStrategy;
import io.kubetwin.apiserver.registry.kinds.PodStrategy;
import io.kubetwin.apiserver.registry.kinds.RbacStrategy;
import io.kubetwin.apiserver.registry.kinds.SecretStrategy;
import io.kubetwin.apiserver.registry.kinds.ServiceAccountStrategy;
import io.kubetwin.apiserver.registry.kinds.ServiceNetwork;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The strategy of each resource, by (group, plural); resources without one use
 * {@link BuiltInKinds#generic(String, String)} (the standard behaviour with the recorded printer and Go field
 * order). Thread-safe; CRDs register theirs at run time.
 */
public final class Strategies {
    private final Map<String, ResourceStrategy> byResource = new ConcurrentHashMap<>();
    private final Map<String, ResourceStrategy> fallbacks = new ConcurrentHashMap<>();

    /** An empty set: every resource gets the generic strategy. */
    public Strategies() {}

    /** The strategies of the built-in kinds, with kube-apiserver's default service ranges. */
    public static Strategies builtIns(Clock clock) {
        return builtIns(clock, new ServiceNetwork("10.0.0.0/24", "30000-32767"));
    }

    /** The strategies of the built-in kinds, with kube-apiserver's default capabilities. */
    public static Strategies builtIns(Clock clock, ServiceNetwork network) {
        return builtIns(clock, network, Capabilities.defaults());
    }

    /**
     * The strategies of the built-in kinds; Services get their cluster IPs and node ports from {@code network}, pods
     * and pod templates are validated against {@code capabilities} ({@code --allow-privileged}).
     */
    public static Strategies builtIns(Clock clock, ServiceNetwork network, Capabilities capabilities) {
        return builtIns(clock, network, capabilities, GatedFields.V134);
    }

    /**
     * As {@link #builtIns(Clock, ServiceNetwork, Capabilities)}, with the fields of the feature gates that are off
     * dropped from what clients write ({@link GatedFields}: an emulated release's defaults or {@code --feature-gates}).
     */
    public static Strategies builtIns(
            Clock clock, ServiceNetwork network, Capabilities capabilities, GatedFields gatedFields) {
        Strategies s = new Strategies();
        BuiltInKinds.register(s::register, network, capabilities, gatedFields);
        s.register("", "pods", new PodStrategy(capabilities, gatedFields));
        s.register("", "namespaces", new NamespaceStrategy());
        s.register("", "secrets", new SecretStrategy());
        s.register("", "configmaps", new ConfigMapStrategy());
        s.register("", "serviceaccounts", new ServiceAccountStrategy());
        s.register("", "nodes", new NodeStrategy());
        s.register("", "events", new EventStrategy());
        s.register("events.k8s.io", "events", new EventStrategy(true));
        String rbac = "rbac.authorization.k8s.io";
        s.register(rbac, "roles", RbacStrategy.role());
        s.register(rbac, "clusterroles", RbacStrategy.clusterRole());
        s.register(rbac, "rolebindings", RbacStrategy.roleBinding());
        s.register(rbac, "clusterrolebindings", RbacStrategy.clusterRoleBinding());
        s.register("certificates.k8s.io", "certificatesigningrequests", new CsrStrategy(clock));
        s.register("apiextensions.k8s.io", "customresourcedefinitions", new CrdStrategy(clock));
        return s;
    }

    /** Sets (or replaces) the strategy of a resource. */
    public void register(String group, String plural, ResourceStrategy strategy) {
        byResource.put(key(group, plural), strategy);
    }

    public void remove(String group, String plural) {
        byResource.remove(key(group, plural));
    }

    public ResourceStrategy forResource(String group, String plural) {
        ResourceStrategy s = byResource.get(key(group, plural));
        if (s != null) {
            return s;
        }
        // a built-in resource without its own strategy: generic, with its printer and Go field order
        return fallbacks.computeIfAbsent(
                key(group, plural), k -> BuiltInKinds.generic(group == null ? "" : group, plural));
    }

    private static String key(String group, String plural) {
        return (group == null ? "" : group) + "/" + plural;
    }
}

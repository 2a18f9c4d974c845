package io.kubetwin.apiserver.admission.resourcequota;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The evaluator for each resource (pkg/quota/v1/install/registry.go): pods, services and claims have their
 * own; configmaps, secrets, resourcequotas and replicationcontrollers are counted under their legacy names
 * too; every other stored resource is counted as {@code count/<resource>[.<group>]}; virtual resources and events
 * are ignored.
 */
public final class QuotaEvaluators {
    private QuotaEvaluators() {}

    private static final Set<String> IGNORED = Set.of(
            "/bindings",
            "/componentstatuses",
            "authentication.k8s.io/tokenreviews",
            "authentication.k8s.io/selfsubjectreviews",
            "authorization.k8s.io/subjectaccessreviews",
            "authorization.k8s.io/selfsubjectaccessreviews",
            "authorization.k8s.io/localsubjectaccessreviews",
            "authorization.k8s.io/selfsubjectrulesreviews",
            "/events",
            "events.k8s.io/events");

    private static final Map<String, String> LEGACY_ALIASES = Map.of(
            "configmaps", "configmaps",
            "resourcequotas", "resourcequotas",
            "replicationcontrollers", "replicationcontrollers",
            "secrets", "secrets");

    private static final QuotaEvaluator PODS = new PodQuota(true);
    private static final QuotaEvaluator PODS_WITHOUT_POD_LEVEL = new PodQuota(false);
    private static final QuotaEvaluator SERVICES = new ServiceQuota();
    private static final QuotaEvaluator CLAIMS = new ClaimQuota();

    /** The evaluator of a group and resource, PodLevelResources on; empty when quota ignores it. */
    public static Optional<QuotaEvaluator> forResource(String group, String resource) {
        return forResource(group, resource, true);
    }

    /**
     * The evaluator of a group and resource; empty when quota ignores it.
     *
     * @param podLevel the PodLevelResources gate: whether a pod's spec.resources counts
     */
    public static Optional<QuotaEvaluator> forResource(String group, String resource, boolean podLevel) {
        if (IGNORED.contains(group + "/" + resource)) {
            return Optional.empty();
        }
        if (group.isEmpty()) {
            switch (resource) {
                case "pods":
                    return Optional.of(podLevel ? PODS : PODS_WITHOUT_POD_LEVEL);
                case "services":
                    return Optional.of(SERVICES);
                case "persistentvolumeclaims":
                    return Optional.of(CLAIMS);
                default:
                    return Optional.of(QuotaEvaluator.ObjectCount.of("", resource, LEGACY_ALIASES.get(resource)));
            }
        }
        return Optional.of(QuotaEvaluator.ObjectCount.of(group, resource, null));
    }

    /**
     * The group and resource a quota resource name charges, for the controller's recount: pods, services and
     * claims for their evaluators' names, the legacy aliases, and {@code count/<resource>[.<group>]}.
     */
    public static Optional<String[]> resourceOf(String quotaName) {
        if (PODS.matchingResources(Set.of(quotaName)).contains(quotaName)) {
            return Optional.of(new String[] {"", "pods"});
        }
        if (SERVICES.matchingResources(Set.of(quotaName)).contains(quotaName)) {
            return Optional.of(new String[] {"", "services"});
        }
        if (CLAIMS.matchingResources(Set.of(quotaName)).contains(quotaName)) {
            return Optional.of(new String[] {"", "persistentvolumeclaims"});
        }
        if (LEGACY_ALIASES.containsKey(quotaName)) {
            return Optional.of(new String[] {"", quotaName});
        }
        if (quotaName.startsWith("count/")) {
            String rest = quotaName.substring("count/".length());
            int dot = rest.indexOf('.');
            return Optional.of(
                    dot < 0 ? new String[] {"", rest} : new String[] {rest.substring(dot + 1), rest.substring(0, dot)});
        }
        return Optional.empty();
    }
}

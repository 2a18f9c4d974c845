package io.kubetwin.apiserver.admission.resourcequota;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.admission.PodResources;
import io.kubetwin.apiserver.api.Quantity;
import io.kubetwin.apiserver.api.ResourceLists;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pod evaluator (pkg/quota/v1/evaluator/core/pods.go): count/pods always, and while the pod is not
 * terminal {@code pods} plus its effective cpu, memory, ephemeral-storage, hugepages and extended-resource
 * requests and limits; the Terminating, NotTerminating, BestEffort, NotBestEffort and PriorityClass scopes;
 * and the "must specify" constraint for cpu and memory a quota on them imposes on every container.
 */
final class PodQuota implements QuotaEvaluator {
    static final String COUNT = "count/pods";
    private static final Set<String> RESOURCES = Set.of(
            COUNT,
            "cpu",
            "memory",
            "ephemeral-storage",
            "requests.cpu",
            "requests.memory",
            "requests.ephemeral-storage",
            "limits.cpu",
            "limits.memory",
            "limits.ephemeral-storage",
            "pods");
    private static final Set<String> VALIDATION =
            Set.of("cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory");

    private final boolean podLevel;

    /** @param podLevel the PodLevelResources gate: whether a pod's spec.resources counts */
    PodQuota(boolean podLevel) {
        this.podLevel = podLevel;
    }

    @Override
    public boolean handles(AdmissionAttributes a) {
        return switch (a.subresource()) {
            case "" ->
                a.operation() == Operation.CREATE
                        || (a.operation() == Operation.UPDATE
                                && a.oldObject() != null
                                && terminating(a.object()) != terminating(a.oldObject()));
            case "resize" -> a.operation() == Operation.UPDATE;
            default -> false;
        };
    }

    @Override
    public Set<String> matchingResources(Collection<String> hard) {
        Set<String> out = new TreeSet<>();
        for (String r : hard) {
            if (RESOURCES.contains(r)
                    || r.startsWith("hugepages-")
                    || r.startsWith("requests.hugepages-")
                    || extendedForQuota(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** isExtendedResourceNameForQuota: {@code requests.<domain>/<name>} outside kubernetes.io. */
    private static boolean extendedForQuota(String r) {
        return r.startsWith("requests.") && extended(r.substring("requests.".length()));
    }

    /** helper.IsExtendedResourceName: a qualified name outside the kubernetes.io domain, not requests.-prefixed. */
    static boolean extended(String r) {
        int slash = r.indexOf('/');
        if (slash < 0 || r.startsWith("requests.")) {
            return false;
        }
        String domain = r.substring(0, slash);
        return !domain.equals("kubernetes.io") && !domain.endsWith(".kubernetes.io");
    }

    @Override
    public boolean matchesScope(ScopeSelector s, JsonNode pod) {
        return switch (s.scopeName()) {
            case "Terminating" -> terminating(pod);
            case "NotTerminating" -> !terminating(pod);
            case "BestEffort" -> bestEffort(pod);
            case "NotBestEffort" -> !bestEffort(pod);
            case "PriorityClass" ->
                priorityClassMatches(
                        s, pod.path("spec").path("priorityClassName").asText(""));
            case "CrossNamespacePodAffinity" -> crossNamespaceAffinity(pod);
            default -> false;
        };
    }

    private static boolean priorityClassMatches(ScopeSelector s, String name) {
        return switch (s.operator()) {
            case "Exists" -> !name.isEmpty();
            case "DoesNotExist" -> name.isEmpty();
            case "In" -> s.values().contains(name);
            case "NotIn" -> !s.values().contains(name);
            default -> false;
        };
    }

    /** usesCrossNamespacePodAffinity: a pod (anti-)affinity term with namespaces or a namespace selector. */
    private static boolean crossNamespaceAffinity(JsonNode pod) {
        JsonNode affinity = pod.path("spec").path("affinity");
        for (String kind : new String[] {"podAffinity", "podAntiAffinity"}) {
            JsonNode a = affinity.path(kind);
            for (JsonNode t : a.path("requiredDuringSchedulingIgnoredDuringExecution")) {
                if (crossNamespaceTerm(t)) {
                    return true;
                }
            }
            for (JsonNode w : a.path("preferredDuringSchedulingIgnoredDuringExecution")) {
                if (crossNamespaceTerm(w.path("podAffinityTerm"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean crossNamespaceTerm(JsonNode term) {
        return term.path("namespaces").size() > 0 || term.has("namespaceSelector");
    }

    static boolean terminating(JsonNode pod) {
        JsonNode deadline = pod.path("spec").path("activeDeadlineSeconds");
        return deadline.isNumber() && deadline.asLong() >= 0;
    }

    boolean bestEffort(JsonNode pod) {
        return PodResources.isBestEffort(pod.path("spec"), podLevel);
    }

    @Override
    public String constraints(Set<String> required, JsonNode pod) {
        JsonNode spec = pod.path("spec");
        // pod-level resources satisfy any requirement (with PodLevelResources on, the default)
        if (podLevel
                && (spec.path("resources").path("requests").size() > 0
                        || spec.path("resources").path("limits").size() > 0)) {
            return null;
        }
        Set<String> requiredSet = new TreeSet<>(required);
        requiredSet.retainAll(VALIDATION);
        Map<String, Set<String>> missing = new TreeMap<>();
        for (String list : new String[] {"containers", "initContainers"}) {
            for (JsonNode c : spec.path(list)) {
                Set<String> has = computeUsage(
                                ResourceLists.read(c.path("resources").path("requests")),
                                ResourceLists.read(c.path("resources").path("limits")))
                        .keySet();
                for (String r : requiredSet) {
                    if (!has.contains(r)) {
                        missing.computeIfAbsent(r, k -> new TreeSet<>())
                                .add(c.path("name").asText());
                    }
                }
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("must specify ");
        String sep = "";
        for (var e : missing.entrySet()) {
            sb.append(sep).append(e.getKey()).append(" for: ").append(String.join(",", e.getValue()));
            sep = "; ";
        }
        return sb.toString();
    }

    @Override
    public Map<String, Quantity> usage(JsonNode pod, Instant now) {
        Map<String, Quantity> out = new TreeMap<>();
        out.put(COUNT, Quantity.of(1));
        if (!countsAgainstQuota(pod, now)) {
            return out;
        }
        JsonNode spec = pod.path("spec");
        return ResourceLists.add(
                out,
                computeUsage(PodResources.requests(spec, true, podLevel), PodResources.limits(spec, true, podLevel)));
    }

    /** QuotaV1Pod: terminal pods, and pods past their deletion grace period, are not charged. */
    static boolean countsAgainstQuota(JsonNode pod, Instant now) {
        String phase = pod.path("status").path("phase").asText("");
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            return false;
        }
        JsonNode meta = pod.path("metadata");
        if (meta.hasNonNull("deletionTimestamp") && meta.hasNonNull("deletionGracePeriodSeconds")) {
            Instant deleted = OffsetDateTime.parse(
                            meta.path("deletionTimestamp").asText())
                    .toInstant();
            return !now.isAfter(
                    deleted.plusSeconds(meta.path("deletionGracePeriodSeconds").asLong()));
        }
        return true;
    }

    /** podComputeUsageHelper. */
    static Map<String, Quantity> computeUsage(Map<String, Quantity> requests, Map<String, Quantity> limits) {
        Map<String, Quantity> out = new TreeMap<>();
        out.put("pods", Quantity.of(1));
        for (String r : new String[] {"cpu", "memory", "ephemeral-storage"}) {
            if (requests.containsKey(r)) {
                out.put(r, requests.get(r));
                out.put("requests." + r, requests.get(r));
            }
            if (limits.containsKey(r)) {
                out.put("limits." + r, limits.get(r));
            }
        }
        requests.forEach((r, q) -> {
            if (r.startsWith("hugepages-")) {
                out.put(r, q);
                out.put("requests." + r, q);
            }
            if (extended(r)) {
                out.put("requests." + r, q);
            }
        });
        return out;
    }
}

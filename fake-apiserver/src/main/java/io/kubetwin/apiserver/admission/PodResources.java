package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.api.Quantity;
import io.kubetwin.apiserver.api.ResourceLists;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A pod's effective requests and limits (k8s.io/component-helpers/resource/helpers.go PodRequests and
 * PodLimits, and LimitRanger's copies of them): the sum of the containers, the largest init container step
 * (sidecars, init containers with {@code restartPolicy: Always}, add up and stay), pod-level
 * {@code spec.resources} for cpu and memory when PodLevelResources is on (the default in v1.34; off, the helpers'
 * SkipPodLevelResources), and, for
 * quota, the RuntimeClass {@code overhead}.
 */
public final class PodResources {
    private PodResources() {}

    private static final Set<String> POD_LEVEL = Set.of("cpu", "memory");

    /** @param podLevel the PodLevelResources gate: whether spec.resources counts */
    public static TreeMap<String, Quantity> requests(JsonNode spec, boolean withOverhead, boolean podLevel) {
        return effective(spec, "requests", withOverhead, podLevel);
    }

    /** @param podLevel the PodLevelResources gate: whether spec.resources counts */
    public static TreeMap<String, Quantity> limits(JsonNode spec, boolean withOverhead, boolean podLevel) {
        return effective(spec, "limits", withOverhead, podLevel);
    }

    private static TreeMap<String, Quantity> effective(
            JsonNode spec, String field, boolean withOverhead, boolean podLevel) {
        TreeMap<String, Quantity> total = new TreeMap<>();
        for (JsonNode c : spec.path("containers")) {
            addInto(total, ResourceLists.read(c.path("resources").path(field)));
        }
        TreeMap<String, Quantity> sidecars = new TreeMap<>();
        TreeMap<String, Quantity> initMax = new TreeMap<>();
        for (JsonNode c : spec.path("initContainers")) {
            Map<String, Quantity> own = ResourceLists.read(c.path("resources").path(field));
            Map<String, Quantity> step;
            if ("Always".equals(c.path("restartPolicy").asText())) {
                addInto(total, own);
                addInto(sidecars, own);
                step = sidecars;
            } else {
                TreeMap<String, Quantity> tmp = new TreeMap<>();
                addInto(tmp, own);
                addInto(tmp, sidecars);
                step = tmp;
            }
            maxInto(initMax, step);
        }
        maxInto(total, initMax);
        if (podLevel) {
            ResourceLists.read(spec.path("resources").path(field)).forEach((k, v) -> {
                if (POD_LEVEL.contains(k)) {
                    total.put(k, v);
                }
            });
        }
        if (withOverhead) {
            // the overhead is added to requests always, and to limits only to non-zero limits
            Map<String, Quantity> overhead = ResourceLists.read(spec.path("overhead"));
            if ("requests".equals(field)) {
                addInto(total, overhead);
            } else {
                overhead.forEach((k, v) -> total.computeIfPresent(k, (key, q) -> q.isZero() ? q : q.add(v)));
            }
        }
        return total;
    }

    /**
     * ComputePodQOS == BestEffort: no cpu or memory request or limit in any container, nor at pod level when
     * {@code podLevel} (the PodLevelResources gate).
     */
    public static boolean isBestEffort(JsonNode spec, boolean podLevel) {
        for (String list : new String[] {"containers", "initContainers"}) {
            for (JsonNode c : spec.path(list)) {
                if (hasCompute(c.path("resources"))) {
                    return false;
                }
            }
        }
        return !podLevel || !hasCompute(spec.path("resources"));
    }

    private static boolean hasCompute(JsonNode resources) {
        for (String field : new String[] {"requests", "limits"}) {
            JsonNode list = resources.path(field);
            if (list.has("cpu") || list.has("memory")) {
                return true;
            }
        }
        return false;
    }

    private static void addInto(Map<String, Quantity> list, Map<String, Quantity> more) {
        more.forEach((k, v) -> list.merge(k, v, Quantity::add));
    }

    private static void maxInto(Map<String, Quantity> list, Map<String, Quantity> more) {
        more.forEach((k, v) -> list.merge(k, v, (old, q) -> q.compareTo(old) > 0 ? q : old));
    }
}

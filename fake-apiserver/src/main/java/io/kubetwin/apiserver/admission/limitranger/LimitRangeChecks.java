package io.kubetwin.apiserver.admission.limitranger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.PodResources;
import io.kubetwin.apiserver.api.Quantity;
import io.kubetwin.apiserver.api.ResourceLists;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pure part of LimitRanger: defaults merged into containers, and the min/max/ratio constraints with
 * upstream's messages (PodMutateLimitFunc, PodValidateLimitFunc, PersistentVolumeClaimValidateLimitFunc).
 * Upstream walks Go maps, whose order is random; here resources are taken in name order.
 */
final class LimitRangeChecks {
    private LimitRangeChecks() {}

    /** defaultContainerResourceRequirements + mergePodResourceRequirements. */
    static void applyDefaults(JsonNode limitRange, ObjectNode pod) {
        TreeMap<String, Quantity> requests = new TreeMap<>();
        TreeMap<String, Quantity> limits = new TreeMap<>();
        for (JsonNode item : LimitRanger.limits(limitRange, "Container")) {
            requests.putAll(LimitRanger.list(item, "defaultRequest"));
            limits.putAll(LimitRanger.list(item, "default"));
        }
        List<String> notes = new ArrayList<>();
        JsonNode spec = pod.path("spec");
        for (JsonNode c : spec.path("containers")) {
            merge((ObjectNode) c, requests, limits, "container", notes);
        }
        for (JsonNode c : spec.path("initContainers")) {
            merge((ObjectNode) c, requests, limits, "init container", notes);
        }
        if (!notes.isEmpty()) {
            ObjectNode meta = pod.get("metadata") instanceof ObjectNode m ? m : pod.putObject("metadata");
            ObjectNode annotations =
                    meta.get("annotations") instanceof ObjectNode an ? an : meta.putObject("annotations");
            annotations.put(LimitRanger.ANNOTATION, "LimitRanger plugin set: " + String.join("; ", notes));
        }
    }

    private static void merge(
            ObjectNode container,
            Map<String, Quantity> requests,
            Map<String, Quantity> limits,
            String prefix,
            List<String> notes) {
        ObjectNode resources =
                container.get("resources") instanceof ObjectNode r ? r : container.putObject("resources");
        ObjectNode lim = resources.get("limits") instanceof ObjectNode l ? l : resources.putObject("limits");
        ObjectNode req = resources.get("requests") instanceof ObjectNode q ? q : resources.putObject("requests");
        List<String> setRequests = new ArrayList<>();
        List<String> setLimits = new ArrayList<>();
        limits.forEach((k, v) -> {
            if (!lim.has(k)) {
                lim.put(k, v.toString());
                setLimits.add(k);
            }
        });
        requests.forEach((k, v) -> {
            if (!req.has(k)) {
                req.put(k, v.toString());
                setRequests.add(k);
            }
        });
        // empty maps are dropped on the wire (omitempty), as upstream's encoder does
        if (lim.isEmpty()) {
            resources.remove("limits");
        }
        if (req.isEmpty()) {
            resources.remove("requests");
        }
        String name = container.path("name").asText();
        if (!setRequests.isEmpty()) {
            notes.add(String.join(", ", setRequests) + " request for " + prefix + " " + name);
        }
        if (!setLimits.isEmpty()) {
            notes.add(String.join(", ", setLimits) + " limit for " + prefix + " " + name);
        }
    }

    /** PodValidateLimitFunc: per container (then init container), then per pod. */
    static List<String> validatePod(JsonNode limitRange, JsonNode pod, boolean podLevel) {
        List<String> errors = new ArrayList<>();
        JsonNode spec = pod.path("spec");
        for (JsonNode item : limitRange.path("spec").path("limits")) {
            String type = item.path("type").asText();
            if ("Container".equals(type)) {
                List<JsonNode> all = new ArrayList<>();
                spec.path("containers").forEach(all::add);
                spec.path("initContainers").forEach(all::add);
                for (JsonNode c : all) {
                    check(item, type, LimitRanger.resources(c, "requests"), LimitRanger.resources(c, "limits"), errors);
                }
            } else if ("Pod".equals(type)) {
                check(
                        item,
                        type,
                        PodResources.requests(spec, false, podLevel),
                        PodResources.limits(spec, false, podLevel),
                        errors);
            }
        }
        return errors;
    }

    private static void check(
            JsonNode item,
            String type,
            Map<String, Quantity> requests,
            Map<String, Quantity> limits,
            List<String> errors) {
        LimitRanger.list(item, "min").forEach((k, v) -> addIfPresent(errors, min(type, k, v, requests, limits)));
        LimitRanger.list(item, "max").forEach((k, v) -> addIfPresent(errors, max(type, k, v, requests, limits)));
        LimitRanger.list(item, "maxLimitRequestRatio")
                .forEach((k, v) -> addIfPresent(errors, ratio(type, k, v, requests, limits)));
    }

    /** PersistentVolumeClaimValidateLimitFunc: min and max of the requested storage. */
    static List<String> validateClaim(JsonNode limitRange, JsonNode claim) {
        List<String> errors = new ArrayList<>();
        Map<String, Quantity> requests =
                ResourceLists.read(claim.path("spec").path("resources").path("requests"));
        for (JsonNode item : LimitRanger.limits(limitRange, "PersistentVolumeClaim")) {
            String type = "PersistentVolumeClaim";
            LimitRanger.list(item, "min").forEach((k, v) -> addIfPresent(errors, min(type, k, v, requests, Map.of())));
            LimitRanger.list(item, "max").forEach((k, v) -> addIfPresent(errors, maxRequest(type, k, v, requests)));
        }
        return errors;
    }

    private static void addIfPresent(List<String> errors, String error) {
        if (error != null) {
            errors.add(error);
        }
    }

    /** requestLimitEnforcedValues: milli precision unless a value would overflow it. */
    private static long[] values(Quantity request, Quantity limit, Quantity enforced) {
        long r = request.longValue();
        long l = limit.longValue();
        long e = enforced.longValue();
        if (r <= Quantity.MAX_MILLI_VALUE && l <= Quantity.MAX_MILLI_VALUE && e <= Quantity.MAX_MILLI_VALUE) {
            return new long[] {request.milliValue(), limit.milliValue(), enforced.milliValue()};
        }
        return new long[] {r, l, e};
    }

    static String min(
            String type, String name, Quantity enforced, Map<String, Quantity> requests, Map<String, Quantity> limits) {
        Quantity req = requests.get(name);
        Quantity lim = limits.get(name);
        long[] v = values(orZero(req), orZero(lim), enforced);
        if (req == null) {
            return "minimum " + name + " usage per " + type + " is " + enforced + ".  No request is specified";
        }
        if (v[0] < v[2]) {
            return "minimum " + name + " usage per " + type + " is " + enforced + ", but request is " + req;
        }
        if (lim != null && v[1] < v[2]) {
            return "minimum " + name + " usage per " + type + " is " + enforced + ", but limit is " + lim;
        }
        return null;
    }

    static String max(
            String type, String name, Quantity enforced, Map<String, Quantity> requests, Map<String, Quantity> limits) {
        Quantity req = requests.get(name);
        Quantity lim = limits.get(name);
        long[] v = values(orZero(req), orZero(lim), enforced);
        if (lim == null) {
            return "maximum " + name + " usage per " + type + " is " + enforced + ".  No limit is specified";
        }
        if (v[1] > v[2]) {
            return "maximum " + name + " usage per " + type + " is " + enforced + ", but limit is " + lim;
        }
        if (req != null && v[0] > v[2]) {
            return "maximum " + name + " usage per " + type + " is " + enforced + ", but request is " + req;
        }
        return null;
    }

    static String maxRequest(String type, String name, Quantity enforced, Map<String, Quantity> requests) {
        Quantity req = requests.get(name);
        long[] v = values(orZero(req), Quantity.ZERO, enforced);
        if (req == null) {
            return "maximum " + name + " usage per " + type + " is " + enforced + ".  No request is specified";
        }
        if (v[0] > v[2]) {
            return "maximum " + name + " usage per " + type + " is " + enforced + ", but request is " + req;
        }
        return null;
    }

    static String ratio(
            String type, String name, Quantity enforced, Map<String, Quantity> requests, Map<String, Quantity> limits) {
        Quantity req = requests.get(name);
        Quantity lim = limits.get(name);
        long[] v = values(orZero(req), orZero(lim), enforced);
        String prefix = name + " max limit to request ratio per " + type + " is " + enforced;
        if (req == null || v[0] == 0) {
            return prefix + ", but no request is specified or request is 0";
        }
        if (lim == null || v[1] == 0) {
            return prefix + ", but no limit is specified or limit is 0";
        }
        double observed = (double) v[1] / (double) v[0];
        double display = observed;
        double maxRatio = enforced.longValue();
        if (enforced.longValue() <= Quantity.MAX_MILLI_VALUE) {
            observed = observed * 1000;
            maxRatio = enforced.milliValue();
        }
        if (observed > maxRatio) {
            return prefix + ", but provided ratio is " + String.format(Locale.ROOT, "%f", display);
        }
        return null;
    }

    private static Quantity orZero(Quantity q) {
        return q == null ? Quantity.ZERO : q;
    }
}

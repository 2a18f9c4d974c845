package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The value of {@code endpoints.kubernetes.io/last-change-trigger-time}, as pkg/controller/util/endpoint
 * trigger_time_tracker.go computes it: for a Service not seen before, its creationTimestamp; afterwards the
 * earliest of the trigger times that moved since the last sync (a pod's Ready condition lastTransitionTime, the
 * Service's creationTimestamp), or none. One per controller; thread-safe.
 */
final class TriggerTimeTracker {
    private record State(Map<String, Instant> podTimes, Instant serviceTime) {}

    private final Map<String, State> states = new ConcurrentHashMap<>();

    /** The trigger time for this sync, or null when nothing moved; records the state either way. */
    Instant compute(JsonNode service, List<JsonNode> pods) {
        String key = EndpointPods.key(service);
        State last = states.get(key);
        Map<String, Instant> podTimes = new HashMap<>();
        Instant min = null;
        for (JsonNode pod : pods) {
            JsonNode ready = PodTemplates.readyCondition(pod);
            Instant t = ready == null
                    ? null
                    : parse(ready.path("lastTransitionTime").asText(""));
            if (t == null) {
                continue;
            }
            podTimes.put(EndpointPods.name(pod), t);
            Instant before = last == null ? null : last.podTimes().get(EndpointPods.name(pod));
            if (before == null || t.isAfter(before)) {
                min = min == null || t.isBefore(min) ? t : min;
            }
        }
        Instant serviceTime =
                parse(service.path("metadata").path("creationTimestamp").asText(""));
        if (last != null
                && serviceTime != null
                && (last.serviceTime() == null || serviceTime.isAfter(last.serviceTime()))) {
            min = min == null || serviceTime.isBefore(min) ? serviceTime : min;
        }
        states.put(key, new State(podTimes, serviceTime));
        return last == null ? serviceTime : min;
    }

    /** Forgets a deleted Service. */
    void delete(String key) {
        states.remove(key);
    }

    private static Instant parse(String time) {
        try {
            return time.isEmpty() ? null : Instant.parse(time);
        } catch (RuntimeException e) {
            return null;
        }
    }
}

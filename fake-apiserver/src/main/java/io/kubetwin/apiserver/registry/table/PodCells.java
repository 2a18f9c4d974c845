package io.kubetwin.apiserver.registry.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** printPod of pkg/printers/internalversion/printers.go: READY, STATUS and RESTARTS of a pod. */
final class PodCells {
    private PodCells() {}

    static List<Object> cells(ObjectNode pod, Instant now) {
        JsonNode spec = pod.path("spec");
        JsonNode status = pod.path("status");
        int restarts = 0;
        int restartableRestarts = 0;
        int total = spec.path("containers").size();
        int ready = 0;
        Instant lastRestart = null;
        Instant lastRestartableRestart = null;
        String phase = status.path("phase").asText("");
        String reason = status.path("reason").asText("").isEmpty()
                ? phase
                : status.path("reason").asText();
        for (JsonNode c : status.path("conditions")) {
            if ("PodScheduled".equals(c.path("type").asText())
                    && "SchedulingGated".equals(c.path("reason").asText())) {
                reason = "SchedulingGated";
            }
        }
        Map<String, JsonNode> initContainers = new HashMap<>();
        for (JsonNode c : spec.path("initContainers")) {
            initContainers.put(c.path("name").asText(), c);
            if (restartable(c)) {
                total++;
            }
        }
        boolean initializing = false;
        JsonNode initStatuses = status.path("initContainerStatuses");
        for (int i = 0; i < initStatuses.size(); i++) {
            JsonNode cs = initStatuses.get(i);
            restarts += cs.path("restartCount").asInt(0);
            Instant finished = terminatedAt(cs);
            lastRestart = later(lastRestart, finished);
            boolean isRestartable =
                    restartable(initContainers.get(cs.path("name").asText()));
            if (isRestartable) {
                restartableRestarts += cs.path("restartCount").asInt(0);
                lastRestartableRestart = later(lastRestartableRestart, finished);
            }
            JsonNode terminated = cs.path("state").get("terminated");
            JsonNode waiting = cs.path("state").get("waiting");
            if (terminated != null && terminated.path("exitCode").asInt(0) == 0) {
                continue;
            }
            if (isRestartable && cs.path("started").asBoolean(false)) {
                if (cs.path("ready").asBoolean(false)) {
                    ready++;
                }
                continue;
            }
            if (terminated != null) {
                String r = terminated.path("reason").asText("");
                if (r.isEmpty()) {
                    int signal = terminated.path("signal").asInt(0);
                    reason = signal != 0
                            ? "Init:Signal:" + signal
                            : "Init:ExitCode:" + terminated.path("exitCode").asInt(0);
                } else {
                    reason = "Init:" + r;
                }
            } else if (waiting != null
                    && !waiting.path("reason").asText("").isEmpty()
                    && !"PodInitializing".equals(waiting.path("reason").asText())) {
                reason = "Init:" + waiting.path("reason").asText();
            } else {
                reason = "Init:" + i + "/" + spec.path("initContainers").size();
            }
            initializing = true;
            break;
        }
        if (!initializing || conditionTrue(status, "Initialized")) {
            restarts = restartableRestarts;
            lastRestart = lastRestartableRestart;
            boolean hasRunning = false;
            JsonNode statuses = status.path("containerStatuses");
            for (int i = statuses.size() - 1; i >= 0; i--) {
                JsonNode cs = statuses.get(i);
                restarts += cs.path("restartCount").asInt(0);
                lastRestart = later(lastRestart, terminatedAt(cs));
                JsonNode waiting = cs.path("state").get("waiting");
                JsonNode terminated = cs.path("state").get("terminated");
                if (waiting != null && !waiting.path("reason").asText("").isEmpty()) {
                    reason = waiting.path("reason").asText();
                } else if (terminated != null
                        && !terminated.path("reason").asText("").isEmpty()) {
                    reason = terminated.path("reason").asText();
                } else if (terminated != null) {
                    int signal = terminated.path("signal").asInt(0);
                    reason = signal != 0
                            ? "Signal:" + signal
                            : "ExitCode:" + terminated.path("exitCode").asInt(0);
                } else if (cs.path("ready").asBoolean(false) && cs.path("state").has("running")) {
                    hasRunning = true;
                    ready++;
                }
            }
            if ("Completed".equals(reason) && hasRunning) {
                reason = conditionTrue(status, "Ready") ? "Running" : "NotReady";
            }
        }
        boolean deleting = pod.path("metadata").hasNonNull("deletionTimestamp");
        if (deleting && "NodeLost".equals(status.path("reason").asText())) {
            reason = "Unknown";
        } else if (deleting && !"Succeeded".equals(phase) && !"Failed".equals(phase)) {
            reason = "Terminating";
        }
        String restartsText = Integer.toString(restarts);
        if (restarts != 0 && lastRestart != null) {
            restartsText = restarts + " (" + Cells.humanDuration(Duration.between(lastRestart, now)) + " ago)";
        }
        JsonNode podIps = status.path("podIPs");
        String ip = podIps.size() > 0 ? podIps.get(0).path("ip").asText("") : "";
        String gates = "<none>";
        JsonNode readinessGates = spec.path("readinessGates");
        if (readinessGates.size() > 0) {
            int trueConditions = 0;
            for (JsonNode gate : readinessGates) {
                for (JsonNode c : status.path("conditions")) {
                    if (c.path("type")
                            .asText()
                            .equals(gate.path("conditionType").asText())) {
                        if ("True".equals(c.path("status").asText())) {
                            trueConditions++;
                        }
                        break;
                    }
                }
            }
            gates = trueConditions + "/" + readinessGates.size();
        }
        return List.of(
                Cells.name(pod),
                ready + "/" + total,
                reason,
                restartsText,
                Cells.age(pod, now),
                Cells.orNone(ip),
                Cells.orNone(spec.path("nodeName").asText("")),
                Cells.orNone(status.path("nominatedNodeName").asText("")),
                gates);
    }

    private static boolean restartable(JsonNode container) {
        return container != null
                && "Always".equals(container.path("restartPolicy").asText(""));
    }

    private static boolean conditionTrue(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }

    private static Instant terminatedAt(JsonNode containerStatus) {
        JsonNode t = containerStatus.path("lastState").path("terminated").get("finishedAt");
        if (t == null || t.asText("").isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(t.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b != null && b.isAfter(a) ? b : a;
    }
}

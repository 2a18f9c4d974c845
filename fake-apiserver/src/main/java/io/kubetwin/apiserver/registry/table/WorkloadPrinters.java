package io.kubetwin.apiserver.registry.table;

import static io.kubetwin.apiserver.registry.table.Cells.age;
import static io.kubetwin.apiserver.registry.table.Cells.name;
import static io.kubetwin.apiserver.registry.table.Cells.since;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Table printers of the workload kinds (apps, batch, core replication controllers and pod templates,
 * policy), mirroring pkg/printers/internalversion/printers.go with the server's wide options.
 */
final class WorkloadPrinters {
    private WorkloadPrinters() {}

    static final TableConvertor DEPLOYMENTS = new TableConvertor(ColumnSets.get("deployments.apps"), (o, now) -> {
        JsonNode spec = o.path("spec");
        JsonNode status = o.path("status");
        List<Object> cells = new ArrayList<>(List.of(
                name(o),
                status.path("readyReplicas").asLong(0) + "/"
                        + spec.path("replicas").asLong(0),
                status.path("updatedReplicas").asLong(0),
                status.path("availableReplicas").asLong(0),
                age(o, now)));
        containers(cells, spec.path("template"));
        cells.add(Selectors.selector(spec.get("selector")));
        return cells;
    });

    static final TableConvertor REPLICA_SETS =
            new TableConvertor(ColumnSets.get("replicasets.apps"), (o, now) -> replicas(o, now, false));

    static final TableConvertor REPLICATION_CONTROLLERS =
            new TableConvertor(ColumnSets.get("replicationcontrollers"), (o, now) -> replicas(o, now, true));

    static final TableConvertor STATEFUL_SETS = new TableConvertor(ColumnSets.get("statefulsets.apps"), (o, now) -> {
        JsonNode spec = o.path("spec");
        List<Object> cells = new ArrayList<>(List.of(
                name(o),
                o.path("status").path("readyReplicas").asLong(0) + "/"
                        + spec.path("replicas").asLong(0),
                age(o, now)));
        containers(cells, spec.path("template"));
        return cells;
    });

    static final TableConvertor DAEMON_SETS = new TableConvertor(ColumnSets.get("daemonsets.apps"), (o, now) -> {
        JsonNode spec = o.path("spec");
        JsonNode status = o.path("status");
        List<Object> cells = new ArrayList<>(List.of(
                name(o),
                status.path("desiredNumberScheduled").asLong(0),
                status.path("currentNumberScheduled").asLong(0),
                status.path("numberReady").asLong(0),
                status.path("updatedNumberScheduled").asLong(0),
                status.path("numberAvailable").asLong(0),
                Selectors.formatLabels(spec.path("template").path("spec").get("nodeSelector")),
                age(o, now)));
        containers(cells, spec.path("template"));
        cells.add(Selectors.formatSelector(spec.get("selector")));
        return cells;
    });

    static final TableConvertor JOBS = new TableConvertor(ColumnSets.get("jobs.batch"), (o, now) -> {
        JsonNode spec = o.path("spec");
        JsonNode status = o.path("status");
        long succeeded = status.path("succeeded").asLong(0);
        String completions;
        if (spec.hasNonNull("completions")) {
            completions = succeeded + "/" + spec.get("completions").asLong();
        } else {
            long parallelism = spec.path("parallelism").asLong(0);
            completions = parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
        }
        String duration = "";
        Instant start = instant(status.get("startTime"));
        if (start != null) {
            Instant end = instant(status.get("completionTime"));
            duration = Cells.humanDuration(Duration.between(start, end == null ? now : end));
        }
        String state;
        if (condition(status, "Complete")) {
            state = "Complete";
        } else if (condition(status, "Failed")) {
            state = "Failed";
        } else if (o.path("metadata").hasNonNull("deletionTimestamp")) {
            state = "Terminating";
        } else if (condition(status, "Suspended")) {
            state = "Suspended";
        } else if (condition(status, "FailureTarget")) {
            state = "FailureTarget";
        } else if (condition(status, "SuccessCriteriaMet")) {
            state = "SuccessCriteriaMet";
        } else {
            state = "Running";
        }
        List<Object> cells = new ArrayList<>(List.of(name(o), state, completions, duration, age(o, now)));
        containers(cells, spec.path("template"));
        cells.add(Selectors.formatSelector(spec.get("selector")));
        return cells;
    });

    static final TableConvertor CRON_JOBS = new TableConvertor(ColumnSets.get("cronjobs.batch"), (o, now) -> {
        JsonNode spec = o.path("spec");
        JsonNode status = o.path("status");
        List<Object> cells = new ArrayList<>(List.of(
                name(o),
                spec.path("schedule").asText(""),
                spec.hasNonNull("timeZone") ? spec.get("timeZone").asText() : "<none>",
                spec.hasNonNull("suspend") ? (spec.get("suspend").asBoolean() ? "True" : "False") : "<unset>",
                (long) status.path("active").size(),
                status.hasNonNull("lastScheduleTime") ? since(status.get("lastScheduleTime"), now) : "<none>",
                age(o, now)));
        JsonNode jobSpec = spec.path("jobTemplate").path("spec");
        containers(cells, jobSpec.path("template"));
        cells.add(Selectors.formatSelector(jobSpec.get("selector")));
        return cells;
    });

    static final TableConvertor POD_TEMPLATES = new TableConvertor(ColumnSets.get("podtemplates"), (o, now) -> {
        List<Object> cells = new ArrayList<>(List.of(name(o)));
        containers(cells, o.path("template"));
        cells.add(Selectors.formatLabels(o.path("template").path("metadata").get("labels")));
        return cells;
    });

    static final TableConvertor DISRUPTION_BUDGETS =
            new TableConvertor(ColumnSets.get("poddisruptionbudgets.policy"), (o, now) -> {
                JsonNode spec = o.path("spec");
                return List.of(
                        name(o),
                        spec.hasNonNull("minAvailable")
                                ? spec.get("minAvailable").asText()
                                : "N/A",
                        spec.hasNonNull("maxUnavailable")
                                ? spec.get("maxUnavailable").asText()
                                : "N/A",
                        o.path("status").path("disruptionsAllowed").asLong(0),
                        age(o, now));
            });

    static final TableConvertor CONTROLLER_REVISIONS =
            new TableConvertor(ColumnSets.get("controllerrevisions.apps"), (o, now) -> {
                String controller = "<none>";
                for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
                    if (ref.path("controller").asBoolean(false)) {
                        String apiVersion = ref.path("apiVersion").asText("");
                        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                        String kind = ref.path("kind").asText("").toLowerCase(Locale.ROOT);
                        controller = (group.isEmpty() ? kind : kind + "." + group) + "/"
                                + ref.path("name").asText("");
                        break;
                    }
                }
                return List.of(name(o), controller, o.path("revision").asLong(0), age(o, now));
            });

    static final TableConvertor HORIZONTAL_POD_AUTOSCALERS =
            new TableConvertor(ColumnSets.get("horizontalpodautoscalers.autoscaling"), (o, now) -> {
                JsonNode spec = o.path("spec");
                JsonNode ref = spec.path("scaleTargetRef");
                return List.of(
                        name(o),
                        ref.path("kind").asText("") + "/" + ref.path("name").asText(""),
                        hpaMetrics(spec.path("metrics"), o.path("status").path("currentMetrics")),
                        spec.hasNonNull("minReplicas") ? spec.get("minReplicas").asText() : "<unset>",
                        spec.path("maxReplicas").asLong(0),
                        o.path("status").path("currentReplicas").asLong(0),
                        age(o, now));
            });

    /** formatHPAMetrics over autoscaling/v2 metric specs and statuses. */
    private static String hpaMetrics(JsonNode specs, JsonNode statuses) {
        if (specs.size() == 0) {
            return "<none>";
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            JsonNode spec = specs.get(i);
            String type = spec.path("type").asText("");
            JsonNode status = statuses.size() > i ? statuses.get(i) : null;
            String field =
                    switch (type) {
                        case "External" -> "external";
                        case "Pods" -> "pods";
                        case "Object" -> "object";
                        case "Resource" -> "resource";
                        case "ContainerResource" -> "containerResource";
                        default -> null;
                    };
            if (field == null) {
                list.add("<unknown type>");
                continue;
            }
            JsonNode target = spec.path(field).path("target");
            JsonNode current = status == null ? null : status.get(field);
            JsonNode currentValues = current == null ? null : current.path("current");
            boolean named = type.equals("Resource") || type.equals("ContainerResource");
            String prefix = named ? spec.path(field).path("name").asText("") + ": " : "";
            if (type.equals("Pods") || target.hasNonNull("averageValue")) {
                String c = currentValues != null && currentValues.hasNonNull("averageValue")
                        ? currentValues.get("averageValue").asText()
                        : "<unknown>";
                String avg = !named && !type.equals("Pods") ? " (avg)" : "";
                list.add(prefix + c + "/" + target.path("averageValue").asText("") + avg);
            } else if (named) {
                String c = currentValues != null && currentValues.hasNonNull("averageUtilization")
                        ? currentValues.get("averageUtilization").asLong() + "%"
                        : "<unknown>";
                String t = target.hasNonNull("averageUtilization")
                        ? target.get("averageUtilization").asLong() + "%"
                        : "<auto>";
                list.add(prefix + c + "/" + t);
            } else {
                String c = currentValues != null && currentValues.hasNonNull("value")
                        ? currentValues.get("value").asText()
                        : "<unknown>";
                list.add(c + "/" + target.path("value").asText(""));
            }
        }
        if (list.size() > 2) {
            return String.join(", ", list.subList(0, 2)) + " + " + (list.size() - 2) + " more...";
        }
        return String.join(", ", list);
    }

    private static List<Object> replicas(ObjectNode o, Instant now, boolean mapSelector) {
        JsonNode spec = o.path("spec");
        JsonNode status = o.path("status");
        List<Object> cells = new ArrayList<>(List.of(
                name(o),
                spec.path("replicas").asLong(0),
                status.path("replicas").asLong(0),
                status.path("readyReplicas").asLong(0),
                age(o, now)));
        containers(cells, spec.path("template"));
        cells.add(
                mapSelector
                        ? Selectors.formatLabels(spec.get("selector"))
                        : Selectors.formatSelector(spec.get("selector")));
        return cells;
    }

    /** layoutContainerCells: the containers' names and images, comma-separated. */
    private static void containers(List<Object> cells, JsonNode template) {
        List<String> names = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (JsonNode c : template.path("spec").path("containers")) {
            names.add(c.path("name").asText(""));
            images.add(c.path("image").asText(""));
        }
        cells.add(String.join(",", names));
        cells.add(String.join(",", images));
    }

    private static boolean condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }

    private static Instant instant(JsonNode time) {
        if (time == null || !time.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(time.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

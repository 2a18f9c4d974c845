package io.kubetwin.apiserver.registry.table;

import static io.kubetwin.apiserver.registry.table.Cells.age;
import static io.kubetwin.apiserver.registry.table.Cells.name;
import static io.kubetwin.apiserver.registry.table.Cells.orNone;
import static io.kubetwin.apiserver.registry.table.Cells.since;
import static io.kubetwin.apiserver.registry.table.Cells.size;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The Table printers of the built-in kinds, mirroring pkg/printers/internalversion/printers.go with
 * the server's always-wide options (every column, priority 1 included, has a cell).
 */
public final class Printers {
    private Printers() {}

    public static final TableConvertor NAMESPACES = new TableConvertor(
            ColumnSets.get("namespaces"),
            (o, now) -> List.of(name(o), o.path("status").path("phase").asText(""), age(o, now)));

    public static final TableConvertor SECRETS = new TableConvertor(
            ColumnSets.get("secrets"),
            (o, now) -> List.of(name(o), o.path("type").asText(""), size(o.get("data")), age(o, now)));

    public static final TableConvertor CONFIG_MAPS = new TableConvertor(
            ColumnSets.get("configmaps"),
            (o, now) -> List.of(name(o), size(o.get("data")) + size(o.get("binaryData")), age(o, now)));

    public static final TableConvertor SERVICE_ACCOUNTS = new TableConvertor(
            ColumnSets.get("serviceaccounts"), (o, now) -> List.of(name(o), size(o.get("secrets")), age(o, now)));

    public static final TableConvertor ROLE_BINDINGS =
            new TableConvertor(ColumnSets.get("rolebindings.rbac.authorization.k8s.io"), Printers::bindingCells);

    public static final TableConvertor CLUSTER_ROLE_BINDINGS =
            new TableConvertor(ColumnSets.get("clusterrolebindings.rbac.authorization.k8s.io"), Printers::bindingCells);

    public static final TableConvertor CSRS =
            new TableConvertor(ColumnSets.get("certificatesigningrequests.certificates.k8s.io"), Printers::csrCells);

    public static final TableConvertor NODES = new TableConvertor(ColumnSets.get("nodes"), Printers::nodeCells);

    public static final TableConvertor EVENTS = new TableConvertor(ColumnSets.get("events"), Printers::eventCells);

    public static final TableConvertor PODS = new TableConvertor(ColumnSets.get("pods"), PodCells::cells);

    private static final Map<String, TableConvertor> BY_RESOURCE = Map.ofEntries(
            Map.entry("deployments.apps", WorkloadPrinters.DEPLOYMENTS),
            Map.entry("replicasets.apps", WorkloadPrinters.REPLICA_SETS),
            Map.entry("statefulsets.apps", WorkloadPrinters.STATEFUL_SETS),
            Map.entry("daemonsets.apps", WorkloadPrinters.DAEMON_SETS),
            Map.entry("controllerrevisions.apps", WorkloadPrinters.CONTROLLER_REVISIONS),
            Map.entry("replicationcontrollers", WorkloadPrinters.REPLICATION_CONTROLLERS),
            Map.entry("podtemplates", WorkloadPrinters.POD_TEMPLATES),
            Map.entry("jobs.batch", WorkloadPrinters.JOBS),
            Map.entry("cronjobs.batch", WorkloadPrinters.CRON_JOBS),
            Map.entry("poddisruptionbudgets.policy", WorkloadPrinters.DISRUPTION_BUDGETS),
            Map.entry("horizontalpodautoscalers.autoscaling", WorkloadPrinters.HORIZONTAL_POD_AUTOSCALERS),
            Map.entry("services", NetworkPrinters.SERVICES),
            Map.entry("endpoints", NetworkPrinters.ENDPOINTS),
            Map.entry("endpointslices.discovery.k8s.io", NetworkPrinters.ENDPOINT_SLICES),
            Map.entry("ingresses.networking.k8s.io", NetworkPrinters.INGRESSES),
            Map.entry("ingressclasses.networking.k8s.io", NetworkPrinters.INGRESS_CLASSES),
            Map.entry("networkpolicies.networking.k8s.io", NetworkPrinters.NETWORK_POLICIES),
            Map.entry("leases.coordination.k8s.io", NetworkPrinters.LEASES),
            Map.entry(
                    "validatingwebhookconfigurations.admissionregistration.k8s.io",
                    NetworkPrinters.VALIDATING_WEBHOOKS),
            Map.entry("mutatingwebhookconfigurations.admissionregistration.k8s.io", NetworkPrinters.MUTATING_WEBHOOKS),
            Map.entry("priorityclasses.scheduling.k8s.io", NetworkPrinters.PRIORITY_CLASSES),
            Map.entry("runtimeclasses.node.k8s.io", NetworkPrinters.RUNTIME_CLASSES),
            Map.entry("storageclasses.storage.k8s.io", NetworkPrinters.STORAGE_CLASSES),
            Map.entry("persistentvolumes", StoragePrinters.PERSISTENT_VOLUMES),
            Map.entry("persistentvolumeclaims", StoragePrinters.PERSISTENT_VOLUME_CLAIMS),
            Map.entry("resourcequotas", StoragePrinters.RESOURCE_QUOTAS),
            Map.entry("apiservices.apiregistration.k8s.io", NetworkPrinters.API_SERVICES),
            Map.entry("flowschemas.flowcontrol.apiserver.k8s.io", NetworkPrinters.FLOW_SCHEMAS),
            Map.entry("prioritylevelconfigurations.flowcontrol.apiserver.k8s.io", NetworkPrinters.PRIORITY_LEVELS));

    /**
     * The printer of a built-in resource ({@code resource[.group]}) that has one here; empty for kinds
     * whose upstream printer is the default Name/Created At table, or not written yet.
     */
    public static Optional<TableConvertor> forResource(String groupResource) {
        return Optional.ofNullable(BY_RESOURCE.get(groupResource));
    }

    private static List<Object> bindingCells(ObjectNode o, Instant now) {
        JsonNode ref = o.path("roleRef");
        List<String> users = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<String> sas = new ArrayList<>();
        for (JsonNode s : o.path("subjects")) {
            switch (s.path("kind").asText("")) {
                case "ServiceAccount" ->
                    sas.add(s.path("namespace").asText("") + "/"
                            + s.path("name").asText(""));
                case "User" -> users.add(s.path("name").asText(""));
                case "Group" -> groups.add(s.path("name").asText(""));
                default -> {}
            }
        }
        return List.of(
                name(o),
                ref.path("kind").asText("") + "/" + ref.path("name").asText(""),
                age(o, now),
                String.join(", ", users),
                String.join(", ", groups),
                String.join(", ", sas));
    }

    private static List<Object> csrCells(ObjectNode o, Instant now) {
        JsonNode spec = o.path("spec");
        String signer = orNone(spec.path("signerName").asText(""));
        String duration = spec.hasNonNull("expirationSeconds")
                ? Cells.humanDuration(
                        Duration.ofSeconds(spec.get("expirationSeconds").asLong()))
                : "<none>";
        boolean approved = false;
        boolean denied = false;
        boolean failed = false;
        for (JsonNode c : o.path("status").path("conditions")) {
            switch (c.path("type").asText("")) {
                case "Approved" -> approved = true;
                case "Denied" -> denied = true;
                case "Failed" -> failed = true;
                default -> {}
            }
        }
        String status = denied ? "Denied" : approved ? "Approved" : "Pending";
        if (failed) {
            status += ",Failed";
        }
        if (!o.path("status").path("certificate").asText("").isEmpty()) {
            status += ",Issued";
        }
        return List.of(name(o), age(o, now), signer, spec.path("username").asText(""), duration, status);
    }

    private static List<Object> nodeCells(ObjectNode o, Instant now) {
        List<String> status = new ArrayList<>();
        for (JsonNode c : o.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                status.add("True".equals(c.path("status").asText()) ? "Ready" : "NotReady");
            }
        }
        if (status.isEmpty()) {
            status.add("Unknown");
        }
        if (o.path("spec").path("unschedulable").asBoolean(false)) {
            status.add("SchedulingDisabled");
        }
        TreeSet<String> roles = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        o.path("metadata").path("labels").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> label = it.next();
            if (label.getKey().startsWith("node-role.kubernetes.io/")) {
                String role = label.getKey().substring("node-role.kubernetes.io/".length());
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            } else if (label.getKey().equals("kubernetes.io/role")
                    && !label.getValue().asText("").isEmpty()) {
                roles.add(label.getValue().asText());
            }
        }
        JsonNode info = o.path("status").path("nodeInfo");
        return List.of(
                name(o),
                String.join(",", status),
                roles.isEmpty() ? "<none>" : String.join(",", roles),
                age(o, now),
                info.path("kubeletVersion").asText(""),
                address(o, "InternalIP"),
                address(o, "ExternalIP"),
                unknown(info.path("osImage").asText("")),
                unknown(info.path("kernelVersion").asText("")),
                unknown(info.path("containerRuntimeVersion").asText("")));
    }

    private static String address(ObjectNode node, String type) {
        for (JsonNode a : node.path("status").path("addresses")) {
            if (type.equals(a.path("type").asText())) {
                return a.path("address").asText("");
            }
        }
        return "<none>";
    }

    private static String unknown(String s) {
        return s.isEmpty() ? "<unknown>" : s;
    }

    /** Core v1 events (events.k8s.io events are converted to this form before printing). */
    private static List<Object> eventCells(ObjectNode o, Instant now) {
        String first =
                o.hasNonNull("firstTimestamp") ? since(o.get("firstTimestamp"), now) : since(o.get("eventTime"), now);
        String last = o.hasNonNull("lastTimestamp") ? since(o.get("lastTimestamp"), now) : first;
        long count = o.path("count").asLong(0);
        if (o.hasNonNull("series")) {
            last = since(o.path("series").get("lastObservedTime"), now);
            count = o.path("series").path("count").asLong(0);
        } else if (count == 0) {
            count = 1;
        }
        JsonNode involved = o.path("involvedObject");
        String kind = involved.path("kind").asText("").toLowerCase(Locale.ROOT);
        String target = involved.path("name").asText("").isEmpty()
                ? kind
                : kind + "/" + involved.path("name").asText();
        String component = firstNonEmpty(
                o.path("source").path("component").asText(""),
                o.path("reportingComponent").asText(""));
        String instance = firstNonEmpty(
                o.path("source").path("host").asText(""),
                o.path("reportingInstance").asText(""));
        String source = instance.isEmpty() ? component : component + ", " + instance;
        return List.of(
                last,
                o.path("type").asText(""),
                o.path("reason").asText(""),
                target,
                involved.path("fieldPath").asText(""),
                source,
                o.path("message").asText("").strip(),
                first,
                count,
                name(o));
    }

    private static String firstNonEmpty(String a, String b) {
        return a.isEmpty() ? b : a;
    }
}

package io.kubetwin.apiserver.registry.table;

import static io.kubetwin.apiserver.registry.table.Cells.age;
import static io.kubetwin.apiserver.registry.table.Cells.name;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The Table printers of services, endpoints, ingresses, network policies and the other cluster
 * configuration kinds (coordination, admissionregistration, scheduling, storage, node), mirroring
 * pkg/printers/internalversion/printers.go with the server's wide options.
 */
final class NetworkPrinters {
    private NetworkPrinters() {}

    static final TableConvertor SERVICES = new TableConvertor(ColumnSets.get("services"), NetworkPrinters::service);

    static final TableConvertor ENDPOINTS =
            new TableConvertor(ColumnSets.get("endpoints"), (o, now) -> List.of(name(o), endpoints(o), age(o, now)));

    static final TableConvertor ENDPOINT_SLICES =
            new TableConvertor(ColumnSets.get("endpointslices.discovery.k8s.io"), (o, now) -> {
                List<String> ports = new ArrayList<>();
                int portCount = 0;
                for (JsonNode p : o.path("ports")) {
                    if (ports.size() < 3) {
                        ports.add(
                                p.hasNonNull("port")
                                        ? p.get("port").asText()
                                        : p.hasNonNull("name") ? p.get("name").asText() : "*");
                    }
                    portCount++;
                }
                List<String> addresses = new ArrayList<>();
                int addressCount = 0;
                for (JsonNode e : o.path("endpoints")) {
                    for (JsonNode a : e.path("addresses")) {
                        if (addresses.size() < 3) {
                            addresses.add(a.asText());
                        }
                        addressCount++;
                    }
                }
                return List.of(
                        name(o),
                        o.path("addressType").asText(""),
                        withMore(ports, portCount),
                        withMore(addresses, addressCount),
                        age(o, now));
            });

    static final TableConvertor INGRESSES =
            new TableConvertor(ColumnSets.get("ingresses.networking.k8s.io"), (o, now) -> {
                JsonNode spec = o.path("spec");
                List<String> hosts = new ArrayList<>();
                boolean more = false;
                JsonNode rules = spec.path("rules");
                for (JsonNode rule : rules) {
                    if (hosts.size() == 3) {
                        more = true;
                    }
                    if (!more && !rule.path("host").asText("").isEmpty()) {
                        hosts.add(rule.path("host").asText());
                    }
                }
                String hostText = hosts.isEmpty() ? "*" : String.join(",", hosts);
                if (more) {
                    hostText = hostText + " + " + (rules.size() - 3) + " more...";
                }
                return List.of(
                        name(o),
                        spec.hasNonNull("ingressClassName")
                                ? spec.get("ingressClassName").asText()
                                : "<none>",
                        hostText,
                        loadBalancer(o.path("status").path("loadBalancer")),
                        spec.path("tls").size() > 0 ? "80, 443" : "80",
                        age(o, now));
            });

    static final TableConvertor INGRESS_CLASSES =
            new TableConvertor(ColumnSets.get("ingressclasses.networking.k8s.io"), (o, now) -> {
                JsonNode spec = o.path("spec");
                String parameters = "<none>";
                JsonNode p = spec.get("parameters");
                if (p != null && p.isObject()) {
                    parameters = p.path("kind").asText("");
                    if (p.hasNonNull("apiGroup")) {
                        parameters = parameters + "." + p.get("apiGroup").asText();
                    }
                    parameters = parameters + "/" + p.path("name").asText("");
                }
                return List.of(name(o), spec.path("controller").asText(""), parameters, age(o, now));
            });

    static final TableConvertor NETWORK_POLICIES = new TableConvertor(
            ColumnSets.get("networkpolicies.networking.k8s.io"),
            (o, now) -> List.of(
                    name(o),
                    Selectors.formatSelector(
                            o.path("spec").path("podSelector").isObject()
                                    ? o.path("spec").get("podSelector")
                                    : JsonNodeFactory.instance.objectNode()),
                    age(o, now)));

    static final TableConvertor LEASES = new TableConvertor(
            ColumnSets.get("leases.coordination.k8s.io"),
            (o, now) -> List.of(name(o), o.path("spec").path("holderIdentity").asText(""), age(o, now)));

    static final TableConvertor VALIDATING_WEBHOOKS = webhooks("validatingwebhookconfigurations");

    static final TableConvertor MUTATING_WEBHOOKS = webhooks("mutatingwebhookconfigurations");

    static final TableConvertor PRIORITY_CLASSES = new TableConvertor(
            ColumnSets.get("priorityclasses.scheduling.k8s.io"),
            (o, now) -> List.of(
                    name(o),
                    o.path("value").asLong(0),
                    o.path("globalDefault").asBoolean(false),
                    age(o, now),
                    o.path("preemptionPolicy").asText("")));

    static final TableConvertor RUNTIME_CLASSES = new TableConvertor(
            ColumnSets.get("runtimeclasses.node.k8s.io"),
            (o, now) -> List.of(name(o), o.path("handler").asText(""), age(o, now)));

    static final TableConvertor STORAGE_CLASSES =
            new TableConvertor(ColumnSets.get("storageclasses.storage.k8s.io"), (o, now) -> {
                JsonNode annotations = o.path("metadata").path("annotations");
                boolean isDefault = "true"
                                .equals(annotations
                                        .path("storageclass.kubernetes.io/is-default-class")
                                        .asText(""))
                        || "true"
                                .equals(annotations
                                        .path("storageclass.beta.kubernetes.io/is-default-class")
                                        .asText(""));
                return List.of(
                        isDefault ? name(o) + " (default)" : name(o),
                        o.path("provisioner").asText(""),
                        o.path("reclaimPolicy").asText("Delete"),
                        o.path("volumeBindingMode").asText("Immediate"),
                        o.path("allowVolumeExpansion").asBoolean(false),
                        age(o, now));
            });

    /** kube-aggregator's apiservice REST ConvertToTable. */
    static final TableConvertor API_SERVICES =
            new TableConvertor(ColumnSets.get("apiservices.apiregistration.k8s.io"), (o, now) -> {
                JsonNode service = o.path("spec").get("service");
                String status = "Unknown";
                for (JsonNode c : o.path("status").path("conditions")) {
                    if ("Available".equals(c.path("type").asText())) {
                        String s = c.path("status").asText("");
                        String reason = c.path("reason").asText("");
                        status = s.equals("True") || reason.isEmpty() ? s : s + " (" + reason + ")";
                        break;
                    }
                }
                return List.of(
                        name(o),
                        service == null || service.isNull()
                                ? "Local"
                                : service.path("namespace").asText("") + "/"
                                        + service.path("name").asText(""),
                        status,
                        age(o, now));
            });

    static final TableConvertor FLOW_SCHEMAS =
            new TableConvertor(ColumnSets.get("flowschemas.flowcontrol.apiserver.k8s.io"), (o, now) -> {
                JsonNode spec = o.path("spec");
                String dangling = "?";
                for (JsonNode c : o.path("status").path("conditions")) {
                    if ("Dangling".equals(c.path("type").asText())) {
                        dangling = c.path("status").asText("");
                        break;
                    }
                }
                JsonNode distinguisher = spec.get("distinguisherMethod");
                return List.of(
                        name(o),
                        spec.path("priorityLevelConfiguration").path("name").asText(""),
                        spec.path("matchingPrecedence").asLong(0),
                        distinguisher == null || distinguisher.isNull()
                                ? "<none>"
                                : distinguisher.path("type").asText(""),
                        age(o, now),
                        dangling);
            });

    static final TableConvertor PRIORITY_LEVELS =
            new TableConvertor(ColumnSets.get("prioritylevelconfigurations.flowcontrol.apiserver.k8s.io"), (o, now) -> {
                JsonNode spec = o.path("spec");
                Object shares = "<none>";
                Object queues = "<none>";
                Object handSize = "<none>";
                Object queueLength = "<none>";
                JsonNode limited = spec.get("limited");
                if (limited != null && limited.isObject()) {
                    shares = limited.path("nominalConcurrencyShares").asLong(0);
                    JsonNode queuing = limited.path("limitResponse").get("queuing");
                    if (queuing != null && queuing.isObject()) {
                        queues = queuing.path("queues").asLong(0);
                        handSize = queuing.path("handSize").asLong(0);
                        queueLength = queuing.path("queueLengthLimit").asLong(0);
                    }
                }
                return List.of(
                        name(o), spec.path("type").asText(""), shares, queues, handSize, queueLength, age(o, now));
            });

    private static TableConvertor webhooks(String plural) {
        return new TableConvertor(
                ColumnSets.get(plural + ".admissionregistration.k8s.io"),
                (o, now) -> List.of(name(o), (long) o.path("webhooks").size(), age(o, now)));
    }

    private static List<Object> service(ObjectNode o, Instant now) {
        JsonNode spec = o.path("spec");
        String type = spec.path("type").asText("");
        JsonNode ips = spec.path("clusterIPs");
        String clusterIp = ips.size() > 0 ? ips.get(0).asText() : "<none>";
        List<String> externalIps = new ArrayList<>();
        spec.path("externalIPs").forEach(ip -> externalIps.add(ip.asText()));
        String external =
                switch (type) {
                    case "ClusterIP", "NodePort" -> externalIps.isEmpty() ? "<none>" : String.join(",", externalIps);
                    case "LoadBalancer" -> {
                        String lb = loadBalancer(o.path("status").path("loadBalancer"));
                        if (!externalIps.isEmpty()) {
                            List<String> all = new ArrayList<>();
                            if (!lb.isEmpty()) {
                                all.addAll(List.of(lb.split(",")));
                            }
                            all.addAll(externalIps);
                            yield String.join(",", all);
                        }
                        yield lb.isEmpty() ? "<pending>" : lb;
                    }
                    case "ExternalName" -> spec.path("externalName").asText("");
                    default -> "<unknown>";
                };
        List<String> ports = new ArrayList<>();
        for (JsonNode p : spec.path("ports")) {
            long nodePort = p.path("nodePort").asLong(0);
            String protocol = p.path("protocol").asText("");
            ports.add(
                    nodePort > 0
                            ? p.path("port").asLong() + ":" + nodePort + "/" + protocol
                            : p.path("port").asLong() + "/" + protocol);
        }
        return List.of(
                name(o),
                type,
                clusterIp,
                external,
                ports.isEmpty() ? "<none>" : String.join(",", ports),
                age(o, now),
                Selectors.formatLabels(spec.get("selector")));
    }

    /** loadBalancerStatusStringer (wide): the sorted set of IPs, else hostnames. */
    private static String loadBalancer(JsonNode status) {
        TreeSet<String> result = new TreeSet<>();
        for (JsonNode i : status.path("ingress")) {
            if (!i.path("ip").asText("").isEmpty()) {
                result.add(i.path("ip").asText());
            } else if (!i.path("hostname").asText("").isEmpty()) {
                result.add(i.path("hostname").asText());
            }
        }
        return String.join(",", result);
    }

    /** formatEndpoints with no port filter. */
    private static String endpoints(ObjectNode o) {
        JsonNode subsets = o.path("subsets");
        if (subsets.size() == 0) {
            return "<none>";
        }
        List<String> list = new ArrayList<>();
        boolean more = false;
        int count = 0;
        for (JsonNode ss : subsets) {
            JsonNode addresses = ss.path("addresses");
            if (ss.path("ports").size() == 0) {
                count += addresses.size();
                for (JsonNode a : addresses) {
                    if (list.size() == 3) {
                        more = true;
                        break;
                    }
                    list.add(a.path("ip").asText(""));
                }
                continue;
            }
            for (JsonNode port : ss.path("ports")) {
                count += addresses.size();
                for (JsonNode a : addresses) {
                    if (list.size() == 3) {
                        more = true;
                        break;
                    }
                    String ip = a.path("ip").asText("");
                    String host = ip.contains(":") ? "[" + ip + "]" : ip;
                    list.add(host + ":" + port.path("port").asLong());
                }
            }
        }
        String ret = String.join(",", list);
        return more ? ret + " + " + (count - 3) + " more..." : ret;
    }

    /** listWithMoreString. */
    private static String withMore(List<String> list, int count) {
        String ret = String.join(",", list);
        if (count > 3) {
            return ret + " + " + (count - 3) + " more...";
        }
        return ret.isEmpty() ? "<unset>" : ret;
    }
}

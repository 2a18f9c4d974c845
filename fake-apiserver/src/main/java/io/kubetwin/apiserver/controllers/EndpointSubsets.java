package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Endpoints subsets in upstream's canonical layout (pkg/api/v1/endpoints/util.go RepackSubsets, SortSubsets) and
 * the controller's truncation (truncateEndpoints): addresses keyed by IP and pod UID, a not-ready entry winning
 * over a ready one for a port, ports grouped by the set of addresses offering them (addresses without ports kept, with none); addresses sorted by IP then
 * UID, ports and subsets by the md5 of their go-spew form ({@link EndpointHashes}). Stateless.
 */
final class EndpointSubsets {
    private static final JsonNode SENTINEL =
            JsonNodeFactory.instance.objectNode().put("port", -1);

    private EndpointSubsets() {}

    static ArrayNode repack(ArrayNode subsets) {
        Map<String, JsonNode> addresses = new LinkedHashMap<>();
        Map<String, JsonNode> ports = new LinkedHashMap<>();
        Map<String, Map<String, Boolean>> readyByPort = new LinkedHashMap<>();
        for (JsonNode subset : subsets) {
            // a subset without ports (a headless Service without ports) keeps its addresses under a sentinel port
            Iterable<JsonNode> subsetPorts = subset.path("ports").isEmpty() ? List.of(SENTINEL) : subset.path("ports");
            for (JsonNode port : subsetPorts) {
                String portKey = port.toString();
                ports.putIfAbsent(portKey, port);
                Map<String, Boolean> ready = readyByPort.computeIfAbsent(portKey, k -> new LinkedHashMap<>());
                for (String list : new String[] {"addresses", "notReadyAddresses"}) {
                    for (JsonNode address : subset.path(list)) {
                        String addressKey = address.path("ip").asText() + "\u0000"
                                + address.path("targetRef").path("uid").asText("");
                        addresses.putIfAbsent(addressKey, address);
                        Boolean was = ready.get(addressKey);
                        if (was == null || was) {
                            ready.put(addressKey, list.equals("addresses"));
                        }
                    }
                }
            }
        }
        // ports offered by the same addresses, with the same readiness, share a subset
        Map<String, List<String>> portsByAddressSet = new LinkedHashMap<>();
        Map<String, Map<String, Boolean>> addressSets = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Boolean>> e : readyByPort.entrySet()) {
            String setKey = new java.util.TreeMap<>(e.getValue()).toString();
            addressSets.putIfAbsent(setKey, e.getValue());
            portsByAddressSet.computeIfAbsent(setKey, k -> new ArrayList<>()).add(e.getKey());
        }
        List<ObjectNode> result = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : portsByAddressSet.entrySet()) {
            List<JsonNode> ready = new ArrayList<>();
            List<JsonNode> notReady = new ArrayList<>();
            addressSets.get(e.getKey()).forEach((k, r) -> (r ? ready : notReady).add(addresses.get(k)));
            ObjectNode subset = JsonNodeFactory.instance.objectNode();
            if (!ready.isEmpty()) {
                ready.sort(EndpointSubsets::compareAddresses);
                subset.putArray("addresses").addAll(copies(ready));
            }
            if (!notReady.isEmpty()) {
                notReady.sort(EndpointSubsets::compareAddresses);
                subset.putArray("notReadyAddresses").addAll(copies(notReady));
            }
            List<JsonNode> subsetPorts = new ArrayList<>();
            e.getValue().stream()
                    .map(ports::get)
                    .filter(p -> p.path("port").asInt() > 0)
                    .forEach(subsetPorts::add);
            if (!subsetPorts.isEmpty()) {
                subsetPorts.sort(Comparator.comparing(EndpointHashes::corePort));
                subset.putArray("ports").addAll(copies(subsetPorts));
            }
            result.add(subset);
        }
        result.sort(Comparator.comparing(EndpointHashes::subset));
        return JsonNodeFactory.instance.arrayNode().addAll(result);
    }

    /** LessEndpointAddress: by IP bytes, then by targetRef UID (no targetRef first). */
    private static int compareAddresses(JsonNode a, JsonNode b) {
        int byIp = a.path("ip").asText().compareTo(b.path("ip").asText());
        if (byIp != 0) {
            return byIp;
        }
        boolean aRef = a.hasNonNull("targetRef");
        boolean bRef = b.hasNonNull("targetRef");
        if (aRef != bRef) {
            return aRef ? 1 : -1;
        }
        return a.path("targetRef")
                .path("uid")
                .asText("")
                .compareTo(b.path("targetRef").path("uid").asText(""));
    }

    private static List<JsonNode> copies(List<JsonNode> nodes) {
        return nodes.stream().map(JsonNode::deepCopy).map(JsonNode.class::cast).toList();
    }

    /** Ready and not-ready addresses over all subsets. */
    static int count(JsonNode subsets) {
        int n = 0;
        for (JsonNode s : subsets) {
            n += s.path("addresses").size() + s.path("notReadyAddresses").size();
        }
        return n;
    }

    /**
     * truncateEndpoints: keeps at most {@code max} addresses, shared among subsets in proportion (rounded up),
     * ready ones first; answers whether anything was cut.
     */
    static boolean truncate(ArrayNode subsets, int max) {
        int totalReady = 0;
        int totalNotReady = 0;
        for (JsonNode s : subsets) {
            totalReady += s.path("addresses").size();
            totalNotReady += s.path("notReadyAddresses").size();
        }
        if (totalReady + totalNotReady <= max) {
            return false;
        }
        boolean truncateReady = totalReady > max;
        int room = truncateReady ? max : max - totalReady;
        int total = truncateReady ? totalReady : totalNotReady;
        int canBeAdded = room;
        for (JsonNode node : subsets) {
            ObjectNode s = (ObjectNode) node;
            String list = truncateReady ? "addresses" : "notReadyAddresses";
            int inSubset = s.path(list).size();
            int toBeAdded = (int) Math.ceil(((double) inSubset / total) * room);
            toBeAdded = Math.min(toBeAdded, canBeAdded);
            if (s.get(list) instanceof ArrayNode a) {
                while (a.size() > toBeAdded) {
                    a.remove(a.size() - 1);
                }
                canBeAdded -= a.size();
                if (a.isEmpty()) {
                    s.remove(list);
                }
            }
            if (truncateReady) {
                s.remove("notReadyAddresses");
            }
        }
        return true;
    }
}

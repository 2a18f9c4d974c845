package io.kubetwin.apiserver.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The canonical subset layout and the hash orders, against what kube-controller-manager v1.34.4 wrote. */
class EndpointSubsetsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    // the pods of the reference's run: p1 ready with hostname h1, p2 not ready, both on n1 in t1
    private static final String P1 = "{\"ip\":\"10.244.0.5\",\"hostname\":\"h1\",\"nodeName\":\"n1\",\"targetRef\":"
            + "{\"kind\":\"Pod\",\"namespace\":\"t1\",\"name\":\"p1\",\"uid\":\"b0188585-c108-448b-a544-f72105d77b77\"}}";
    private static final String P2 = "{\"ip\":\"10.244.0.6\",\"nodeName\":\"n1\",\"targetRef\":"
            + "{\"kind\":\"Pod\",\"namespace\":\"t1\",\"name\":\"p2\",\"uid\":\"a215511e-9ab4-42ea-a314-e2450b585f26\"}}";

    private static String port(String name, int port) {
        return "{\"name\":\"" + name + "\",\"port\":" + port + ",\"protocol\":\"TCP\"}";
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void repackGroupsPortsBySameAddressesAndSortsAsTheReference() throws Exception {
        // as addEndpointSubset appends them: per pod, per Service port (80 -> http: 8080 or 8081, 443 -> 8443)
        ArrayNode raw = (ArrayNode) json("["
                + "{\"addresses\":[" + P1 + "],\"ports\":[" + port("80-http", 8080) + "]},"
                + "{\"addresses\":[" + P1 + "],\"ports\":[" + port("443-8443", 8443) + "]},"
                + "{\"notReadyAddresses\":[" + P2 + "],\"ports\":[" + port("80-http", 8081) + "]},"
                + "{\"notReadyAddresses\":[" + P2 + "],\"ports\":[" + port("443-8443", 8443) + "]}]");
        // recorded from the reference
        JsonNode expected = json("["
                + "{\"addresses\":[" + P1 + "],\"ports\":[" + port("80-http", 8080) + "]},"
                + "{\"addresses\":[" + P1 + "],\"notReadyAddresses\":[" + P2 + "],\"ports\":["
                + port("443-8443", 8443) + "]},"
                + "{\"notReadyAddresses\":[" + P2 + "],\"ports\":[" + port("80-http", 8081) + "]}]");
        assertEquals(expected, EndpointSubsets.repack(raw));
    }

    @Test
    void slicePortsSortByTheirHashAsTheReference() throws Exception {
        List<JsonNode> first = new ArrayList<>(List.of(
                json("{\"name\":\"80-http\",\"protocol\":\"TCP\",\"port\":8080}"),
                json("{\"name\":\"443-8443\",\"protocol\":\"TCP\",\"port\":8443}")));
        first.sort(Comparator.comparing(EndpointHashes::slicePort));
        assertEquals("443-8443", first.get(0).path("name").asText());
        List<JsonNode> second = new ArrayList<>(List.of(
                json("{\"name\":\"443-8443\",\"protocol\":\"TCP\",\"port\":8443}"),
                json("{\"name\":\"80-http\",\"protocol\":\"TCP\",\"port\":8081}")));
        second.sort(Comparator.comparing(EndpointHashes::slicePort));
        assertEquals("80-http", second.get(0).path("name").asText());
    }

    @Test
    void truncationKeepsReadyAddressesFirstInProportion() throws Exception {
        ArrayNode subsets = JSON.createArrayNode();
        ObjectNode a = subsets.addObject();
        ObjectNode b = subsets.addObject();
        for (int i = 0; i < 900; i++) {
            a.withArray("addresses").addObject().put("ip", "10.0." + (i / 250) + "." + (i % 250));
        }
        for (int i = 0; i < 300; i++) {
            b.withArray("notReadyAddresses").addObject().put("ip", "10.1." + (i / 250) + "." + (i % 250));
        }
        assertTrue(EndpointSubsets.truncate(subsets, 1000));
        assertEquals(900, subsets.get(0).path("addresses").size());
        assertEquals(100, subsets.get(1).path("notReadyAddresses").size());
        assertEquals(1000, EndpointSubsets.count(subsets));
        assertFalse(EndpointSubsets.truncate(subsets, 1000));
    }
}

package io.kubetwin.apiserver.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * go-yaml v2's key order: each line of golden/goyaml-keys/key-orders.jsonl (recorded by
 * ci/reference/record-go-yaml-keys.sh from sigs.k8s.io/yaml v1.6.0 on go.yaml.in/yaml/v2 v2.4.2, the conversion
 * kube-apiserver v1.34.4 makes) holds a set of keys in the JSON's order and every order go-yaml wrote them in over 2000
 * conversions. Where it always wrote one, the fake must write that one; where Go's random map order made it write
 * several (a non-transitive mix of digits and letters), the fake must write one of them.
 */
class GoYamlKeyOrderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ORDERS = Path.of("src/test/resources/golden/goyaml-keys/key-orders.jsonl");

    record Recorded(List<String> keys, List<List<String>> orders) {
        @Override
        public String toString() {
            return String.join(",", keys);
        }
    }

    static Stream<Recorded> recorded() throws Exception {
        List<Recorded> out = new ArrayList<>();
        for (String line : Files.readAllLines(ORDERS, StandardCharsets.UTF_8)) {
            JsonNode n = JSON.readTree(line);
            List<List<String>> orders = new ArrayList<>();
            n.get("orders").forEach(o -> orders.add(strings(o)));
            out.add(new Recorded(strings(n.get("keys")), orders));
        }
        return out.stream();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(s -> out.add(s.asText()));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recorded")
    void sortsAsGoYaml(Recorded set) {
        List<String> keys = new ArrayList<>(set.keys());
        GoYamlKeys.sort(keys);
        if (set.orders().size() == 1) {
            assertEquals(set.orders().get(0), keys);
        } else {
            assertTrue(set.orders().contains(keys), keys + " is not one of " + set.orders());
        }
    }

    @Test
    void recordsBothKindsOfSet() throws Exception {
        // the golden file must keep sets of both kinds, or this test no longer checks what it says
        List<Recorded> all = recorded().toList();
        assertTrue(all.stream().anyMatch(r -> r.orders().size() == 1));
        assertTrue(all.stream().anyMatch(r -> r.orders().size() > 1));
    }

    @Test
    void writesTheSortedKeys() throws Exception {
        // the writer takes the keys in this order: quoted where go-yaml would read them as numbers
        String yaml = GoYaml.toYaml(JSON.readTree("{\"2\":\"x\",\"10\":\"x\",\"1a\":\"x\",\"01\":\"x\",\"a\":\"x\"}"));
        assertEquals("\"2\": x\n\"10\": x\n1a: x\n\"01\": x\na: x\n", yaml);
    }
}

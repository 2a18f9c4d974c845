package io.kubetwin.apiserver.registry.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.testing.Golden;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Server-side apply and managedFields over TLS, step by step against the answers of the v1.34.4 reference
 * (golden/apply/reference.jsonl, recorded by {@link ApplyScript#main}): status code and the whole body, managedFields
 * field by field, once uids, resourceVersions and times are masked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerSideApplyTest {
    @RegisterExtension
    static final TestApiServer server = TestApiServer.builder().build();

    private final Map<String, JsonNode> reference = new LinkedHashMap<>();
    private final Map<String, JsonNode> ours = new LinkedHashMap<>();

    @BeforeAll
    void runAll() throws Exception {
        for (String line : Golden.lines("apply/reference.jsonl")) {
            JsonNode recorded = ApplyScript.JSON.readTree(line);
            reference.put(recorded.path("step").asText(), recorded.get("answer"));
        }
        ApiClient admin = server.admin();
        for (ApplyScript.Step s : ApplyScript.STEPS) {
            ours.put(s.name(), ApplyScript.normalize(ApplyScript.send(admin, s)));
        }
    }

    static Stream<String> steps() {
        return ApplyScript.STEPS.stream().map(ApplyScript.Step::name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    void answersAsTheReference(String step) {
        assertEquals(reference.get(step).toPrettyString(), ours.get(step).toPrettyString());
    }

    static List<String> names() {
        return List.of();
    }
}

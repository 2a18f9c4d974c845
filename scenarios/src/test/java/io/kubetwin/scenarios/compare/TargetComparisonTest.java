package io.kubetwin.scenarios.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.client.ApiClient;
import io.kubetwin.client.Kubectl;
import io.kubetwin.scenarios.model.ApiRequest;
import io.kubetwin.scenarios.model.KubectlCommand;
import io.kubetwin.scenarios.model.Step;
import io.kubetwin.scenarios.model.Suite;
import io.kubetwin.scenarios.runner.Observation;
import io.kubetwin.scenarios.runner.StepOutcome;
import io.kubetwin.scenarios.runner.StepResult;
import io.kubetwin.scenarios.runner.SuiteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetComparisonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORBIDDEN =
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                    + "\"message\":\"pods is forbidden: User \\\"x\\\" cannot list resource \\\"pods\\\" in API group \\\"\\\" in the"
                    + " namespace \\\"default\\\"\",\"reason\":\"Forbidden\",\"details\":{\"kind\":\"pods\"},\"code\":403}\n";

    private static Step apiStep(String name) {
        return new Step(
                name,
                "admin",
                new ApiRequest("GET", "/api/v1/namespaces/default/pods", null, null, null, null),
                null,
                null,
                null,
                List.of("/status"),
                null,
                null,
                null,
                null);
    }

    private static Step kubectlStep(String name) {
        return new Step(
                name,
                "admin",
                null,
                new KubectlCommand(List.of("get", "pods"), null),
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    private static SuiteResult result(String target, List<Step> steps, List<Observation> observations) {
        var suite = new Suite("s", null, null, null, null, null, null, null, null, null, steps, null, null, null);
        var results = new ArrayList<StepResult>();
        for (int i = 0; i < steps.size(); i++) {
            results.add(new StepResult(steps.get(i), new StepOutcome.Passed(), observations.get(i), 1));
        }
        return new SuiteResult(suite, target, "", null, results, 1);
    }

    private static Observation http(int status, String body, List<JsonNode> events) {
        return new Observation(
                new ApiClient.Response(status, body, Map.of("content-type", List.of("application/json")), 1),
                null,
                events,
                true);
    }

    @Test
    void identicalStatusBodiesDoNotDiffer() {
        var steps = List.of(apiStep("a"));
        var diffs = TargetComparison.compare(
                result("reference", steps, List.of(http(403, FORBIDDEN, List.of()))),
                result("fake", steps, List.of(http(403, FORBIDDEN, List.of()))));
        assertEquals(List.of(), diffs);
    }

    @Test
    void aDifferentMessageIsOneDifference() {
        var steps = List.of(apiStep("a"));
        var other = FORBIDDEN.replace("cannot list resource \\\"pods\\\"", "cannot list pods");
        var diffs = TargetComparison.compare(
                result("reference", steps, List.of(http(403, FORBIDDEN, List.of()))),
                result("fake", steps, List.of(http(403, other, List.of()))));
        assertEquals(1, diffs.size());
        assertEquals("body/message", diffs.get(0).field());
        assertEquals(
                "pods is forbidden: User \"x\" cannot list pods in API group \"\" in the namespace \"default\"",
                diffs.get(0).actual());
    }

    @Test
    void auditEventsAreComparedFieldByFieldAfterNormalising() throws Exception {
        var steps = List.of(apiStep("a"));
        var ref = JSON.readTree(
                "{\"stage\":\"ResponseComplete\",\"auditID\":\"1\",\"level\":\"Metadata\",\"verb\":\"list\","
                        + "\"stageTimestamp\":\"2026-01-01T00:00:00.000001Z\",\"annotations\":{\"authorization.k8s.io/reason\":\"\"}}");
        var fake = JSON.readTree(
                "{\"stage\":\"ResponseComplete\",\"auditID\":\"2\",\"level\":\"Request\",\"verb\":\"list\","
                        + "\"stageTimestamp\":\"2026-01-01T00:00:09.000001Z\"}");
        var diffs = TargetComparison.compare(
                result("reference", steps, List.of(http(200, "{}", List.of(ref)))),
                result("fake", steps, List.of(http(200, "{}", List.of(fake)))));
        assertEquals(
                List.of(
                        "audit[ResponseComplete]/annotations/authorization.k8s.io~1reason",
                        "audit[ResponseComplete]/level"),
                diffs.stream().map(Difference::field).toList());
        assertEquals("Metadata", diffs.get(1).expected());
        assertEquals("Request", diffs.get(1).actual());
    }

    @Test
    void kubectlOutputIsComparedWithoutKlogTimes() {
        var steps = List.of(kubectlStep("k"));
        var a = new Observation(
                null, new Kubectl.Result(1, "", "E1122 16:34:18.434433    6372 x.go:1] boom\n", 5), List.of(), false);
        var b = new Observation(
                null, new Kubectl.Result(1, "", "E1122 16:40:00.000001    9 x.go:1] boom\n", 5), List.of(), false);
        assertEquals(
                List.of(),
                TargetComparison.compare(result("reference", steps, List.of(a)), result("fake", steps, List.of(b))));
    }
}

package io.kubetwin.apiserver.admission.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubetwin.apiserver.testing.Golden;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The status controller's type checking over TLS: the status.typeChecking kube-controller-manager v1.34.4 wrote for
 * the same policy (src/test/resources/admission/typed-policy.yaml; golden/admission/vap-typechecking-status.json,
 * recorded with ci/reference/run-reference.sh; also the create-time types of request and variables): undefined fields, a wrong operand type and a Quantity map (no CEL
 * type, so an undefined field) found per matched kind, in cel-go's words. The status is written after the create
 * answered, so the test waits for it.
 */
class PolicyTypeCheckingApiTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String POLICIES = "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies";

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private final ApiClient admin = cluster.admin();

    private JsonNode statusOnceObserved(String name) {
        return TestApiServer.eventually(
                        () -> admin.get(POLICIES + "/" + name),
                        r -> r.json().path("status").has("observedGeneration"))
                .json();
    }

    @Test
    void warningsPerMatchedKindAsTheReferenceWritesThem() throws Exception {
        String policy = YAML.readTree(getClass().getResourceAsStream("/admission/typed-policy.yaml"))
                .toString();
        ApiClient.Response created = admin.post(POLICIES, policy);
        assertEquals(201, created.code(), created.body());
        assertEquals("{}", created.json().path("status").toString());
        JsonNode stored = statusOnceObserved("typed");
        assertEquals(Golden.json("admission/vap-typechecking-status.json"), stored.path("status"));
        JsonNode manager = stored.path("metadata").path("managedFields").get(0);
        assertEquals("validatingadmissionpolicy-status", manager.path("manager").asText());
        assertEquals("Apply", manager.path("operation").asText());
        assertEquals("status", manager.path("subresource").asText());
        assertEquals(
                "{\"f:status\":{\"f:observedGeneration\":{},\"f:typeChecking\":{\"f:expressionWarnings\":{}}}}",
                manager.path("fieldsV1").toString());
    }

    @Test
    void aPolicyThatChecksGetsAnEmptyTypeCheckingAndANewGenerationIsCheckedAgain() throws Exception {
        String policy = """
                {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingAdmissionPolicy",
                 "metadata":{"name":"clean"},
                 "spec":{"matchConstraints":{"resourceRules":[{"apiGroups":[""],"apiVersions":["v1"],
                   "operations":["CREATE"],"resources":["configmaps"]}]},
                   "validations":[{"expression":"object.data.size() < 3"},
                     {"expression":"object.metadata.namespace == 'x' || object.metadata.__namespace__ == 'x'"}]}}""";
        assertEquals(201, admin.post(POLICIES, policy).code());
        JsonNode stored = statusOnceObserved("clean");
        assertEquals(
                "{\"observedGeneration\":1,\"typeChecking\":{}}",
                stored.path("status").toString());

        ((com.fasterxml.jackson.databind.node.ObjectNode)
                        stored.path("spec").path("validations").get(0))
                .put("expression", "object.data.foo == 1");
        assertEquals(200, admin.put(POLICIES + "/clean", stored.toString()).code());
        JsonNode updated = TestApiServer.eventually(
                        () -> admin.get(POLICIES + "/clean"),
                        r -> r.json().path("status").path("observedGeneration").asLong() == 2)
                .json();
        assertEquals(
                "/v1, Kind=ConfigMap: ERROR: <input>:1:17: found no matching overload for '_==_' applied to "
                        + "'(string, int)'\n | object.data.foo == 1\n | ................^\n",
                updated.path("status")
                        .path("typeChecking")
                        .path("expressionWarnings")
                        .get(0)
                        .path("warning")
                        .asText());
    }

    @Test
    void requestAndVariablesAreTypedAtCreateTimeAsTheReferenceTypesThem() throws Exception {
        // recorded: a variable naming a later one, an int variable compared with a string, an undefined variable,
        // an undefined request field and a bool request field compared with a string are refused; a string
        // variable as a messageExpression and a request field as an audit annotation are accepted
        String policy = new String(getClass()
                .getResourceAsStream("/admission/typed-variables-policy.json")
                .readAllBytes());
        ApiClient.Response r = admin.post(POLICIES, policy);
        assertEquals(422, r.code());
        assertEquals(Golden.json("admission/vap-typed-variables-status.json"), r.json());
    }
}

package io.kubetwin.apiserver.admission.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The runtime CEL cost limits over TLS, with the answers kube-apiserver v1.34.4 gave for the same policies and
 * webhooks (src/test/resources/admission/cel-cost-*.yaml, recorded with ci/reference/run-reference.sh): an
 * expression past the per-call limit is cancelled (an authorization check costs 350000, so three in one expression
 * pass the limit of 1000000; so do a million loop iterations), a policy whose validations together pass 10000000,
 * or whose matchConditions pass 2500000, runs out of budget; failurePolicy Ignore admits.
 */
class CelCostApiTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String CHECK = "authorizer.group(\"\").resource(\"pods\").check(\"get\").allowed()";
    private static final String LOOP = "[0,1,2,3,4,5,6,7,8,9].all(a, [0,1,2,3,4,5,6,7,8,9].all(b, "
            + "[0,1,2,3,4,5,6,7,8,9].all(c, [0,1,2,3,4,5,6,7,8,9].all(d, [0,1,2,3,4,5,6,7,8,9].all(e, "
            + "[0,1,2,3,4,5,6,7,8,9].all(f, f >= 0))))))";
    private static final String OUT_OF_BUDGET =
            "validation failed due to running out of cost budget, no further validation rules will be run";

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private final ApiClient admin = cluster.admin();

    @BeforeAll
    static void policies() throws Exception {
        ApiClient admin = cluster.admin();
        assertEquals(
                201,
                admin.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"costns\"}}")
                        .code());
        apply(admin, "/admission/cel-cost-policies.yaml");
        apply(admin, "/admission/cel-cost-webhooks.yaml");
    }

    private static void apply(ApiClient admin, String resource) throws Exception {
        try (InputStream in = CelCostApiTest.class.getResourceAsStream(resource)) {
            for (String doc : new String(in.readAllBytes()).split("(?m)^---$")) {
                JsonNode o = YAML.readTree(doc);
                String kind = o.path("kind").asText().toLowerCase();
                String plural = kind.endsWith("y") ? kind.substring(0, kind.length() - 1) + "ies" : kind + "s";
                ApiClient.Response r = admin.post("/apis/admissionregistration.k8s.io/v1/" + plural, o.toString());
                assertEquals(201, r.code(), r.body());
            }
        }
    }

    private ApiClient.Response create(String name, String label) {
        return admin.post(
                "/api/v1/namespaces/costns/configmaps",
                "{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"case\":\"" + label + "\"}}}");
    }

    private static String denied(String policy, String message) {
        return "ValidatingAdmissionPolicy '" + policy + "' with binding '" + policy + "' denied request: " + message;
    }

    @Test
    void anExpressionPastThePerCallLimitIsCancelledWithTheReferenceStatus() throws Exception {
        ApiClient.Response r = create("cm-percall", "percall");
        String cause = denied("percall", "expression '" + LOOP + "' resulted in error: " + CelCost.CANCELLED);
        assertEquals(422, r.code());
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertEquals(
                "configmaps \"cm-percall\" is forbidden: " + cause,
                body.path("message").asText());
        assertEquals("Invalid", body.path("reason").asText());
        assertEquals(
                cause,
                body.path("details").path("causes").get(0).path("message").asText());
        assertEquals("cm-percall", body.path("details").path("name").asText());
        assertEquals("configmaps", body.path("details").path("kind").asText());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            percall-ignore | 201 |
            threechecks    | 422 | THREE
            budget         | 422 | BUDGET
            mcbudget       | 422 | BUDGET
            """)
    void policies(String label, int code, String expected) {
        ApiClient.Response r = create("cm-" + label, label);
        assertEquals(code, r.code(), r.body());
        if (expected == null) {
            return;
        }
        String message = expected.equals("BUDGET")
                ? OUT_OF_BUDGET
                : "expression '" + String.join(" && ", List.of(CHECK, CHECK, CHECK, "true")) + "' resulted in error: "
                        + CelCost.CANCELLED;
        assertEquals("configmaps \"cm-" + label + "\" is forbidden: " + denied(label, message), r.message());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            wh-budget  | BUDGET
            wh-percall | THREE
            """)
    void webhookMatchConditions(String label, String expected) {
        ApiClient.Response r = create(label, label);
        assertEquals(403, r.code(), r.body());
        String message = expected.equals("BUDGET")
                ? OUT_OF_BUDGET
                : "expression '" + String.join(" && ", List.of(CHECK, CHECK, CHECK, "true")) + "' resulted in error: "
                        + CelCost.CANCELLED;
        assertEquals("configmaps \"" + label + "\" is forbidden: " + message, r.message());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
            cm-lazy-ok     # 201 #
            cm-lazy-costly # 201 #
            cm-lazy-bad    # 422 # expression 'object.metadata.name != 'cm-lazy-bad' || variables.bad == 'x'' resulted in error: composited variable "bad" fails to evaluate: no such key: data
            """)
    void variablesAreEvaluatedWhenFirstReadAndOncePerGroup(String name, int code, String expected) {
        // cm-lazy-ok: no expression reads the failing variable; cm-lazy-costly: a 700000 variable read 15 times
        ApiClient.Response r = create(name, "lazy");
        assertEquals(code, r.code(), r.body());
        if (expected != null) {
            assertEquals("configmaps \"" + name + "\" is forbidden: " + denied("lazy", expected), r.message());
        }
    }

    @Test
    void messageExpressionsRunOnWhatTheValidationsLeftAndRunningOutFailsEveryValidation() throws Exception {
        ApiClient.Response r = create("cm-msgbudget", "msgbudget");
        assertEquals(422, r.code(), r.body());
        String cause = denied("msgbudget", "failed messageExpression: " + OUT_OF_BUDGET);
        assertEquals("configmaps \"cm-msgbudget\" is forbidden: " + cause, r.message());
        JsonNode causes = new ObjectMapper().readTree(r.body()).path("details").path("causes");
        assertEquals(1, causes.size(), r.body());
    }
}

package io.kubetwin.scenarios.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.client.ApiClient;
import io.kubetwin.scenarios.model.SuiteLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpectationEvaluatorTest {

    private static final String UNAUTHORIZED =
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                    + "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}\n";

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{status: 401, reason: Unauthorized, message: Unauthorized}|",
                "{status: 403}|status: expected 403, got 401 ("
                        + "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401})",
                "{reason: Forbidden}|reason: expected Forbidden, got Unauthorized",
                "{message: {regex: 'Unauth.*'}}|",
                "{message: {contains: forbidden}}|message: expected \"contains:forbidden\", got \"Unauthorized\"",
                "{json: {/code: 401, /metadata: {}}}|",
                "{json: {/details: {}}}|json /details: expected {}, got (absent)",
                "{jsonText: {/code: '401'}}|",
                "{headers: {Content-Type: application/json}}|",
                "{headers: {X-Content-Type-Options: nosniff}}|header X-Content-Type-Options: expected \"nosniff\", got (absent)",
                "{exitCode: 1}|kubectl expectations on an API request step",
            })
    void http(String expectation, String failure) throws Exception {
        var suite =
                new SuiteLoader().parse("name: x\nsteps: [{name: s, request: {path: /}, expect: " + expectation + "}]");
        var observation = new Observation(
                new ApiClient.Response(401, UNAUTHORIZED, Map.of("content-type", List.of("application/json")), 1),
                null,
                List.of(),
                false);
        var failures = ExpectationEvaluator.failures(suite.steps().get(0).expect(), observation);
        assertEquals(failure == null ? List.of() : List.of(failure), failures);
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', textBlock = """
            true  | true  |
            true  | false | connection: expected refused, got status 401
            false | true  | connection: expected an answer, got connection refused
            """)
    void aClosedPortIsAnExpectationOfItsOwn(boolean expectRefused, boolean refused, String failure) throws Exception {
        var suite = new SuiteLoader()
                .parse("name: x\nkubelets: [{name: n}]\nsteps: [{name: s, request: {kubelet: n, readOnlyPort: true, "
                        + "path: /}, expect: {connectionRefused: " + expectRefused + "}}]");
        var observation = refused
                ? Observation.unanswered(Observation.CONNECTION_REFUSED)
                : new Observation(new ApiClient.Response(401, "Unauthorized", Map.of(), 1), null, List.of(), false);
        var failures = ExpectationEvaluator.failures(suite.steps().get(0).expect(), observation);
        assertEquals(failure == null ? List.of() : List.of(failure), failures);
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {keys: 1}                                | 1 |                           |
            {keys: 1}                                | 0 |                           | etcd keys: expected 1, got 0
            {keys: 1}                                |   | tls: certificate required | etcd keys: expected 1, got error "tls: certificate required"
            {error: 'tls: certificate required'}     |   | tls: certificate required |
            {error: 'tls: certificate required'}     | 1 |                           | etcd error: expected "tls: certificate required", got (absent)
            """)
    void etcdReads(String expectation, Integer keys, String error, String failure) throws Exception {
        var suite = new SuiteLoader()
                .parse("name: x\nsteps: [{name: s, etcd: {get: /registry/namespaces/default}, expect: {etcd: "
                        + expectation + "}}]");
        var failures = ExpectationEvaluator.failures(
                suite.steps().get(0).expect(), Observation.etcd(new EtcdAnswer(keys, error)));
        assertEquals(failure == null ? List.of() : List.of(failure), failures);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{status: 200}|HTTP expectations on an etcd step",
                "{etcd: {keys: 1}}|etcd expectations on a step that is not an etcd read",
            })
    void etcdAndHttpExpectationsDoNotMix(String expectation, String failure) throws Exception {
        var steps = expectation.startsWith("{status") ? "etcd: {get: /k}" : "request: {path: /}";
        var suite = new SuiteLoader().parse("name: x\nsteps: [{name: s, " + steps + ", expect: " + expectation + "}]");
        var observation = expectation.startsWith("{status")
                ? Observation.etcd(new EtcdAnswer(1, null))
                : new Observation(new ApiClient.Response(200, "ok", Map.of(), 1), null, List.of(), false);
        assertEquals(
                List.of(failure),
                ExpectationEvaluator.failures(suite.steps().get(0).expect(), observation));
    }
}

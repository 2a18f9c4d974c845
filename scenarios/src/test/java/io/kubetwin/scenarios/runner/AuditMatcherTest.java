package io.kubetwin.scenarios.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.scenarios.model.SuiteLoader;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditMatcherTest {

    private static final String EVENT = """
            {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"x","stage":"ResponseComplete",
             "requestURI":"/api/v1/namespaces/default/pods?limit=500","verb":"list",
             "user":{"username":"system:anonymous","groups":["system:unauthenticated"]},"sourceIPs":["127.0.0.1"],
             "objectRef":{"resource":"pods","namespace":"default","apiVersion":"v1"},
             "responseStatus":{"metadata":{},"status":"Failure","message":"pods is forbidden","reason":"Forbidden","details":{"kind":"pods"},"code":403},
             "annotations":{"authorization.k8s.io/decision":"forbid","authorization.k8s.io/reason":""}}""";

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{stage: ResponseComplete, level: Request, verb: list, code: 403, reason: Forbidden}|",
                "{user: system:anonymous, groups: [system:unauthenticated]}|",
                "{objectRef: {resource: pods, namespace: default}}|",
                "{annotations: {authorization.k8s.io/decision: forbid, authorization.k8s.io/reason: ''}}|",
                "{requestObject: false, fields: {/responseStatus/details: {kind: pods}}}|",
                "{level: Metadata}|level \"Request\" != \"Metadata\"",
                "{stage: RequestReceived, code: 200}|stage \"ResponseComplete\" != \"RequestReceived\"; responseStatus.code 403 != 200",
                "{objectRef: {name: nginx}}|objectRef.name (absent) != \"nginx\"",
                "{annotations: {authorization.k8s.io/decision: allow}}|annotations.authorization.k8s.io/decision \"forbid\" !~ allow",
                "{requestObject: true}|requestObject absent",
                "{message: {regex: 'pods is .*'}}|",
            })
    void matches(String pattern, String mismatches) throws Exception {
        var suite = new SuiteLoader()
                .parse("name: x\nsteps: [{name: s, request: {path: /}, expect: {audit: {must: [" + pattern + "]}}}]");
        var match = suite.steps().get(0).expect().audit().must().get(0);
        var found = AuditMatcher.mismatches(match, new ObjectMapper().readTree(EVENT));
        assertEquals(mismatches == null ? List.of() : List.of(mismatches.split("; ")), found);
    }
}

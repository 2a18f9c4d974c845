package io.kubetwin.scenarios.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SuiteLoaderTest {

    private final SuiteLoader loader = new SuiteLoader();

    private static final String SUITE = """
            name: example
            pendingFor: {fake: "audit (issue 4)"}
            server:
              flags: [--anonymous-auth=false]
              tokens: [{token: t1, user: alice, uid: "7", groups: [a, b]}]
              auditPolicy: {apiVersion: audit.k8s.io/v1, kind: Policy, rules: [{level: Metadata}]}
            actors:
              - {name: me, kind: certificate, user: mynewuser, groups: [company], certificate: {validity: expired}}
              - {name: sa, kind: serviceAccount, user: builder, namespace: ci}
            setup:
              - {apiVersion: v1, kind: Namespace, metadata: {name: target-namespace}}
            steps:
              - name: one
                as: me
                request:
                  path: /api/v1/pods
                  headers: {Impersonate-Group: [g1, g2], Impersonate-User: bob}
                expect: &denied
                  status: 403
                  message: {regex: "pods is forbidden: .*"}
                  audit:
                    must: [{stage: ResponseComplete, code: 403, annotations: {authorization.k8s.io/decision: forbid}}]
              - name: two
                kubectl: get pods -n 'target namespace' -o "jsonpath={.items}"
                expect: *denied
            """;

    @Test
    void readsEveryPartOfASuite() throws IOException {
        var suite = loader.parse(SUITE);
        assertEquals("example", suite.name());
        assertEquals(List.of("--anonymous-auth=false"), suite.server().flags());
        assertEquals("t1,alice,7,\"a,b\"", suite.server().tokens().get(0).csvLine());
        assertTrue(suite.server().hasAudit());
        assertTrue(suite.server().customised());
        var me = suite.actor("me");
        assertEquals(Actor.Kind.CERTIFICATE, me.kind());
        assertEquals(Actor.CertificateOptions.Validity.expired, me.certificate().validity());
        assertEquals("system:serviceaccount:ci:builder", suite.actor("sa").username());
        assertEquals("system:anonymous", suite.actor("anonymous").username());
        var one = suite.steps().get(0);
        assertEquals(
                Map.of("Impersonate-Group", List.of("g1", "g2"), "Impersonate-User", List.of("bob")),
                one.request().headers());
        assertEquals(403, one.expect().status());
        assertEquals(TextMatch.Mode.REGEX, one.expect().message().mode());
        assertEquals(
                "forbid",
                one.expect()
                        .audit()
                        .must()
                        .get(0)
                        .annotations()
                        .get("authorization.k8s.io/decision")
                        .value());
        var two = suite.steps().get(1);
        assertEquals("admin", two.as());
        assertEquals(
                List.of("get", "pods", "-n", "target namespace", "-o", "jsonpath={.items}"),
                two.kubectl().args());
        assertEquals(403, two.expect().status(), "YAML aliases resolve");
        assertEquals("audit (issue 4)", suite.pendingOn("fake", one).orElseThrow());
        assertFalse(suite.pendingOn("reference", one).isPresent());
    }

    @Test
    void readsEtcdSteps() throws IOException {
        var suite = loader.parse("name: x\nsteps: [{name: a, etcd: {get: /registry/k, client: foreign-ca}, "
                + "expect: {etcd: {error: 'tls: certificate required'}}}, {name: b, etcd: {get: /registry/k}, "
                + "expect: {etcd: {keys: 1}}}]");
        var a = suite.steps().get(0);
        assertEquals(new EtcdRequest("/registry/k", EtcdRequest.Client.FOREIGN_CA), a.etcd());
        assertEquals(
                TextMatch.exact("tls: certificate required"), a.expect().etcd().error());
        var b = suite.steps().get(1);
        assertEquals(EtcdRequest.Client.APISERVER, b.etcd().client(), "the apiserver's certificate by default");
        assertEquals(1, b.expect().etcd().keys());
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of(
                        "steps: [{name: a, request: {path: /x}}, {name: a, request: {path: /y}}]",
                        "duplicate step name a"),
                Arguments.of("steps: [{name: a, as: nobody, request: {path: /x}}]", "unknown actor nobody"),
                Arguments.of(
                        "steps: [{name: a, request: {path: /x}, kubectl: get pods}]",
                        "exactly one of request, kubectl and etcd"),
                Arguments.of(
                        "steps: [{name: a, request: {path: /x}, etcd: {get: /registry/x}}]",
                        "exactly one of request, kubectl and etcd"),
                Arguments.of("steps: [{name: a, etcd: {client: none}}]", "an etcd step needs get: KEY"),
                Arguments.of("steps: [{name: a, etcd: {get: /k, client: nobody}}]", "NOBODY"),
                Arguments.of("steps: [{name: a, request: {path: /x}, expect: {stauts: 200}}]", "stauts"),
                Arguments.of("steps: [{name: a, request: {path: x}}]", "request path must start with '/'"),
                Arguments.of("actors: [{name: t, kind: token}]", "token actor t needs token"),
                Arguments.of(
                        "steps: [{name: a, request: {path: /x}, expect: {message: {glob: x}}}]",
                        "unknown mode 'glob'"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void rejectsMistakes(String yaml, String expectedMessagePart) {
        var e = assertThrows(Exception.class, () -> loader.parse("name: x\n" + yaml));
        var text =
                e.getMessage() + (e.getCause() == null ? "" : " " + e.getCause().getMessage());
        assertTrue(text.contains(expectedMessagePart), text);
    }
}

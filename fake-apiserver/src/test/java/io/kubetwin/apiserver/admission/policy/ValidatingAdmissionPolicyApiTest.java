package io.kubetwin.apiserver.admission.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubetwin.apiserver.audit.AuditOptions;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ValidatingAdmissionPolicy over TLS: the status, warnings and audit annotations kube-apiserver v1.34.4 answered
 * for the same policies and requests (recorded with ci/reference/run-reference.sh; the same cases run on both
 * targets in the validating-admission-policy conformance suite).
 */
class ValidatingAdmissionPolicyApiTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String POLICIES = "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies";
    private static final String BINDINGS = "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings";
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder()
            .config(b -> {
                Path policy = Files.writeString(dir.resolve("audit-policy.yaml"), """
                            apiVersion: audit.k8s.io/v1
                            kind: Policy
                            rules:
                            - level: Metadata
                              resources: [{group: "", resources: [configmaps]}]
                            - level: None
                            """);
                return b.audit(AuditOptions.defaults()
                        .withPolicyFile(policy)
                        .withLog(AuditOptions.LogOptions.defaults()
                                .withPath(dir.resolve("audit.log").toString())));
            })
            .build();

    private final ApiClient admin = cluster.admin();

    @BeforeAll
    static void policies() throws Exception {
        ApiClient admin = cluster.admin();
        for (String ns : List.of("deny", "warn", "params", "registry")) {
            created(admin.post("/api/v1/namespaces", json("""
                    {apiVersion: v1, kind: Namespace, metadata: {name: vap-%s, labels: {vap: %s, trusted-registry: %s}}}
                    """
                    // quoted: a bare no is YAML 1.1's false, which kube-apiserver refuses as a label value
                    .formatted(ns, ns, ns.equals("registry") ? "enforced" : "\"no\""))));
        }
        created(admin.post("/api/v1/namespaces/default/configmaps", json("""
                {apiVersion: v1, kind: ConfigMap, metadata: {name: limits}, data: {maxKeys: "1"}}""")));
        created(admin.post(POLICIES, json("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: cm-keys}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [configmaps]}
                  variables:
                  - {name: keys, expression: "has(object.data) ? object.data.size() : 0"}
                  validations:
                  - {expression: "variables.keys <= 2", message: at most two keys}
                  - expression: "!has(object.data) || !('forbidden' in object.data)"
                    messageExpression: "'configmap ' + object.metadata.name + ' has key forbidden'"
                  - {expression: "object.metadata.name != 'bad-name'", reason: Forbidden}
                  auditAnnotations:
                  - {key: keycount, valueExpression: "string(variables.keys)"}
                """)));
        for (String action : List.of("deny", "warn")) {
            created(admin.post(
                    BINDINGS, json("""
                    apiVersion: admissionregistration.k8s.io/v1
                    kind: ValidatingAdmissionPolicyBinding
                    metadata: {name: cm-keys-%s}
                    spec:
                      policyName: cm-keys
                      validationActions: %s
                      matchResources: {namespaceSelector: {matchLabels: {vap: %s}}}
                    """.formatted(action, action.equals("deny") ? "[Deny]" : "[Warn, Audit]", action))));
        }
        created(admin.post(POLICIES, json("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: cm-params}
                spec:
                  paramKind: {apiVersion: v1, kind: ConfigMap}
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
                  matchConditions:
                  - {name: not-limits, expression: "!object.metadata.name.startsWith('limits')"}
                  validations:
                  - expression: "object.data.size() <= int(params.data.maxKeys)"
                    messageExpression: "'too many keys: ' + string(object.data.size()) + ' > ' + params.data.maxKeys"
                """)));
        created(admin.post(BINDINGS, json("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: cm-params-b}
                spec:
                  policyName: cm-params
                  validationActions: [Deny]
                  paramRef: {name: limits, namespace: default, parameterNotFoundAction: Deny}
                  matchResources: {namespaceSelector: {matchLabels: {vap: params}}}
                """)));
        try (InputStream in =
                ValidatingAdmissionPolicyApiTest.class.getResourceAsStream("/admission/trusted-registry-policy.yaml")) {
            String[] docs = new String(in.readAllBytes()).split("(?m)^---$");
            created(admin.post(POLICIES, json(docs[0])));
            created(admin.post(BINDINGS, json(docs[1])));
        }
    }

    private static String json(String yaml) {
        try {
            return YAML.readTree(yaml).toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void created(ApiClient.Response r) {
        assertEquals(201, r.code(), r.body());
    }

    private static String configMap(String name, String data) {
        return json("{apiVersion: v1, kind: ConfigMap, metadata: {name: " + name + "}, data: " + data + "}");
    }

    @Test
    void aFailedValidationDeniesWithTheReferenceStatus() throws Exception {
        ApiClient.Response r =
                admin.post("/api/v1/namespaces/vap-deny/configmaps", configMap("three", "{a: '1', b: '2', c: '3'}"));
        String message =
                "ValidatingAdmissionPolicy 'cm-keys' with binding 'cm-keys-deny' denied request: at most two keys";
        assertEquals(422, r.code());
        assertEquals(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                        + "\"message\":\"configmaps \\\"three\\\" is forbidden: " + message
                        + "\",\"reason\":\"Invalid\","
                        + "\"details\":{\"name\":\"three\",\"kind\":\"configmaps\",\"causes\":[{\"message\":\""
                        + message
                        + "\"}]},\"code\":422}",
                new ObjectMapper().readTree(r.body()).toString());
        assertEquals(
                "3",
                auditAnnotations("vap-deny", "three").path("cm-keys/keycount").asText());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            forb     | {forbidden: '1'} | 422 | Invalid   | configmap forb has key forbidden
            bad-name | {a: '1'}         | 403 | Forbidden | failed expression: object.metadata.name != 'bad-name'
            """)
    void messageExpressionThenMessageThenTheExpression(String name, String data, int code, String reason, String text) {
        ApiClient.Response r = admin.post("/api/v1/namespaces/vap-deny/configmaps", configMap(name, data));
        assertEquals(code, r.code());
        assertEquals(reason, r.statusReason().orElse(""));
        assertEquals(
                "configmaps \"" + name + "\" is forbidden: ValidatingAdmissionPolicy 'cm-keys' with binding "
                        + "'cm-keys-deny' denied request: " + text,
                r.message());
    }

    @Test
    void warnAndAuditAdmitWithAWarningPerFailureAndTheFirstFailureAudited() throws Exception {
        ApiClient.Response r = admin.post(
                "/api/v1/namespaces/vap-warn/configmaps", configMap("bad-name", "{a: '1', b: '2', forbidden: '3'}"));
        assertEquals(201, r.code(), r.body());
        String prefix =
                "299 - \"Validation failed for ValidatingAdmissionPolicy 'cm-keys' with binding 'cm-keys-warn': ";
        assertEquals(
                List.of(
                        prefix + "at most two keys\"",
                        prefix + "configmap bad-name has key forbidden\"",
                        prefix + "failed expression: object.metadata.name != 'bad-name'\""),
                r.headers().get("Warning"));
        JsonNode annotations = auditAnnotations("vap-warn", "bad-name");
        assertEquals("3", annotations.path("cm-keys/keycount").asText());
        assertEquals(
                "[{\"message\":\"at most two keys\",\"policy\":\"cm-keys\",\"binding\":\"cm-keys-warn\","
                        + "\"expressionIndex\":0,\"validationActions\":[\"Warn\",\"Audit\"]}]",
                annotations
                        .path("validation.policy.admission.k8s.io/validation_failure")
                        .asText());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            two      | {a: '1', b: '2'} | 422 | too many keys: 2 > 1
            one      | {a: '1'}         | 201 |
            limits-x | {a: '1', b: '2'} | 201 |
            """)
    void paramsAndMatchConditions(String name, String data, int code, String text) {
        ApiClient.Response r = admin.post("/api/v1/namespaces/vap-params/configmaps", configMap(name, data));
        assertEquals(code, r.code(), r.body());
        if (text != null) {
            assertEquals(
                    "configmaps \"" + name + "\" is forbidden: ValidatingAdmissionPolicy 'cm-params' with binding "
                            + "'cm-params-b' denied request: " + text,
                    r.message());
        }
    }

    @Test
    void anEvaluationErrorDeniesInCelGosWords() {
        ApiClient.Response r = admin.post(
                "/api/v1/namespaces/vap-params/configmaps",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"nodata\"}}");
        assertEquals(422, r.code());
        assertEquals(
                "configmaps \"nodata\" is forbidden: ValidatingAdmissionPolicy 'cm-params' with binding 'cm-params-b' "
                        + "denied request: expression 'object.data.size() <= int(params.data.maxKeys)' resulted in "
                        + "error: no such key: data",
                r.message());
    }

    @Test
    void aPolicyThatDoesNotCompileIsRefusedAndNotStored() {
        ApiClient.Response r = admin.post(POLICIES, json("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: broken}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
                  validations:
                  - expression: "1 + 'a'"
                  - expression: "'abc'"
                """));
        assertEquals(422, r.code());
        assertEquals(
                "ValidatingAdmissionPolicy.admissionregistration.k8s.io \"broken\" is invalid: "
                        + "[spec.validations[0].expression: Invalid value: \"1 + 'a'\": compilation failed: ERROR: "
                        + "<input>:1:3: found no matching overload for '_+_' applied to '(int, string)'\n | 1 + 'a'\n"
                        + " | ..^, spec.validations[1].expression: Invalid value: \"'abc'\": must evaluate to bool but "
                        + "got string]",
                r.message());
        assertEquals(404, admin.get(POLICIES + "/broken").code());
    }

    /** The same verdicts as the reference gave for the same images (validating-admission-policy suite). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            myregistry.io/app                         | true
            myregistry.io:5000/team/app:1.0           | true
            myregistry.io/app:1.0@DIGEST              | true
            myregistry.io/app@DIGEST                  | true
            myregistry.io.malicious.com/app           | false
            myregistry.io@evil/app                    | false
            myregistry.io:443.evil.com/app            | false
            MYREGISTRY.IO/app                         | false
            myregistry.io/APP                         | false
            nginx                                     | false
            docker.io/library/nginx                   | false
            """)
    void theTrustedRegistryPolicy(String image, boolean allowed) {
        String ref = image.replace("DIGEST", DIGEST);
        String name = "p" + Integer.toHexString(ref.hashCode() & 0xfffffff);
        ApiClient.Response r = admin.post(
                "/api/v1/namespaces/vap-registry/pods",
                json("{apiVersion: v1, kind: Pod, metadata: {name: " + name
                        + "}, spec: {containers: [{name: c, image: '" + ref + "'}]}}"));
        if (allowed) {
            assertEquals(201, r.code(), r.body());
        } else {
            assertEquals(403, r.code(), r.body());
            assertEquals(
                    "pods \"" + name + "\" is forbidden: ValidatingAdmissionPolicy 'trusted-registry' with binding "
                            + "'trusted-registry' denied request: images outside the trusted registry myregistry.io: "
                            + ref,
                    r.message());
        }
    }

    @Test
    void initContainersCount() {
        ApiClient.Response init = admin.post("/api/v1/namespaces/vap-registry/pods", json("""
                {apiVersion: v1, kind: Pod, metadata: {name: init},
                 spec: {initContainers: [{name: i, image: busybox}], containers: [{name: c, image: myregistry.io/app}]}}"""));
        assertEquals(403, init.code());
        assertEquals(
                "pods \"init\" is forbidden: ValidatingAdmissionPolicy 'trusted-registry' with binding 'trusted-registry' "
                        + "denied request: images outside the trusted registry myregistry.io: busybox",
                init.message());
    }

    /** The annotations of the configmap create's ResponseComplete event (the log is written as requests end). */
    private static JsonNode auditAnnotations(String namespace, String name) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        for (int attempt = 0; attempt < 100; attempt++) {
            Path log = dir.resolve("audit.log");
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    JsonNode e = mapper.readTree(line);
                    if ("ResponseComplete".equals(e.path("stage").asText())
                            && "create".equals(e.path("verb").asText())
                            && namespace.equals(e.at("/objectRef/namespace").asText())
                            && name.equals(e.at("/objectRef/name").asText())) {
                        return e.path("annotations");
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no ResponseComplete event for " + namespace + "/" + name);
    }
}

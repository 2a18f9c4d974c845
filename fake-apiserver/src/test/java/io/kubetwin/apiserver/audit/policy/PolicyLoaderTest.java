package io.kubetwin.apiserver.audit.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubetwin.apiserver.audit.event.Level;
import io.kubetwin.apiserver.audit.event.Stage;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Decoding and validation cases beyond the reference recordings (ReferencePolicyLoadTest). */
class PolicyLoaderTest {
    private static final String HEAD = "apiVersion: audit.k8s.io/v1\nkind: Policy\n";

    @Test
    void decodesEveryField() throws Exception {
        Policy p = PolicyLoader.parse(HEAD + """
                omitStages: [RequestReceived]
                omitManagedFields: true
                rules:
                - level: RequestResponse
                  users: [alice]
                  userGroups: [dev]
                  verbs: [get, list]
                  resources:
                  - group: ""
                    resources: [pods, pods/log]
                    resourceNames: [p1]
                  namespaces: [default, ""]
                  omitStages: [Panic]
                  omitManagedFields: false
                - level: None
                  nonResourceURLs: ["/healthz*"]
                """).policy();
        assertEquals(
                Policy.builder()
                        .omitStages(Stage.REQUEST_RECEIVED)
                        .omitManagedFields(true)
                        .rule(AuditPolicyRule.level(Level.REQUEST_RESPONSE)
                                .users("alice")
                                .userGroups("dev")
                                .verbs("get", "list")
                                .resources(GroupResources.group("", "pods", "pods/log")
                                        .withNames("p1"))
                                .namespaces("default", "")
                                .omitStages(Stage.PANIC)
                                .omitManagedFields(false))
                        .rule(AuditPolicyRule.level(Level.NONE).nonResourceURLs("/healthz*"))
                        .build(),
                p);
    }

    @Test
    void jsonIsAccepted() throws Exception {
        Policy p = PolicyLoader.parse(
                        "{\"apiVersion\":\"audit.k8s.io/v1\",\"kind\":\"Policy\",\"rules\":[{\"level\":\"Metadata\"}]}")
                .policy();
        assertEquals(
                Policy.builder().rule(AuditPolicyRule.level(Level.METADATA)).build(), p);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(
                        HEAD + "rules:\n- level: Request\n  resources: [{group: apps, resourceNames: [x]}]\n",
                        "rules[0].resources.resourceNames: Invalid value: [\"x\"]: using resourceNames requires at least one resource"),
                Arguments.of(
                        HEAD + "rules:\n- level: Request\n  nonResourceURLs: [\"<x>\"]\n",
                        "rules[0].nonResourceURLs[0]: Invalid value: \"<x>\": non-resource URL rules must begin with a '/' character"),
                Arguments.of(
                        HEAD + "rules:\n- level: \"<b>\"\n",
                        "rules[0].level: Unsupported value: \"\\u003cb\\u003e\": supported values: \"None\", \"Metadata\", \"Request\", \"RequestResponse\""),
                Arguments.of(
                        HEAD
                                + "rules:\n- level: Metadata\n- level: Metadata\n  omitStages: [x]\n- level: Metadata\n  omitStages: [x]\n",
                        "[rules[1].omitStages[0]: Invalid value: \"x\": allowed stages are RequestReceived,ResponseStarted,ResponseComplete,Panic, "
                                + "rules[2].omitStages[0]: Invalid value: \"x\": allowed stages are RequestReceived,ResponseStarted,ResponseComplete,Panic]"),
                Arguments.of(
                        HEAD + "rules:\n- level: Metadata\n  verbs: [get, {}]\n",
                        "failed decoding: json: cannot unmarshal object into Go struct field PolicyRule.rules.verbs of type string"),
                Arguments.of(
                        HEAD + "rules:\n- level: Metadata\n  users: [yes]\n",
                        "failed decoding: json: cannot unmarshal bool into Go struct field PolicyRule.rules.users of type string"),
                Arguments.of(
                        "apiVersion: 1\nkind: Policy\n",
                        "failed decoding: couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .apiVersion of type string"),
                Arguments.of(
                        "{\"apiVersion\": \"audit.k8s.io/v1\"",
                        "failed decoding: couldn't get version/kind; json parse error: unexpected end of JSON input"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusedInUpstreamWords(String document, String message) {
        PolicyLoadException e = assertThrows(PolicyLoadException.class, () -> PolicyLoader.parse(document));
        assertEquals(message, e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path missing = Path.of("/nonexistent/policy.yaml");
        PolicyLoadException e = assertThrows(PolicyLoadException.class, () -> PolicyLoader.load(missing));
        assertEquals(
                "loading audit policy file: failed to read file path \"/nonexistent/policy.yaml\": "
                        + "open /nonexistent/policy.yaml: no such file or directory",
                e.getMessage());
    }

    @Test
    void yamlOneOneBooleansAreBooleans() throws Exception {
        Policy p = PolicyLoader.parse(HEAD + "omitManagedFields: yes\nrules:\n- level: Metadata\n  users: [\"yes\"]\n")
                .policy();
        assertEquals(true, p.omitManagedFields());
        assertEquals(List.of("yes"), p.rules().get(0).users());
    }

    @Test
    void javaPoliciesAreValidatedToo() {
        Policy p = Policy.builder()
                .rule(AuditPolicyRule.level(Level.METADATA)
                        .nonResourceURLs("/a")
                        .namespaces("x"))
                .build();
        assertEquals(
                List.of(
                        "rules[0].nonResourceURLs: Invalid value: [\"/a\"]: rules cannot apply to both regular resources "
                                + "and non-resource URLs"),
                PolicyValidator.validate(p));
    }
}

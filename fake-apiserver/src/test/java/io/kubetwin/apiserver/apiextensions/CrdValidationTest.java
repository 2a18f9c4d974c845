package io.kubetwin.apiserver.apiextensions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.validation.FieldError;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CRD validation (after the v1 defaults and PrepareForCreate the registry applies) against the 422 causes the
 * reference (kube-apiserver v1.34.4) answered for the same CRDs. Metadata checks are the registry's and not
 * part of these lists.
 */
class CrdValidationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STRUCT = "{\"Name\":\"%s\",\"Served\":true,\"Storage\":%s,\"Deprecated\":false,"
            + "\"DeprecationWarning\":null,\"Schema\":null,\"Subresources\":null,\"AdditionalPrinterColumns\":null,\"SelectableFields\":null}";
    private static final String DNS1035 =
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
                    + "an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
                    + "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    static ObjectNode crd(Consumer<ObjectNode> change) {
        try {
            ObjectNode crd = (ObjectNode) JSON.readTree("""
                    {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"gadgets.example.com"},
                     "spec":{"group":"example.com","names":{"kind":"Gadget","plural":"gadgets","singular":"gadget","listKind":"GadgetList"},
                      "scope":"Namespaced","versions":[{"name":"v1","served":true,"storage":true,
                        "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}""");
            change.accept(crd);
            CrdStrategy strategy = new CrdStrategy(Clock.systemUTC());
            strategy.applyDefaults(crd);
            strategy.prepareForCreate(crd);
            return crd;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode spec(ObjectNode crd) {
        return (ObjectNode) crd.get("spec");
    }

    static ObjectNode version(ObjectNode crd, int i) {
        return (ObjectNode) crd.get("spec").get("versions").get(i);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "name mismatch",
                        crd(c -> ((ObjectNode) c.get("metadata")).put("name", "gadget.example.com")),
                        List.of(
                                "metadata.name: Invalid value: \"gadget.example.com\": must be spec.names.plural+\".\"+spec.group")),
                Arguments.of(
                        "group without a dot",
                        crd(c -> {
                            spec(c).put("group", "example");
                            ((ObjectNode) c.get("metadata")).put("name", "gadgets.example");
                        }),
                        List.of("spec.group: Invalid value: \"example\": should be a domain with at least one dot")),
                Arguments.of(
                        "no storage version",
                        crd(c -> version(c, 0).put("storage", false)),
                        List.of(
                                "spec.versions: Invalid value: [" + STRUCT.formatted("v1", false)
                                        + "]: must have exactly one " + "version marked as storage version",
                                "status.storedVersions: Invalid value: null: must have at least "
                                        + "one stored version")),
                Arguments.of(
                        "two storage versions",
                        crd(c -> ((ArrayNode) spec(c).get("versions"))
                                .add(version(c, 0).deepCopy().put("name", "v2"))),
                        List.of(
                                "spec.versions: Invalid value: [" + STRUCT.formatted("v1", true) + ","
                                        + STRUCT.formatted("v2", true)
                                        + "]: must have exactly one version marked as storage version",
                                "status.storedVersions: Invalid value: [\"v1\"]: must have the storage version v2")),
                Arguments.of(
                        "no versions",
                        crd(c -> spec(c).putArray("versions")),
                        List.of(
                                "spec.versions: Invalid value: []: must have exactly one version marked as storage version",
                                "status.storedVersions: Invalid value: null: must have at least one stored version")),
                Arguments.of(
                        "no schema",
                        crd(c -> version(c, 0).remove("schema")),
                        List.of("spec.versions[0].schema.openAPIV3Schema: Required value")),
                Arguments.of(
                        "bad scope",
                        crd(c -> spec(c).put("scope", "Global")),
                        List.of(
                                "spec.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\"")),
                Arguments.of(
                        "no kind",
                        crd(c -> ((ObjectNode) spec(c).get("names")).remove("kind")),
                        List.of("spec.names.kind: Required value")),
                Arguments.of(
                        "upper-case plural",
                        crd(c -> {
                            ((ObjectNode) spec(c).get("names")).put("plural", "Gadgets");
                            ((ObjectNode) c.get("metadata")).put("name", "Gadgets.example.com");
                        }),
                        List.of("spec.names.plural: Invalid value: \"Gadgets\": " + DNS1035)),
                Arguments.of(
                        "schema without a type",
                        crd(c -> version(c, 0)
                                .set(
                                        "schema",
                                        JSON.createObjectNode()
                                                .set(
                                                        "openAPIV3Schema",
                                                        JSON.createObjectNode()
                                                                .set(
                                                                        "properties",
                                                                        JSON.createObjectNode()
                                                                                .set(
                                                                                        "spec",
                                                                                        JSON.createObjectNode()
                                                                                                .put(
                                                                                                        "type",
                                                                                                        "object")))))),
                        List.of("spec.validation.openAPIV3Schema.type: Required value: must not be empty at the root")),
                Arguments.of(
                        "upper-case version",
                        crd(c -> version(c, 0).put("name", "V1")),
                        List.of(
                                "spec.versions[0].name: Invalid value: \"V1\": " + DNS1035,
                                "spec.version: Invalid value: \"V1\": " + DNS1035)),
                Arguments.of(
                        "duplicate version",
                        crd(c -> ((ArrayNode) spec(c).get("versions"))
                                .add(version(c, 0).deepCopy().put("storage", false))),
                        List.of("spec.versions: Invalid value: [" + STRUCT.formatted("v1", true) + ","
                                + STRUCT.formatted("v1", false) + "]: must contain unique version names")),
                Arguments.of(
                        "protected group",
                        crd(c -> {
                            spec(c).put("group", "foo.k8s.io");
                            ((ObjectNode) c.get("metadata")).put("name", "gadgets.foo.k8s.io");
                        }),
                        List.of(
                                "metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval "
                                        + "annotation \"api-approved.kubernetes.io\", see https://github.com/kubernetes/enhancements/pull/1111")),
                Arguments.of(
                        "empty spec",
                        crd(c -> c.putObject("spec")),
                        List.of(
                                "metadata.name: Invalid value: \"gadgets.example.com\": must be spec.names.plural+\".\"+spec.group",
                                "spec.group: Required value",
                                "spec.scope: Required value",
                                "spec.versions: Invalid value: null: must have exactly one version marked as storage version",
                                "spec.names.plural: Required value",
                                "spec.names.singular: Required value",
                                "spec.names.kind: Required value",
                                "spec.names.listKind: Required value",
                                "status.storedVersions: Invalid value: null: must have at least one stored version")),
                Arguments.of(
                        "valid, with defaults",
                        crd(c -> ((ObjectNode) spec(c).get("names")).remove(List.of("singular", "listKind"))),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validate(String name, ObjectNode crd, List<String> expected) {
        assertEquals(
                expected,
                CrdValidation.validateCreate(crd).stream()
                        .map(FieldError::toString)
                        .toList());
    }
}

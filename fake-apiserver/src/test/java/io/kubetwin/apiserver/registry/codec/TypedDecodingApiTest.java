package io.kubetwin.apiserver.registry.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Request bodies of built-in kinds decoded through their Go types over TLS, and {@code fieldValidation}: every
 * status and text recorded from kube-apiserver v1.34.4 with curl (dryRun=All creates).
 */
class TypedDecodingApiTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments?dryRun=All";
    private static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps?dryRun=All";

    /** A Deployment with {@code spec} fields before the selector and {@code container} fields after the image. */
    private static String deployment(String spec, String container) {
        return "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\"},\"spec\":{" + spec
                + "\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"" + container + "}]}}}}";
    }

    private static String configMap(String metadata, String rest) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"" + metadata + "}" + rest
                + "}";
    }

    private static ApiClient.Response post(String path, String body) {
        return cluster.admin().send("POST", path, body, "application/json");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "\"replicas\":\"3\",                                  | | json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
                "\"replicas\":1.5,                                    | | json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32",
                "\"replicas\":true,                                   | | json: cannot unmarshal bool into Go struct field DeploymentSpec.spec.replicas of type int32",
                "\"replicas\":{},                                     | | json: cannot unmarshal object into Go struct field DeploymentSpec.spec.replicas of type int32",
                "\"replicas\":[],                                     | | json: cannot unmarshal array into Go struct field DeploymentSpec.spec.replicas of type int32",
                "\"strategy\":{\"rollingUpdate\":{\"maxSurge\":true}}, | | json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32",
                "\"strategy\":{\"rollingUpdate\":{\"maxSurge\":{}}},   | | json: cannot unmarshal object into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32",
                "\"strategy\":{\"rollingUpdate\":{\"maxSurge\":1.5}},  | | json: cannot unmarshal number 1.5 into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32",
                "\"paused\":\"yes\",                                  | | json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool",
                "\"selector\":[],                                     | | json: cannot unmarshal array into Go struct field DeploymentSpec.spec.selector of type v1.LabelSelector",
                " | ,\"ports\":[{\"containerPort\":\"80\"}]      | json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32",
                " | ,\"ports\":{}                                | json: cannot unmarshal object into Go struct field Container.spec.template.spec.containers.ports of type []v1.ContainerPort",
                " | ,\"image\":true                              | json: cannot unmarshal bool into Go struct field Container.spec.template.spec.containers.image of type string",
                " | ,\"command\":[[\"a\"]]                       | json: cannot unmarshal array into Go struct field Container.spec.template.spec.containers.command of type string",
                " | ,\"command\":[1]                             | json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.command of type string",
                " | ,\"resources\":{\"limits\":{\"cpu\":true}}   | quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
                " | ,\"resources\":{\"limits\":{\"cpu\":\"abc\"}} | quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
                " | ,\"resources\":{\"limits\":{\"cpu\":{}}}     | quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
                " | ,\"resources\":{\"limits\":[]}               | json: cannot unmarshal array into Go struct field ResourceRequirements.spec.template.spec.containers.resources.limits of type v1.ResourceList",
                " | ,\"env\":[{\"name\":\"a\",\"value\":1}]      | json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string",
                " | ,\"livenessProbe\":{\"httpGet\":{\"port\":true}} | json: cannot unmarshal bool into Go struct field HTTPGetAction.spec.template.spec.containers.livenessProbe.httpGet.port of type int32"
            })
    void aDeploymentFieldOfTheWrongTypeIsGosTypeError(String spec, String container, String why) {
        ApiClient.Response r = post(
                DEPLOYMENTS, deployment(spec == null ? "" : spec.strip(), container == null ? "" : container.strip()));
        assertEquals(400, r.code(), r.body());
        assertEquals("BadRequest", r.statusReason().orElseThrow());
        assertEquals("Deployment in version \"v1\" cannot be handled as a Deployment: " + why.strip(), r.message());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                ",\"creationTimestamp\":5          | | json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string",
                ",\"creationTimestamp\":{}         | | json: cannot unmarshal object into Go struct field ObjectMeta.metadata.creationTimestamp of type string",
                ",\"creationTimestamp\":\"abc\"    | | parsing time \"abc\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"abc\" as \"2006\"",
                ",\"creationTimestamp\":\"2020-01-01\" | | parsing time \"2020-01-01\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"T\"",
                ",\"creationTimestamp\":\"2020-13-01T00:00:00Z\" | | parsing time \"2020-13-01T00:00:00Z\": month out of range",
                ",\"labels\":[]                    | | json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string",
                ",\"labels\":{\"a\":1}             | | json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
                ",\"finalizers\":\"x\"             | | json: cannot unmarshal string into Go struct field ObjectMeta.metadata.finalizers of type []string",
                ",\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"x\",\"name\":\"n\",\"uid\":\"u\",\"controller\":\"yes\"}] | | json: cannot unmarshal string into Go struct field OwnerReference.metadata.ownerReferences.controller of type bool",
                ",\"generation\":\"1\"             | | json: cannot unmarshal string into Go struct field ObjectMeta.metadata.generation of type int64",
                ",\"deletionGracePeriodSeconds\":1.0 | | json: cannot unmarshal number 1.0 into Go struct field ObjectMeta.metadata.deletionGracePeriodSeconds of type int64",
                ",\"generation\":1e3               | | json: cannot unmarshal number 1e3 into Go struct field ObjectMeta.metadata.generation of type int64",
                ",\"generation\":10000000000000000000000 | | json: cannot unmarshal number 10000000000000000000000 into Go struct field ObjectMeta.metadata.generation of type int64",
                " | ,\"binaryData\":{\"a\":\"!!\"}  | illegal base64 data at input byte 0",
                " | ,\"binaryData\":{\"a\":1}       | json: cannot unmarshal number into Go struct field ConfigMap.binaryData of type []uint8",
                " | ,\"immutable\":1               | json: cannot unmarshal number into Go struct field ConfigMap.immutable of type bool",
                " | ,\"data\":5,\"foo\":1           | json: cannot unmarshal number into Go struct field ConfigMap.data of type map[string]string"
            })
    void aConfigMapFieldOfTheWrongTypeIsGosTypeError(String metadata, String rest, String why) {
        for (String validation : List.of("", "&fieldValidation=Strict", "&fieldValidation=Ignore")) {
            ApiClient.Response r = post(
                    CONFIGMAPS + validation,
                    configMap(metadata == null ? "" : metadata.strip(), rest == null ? "" : rest.strip()));
            assertEquals(400, r.code(), r.body());
            assertEquals("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: " + why.strip(), r.message());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                ",\"foo\":1 | ,\"bar\":2 | unknown field \"metadata.foo\"; unknown field \"bar\"",
                ",\"name\":\"x2\" | | duplicate field \"metadata.name\"",
                ",\"labels\":{\"a\":\"b\"},\"labels\":{\"c\":\"d\"} | ,\"data\":{\"a\":\"1\",\"a\":\"2\"} | duplicate field \"metadata.labels\"; duplicate field \"data.a\"",
                " | ,\"data\":{\"a\":\"1\"},\"foo\":{\"x\":1},\"data\":{} | unknown field \"foo\"; duplicate field \"data\"",
                ",\"managedFields\":[{\"manager\":\"m\",\"operation\":\"Apply\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:x\":5},\"bogus\":1}] | | unknown field \"metadata.managedFields[0].bogus\"",
                " | ,\"Data\":{\"a\":\"b\"} | unknown field \"Data\"",
                ",\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"x\",\"name\":\"n\",\"uid\":\"u\",\"x\":1}] | | unknown field \"metadata.ownerReferences[0].x\""
            })
    void unknownAndDuplicateFieldsFollowFieldValidation(String metadata, String rest, String errors) {
        String body = configMap(metadata == null ? "" : metadata.strip(), rest == null ? "" : rest.strip());
        List<String> expected = List.of(errors.strip().split("; "));
        for (String warn : List.of("", "&fieldValidation=Warn")) {
            ApiClient.Response r = post(CONFIGMAPS + warn, body);
            assertEquals(201, r.code(), r.body());
            assertEquals(
                    expected.stream()
                            .map(e -> "299 - \"" + e.replace("\"", "\\\"") + "\"")
                            .toList(),
                    r.headers().getOrDefault("warning", List.of()));
        }
        ApiClient.Response strict = post(CONFIGMAPS + "&fieldValidation=Strict", body);
        assertEquals(400, strict.code(), strict.body());
        assertEquals(
                "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: "
                        + String.join(", ", expected),
                strict.message());
        ApiClient.Response ignore = post(CONFIGMAPS + "&fieldValidation=Ignore", body);
        assertEquals(201, ignore.code(), ignore.body());
        assertFalse(ignore.headers().containsKey("warning"), ignore.headers().toString());
    }

    @Test
    void unknownFieldsAreDroppedAndNullsAccepted() {
        ApiClient.Response r = post(
                DEPLOYMENTS, deployment("\"replicas\":null,\"foo\":1,", ",\"resources\":{\"limits\":{\"cpu\":1}}"));
        assertEquals(201, r.code(), r.body());
        assertFalse(r.json().get("spec").has("foo"), r.body());
        assertEquals(
                List.of("299 - \"unknown field \\\"spec.foo\\\"\""), r.headers().getOrDefault("warning", List.of()));
    }

    @Test
    void anUnsupportedFieldValidationIsTheOptionsError() {
        ApiClient.Response r = post(CONFIGMAPS + "&fieldValidation=bogus", configMap("", ""));
        assertEquals(422, r.code(), r.body());
        assertEquals(
                "CreateOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"bogus\": supported "
                        + "values: \"\", \"Ignore\", \"Strict\", \"Warn\"",
                r.message());
    }

    @Test
    void aYamlBodysDuplicateKeysAreGoYamlsStrictErrors() {
        String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y1\n  name: y1\ndata:\n  a: \"1\"\n"
                + "  a: \"1\"\nfoo: 1\n";
        ApiClient.Response r = cluster.admin().send("POST", CONFIGMAPS, yaml, "application/yaml");
        assertEquals(201, r.code(), r.body());
        assertEquals(
                List.of(
                        "299 - \"line 5: key \\\"name\\\" already set in map\"",
                        "299 - \"line 8: key \\\"a\\\" already set in map\"",
                        "299 - \"unknown field \\\"foo\\\"\""),
                r.headers().getOrDefault("warning", List.of()));
        r = cluster.admin().send("POST", CONFIGMAPS + "&fieldValidation=Strict", yaml, "application/yaml");
        assertEquals(400, r.code(), r.body());
        assertEquals(
                "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: yaml: unmarshal "
                        + "errors:\n  line 5: key \"name\" already set in map\n  line 8: key \"a\" already set in map, "
                        + "unknown field \"foo\"",
                r.message());
        r = cluster.admin()
                .send(
                        "POST",
                        CONFIGMAPS,
                        "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"y1\", \"name\": \"y1\"}}",
                        "application/yaml");
        assertEquals(201, r.code(), r.body());
        assertEquals(
                List.of("299 - \"line 1: key \\\"name\\\" already set in map\""),
                r.headers().getOrDefault("warning", List.of()));
    }

    @Test
    void anApplysDuplicateKeysAreWarningsAndUnderStrictA400() {
        String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ap1\ndata:\n  a: \"1\"\n  a: \"2\"\n"
                + "  b: \"1\"\n  b: \"3\"\n";
        String path = "/api/v1/namespaces/default/configmaps/ap1?dryRun=All&fieldManager=m";
        ApiClient.Response r = cluster.admin().patch(path, yaml, "application/apply-patch+yaml");
        assertEquals(201, r.code(), r.body());
        assertEquals(
                List.of(
                        "299 - \"line 7: key \\\"a\\\" already set in map\"",
                        "299 - \"line 9: key \\\"b\\\" already set in map\""),
                r.headers().getOrDefault("warning", List.of()));
        r = cluster.admin().patch(path + "&fieldValidation=Strict", yaml, "application/apply-patch+yaml");
        assertEquals(400, r.code(), r.body());
        assertEquals(
                "error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 7: key "
                        + "\"a\" already set in map\n  line 9: key \"b\" already set in map",
                r.message());
        r = cluster.admin().patch(path + "&fieldValidation=Ignore", yaml, "application/apply-patch+yaml");
        assertEquals(201, r.code(), r.body());
        assertFalse(r.headers().containsKey("warning"), r.headers().toString());
    }

    @Test
    void aCustomResourcesUnknownAndDuplicateFieldsFollowFieldValidation() throws InterruptedException {
        ApiClient.Response crd = post(
                "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\",\"metadata\":{"
                        + "\"name\":\"widgets.typed.example.com\"},\"spec\":{\"group\":\"typed.example.com\",\"names\":{"
                        + "\"plural\":\"widgets\",\"singular\":\"widget\",\"kind\":\"Widget\",\"listKind\":\"WidgetList\"},"
                        + "\"scope\":\"Namespaced\",\"versions\":[{\"name\":\"v1\",\"served\":true,\"storage\":true,"
                        + "\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\",\"properties\":{\"spec\":{\"type\":"
                        + "\"object\",\"properties\":{\"size\":{\"type\":\"integer\"},\"free\":{\"type\":\"object\","
                        + "\"x-kubernetes-preserve-unknown-fields\":true}}}}}}}]}}");
        assertEquals(201, crd.code(), crd.body());
        String widgets = "/apis/typed.example.com/v1/namespaces/default/widgets?dryRun=All";
        String unknown = "{\"apiVersion\":\"typed.example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w1\","
                + "\"foo\":1},\"spec\":{\"size\":1,\"bar\":2,\"free\":{\"x\":1}},\"top\":1}";
        ApiClient.Response r = post(widgets, unknown);
        for (int i = 0; i < 50 && r.code() == 404; i++) {
            Thread.sleep(100); // the CRD's endpoint is served once it is established
            r = post(widgets, unknown);
        }
        assertEquals(201, r.code(), r.body());
        assertEquals(
                List.of(
                        "299 - \"unknown field \\\"metadata.foo\\\"\"",
                        "299 - \"unknown field \\\"spec.bar\\\"\"",
                        "299 - \"unknown field \\\"top\\\"\""),
                r.headers().getOrDefault("warning", List.of()));
        r = post(widgets + "&fieldValidation=Strict", unknown);
        assertEquals(400, r.code(), r.body());
        assertEquals(
                "Widget in version \"v1\" cannot be handled as a Widget: strict decoding error: unknown field "
                        + "\"metadata.foo\", unknown field \"spec.bar\", unknown field \"top\"",
                r.message());
        r = post(
                widgets + "&fieldValidation=Strict",
                "{\"apiVersion\":\"typed.example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w1\",\"name\":"
                        + "\"w1\"},\"spec\":{\"size\":1,\"size\":2}}");
        assertEquals(400, r.code(), r.body());
        assertEquals(
                "Widget in version \"v1\" cannot be handled as a Widget: strict decoding error: duplicate field "
                        + "\"metadata.name\", duplicate field \"spec.size\"",
                r.message());
        r = post(
                widgets + "&fieldValidation=Ignore",
                "{\"apiVersion\":\"typed.example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w1\","
                        + "\"generation\":\"x\"}}");
        assertEquals(400, r.code(), r.body());
        assertEquals(
                "Widget in version \"v1\" cannot be handled as a Widget: json: cannot unmarshal string into Go struct "
                        + "field ObjectMeta.generation of type int64",
                r.message());
        r = post(widgets + "&fieldValidation=Ignore", unknown);
        assertEquals(201, r.code(), r.body());
        assertFalse(r.headers().containsKey("warning"), r.headers().toString());
    }
}

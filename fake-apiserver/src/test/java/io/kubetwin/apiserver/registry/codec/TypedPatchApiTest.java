package io.kubetwin.apiserver.registry.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Patched objects of built-in kinds decoded back into their Go types, and {@code fieldValidation} on patches, over
 * TLS; every status and text recorded from kube-apiserver v1.34.4 with curl (dryRun=All patches).
 */
class TypedPatchApiTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private static final String CONFIGMAP = "/api/v1/namespaces/default/configmaps/p1?dryRun=All";
    private static final String DEPLOYMENT = "/apis/apps/v1/namespaces/default/deployments/pd?dryRun=All";
    private static final String MERGE = "application/merge-patch+json";
    private static final String STRATEGIC = "application/strategic-merge-patch+json";
    private static final String JSON_PATCH = "application/json-patch+json";

    @BeforeAll
    static void objects() {
        assertEquals(
                201,
                cluster.admin()
                        .post(
                                "/api/v1/namespaces/default/configmaps",
                                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"p1\"},"
                                        + "\"data\":{\"a\":\"1\"}}")
                        .code());
        assertEquals(
                201,
                cluster.admin()
                        .post(
                                "/apis/apps/v1/namespaces/default/deployments",
                                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"pd\"},"
                                        + "\"spec\":{\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"template\":{"
                                        + "\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":{\"containers\":[{"
                                        + "\"name\":\"c\",\"image\":\"nginx\"}]}}}}")
                        .code());
    }

    private static ApiClient.Response patch(String path, String type, String body) {
        return cluster.admin().patch(path, body, type);
    }

    private static List<String> warnings(ApiClient.Response r) {
        return r.headers().getOrDefault("warning", List.of());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{\"spec\":{\"replicas\":\"3\"}} | map[spec:map[replicas:3]] | unrecognized type: int32",
                "{\"spec\":{\"replicas\":1.5}} | map[spec:map[replicas:1.5]] | cannot convert float64 to int32",
                "{\"spec\":{\"paused\":\"x\"}} | map[spec:map[paused:x]] | unrecognized type: bool",
                "{\"spec\":{\"selector\":[]}} | map[spec:map[selector:[]]] | cannot restore struct from: slice",
                "{\"spec\":{\"strategy\":{\"rollingUpdate\":{\"maxSurge\":true}}}} | map[spec:map[strategy:map[rollingUpdate:map[maxSurge:true]]]] | json: cannot unmarshal bool into Go value of type int32",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":5}]}}}} | map[spec:map[template:map[spec:map[containers:[map[image:5 name:c]]]]]] | cannot convert int64 to string",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":{\"limits\":{\"cpu\":\"abc\"}}}]}}}} | map[spec:map[template:map[spec:map[containers:[map[name:c resources:map[limits:map[cpu:abc]]]]]]]] | quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
                "{\"metadata\":{\"creationTimestamp\":\"abc\"}} | map[metadata:map[creationTimestamp:abc]] | parsing time \"abc\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"abc\" as \"2006\"",
                "{\"metadata\":{\"labels\":{\"a\":{}}}} | map[metadata:map[labels:map[a:map[]]]] | unrecognized type: string",
                "{\"metadata\":{\"finalizers\":\"x\"}} | map[metadata:map[finalizers:x]] | cannot restore slice from string",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":{\"a\":1}}}}} | map[spec:map[template:map[spec:map[containers:map[a:1]]]]] | cannot restore slice from map",
                "{\"spec\":{\"foo\":1,\"replicas\":\"3\"}} | map[spec:map[foo:1 replicas:3]] | unrecognized type: int32"
            })
    void aStrategicMergePatchOfTheWrongTypeIsTheConvertersError(String body, String value, String why) {
        ApiClient.Response r = patch(DEPLOYMENT, STRATEGIC, body.strip());
        assertEquals(422, r.code(), r.body());
        assertEquals("Invalid", r.statusReason().orElseThrow());
        assertEquals(" \"\" is invalid: patch: Invalid value: \"" + value.strip() + "\": " + why.strip(), r.message());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "application/merge-patch+json | {\"data\":{\"b\":1}}",
                "application/json-patch+json  | [{\"op\":\"add\",\"path\":\"/data/b\",\"value\":1}]"
            })
    void aJsonOrMergePatchOfTheWrongTypeShowsThePatchedObject(String type, String body) {
        for (String validation : List.of("", "&fieldValidation=Strict", "&fieldValidation=Ignore")) {
            ApiClient.Response r = patch(CONFIGMAP + validation, type.strip(), body.strip());
            assertEquals(422, r.code(), r.body());
            String message = r.message();
            assertTrue(
                    message.startsWith(
                            " \"\" is invalid: patch: Invalid value: \"{\\\"apiVersion\\\":\\\"v1\\\","
                                    + "\\\"data\\\":{\\\"a\\\":\\\"1\\\",\\\"b\\\":1},\\\"kind\\\":\\\"ConfigMap\\\","
                                    + "\\\"metadata\\\":{\\\"name\\\":\\\"p1\\\",\\\"namespace\\\":\\\"default\\\",\\\"uid\\\":"),
                    message);
            assertTrue(
                    message.endsWith(
                            "\": json: cannot unmarshal number into Go struct field ConfigMap.data of type string"),
                    message);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "application/merge-patch+json           | {\"foo\":1,\"data\":{\"b\":\"1\",\"b\":\"2\"}}",
                "application/strategic-merge-patch+json | {\"foo\":1,\"data\":{\"b\":\"1\",\"b\":\"2\"}}"
            })
    void unknownAndDuplicateFieldsOfAPatchAreWarnings(String type, String body) {
        ApiClient.Response r = patch(CONFIGMAP, type.strip(), body.strip());
        assertEquals(200, r.code(), r.body());
        assertEquals(
                List.of("299 - \"duplicate field \\\"data.b\\\"\"", "299 - \"unknown field \\\"foo\\\"\""),
                warnings(r));
        r = patch(CONFIGMAP + "&fieldValidation=Ignore", type.strip(), body.strip());
        assertEquals(200, r.code(), r.body());
        assertFalse(r.headers().containsKey("warning"), r.headers().toString());
    }

    @Test
    void underStrictAStrategicMergePatchReportsBothItsDuplicatesAndTheUnknownFields() {
        ApiClient.Response r = patch(
                CONFIGMAP + "&fieldValidation=Strict", STRATEGIC, "{\"foo\":1,\"data\":{\"b\":\"1\",\"b\":\"2\"}}");
        assertEquals(422, r.code(), r.body());
        assertEquals(
                " \"\" is invalid: patch: Invalid value: \"map[data:map[b:2] foo:1]\": strict decoding error: "
                        + "duplicate field \"data.b\", unknown field \"foo\"",
                r.message());
    }

    @Test
    void aJsonPatchAddingAnUnknownFieldIsAWarningAndUnderStrictThe422() {
        String body = "[{\"op\":\"add\",\"path\":\"/foo\",\"value\":1}]";
        ApiClient.Response r = patch(CONFIGMAP, JSON_PATCH, body);
        assertEquals(200, r.code(), r.body());
        assertEquals(List.of("299 - \"unknown field \\\"foo\\\"\""), warnings(r));
        r = patch(CONFIGMAP + "&fieldValidation=Strict", JSON_PATCH, body);
        assertEquals(422, r.code(), r.body());
        assertTrue(
                r.message()
                        .startsWith(" \"\" is invalid: patch: Invalid value: \"{\\\"apiVersion\\\":\\\"v1\\\","
                                + "\\\"data\\\":{\\\"a\\\":\\\"1\\\"},\\\"foo\\\":1,\\\"kind\\\":\\\"ConfigMap\\\","),
                r.message());
        assertTrue(r.message().endsWith("\": strict decoding error: unknown field \"foo\""), r.message());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "[{\"op\":\"replace\",\"path\":\"/kind\",\"value\":\"Secret\"}] | kind\\\":\\\"Secret | illegal base64 data at input byte 0",
                "[{\"op\":\"replace\",\"path\":\"/kind\",\"value\":\"Secret\"},{\"op\":\"remove\",\"path\":\"/data\"}] | kind\\\":\\\"Secret | converting (v1.Secret) to (core.ConfigMap): unknown conversion",
                "[{\"op\":\"replace\",\"path\":\"/kind\",\"value\":\"Nothing\"}] | kind\\\":\\\"Nothing | no kind \"Nothing\" is registered for version \"v1\" in scheme \"pkg/runtime/scheme.go:110\"",
                "[{\"op\":\"replace\",\"path\":\"/apiVersion\",\"value\":\"a/b/c\"}] | apiVersion\\\":\\\"a/b/c | unexpected GroupVersion string: a/b/c"
            })
    void aJsonPatchChangingTheKindIsTheDecodersErrorForThatKind(String body, String shown, String why) {
        ApiClient.Response r = patch(CONFIGMAP, JSON_PATCH, body);
        assertEquals(422, r.code(), r.body());
        assertTrue(r.message().startsWith(" \"\" is invalid: patch: Invalid value: \"{"), r.message());
        assertTrue(r.message().contains(shown), r.message());
        assertTrue(r.message().endsWith("\": " + why), r.message());
    }

    @Test
    void anUnsupportedFieldValidationIsThePatchOptionsError() {
        ApiClient.Response r = patch(CONFIGMAP + "&fieldValidation=bogus", MERGE, "{}");
        assertEquals(422, r.code(), r.body());
        assertEquals(
                "PatchOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"bogus\": supported "
                        + "values: \"\", \"Ignore\", \"Strict\", \"Warn\"",
                r.message());
    }
}

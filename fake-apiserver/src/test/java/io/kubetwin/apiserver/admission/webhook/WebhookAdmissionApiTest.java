package io.kubetwin.apiserver.admission.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.reader.AuditLog;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Admission webhooks over TLS, end to end: the fake calls real webhook servers (WebhookFixture) and must answer
 * what kube-apiserver v1.34.4 answered for the same webhook answers (recorded with
 * src/test/scripts/record-webhooks.sh; the expected texts below are the reference's, uids aside).
 */
class WebhookAdmissionApiTest {
    private static final Path DIR = tempDir();
    private static final Path LOG = DIR.resolve("audit.log");
    private static final String CMS = "/api/v1/namespaces/default/configmaps";
    private static final String VALIDATING = "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations";
    private static final String MUTATING = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations";

    private static WebhookFixture hooks;

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder()
            .config(b -> b.auditPolicyFile(policy()).auditLogPath(LOG.toString()))
            .build();

    private final ApiClient admin = cluster.admin();

    @BeforeAll
    static void startWebhooks() {
        hooks = new WebhookFixture();
    }

    @AfterAll
    static void stopWebhooks() {
        hooks.close();
    }

    @AfterEach
    void removeConfigurations() {
        for (String list : List.of(VALIDATING, MUTATING)) {
            for (JsonNode item : admin.get(list).json().path("items")) {
                admin.delete(list + "/" + item.at("/metadata/name").asText());
            }
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("webhook-admission");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path policy() {
        try {
            return Files.writeString(DIR.resolve("policy.yaml"), """
                    apiVersion: audit.k8s.io/v1
                    kind: Policy
                    omitStages: ["RequestReceived"]
                    rules:
                    - level: Request
                      resources: [{group: "", resources: ["configmaps", "pods"]}]
                    - level: None
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A one-webhook configuration as the recording script made them; {@code extra} is more webhook fields. */
    static String config(boolean mutating, String name, String url, String caBundle, String extra) {
        String kind = mutating ? "MutatingWebhookConfiguration" : "ValidatingWebhookConfiguration";
        return "{\"apiVersion\":\"admissionregistration.k8s.io/v1\",\"kind\":\"" + kind
                + "\",\"metadata\":{\"name\":\"cfg-"
                + name + "\"},\"webhooks\":[{\"name\":\"" + name + ".example.com\",\"clientConfig\":{\"url\":\"" + url
                + "\",\"caBundle\":\"" + caBundle + "\"},\"rules\":[{\"operations\":[\"CREATE\"],\"apiGroups\":[\"\"],"
                + "\"apiVersions\":[\"v1\"],\"resources\":[\"configmaps\",\"pods\"]}],\"sideEffects\":\"None\","
                + "\"admissionReviewVersions\":[\"v1\"]" + extra + "}]}";
    }

    private void install(boolean mutating, String name, String path, String extra) {
        ApiClient.Response r = admin.post(
                mutating ? MUTATING : VALIDATING, config(mutating, name, hooks.url(path), hooks.caBundle(), extra));
        assertEquals(201, r.code(), r.body());
    }

    private ApiClient.Response createConfigMap(String name) {
        return admin.send(
                "POST",
                CMS,
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"}}",
                "application/json",
                "Audit-ID",
                "audit-" + name);
    }

    private static Map<String, String> auditAnnotations(String name) {
        Instant deadline = Instant.now().plusSeconds(10);
        while (true) {
            if (Files.exists(LOG)) {
                List<AuditEvent> events =
                        AuditLog.read(LOG).query().auditId("audit-" + name).list();
                if (!events.isEmpty()) {
                    Map<String, String> a = new java.util.TreeMap<>(
                            events.get(events.size() - 1).annotations());
                    a.remove("authorization.k8s.io/decision");
                    a.remove("authorization.k8s.io/reason");
                    return a;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no audit event for " + name);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void sendsTheReviewTheReferenceSends() {
        install(false, "allow", "/allow", "");
        ApiClient.Response r = createConfigMap("cm-allow");
        assertEquals(201, r.code(), r.body());
        JsonNode review = hooks.last("/allow");
        assertNotNull(review);
        assertEquals("AdmissionReview", review.path("kind").asText());
        assertEquals("admission.k8s.io/v1", review.path("apiVersion").asText());
        JsonNode req = review.path("request");
        assertTrue(
                req.path("uid").asText().matches("[0-9a-f-]{36}"),
                req.path("uid").asText());
        assertEquals(
                "{\"group\":\"\",\"version\":\"v1\",\"kind\":\"ConfigMap\"}",
                req.path("kind").toString());
        assertEquals(
                "{\"group\":\"\",\"version\":\"v1\",\"resource\":\"configmaps\"}",
                req.path("resource").toString());
        assertEquals(req.path("kind"), req.path("requestKind"));
        assertEquals(req.path("resource"), req.path("requestResource"));
        assertEquals("cm-allow", req.path("name").asText());
        assertEquals("default", req.path("namespace").asText());
        assertEquals("CREATE", req.path("operation").asText());
        assertEquals("kubernetes-admin", req.at("/userInfo/username").asText());
        assertEquals(
                "[\"system:masters\",\"system:authenticated\"]",
                req.at("/userInfo/groups").toString());
        // the validating phase sees the object with its uid and creation time set
        assertEquals("ConfigMap", req.at("/object/kind").asText());
        assertEquals("v1", req.at("/object/apiVersion").asText());
        assertTrue(req.at("/object/metadata/uid").isTextual());
        assertTrue(req.at("/object/metadata/creationTimestamp").isTextual());
        assertTrue(req.path("oldObject").isNull());
        assertEquals("false", req.path("dryRun").toString());
        assertEquals(
                "{\"kind\":\"CreateOptions\",\"apiVersion\":\"meta.k8s.io/v1\"}",
                req.path("options").toString());
        List<String> order = iterate(req);
        assertEquals(
                List.of(
                        "uid",
                        "kind",
                        "resource",
                        "requestKind",
                        "requestResource",
                        "name",
                        "namespace",
                        "operation",
                        "userInfo",
                        "object",
                        "oldObject",
                        "dryRun",
                        "options"),
                order);
    }

    private static List<String> iterate(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            deny        | 400 | {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"admission webhook \\"deny.example.com\\" denied the request: Image failed policy check: wordpress:latest","code":400}
            deny-empty  | 400 | {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"admission webhook \\"deny-empty.example.com\\" denied the request without explanation","code":400}
            deny-reason | 403 | {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"admission webhook \\"deny-reason.example.com\\" denied the request: NotTrusted","reason":"NotTrusted","code":403}
            deny-full   | 422 | {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"admission webhook \\"deny-full.example.com\\" denied the request: nope","reason":"Invalid","details":{"name":"x","causes":[{"message":"m","field":"f"}]},"code":422}
            deny-200    | 400 | {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"admission webhook \\"deny-200.example.com\\" denied the request: low","code":400}
            """)
    void denialsCarryTheWebhooksStatus(String path, int code, String body) throws Exception {
        install(false, path, "/" + path, "");
        ApiClient.Response r = createConfigMap("cm-" + path);
        assertEquals(code, r.code(), r.body());
        assertEquals(WebhookFixture.JSON.readTree(body), r.json());
        assertEquals(404, admin.get(CMS + "/cm-" + path).code());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            garbage          | failed to call webhook: couldn't get version/kind; json parse error: json: cannot unmarshal string into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }
            garbage-json     | failed to call webhook: couldn't get version/kind; json parse error: invalid character 'n' looking for beginning of object key string
            500              | failed to call webhook: an error on the server ("boom") has prevented the request from succeeding
            wronguid         | received invalid webhook response: expected response.uid="UID", got "wrong"
            nouid            | received invalid webhook response: expected response.uid="UID", got ""
            noresponse       | received invalid webhook response: webhook response was absent
            wrongkind        | failed to call webhook: no kind "Other" is registered for version "admission.k8s.io/v1" in scheme "pkg/runtime/scheme.go:110"
            v1beta1          | failed to call webhook: converting (v1beta1.AdmissionReview) to (v1.AdmissionReview): unknown conversion
            patch-validating | received invalid webhook response: validating webhook may not return response.patch
            """)
    void brokenAnswersFailClosedWithTheReferenceTexts(String path, String reason) {
        install(false, path, "/" + path, "");
        ApiClient.Response r = createConfigMap("cm-" + path);
        String uid = hooks.last("/" + path).at("/request/uid").asText();
        String message = "failed calling webhook \"" + path + ".example.com\": " + reason.replace("UID", uid);
        assertInternalError(r, message);
    }

    private static void assertInternalError(ApiClient.Response r, String message) {
        assertEquals(500, r.code(), r.body());
        assertEquals("InternalError", r.json().path("reason").asText());
        assertEquals(
                "Internal error occurred: " + message, r.json().path("message").asText());
        assertEquals(message, r.json().at("/details/causes/0/message").asText());
    }

    @Test
    void aSlowWebhookTimesOut() {
        install(false, "slow", "/slow", ",\"timeoutSeconds\":1");
        ApiClient.Response r = createConfigMap("cm-slow");
        assertInternalError(
                r,
                "failed calling webhook \"slow.example.com\": failed to call webhook: Post \"" + hooks.url("/slow")
                        + "?timeout=1s\": context deadline exceeded");
    }

    @Test
    void anUnreachableWebhookFailsClosed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        admin.post(VALIDATING, config(false, "unreach", "https://127.0.0.1:" + port + "/x", hooks.caBundle(), ""));
        assertInternalError(
                createConfigMap("cm-unreach"),
                "failed calling webhook \"unreach.example.com\": failed to call webhook: Post \"https://127.0.0.1:"
                        + port + "/x?timeout=10s\": dial tcp 127.0.0.1:" + port + ": connect: connection refused");
    }

    @Test
    void aWebhookWhoseCertificateTheBundleDoesNotTrustFailsClosed() {
        admin.post(VALIDATING, config(false, "badca", hooks.url("/allow"), hooks.otherCaBundle(), ""));
        assertInternalError(
                createConfigMap("cm-badca"),
                "failed calling webhook \"badca.example.com\": failed to call webhook: Post \"" + hooks.url("/allow")
                        + "?timeout=10s\": tls: failed to verify certificate: x509: certificate signed by unknown authority");
    }

    @Test
    void failurePolicyIgnoreFailsOpenWithAnAuditAnnotation() {
        install(false, "igarbage", "/garbage", ",\"failurePolicy\":\"Ignore\"");
        assertEquals(201, createConfigMap("cm-igarbage").code());
        assertEquals(
                Map.of("failed-open.validating.webhook.admission.k8s.io/round_0_index_0", "igarbage.example.com"),
                auditAnnotations("cm-igarbage"));
    }

    @Test
    void anUnreachableMutatingWebhookUnderIgnoreIsAnnotatedTwice() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        admin.post(
                MUTATING,
                config(
                        true,
                        "iun",
                        "https://127.0.0.1:" + port + "/x",
                        hooks.caBundle(),
                        ",\"failurePolicy\":\"Ignore\""));
        assertEquals(201, createConfigMap("cm-iun").code());
        assertEquals(
                Map.of(
                        "failed-open.mutation.webhook.admission.k8s.io/round_0_index_0", "iun.example.com",
                        "mutation.webhook.admission.k8s.io/round_0_index_0",
                                "{\"configuration\":\"cfg-iun\",\"webhook\":\"iun.example.com\",\"mutated\":false}"),
                auditAnnotations("cm-iun"));
    }

    @Test
    void warningsBecomeHeadersAndAuditAnnotationsArePrefixed() {
        install(false, "warn", "/warn", "");
        ApiClient.Response r = createConfigMap("cm-warn");
        assertEquals(201, r.code(), r.body());
        assertEquals(
                List.of("299 - \"first warning\"", "299 - \"second \\\"quoted\\\"\""),
                r.headers().get("warning"));
        assertEquals(Map.of("warn.example.com/k1", "v1", "warn.example.com/other", "x"), auditAnnotations("cm-warn"));
    }

    @Test
    void aPatchIsAppliedAndAudited() {
        install(true, "mpatch", "/patch", "");
        ApiClient.Response r = createConfigMap("cm-mpatch");
        assertEquals(201, r.code(), r.body());
        assertEquals("{\"patched\":\"yes\"}", r.json().at("/metadata/labels").toString());
        assertEquals(
                "yes",
                admin.get(CMS + "/cm-mpatch")
                        .json()
                        .at("/metadata/labels/patched")
                        .asText());
        // the mutating phase sees the object before its uid is set
        assertTrue(hooks.last("/patch").at("/request/object/metadata/uid").isMissingNode());
        assertEquals(
                Map.of(
                        "mutation.webhook.admission.k8s.io/round_0_index_0",
                        "{\"configuration\":\"cfg-mpatch\",\"webhook\":\"mpatch.example.com\",\"mutated\":true}",
                        "patch.webhook.admission.k8s.io/round_0_index_0",
                        "{\"configuration\":\"cfg-mpatch\",\"webhook\":\"mpatch.example.com\",\"patch\":[{\"op\":\"add\","
                                + "\"path\":\"/metadata/labels\",\"value\":{\"patched\":\"yes\"}}],\"patchType\":\"JSONPatch\"}"),
                auditAnnotations("cm-mpatch"));
    }

    @Test
    void anAllowingMutatingWebhookIsAuditedAsNotMutating() {
        install(true, "mallow", "/allow", "");
        assertEquals(201, createConfigMap("cm-mallow").code());
        assertEquals(
                Map.of(
                        "mutation.webhook.admission.k8s.io/round_0_index_0",
                        "{\"configuration\":\"cfg-mallow\",\"webhook\":\"mallow.example.com\",\"mutated\":false}"),
                auditAnnotations("cm-mallow"));
    }

    @Test
    void aPatchThatDoesNotApplyIsAnInternalErrorWhateverThePolicy() {
        install(true, "mpatch-bad", "/patch-bad", ",\"failurePolicy\":\"Ignore\"");
        ApiClient.Response r = createConfigMap("cm-mpatch-bad");
        assertEquals(500, r.code(), r.body());
        assertEquals(
                "Internal error occurred: replace operation does not apply: doc is missing path: /nothing/here: missing value",
                r.json().path("message").asText());
    }

    @Test
    void aPatchWithoutItsTypeIsAnInvalidAnswer() {
        install(true, "mpatch-notype", "/patch-notype", "");
        assertInternalError(
                createConfigMap("cm-mpatch-notype"),
                "failed calling webhook \"mpatch-notype.example.com\": received invalid webhook response: webhook returned "
                        + "response.patch but not response.patchType");
    }

    @Test
    void selectorsChooseTheRequestsAWebhookSees() {
        install(false, "sel-ns", "/deny", ",\"namespaceSelector\":{\"matchLabels\":{\"guarded\":\"yes\"}}");
        install(
                false,
                "sel-obj",
                "/deny",
                ",\"objectSelector\":{\"matchExpressions\":[{\"key\":\"scan\",\"operator\":\"In\",\"values\":[\"on\"]}]}");
        assertEquals(201, createConfigMap("cm-unselected").code());
        ApiClient.Response labelled = admin.post(
                CMS,
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-scan\",\"labels\":{\"scan\":\"on\"}}}");
        assertEquals(400, labelled.code(), labelled.body());
        assertEquals(
                "admission webhook \"sel-obj.example.com\" denied the request: Image failed policy check: wordpress:latest",
                labelled.json().path("message").asText());
        assertEquals(
                201,
                admin.post(
                                "/api/v1/namespaces",
                                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
                                        + "\"metadata\":{\"name\":\"guarded\",\"labels\":{\"guarded\":\"yes\"}}}")
                        .code());
        ApiClient.Response guarded = admin.post(
                "/api/v1/namespaces/guarded/configmaps",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}");
        assertEquals(
                "admission webhook \"sel-ns.example.com\" denied the request: Image failed policy check: wordpress:latest",
                guarded.json().path("message").asText());
    }

    @Test
    void aWebhookIsReinvokedWhenALaterOneChangesTheObject() {
        install(true, "a-first", "/label-a", ",\"reinvocationPolicy\":\"IfNeeded\"");
        install(true, "b-second", "/label-b", "");
        hooks.reinvokeCount.set(0);
        ApiClient.Response r = admin.send(
                "POST",
                CMS,
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-reinvoke\",\"labels\":{}}}",
                "application/json",
                "Audit-ID",
                "audit-cm-reinvoke");
        assertEquals(201, r.code(), r.body());
        assertEquals(2, hooks.reinvokeCount.get());
        assertEquals("saw-b-set", r.json().at("/metadata/labels/a").asText());
        Map<String, String> annotations = auditAnnotations("cm-reinvoke");
        assertEquals(
                "{\"configuration\":\"cfg-a-first\",\"webhook\":\"a-first.example.com\",\"mutated\":true}",
                annotations.get("mutation.webhook.admission.k8s.io/round_1_index_0"));
        assertEquals(
                "{\"configuration\":\"cfg-b-second\",\"webhook\":\"b-second.example.com\",\"mutated\":true}",
                annotations.get("mutation.webhook.admission.k8s.io/round_0_index_1"));
    }

    @Test
    void aDryRunReachesTheWebhookAsADryRun() {
        install(false, "dry", "/allow", ",\"sideEffects\":\"NoneOnDryRun\"");
        ApiClient.Response r = admin.post(
                CMS + "?dryRun=All",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-dry\"}}");
        assertEquals(201, r.code(), r.body());
        JsonNode req = hooks.last("/allow").path("request");
        assertEquals("true", req.path("dryRun").toString());
        assertEquals(
                "{\"kind\":\"CreateOptions\",\"apiVersion\":\"meta.k8s.io/v1\",\"dryRun\":[\"All\"]}",
                req.path("options").toString());
    }

    /** The options as recorded from the reference with a webhook that logs its reviews. */
    @Test
    void theRequestsOptionsAndTheDeletedObjectReachTheWebhook() {
        String every = config(
                        false,
                        "options",
                        hooks.url("/options"),
                        hooks.caBundle(),
                        ",\"objectSelector\":{\"matchLabels\":{\"opts\":\"yes\"}}")
                .replace("\"operations\":[\"CREATE\"]", "\"operations\":[\"*\"]");
        assertEquals(201, admin.post(VALIDATING, every).code());
        String labelled = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s\","
                + "\"labels\":{\"opts\":\"yes\"}}}";
        assertEquals(
                201,
                admin.post(CMS + "?fieldManager=mgr1&fieldValidation=Strict", labelled.formatted("cm-opt1"))
                        .code());
        assertEquals(
                "{\"kind\":\"CreateOptions\",\"apiVersion\":\"meta.k8s.io/v1\",\"fieldManager\":\"mgr1\","
                        + "\"fieldValidation\":\"Strict\"}",
                hooks.last("/options").at("/request/options").toString());
        // a patch's PatchOptions reach admission as the UpdateOptions of its update
        assertEquals(
                200,
                admin.patch(
                                CMS + "/cm-opt1?fieldManager=mgr3",
                                "{\"data\":{\"a\":\"3\"}}",
                                "application/merge-patch+json")
                        .code());
        assertEquals(
                "{\"kind\":\"UpdateOptions\",\"apiVersion\":\"meta.k8s.io/v1\",\"fieldManager\":\"mgr3\"}",
                hooks.last("/options").at("/request/options").toString());
        assertEquals(
                200,
                admin.delete(CMS + "/cm-opt1?gracePeriodSeconds=5&propagationPolicy=Background")
                        .code());
        JsonNode delete = hooks.last("/options").path("request");
        assertEquals(
                "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"meta.k8s.io/v1\",\"gracePeriodSeconds\":5,"
                        + "\"propagationPolicy\":\"Background\"}",
                delete.path("options").toString());
        assertEquals("cm-opt1", delete.at("/oldObject/metadata/name").asText());
        assertTrue(delete.path("object").isNull());
        // each item of a deletecollection is admitted with the handler's attributes, which name no object
        assertEquals(201, admin.post(CMS, labelled.formatted("cm-opt2")).code());
        assertEquals(200, admin.delete(CMS + "?labelSelector=opts%3Dyes").code());
        JsonNode item = hooks.last("/options").path("request");
        assertEquals("DELETE", item.path("operation").asText());
        assertTrue(item.path("name").isMissingNode(), item.toString());
        assertEquals("cm-opt2", item.at("/oldObject/metadata/name").asText());
        assertEquals(
                "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"meta.k8s.io/v1\"}",
                item.path("options").toString());
    }

    /**
     * matchPolicy Equivalent (the default): a rule on core/v1 events matches an events.k8s.io/v1 Event, sent as the
     * core/v1 Event it is stored as (kind and resource the rule's, requestKind and requestResource the client's, as
     * recorded from the reference), and the webhook's patch reaches the stored object.
     */
    @Test
    void anEquivalentResourceIsSentInTheVersionTheRuleMatched() {
        String onCoreEvents = config(true, "eq", hooks.url("/patch"), hooks.caBundle(), "")
                .replace("\"resources\":[\"configmaps\",\"pods\"]", "\"resources\":[\"events\"]");
        assertEquals(201, admin.post(MUTATING, onCoreEvents).code());
        ApiClient.Response r = admin.post(
                "/apis/events.k8s.io/v1/namespaces/default/events",
                "{\"apiVersion\":\"events.k8s.io/v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"ev1\"},"
                        + "\"eventTime\":\"2026-12-07T07:00:00.000000Z\",\"reportingController\":\"kubetwin.io/test\","
                        + "\"reportingInstance\":\"i1\",\"action\":\"Test\",\"reason\":\"Testing\",\"regarding\":"
                        + "{\"kind\":\"Pod\",\"name\":\"p\",\"namespace\":\"default\"},\"note\":\"hello\","
                        + "\"type\":\"Normal\"}");
        assertEquals(201, r.code(), r.body());
        assertEquals("yes", r.json().at("/metadata/labels/patched").asText());
        assertEquals("hello", r.json().path("note").asText());
        JsonNode req = hooks.last("/patch").path("request");
        assertEquals(
                "{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Event\"}",
                req.path("kind").toString());
        assertEquals(
                "{\"group\":\"\",\"version\":\"v1\",\"resource\":\"events\"}",
                req.path("resource").toString());
        assertEquals(
                "{\"group\":\"events.k8s.io\",\"version\":\"v1\",\"kind\":\"Event\"}",
                req.path("requestKind").toString());
        assertEquals(
                "{\"group\":\"events.k8s.io\",\"version\":\"v1\",\"resource\":\"events\"}",
                req.path("requestResource").toString());
        assertEquals("v1", req.at("/object/apiVersion").asText());
        assertEquals("hello", req.at("/object/message").asText());
        assertEquals("p", req.at("/object/involvedObject/name").asText());
        assertEquals(200, admin.delete(MUTATING + "/cfg-eq").code());
    }

    @Test
    void webhookConfigurationsThemselvesAreNeverSentToWebhooks() {
        String config = config(false, "all", hooks.url("/deny"), hooks.caBundle(), "")
                .replace(
                        "\"apiGroups\":[\"\"],\"apiVersions\":[\"v1\"],\"resources\":[\"configmaps\",\"pods\"]",
                        "\"apiGroups\":[\"*\"],\"apiVersions\":[\"*\"],\"resources\":[\"*/*\"]")
                .replace("\"operations\":[\"CREATE\"]", "\"operations\":[\"*\"]");
        assertEquals(201, admin.post(VALIDATING, config).code());
        // the configuration can still be deleted, though the webhook denies everything else
        assertEquals(400, createConfigMap("cm-all").code());
        assertEquals(200, admin.delete(VALIDATING + "/cfg-all").code());
    }

    private String serviceConfig(String name, String service, int port) {
        return config(false, name, "", hooks.caBundle(), "")
                .replace(
                        "\"url\":\"\",",
                        "\"service\":{\"namespace\":\"webhooks\",\"name\":\"" + service
                                + "\",\"path\":\"/deny\",\"port\":" + port + "},");
    }

    /** Services of the namespace "webhooks", whose names the fixture's certificate holds (hook.webhooks.svc, cip.webhooks.svc). */
    @Test
    void serviceWebhooksAreReachedThroughTheService() {
        admin.post(
                "/api/v1/namespaces",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"webhooks\"}}");
        int port = hooks.server.port();
        String services = "/api/v1/namespaces/webhooks/services";
        assertEquals(
                201,
                admin.post(
                                services,
                                "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"hook\"},"
                                        + "\"spec\":{\"type\":\"ExternalName\",\"externalName\":\"127.0.0.1\",\"ports\":[{\"port\":"
                                        + port + "}]}}")
                        .code());
        assertEquals(
                201, admin.post(VALIDATING, serviceConfig("ext", "hook", port)).code());
        assertEquals(
                "admission webhook \"ext.example.com\" denied the request: Image failed policy check: wordpress:latest",
                createConfigMap("cm-ext").json().path("message").asText());
        admin.delete(VALIDATING + "/cfg-ext");

        assertEquals(
                201,
                admin.post(VALIDATING, serviceConfig("missing", "nosuch", 443)).code());
        assertInternalError(
                createConfigMap("cm-missing"),
                "failed calling webhook \"missing.example.com\": failed to call webhook: Post "
                        + "\"https://nosuch.webhooks.svc:443/deny?timeout=10s\": service \"nosuch\" not found");
        admin.delete(VALIDATING + "/cfg-missing");

        assertEquals(
                201,
                admin.post(
                                services,
                                "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"cip\","
                                        + "\"annotations\":{\"kubetwin.io/webhook-address\":\"127.0.0.1:" + port
                                        + "\"}},\"spec\":{\"ports\":[{\"port\":443}]}}")
                        .code());
        assertEquals(
                201,
                admin.post(VALIDATING, serviceConfig("cipport", "cip", 8443)).code());
        assertInternalError(
                createConfigMap("cm-cipport"),
                "failed calling webhook \"cipport.example.com\": failed to call webhook: Post "
                        + "\"https://cip.webhooks.svc:8443/deny?timeout=10s\": no service port 8443 found for service \"cip\"");
        admin.delete(VALIDATING + "/cfg-cipport");
        // the fake-only annotation: the cluster IP is never dialled, the annotated address is, verifying
        // hook.webhooks.svc
        assertEquals(
                201,
                admin.post(
                                VALIDATING,
                                serviceConfig("cip", "hook", port)
                                        .replace("\"name\":\"hook\"", "\"name\":\"cip\"")
                                        .replace("\"port\":" + port, "\"port\":443"))
                        .code());
        assertEquals(
                "admission webhook \"cip.example.com\" denied the request: Image failed policy check: wordpress:latest",
                createConfigMap("cm-cip").json().path("message").asText());
    }
}

package io.kubetwin.apiserver.registry;

import static io.kubetwin.apiserver.registry.RegistryFixture.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.storage.ResourceKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** End-to-end over HTTP: the verbs, their status codes and exact error texts (recorded from kube-apiserver v1.34). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestHandlerTest {
    RegistryFixture f;

    @BeforeAll
    void start() throws Exception {
        f = new RegistryFixture();
    }

    @AfterAll
    void stop() throws Exception {
        f.close();
    }

    static String pod(String name) {
        return "{\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"app\":\"x\"}},\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"nginx\"}]}}";
    }

    @Test
    void createSetsSystemFieldsAndDefaults() throws Exception {
        JsonNode p = expect(f.call("POST", "/api/v1/namespaces/default/pods", pod("create-1")), 201)
                .json();
        assertEquals("Pod", p.get("kind").asText());
        assertEquals("v1", p.get("apiVersion").asText());
        JsonNode m = p.get("metadata");
        assertEquals(
                "[name, namespace, uid, resourceVersion, generation, creationTimestamp, labels, managedFields]",
                iteratorToList(m.fieldNames()).toString());
        assertEquals(1, m.get("generation").asInt());
        assertTrue(m.get("creationTimestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        assertEquals("Always", p.at("/spec/containers/0/imagePullPolicy").asText());
        // the reference server's order, less what the ServiceAccount, DefaultTolerationSeconds and Priority plugins
        // add (this fixture's chain has only NamespaceLifecycle)
        assertEquals(
                "[containers, restartPolicy, terminationGracePeriodSeconds, dnsPolicy, securityContext, schedulerName, "
                        + "enableServiceLinks]",
                iteratorToList(p.get("spec").fieldNames()).toString());
        assertEquals(
                "[name, image, resources, terminationMessagePath, terminationMessagePolicy, imagePullPolicy]",
                iteratorToList(p.at("/spec/containers/0").fieldNames()).toString());
        assertEquals("Pending", p.at("/status/phase").asText());
        assertEquals("BestEffort", p.at("/status/qosClass").asText());
        assertEquals(
                "application/json",
                f.call("GET", "/api/v1/namespaces/default/pods/create-1", null).contentType());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            wrong kind | {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}} | 400 | ConfigMap in version "v1" cannot be handled as a Pod: converting (v1.ConfigMap) to (core.Pod): unknown conversion
            truncated | {"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"} | 400 | the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error: unexpected end of JSON input ({"apiVersion":"v1","kind":"Pod ...)
            garbage | xyz | 400 | the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error: invalid character 'x' looking for beginning of value (78797a)
            bad version | {"apiVersion":"v2","kind":"Pod","metadata":{"name":"x"}} | 400 | Pod in version "v2" cannot be handled as a Pod: no kind "Pod" is registered for version "v2" in scheme "pkg/runtime/scheme.go:110"
            other group | {"apiVersion":"apps/v1","kind":"Pod","metadata":{"name":"x"}} | 400 | Pod in version "v1" cannot be handled as a Pod: no kind "Pod" is registered for version "apps/v1" in scheme "pkg/runtime/scheme.go:110"
            namespace mismatch | {"metadata":{"name":"x","namespace":"other"},"spec":{"containers":[{"name":"a","image":"b"}]}} | 400 | the namespace of the provided object does not match the namespace sent on the request
            bad name and image | {"metadata":{"name":"Bad_Name"},"spec":{"containers":[{"name":"a"}]}} | 422 | Pod "Bad_Name" is invalid: [metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), spec.containers[0].image: Required value]
            no name no containers | {"metadata":{},"spec":{}} | 422 | Pod "" is invalid: [metadata.name: Required value: name or generateName is required, spec.containers: Required value]
            bad restart policy | {"metadata":{"name":"bad"},"spec":{"containers":[{"name":"a","image":"x"}],"restartPolicy":"Sometimes"}} | 422 | Pod "bad" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"
            resourceVersion set | {"metadata":{"name":"rv","resourceVersion":"5"},"spec":{"containers":[{"name":"a","image":"b"}]}} | 500 | resourceVersion should not be set on objects to be created
            """)
    void createErrors(String what, String body, int code, String message) throws Exception {
        RegistryFixture.Reply r = f.call("POST", "/api/v1/namespaces/default/pods", body);
        assertEquals(code, r.code(), r.body());
        assertEquals(message, r.message(), r.body());
    }

    @Test
    void invalidCausesCarryReasonAndField() throws Exception {
        JsonNode s = f.call("POST", "/api/v1/namespaces/default/pods", "{\"metadata\":{},\"spec\":{}}")
                .json();
        assertEquals("Invalid", s.get("reason").asText());
        assertEquals("Pod", s.at("/details/kind").asText());
        assertEquals("FieldValueRequired", s.at("/details/causes/0/reason").asText());
        assertEquals(
                "Required value: name or generateName is required",
                s.at("/details/causes/0/message").asText());
        assertEquals("metadata.name", s.at("/details/causes/0/field").asText());
    }

    @Test
    void updateWithStaleResourceVersionConflicts() throws Exception {
        JsonNode cm = expect(
                        f.call(
                                "POST",
                                "/api/v1/namespaces/default/configmaps",
                                "{\"metadata\":{\"name\":\"occ\"},\"data\":{\"a\":\"1\"}}"),
                        201)
                .json();
        String rv = cm.at("/metadata/resourceVersion").asText();
        expect(
                f.call(
                        "PUT",
                        "/api/v1/namespaces/default/configmaps/occ",
                        "{\"metadata\":{\"name\":\"occ\",\"resourceVersion\":\"" + rv + "\"},\"data\":{\"a\":\"2\"}}"),
                200);
        RegistryFixture.Reply stale = f.call(
                "PUT",
                "/api/v1/namespaces/default/configmaps/occ",
                "{\"metadata\":{\"name\":\"occ\",\"resourceVersion\":\"" + rv + "\"},\"data\":{\"a\":\"3\"}}");
        assertEquals(409, stale.code());
        assertEquals(
                "Operation cannot be fulfilled on configmaps \"occ\": the object has been modified; please apply your changes "
                        + "to the latest version and try again",
                stale.message());
        RegistryFixture.Reply mismatch =
                f.call("PUT", "/api/v1/namespaces/default/configmaps/occ", "{\"metadata\":{\"name\":\"other\"}}");
        assertEquals(400, mismatch.code());
        assertEquals("the name of the object (other) does not match the name on the URL (occ)", mismatch.message());
    }

    @Test
    void statusAndFinalizeSubresourcesChangeOnlyTheirPart() throws Exception {
        expect(f.call("POST", "/api/v1/namespaces/default/pods", pod("st")), 201);
        JsonNode p = expect(
                        f.call(
                                "PUT",
                                "/api/v1/namespaces/default/pods/st/status",
                                "{\"metadata\":{\"name\":\"st\",\"labels\":{}},"
                                        + "\"spec\":{},\"status\":{\"phase\":\"Running\"}}"),
                        200)
                .json();
        assertEquals("Running", p.at("/status/phase").asText());
        assertEquals("x", p.at("/metadata/labels/app").asText());
        assertEquals("nginx", p.at("/spec/containers/0/image").asText());
        JsonNode main = expect(
                        f.call(
                                "PATCH",
                                "/api/v1/namespaces/default/pods/st",
                                "{\"status\":{\"phase\":\"Failed\"}}",
                                "application/merge-patch+json",
                                null),
                        200)
                .json();
        assertEquals("Running", main.at("/status/phase").asText());
        expect(f.call("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"fin\"}}"), 201);
        JsonNode ns = expect(
                        f.call(
                                "PUT",
                                "/api/v1/namespaces/fin/finalize",
                                "{\"metadata\":{\"name\":\"fin\"},\"spec\":{\"finalizers\":[]}}"),
                        200)
                .json();
        assertEquals("{}", ns.get("spec").toString());
        assertEquals("Active", ns.at("/status/phase").asText());
    }

    @Test
    void deleteAnswersStatusOrObjectAsUpstream() throws Exception {
        JsonNode cm = expect(
                        f.call("POST", "/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"del\"}}"),
                        201)
                .json();
        JsonNode status = expect(f.call("DELETE", "/api/v1/namespaces/default/configmaps/del", null), 200)
                .json();
        assertEquals(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Success\",\"details\":{\"name\":\"del\","
                        + "\"kind\":\"configmaps\",\"uid\":\""
                        + cm.at("/metadata/uid").asText() + "\"}}",
                status.toString());
        expect(f.call("POST", "/api/v1/namespaces/default/pods", pod("del-pod")), 201);
        JsonNode p = expect(f.call("DELETE", "/api/v1/namespaces/default/pods/del-pod", null), 200)
                .json();
        assertEquals("Pod", p.get("kind").asText());
        assertEquals(0, p.at("/metadata/deletionGracePeriodSeconds").asInt(-1));
        assertEquals(
                404,
                f.call("GET", "/api/v1/namespaces/default/pods/del-pod", null).code());
    }

    @Test
    void deletePreconditions() throws Exception {
        JsonNode secret = expect(
                        f.call("POST", "/api/v1/namespaces/default/secrets", "{\"metadata\":{\"name\":\"pre\"}}"), 201)
                .json();
        String uid = secret.at("/metadata/uid").asText();
        String rv = secret.at("/metadata/resourceVersion").asText();
        RegistryFixture.Reply r =
                f.call("DELETE", "/api/v1/namespaces/default/secrets/pre", "{\"preconditions\":{\"uid\":\"abc\"}}");
        assertEquals(409, r.code());
        assertEquals(
                "Operation cannot be fulfilled on Secret \"pre\": the UID in the precondition (abc) does not match the UID in record ("
                        + uid + "). The object might have been deleted and then recreated",
                r.message());
        assertEquals(
                "{\"name\":\"pre\",\"kind\":\"Secret\"}",
                r.json().get("details").toString());
        RegistryFixture.Reply v = f.call(
                "DELETE", "/api/v1/namespaces/default/secrets/pre", "{\"preconditions\":{\"resourceVersion\":\"1\"}}");
        assertEquals(
                "Operation cannot be fulfilled on Secret \"pre\": the ResourceVersion in the precondition (1) does not match the "
                        + "ResourceVersion in record (" + rv + "). The object might have been modified",
                v.message());
        RegistryFixture.Reply put = f.call(
                "PUT", "/api/v1/namespaces/default/secrets/pre", "{\"metadata\":{\"name\":\"pre\",\"uid\":\"abc\"}}");
        assertEquals(409, put.code());
        assertEquals(
                "Operation cannot be fulfilled on secrets \"pre\": StorageError: invalid object, Code: 4, Key: /registry/secrets/default/pre, "
                        + "ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: abc, UID in object meta: "
                        + uid,
                put.message());
    }

    @Test
    void putCreatesOnlyForKindsThatAllowIt() throws Exception {
        assertEquals(
                201,
                f.call(
                                "PUT",
                                "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles/newrole",
                                "{\"metadata\":{\"name\":\"newrole\"},\"rules\":[]}")
                        .code());
        RegistryFixture.Reply cm =
                f.call("PUT", "/api/v1/namespaces/default/configmaps/nosuch", "{\"metadata\":{\"name\":\"nosuch\"}}");
        assertEquals(404, cm.code());
        assertEquals("configmaps \"nosuch\" not found", cm.message());
    }

    @Test
    void immortalAndTerminatingNamespaces() throws Exception {
        RegistryFixture.Reply r = f.call("DELETE", "/api/v1/namespaces/kube-system", null);
        assertEquals(403, r.code());
        assertEquals("namespaces \"kube-system\" is forbidden: this namespace may not be deleted", r.message());
        RegistryFixture.Reply missing =
                f.call("POST", "/api/v1/namespaces/nope/configmaps", "{\"metadata\":{\"name\":\"c\"}}");
        assertEquals(404, missing.code());
        assertEquals("namespaces \"nope\" not found", missing.message());

        expect(f.call("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"t1\"}}"), 201);
        expect(f.call("POST", "/api/v1/namespaces/t1/configmaps", "{\"metadata\":{\"name\":\"inside\"}}"), 201);
        JsonNode ns =
                expect(f.call("DELETE", "/api/v1/namespaces/t1", null), 200).json();
        assertEquals("Terminating", ns.at("/status/phase").asText());
        assertFalse(ns.at("/metadata/deletionTimestamp").isMissingNode());
        assertEquals("[\"kubernetes\"]", ns.at("/spec/finalizers").toString());
        // this fixture runs no namespace controller: the namespace stays Terminating with its content
        RegistryFixture.Reply again = f.call("DELETE", "/api/v1/namespaces/t1", null);
        assertEquals(200, again.code());
        assertEquals(ns.at("/metadata/resourceVersion"), again.json().at("/metadata/resourceVersion"));
        assertEquals(
                1,
                f.storage
                        .list(new ResourceKey("", "configmaps"), "t1")
                        .result()
                        .items()
                        .size());
        RegistryFixture.Reply refused =
                f.call("POST", "/api/v1/namespaces/t1/configmaps", "{\"metadata\":{\"name\":\"late\"}}");
        assertEquals(403, refused.code());
        // the namespace controller's last step: without finalizers the finalize write deletes it
        expect(
                f.call(
                        "PUT",
                        "/api/v1/namespaces/t1/finalize",
                        "{\"metadata\":{\"name\":\"t1\"},\"spec\":{\"finalizers\":[]}}"),
                200);
        assertEquals(404, f.call("GET", "/api/v1/namespaces/t1", null).code());
    }

    @Test
    void terminatingNamespaceRejectsCreates() throws Exception {
        // hold the namespace in Terminating by writing the phase directly
        expect(f.call("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"t2\"}}"), 201);
        var key = new ResourceKey("", "namespaces").object("", "t2");
        var ns = f.storage.get(key).result();
        ((ObjectNode) ns.get("status")).put("phase", "Terminating");
        f.storage.update(key, ns, null);
        RegistryFixture.Reply r = f.call("POST", "/api/v1/namespaces/t2/configmaps", "{\"metadata\":{\"name\":\"c\"}}");
        assertEquals(403, r.code());
        assertEquals(
                "configmaps \"c\" is forbidden: unable to create new content in namespace t2 because it is being terminated",
                r.message());
        assertEquals(
                "NamespaceTerminating", r.json().at("/details/causes/0/reason").asText());
    }

    @Test
    void secretValidationAndDecode() throws Exception {
        RegistryFixture.Reply b64 = f.call(
                "POST",
                "/api/v1/namespaces/default/secrets",
                "{\"metadata\":{\"name\":\"s9\"},\"data\":{\"a\":\"YW*j\"}}");
        assertEquals(400, b64.code());
        assertEquals(
                "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 2",
                b64.message());
        RegistryFixture.Reply tls = f.call(
                "POST",
                "/api/v1/namespaces/default/secrets",
                "{\"metadata\":{\"name\":\"tls\"},\"type\":\"kubernetes.io/tls\",\"data\":{}}");
        assertEquals(422, tls.code());
        assertEquals(
                "Secret \"tls\" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]",
                tls.message());
        RegistryFixture.Reply docker = f.call(
                "POST",
                "/api/v1/namespaces/default/secrets",
                "{\"metadata\":{\"name\":\"dc\"},\"type\":\"kubernetes.io/dockerconfigjson\",\"data\":{\".dockerconfigjson\":\"e30=\"}}");
        assertEquals(201, docker.code(), docker.body());
        assertEquals(
                "[kind, apiVersion, metadata, data, type]",
                iteratorToList(docker.json().fieldNames()).toString());
        RegistryFixture.Reply badDocker = f.call(
                "POST",
                "/api/v1/namespaces/default/secrets",
                "{\"metadata\":{\"name\":\"dc2\"},\"type\":\"kubernetes.io/dockerconfigjson\",\"data\":{\".dockerconfigjson\":\"ew==\"}}");
        assertEquals(422, badDocker.code(), badDocker.body());
        assertEquals(
                "Secret \"dc2\" is invalid: data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": unexpected end of JSON input",
                badDocker.message());
        String rv = docker.json().at("/metadata/resourceVersion").asText();
        RegistryFixture.Reply typeChange = f.call(
                "PUT",
                "/api/v1/namespaces/default/secrets/dc",
                "{\"metadata\":{\"name\":\"dc\",\"resourceVersion\":\"" + rv + "\"},\"type\":\"Opaque\"}");
        assertEquals(422, typeChange.code());
        assertEquals(
                "Secret \"dc\" is invalid: type: Invalid value: \"Opaque\": field is immutable", typeChange.message());
        RegistryFixture.Reply cmKey = f.call(
                "POST",
                "/api/v1/namespaces/default/configmaps",
                "{\"metadata\":{\"name\":\"c1\"},\"data\":{\"a b\":\"x\"}}");
        assertEquals(
                "ConfigMap \"c1\" is invalid: data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric "
                        + "characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
                cmKey.message());
    }

    @Test
    void yamlBodiesAndGenerateName() throws Exception {
        JsonNode cm = expect(
                        f.call(
                                "POST",
                                "/api/v1/namespaces/default/configmaps",
                                "metadata:\n  generateName: gen-\ndata:\n  k: v\n",
                                "application/yaml",
                                null),
                        201)
                .json();
        assertTrue(cm.at("/metadata/name").asText().matches("gen-[a-z0-9]{5}"), cm.toString());
        assertEquals("gen-", cm.at("/metadata/generateName").asText());
    }

    @Test
    void bodiesEscapeHtmlCharactersAsGo() throws Exception {
        RegistryFixture.Reply r = expect(
                f.call(
                        "POST",
                        "/api/v1/namespaces/default/configmaps",
                        "{\"metadata\":{\"name\":\"html\"},\"data\":{\"k\":\"<b>&\"}}"),
                201);
        assertTrue(r.body().contains("\"k\":\"\\u003cb\\u003e\\u0026\""), r.body());
        assertTrue(r.body().endsWith("}\n"));
    }

    @Test
    void systemNamespacesAreBootstrapped() throws Exception {
        JsonNode ns = expect(f.call("GET", "/api/v1/namespaces/kube-node-lease", null), 200)
                .json();
        assertEquals(
                "{\"kubernetes.io/metadata.name\":\"kube-node-lease\"}",
                ns.at("/metadata/labels").toString());
        assertEquals("[\"kubernetes\"]", ns.at("/spec/finalizers").toString());
        assertEquals("Active", ns.at("/status/phase").asText());
        assertEquals(
                "[name, uid, resourceVersion, creationTimestamp, labels, managedFields]",
                iteratorToList(ns.get("metadata").fieldNames()).toString());
        // as the reference records its system namespaces: created by kube-apiserver, the defaulted label its own
        JsonNode managed = ns.at("/metadata/managedFields/0");
        assertEquals(
                "kube-apiserver Update v1",
                managed.path("manager").asText() + " "
                        + managed.path("operation").asText() + " "
                        + managed.path("apiVersion").asText());
        assertEquals(
                "{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:kubernetes.io/metadata.name\":{}}}}",
                managed.path("fieldsV1").toString());
        f.registry
                .bootstrapNamespaces()
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        assertEquals(
                4,
                f.storage
                                .list(new ResourceKey("", "namespaces"), null)
                                .result()
                                .items()
                                .size()
                        - (int) f.storage.list(new ResourceKey("", "namespaces"), null).result().items().stream()
                                .filter(n -> !GenericRegistry.SYSTEM_NAMESPACES.contains(
                                        n.at("/metadata/name").asText()))
                                .count());
    }

    @Test
    void dryRunDoesNotStore() throws Exception {
        JsonNode cm = expect(
                        f.call(
                                "POST",
                                "/api/v1/namespaces/default/configmaps?dryRun=All",
                                "{\"metadata\":{\"name\":\"dry\"}}"),
                        201)
                .json();
        assertTrue(cm.at("/metadata/resourceVersion").isMissingNode());
        assertEquals(
                404,
                f.call("GET", "/api/v1/namespaces/default/configmaps/dry", null).code());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            GET | /api/v1/namespaces/default/widgets | 404 | the server could not find the requested resource
            GET | /api/v1/namespaces/default/configmaps/x/status | 404 | the server could not find the requested resource
            GET | /apis/authentication.k8s.io/v1/tokenreviews | 405 | the server does not allow this method on the requested resource
            POST | /api/v1/namespaces/default/configmaps/foo | 405 | the server does not allow this method on the requested resource
            PUT | /api/v1/namespaces/default/configmaps | 405 | the server does not allow this method on the requested resource
            POST | /api/v1/pods | 405 | the server does not allow this method on the requested resource
            """)
    void routesThatDoNotExist(String method, String path, int code, String message) throws Exception {
        RegistryFixture.Reply r = f.call(method, path, method.equals("GET") ? null : "{}");
        assertEquals(code, r.code(), r.body());
        assertEquals(message, r.message());
    }

    static List<String> iteratorToList(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}

package io.kubetwin.apiserver.registry;

import static io.kubetwin.apiserver.registry.RegistryFixture.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.registry.table.Cells;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table output and events.k8s.io conversion, against shapes recorded from kube-apiserver v1.34. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TableAndConversionTest {
    static final String KUBECTL_ACCEPT =
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
    RegistryFixture f;

    @BeforeAll
    void start() throws Exception {
        f = new RegistryFixture();
        expect(
                f.call(
                        "POST",
                        "/api/v1/namespaces/default/pods",
                        "{\"metadata\":{\"name\":\"p2\"},\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"nginx\"}]}}"),
                201);
        expect(
                f.call(
                        "POST",
                        "/api/v1/namespaces/default/secrets",
                        "{\"metadata\":{\"name\":\"s1\"},\"data\":{\"a\":\"YWJj\"}}"),
                201);
        expect(
                f.call(
                        "POST",
                        "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings",
                        "{\"metadata\":{\"name\":\"rb1\"},"
                                + "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":\"r1\"},\"subjects\":[{\"kind\":\"User\","
                                + "\"name\":\"alice\"},{\"kind\":\"Group\",\"name\":\"g1\"},{\"kind\":\"ServiceAccount\",\"name\":\"sa1\",\"namespace\":\"default\"}]}"),
                201);
        expect(
                f.call(
                        "POST",
                        "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles",
                        "{\"metadata\":{\"name\":\"r1\"},"
                                + "\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"get\"]}]}"),
                201);
    }

    @AfterAll
    void stop() throws Exception {
        f.close();
    }

    JsonNode table(String path) throws Exception {
        RegistryFixture.Reply r = expect(f.call("GET", path, null, null, KUBECTL_ACCEPT), 200);
        JsonNode t = r.json();
        assertEquals("Table", t.get("kind").asText());
        assertEquals("meta.k8s.io/v1", t.get("apiVersion").asText());
        return t;
    }

    static String columns(JsonNode table) {
        StringBuilder b = new StringBuilder();
        table.get("columnDefinitions")
                .forEach(c -> b.append(b.length() > 0 ? "," : "")
                        .append(c.get("name").asText())
                        .append(c.get("priority").asInt() == 1 ? "*" : ""));
        return b.toString();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /api/v1/namespaces/default/pods | Name,Ready,Status,Restarts,Age,IP*,Node*,Nominated Node*,Readiness Gates* | ["p2","0/1","Pending","0","AGE","<none>","<none>","<none>","<none>"]
            /api/v1/namespaces/default/secrets | Name,Type,Data,Age | ["s1","Opaque",1,"AGE"]
            /apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings | Name,Role,Age,Users*,Groups*,ServiceAccounts* | ["rb1","Role/r1","AGE","alice","g1","default/sa1"]
            /api/v1/namespaces?labelSelector=kubernetes.io%2Fmetadata.name%3Ddefault | Name,Status,Age | ["default","Active","AGE"]
            """)
    void listTables(String path, String columns, String cells) throws Exception {
        JsonNode t = table(path);
        assertEquals(columns, columns(t));
        JsonNode row = t.at("/rows/0/cells");
        assertEquals(cells, row.toString().replaceAll("\"\\d+s\"", "\"AGE\""));
        assertEquals("PartialObjectMetadata", t.at("/rows/0/object/kind").asText());
        assertTrue(t.at("/metadata/resourceVersion").asText().matches("\\d+"));
    }

    @Test
    void rolesUseTheDefaultConvertor() throws Exception {
        JsonNode t = table("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles");
        assertEquals("Name,Created At", columns(t));
        assertEquals("date", t.at("/columnDefinitions/1/type").asText());
        assertTrue(t.at("/rows/0/cells/1").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        assertEquals(
                "Name must be unique within a namespace. Is required when creating resources, although some resources may allow "
                        + "a client to request the generation of an appropriate name automatically. Name is primarily intended for creation "
                        + "idempotence and configuration definition. Cannot be updated. More info: "
                        + "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
                t.at("/columnDefinitions/0/description").asText());
    }

    @Test
    void includeObjectChoosesTheRowObject() throws Exception {
        JsonNode none = table("/api/v1/namespaces/default/pods/p2?includeObject=None");
        assertTrue(none.at("/rows/0/object").isNull());
        JsonNode object = table("/api/v1/namespaces/default/pods/p2?includeObject=Object");
        assertEquals("Pod", object.at("/rows/0/object/kind").asText());
    }

    @ParameterizedTest
    @CsvSource({
        "0,0s",
        "119,119s",
        "125,2m5s",
        "600,10m",
        "10800,3h",
        "36000,10h",
        "190000,2d4h",
        "864000,10d",
        "63072000,2y",
        "94608000,3y"
    })
    void humanDurations(long seconds, String expected) {
        assertEquals(expected, Cells.humanDuration(Duration.ofSeconds(seconds)));
    }

    @Test
    void eventsV1ConvertsToAndFromCoreEvents() throws Exception {
        expect(
                f.call(
                        "POST",
                        "/api/v1/namespaces/default/events",
                        "{\"metadata\":{\"name\":\"ev1\"},\"involvedObject\":{\"kind\":\"Pod\","
                                + "\"name\":\"p2\",\"namespace\":\"default\"},\"reason\":\"Pulled\",\"message\":\"pulled it\",\"source\":{\"component\":\"kubelet\"},"
                                + "\"count\":3,\"type\":\"Normal\",\"reportingComponent\":\"kubelet\"}"),
                201);
        JsonNode v1 = expect(f.call("GET", "/apis/events.k8s.io/v1/namespaces/default/events/ev1", null), 200)
                .json();
        assertEquals(
                "[kind, apiVersion, metadata, eventTime, reportingController, reason, regarding, note, type, deprecatedSource, "
                        + "deprecatedFirstTimestamp, deprecatedLastTimestamp, deprecatedCount]",
                RestHandlerTest.iteratorToList(v1.fieldNames()).toString());
        assertEquals("events.k8s.io/v1", v1.get("apiVersion").asText());
        assertEquals("pulled it", v1.get("note").asText());
        expect(
                f.call(
                        "POST",
                        "/apis/events.k8s.io/v1/namespaces/default/events",
                        "{\"metadata\":{\"name\":\"ev2\"},\"eventTime\":"
                                + "\"2026-11-22T16:00:00.000000Z\",\"reportingController\":\"ctl\",\"reportingInstance\":\"i1\",\"action\":\"Act\",\"reason\":\"R\","
                                + "\"regarding\":{\"kind\":\"Pod\",\"name\":\"p2\",\"namespace\":\"default\"},\"note\":\"hello\",\"type\":\"Warning\"}"),
                201);
        JsonNode core = expect(f.call("GET", "/api/v1/namespaces/default/events/ev2", null), 200)
                .json();
        assertEquals(
                "[kind, apiVersion, metadata, involvedObject, reason, message, source, firstTimestamp, lastTimestamp, type, eventTime, "
                        + "action, reportingComponent, reportingInstance]",
                RestHandlerTest.iteratorToList(core.fieldNames()).toString());
        assertEquals("hello", core.get("message").asText());
        JsonNode t = table("/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=metadata.name%3Dev1");
        assertEquals("pod/p2", t.at("/rows/0/cells/3").asText());
        assertEquals(3, t.at("/rows/0/cells/8").asInt());
        JsonNode byRegarding = expect(
                        f.call(
                                "GET",
                                "/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=regarding.name%3Dp2,reason%3DR",
                                null),
                        200)
                .json();
        assertEquals("ev2", byRegarding.at("/items/0/metadata/name").asText());
        assertEquals(1, byRegarding.get("items").size());
        assertEquals(
                "field label not supported: involvedObject.name",
                f.call(
                                "GET",
                                "/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dp2",
                                null)
                        .message());
    }
}

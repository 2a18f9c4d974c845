package io.kubetwin.apiserver.registry;

import static io.kubetwin.apiserver.registry.RegistryFixture.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.registry.handlers.ContinueToken;
import io.kubetwin.apiserver.storage.InMemoryStorage;
import io.vertx.core.http.HttpClientResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Lists (selectors, paging), watches (initial state, history, expiry) and patches over HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListWatchPatchTest {
    RegistryFixture f;

    @BeforeAll
    void start() throws Exception {
        // a short history so that "too old" is reachable
        f = new RegistryFixture(new InMemoryStorage(50, 0));
        expect(f.call("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"lw\"}}"), 201);
        for (String[] p : new String[][] {{"a", "web", "Running"}, {"b", "web", "Pending"}, {"c", "db", "Pending"}}) {
            expect(
                    f.call(
                            "POST",
                            "/api/v1/namespaces/lw/pods",
                            "{\"metadata\":{\"name\":\"" + p[0] + "\",\"labels\":{\"app\":\"" + p[1]
                                    + "\"}},\"spec\":{\"containers\":[{\"name\":\"x\",\"image\":\"nginx:1\"}]}}"),
                    201);
        }
        expect(f.call("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"pg\"}}"), 201);
        for (String n : new String[] {"page1", "page2", "page3"}) {
            expect(f.call("POST", "/api/v1/namespaces/pg/configmaps", "{\"metadata\":{\"name\":\"" + n + "\"}}"), 201);
        }
    }

    @AfterAll
    void stop() throws Exception {
        f.close();
    }

    static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.get("items").forEach(i -> out.add(i.at("/metadata/name").asText()));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            labelSelector=app%3Dweb | [a, b]
            labelSelector=app+notin+(web) | [c]
            labelSelector=%21app | []
            fieldSelector=metadata.name%3Db | [b]
            fieldSelector=status.phase%3DPending | [a, b, c]
            fieldSelector=spec.nodeName%3D | [a, b, c]
            labelSelector=app%3Dweb&fieldSelector=metadata.name%21%3Da | [b]
            """)
    void listFilters(String query, String expected) throws Exception {
        JsonNode list = expect(f.call("GET", "/api/v1/namespaces/lw/pods?" + query, null), 200)
                .json();
        assertEquals("PodList", list.get("kind").asText());
        assertEquals(expected, names(list).toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /api/v1/namespaces/lw/pods?fieldSelector=foo%3Dbar | field label not supported: foo
            /api/v1/namespaces/lw/configmaps?fieldSelector=foo%3Dbar | "foo" is not a known field selector: only "metadata.name", "metadata.namespace"
            /api/v1/nodes?fieldSelector=metadata.namespace%3Dbar | field label not supported: metadata.namespace
            /api/v1/namespaces/lw/pods?fieldSelector=a | invalid selector: 'a'; can't understand 'a'
            /api/v1/namespaces/lw/pods?labelSelector=a+in+(x | unable to parse requirement: found '', expected: ',' or ')'
            /api/v1/namespaces/lw/pods?limit=1&continue=garbage | invalid continue token: continue key is not valid: invalid character '\\u0081' looking for beginning of value
            """)
    void listErrors(String path, String message) throws Exception {
        RegistryFixture.Reply r = f.call("GET", path, null);
        assertEquals(400, r.code(), r.body());
        assertEquals(message, r.message());
    }

    @Test
    void itemsHaveNoTypeMeta() throws Exception {
        JsonNode list =
                expect(f.call("GET", "/api/v1/namespaces/lw/pods", null), 200).json();
        assertFalse(list.at("/items/0").has("kind"));
        assertEquals(
                "[kind, apiVersion, metadata, items]",
                RestHandlerTest.iteratorToList(list.fieldNames()).toString());
    }

    /**
     * LIST reads the store's own objects (Storage.listShared): no output, typed, Table or PartialObjectMetadata, may
     * change them, and the typed items are the stored objects without kind and apiVersion.
     */
    @Test
    void listsLeaveTheStoredObjectsAsTheyWere() throws Exception {
        var key = new io.kubetwin.apiserver.storage.ResourceKey("", "pods");
        List<JsonNode> before =
                new ArrayList<>(f.storage.list(key, "lw").result().items());
        for (String accept : new String[] {
            null,
            "application/json;as=Table;v=v1;g=meta.k8s.io",
            "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io"
        }) {
            expect(f.call("GET", "/api/v1/namespaces/lw/pods", null, null, accept), 200);
        }
        var shared = f.storage.listShared(key, "lw").result().items();
        assertEquals(before, shared);
        JsonNode list =
                expect(f.call("GET", "/api/v1/namespaces/lw/pods", null), 200).json();
        for (int i = 0; i < shared.size(); i++) {
            var expected = shared.get(i).deepCopy();
            expected.remove(List.of("kind", "apiVersion"));
            assertEquals(expected, list.at("/items/" + i));
            assertEquals(
                    RestHandlerTest.iteratorToList(expected.fieldNames()),
                    RestHandlerTest.iteratorToList(list.at("/items/" + i).fieldNames()));
        }
        // the same objects, not copies, and a copy for list()
        assertTrue(shared.get(0)
                == f.storage.listShared(key, "lw").result().items().get(0));
        assertFalse(shared.get(0) == f.storage.list(key, "lw").result().items().get(0));
    }

    @Test
    void pagesWithContinueTokens() throws Exception {
        JsonNode first = expect(f.call("GET", "/api/v1/namespaces/pg/configmaps?limit=2", null), 200)
                .json();
        assertEquals("[page1, page2]", names(first).toString());
        String rv = first.at("/metadata/resourceVersion").asText();
        assertEquals(
                new ContinueToken(Long.parseLong(rv), "/page2\u0000").encode(),
                first.at("/metadata/continue").asText());
        assertEquals(1, first.at("/metadata/remainingItemCount").asInt());
        // the reference server's token for the same list position, byte for byte
        assertEquals(
                "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NDE2LCJzdGFydCI6Ii9wYWdlMlx1MDAwMCJ9",
                new ContinueToken(416, "/page2\u0000").encode());
        JsonNode second = expect(
                        f.call(
                                "GET",
                                "/api/v1/namespaces/pg/configmaps?limit=2&continue="
                                        + first.at("/metadata/continue").asText(),
                                null),
                        200)
                .json();
        assertEquals("[page3]", names(second).toString());
        assertTrue(second.at("/metadata/continue").isMissingNode());
        assertEquals(rv, second.at("/metadata/resourceVersion").asText());
    }

    /** Collects watch lines until {@code count} arrived or the stream ends. */
    List<JsonNode> watch(String path, int count, Runnable afterOpen) throws Exception {
        HttpClientResponse resp = f.openStream(path);
        assertEquals(200, resp.statusCode());
        assertEquals("application/json", resp.getHeader("Content-Type"));
        List<JsonNode> events = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StringBuilder buffer = new StringBuilder();
        resp.handler(b -> {
            buffer.append(b.toString());
            int nl;
            while ((nl = buffer.indexOf("\n")) >= 0) {
                String line = buffer.substring(0, nl);
                buffer.delete(0, nl + 1);
                try {
                    synchronized (events) {
                        events.add(RegistryFixture.JSON.readTree(line));
                        if (events.size() >= count) {
                            done.complete(null);
                        }
                    }
                } catch (Exception e) {
                    done.completeExceptionally(e);
                }
            }
        });
        resp.endHandler(v -> done.complete(null));
        resp.resume();
        afterOpen.run();
        done.get(10, TimeUnit.SECONDS);
        resp.request().connection().close();
        return events;
    }

    @Test
    void watchStartsWithCurrentStateThenStreams() throws Exception {
        List<JsonNode> events = watch(
                "/api/v1/namespaces/lw/pods?watch=1&labelSelector=app%3Dweb",
                4, () -> {
                    try {
                        expect(f.call("DELETE", "/api/v1/namespaces/lw/pods/b", null), 200);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
        List<String> seen = new ArrayList<>();
        events.forEach(e -> seen.add(
                e.get("type").asText() + " " + e.at("/object/metadata/name").asText()));
        // a pod's deletion is seen as upstream shows it: stamped for deletion (MODIFIED), then gone
        assertEquals(List.of("ADDED a", "ADDED b", "MODIFIED b", "DELETED b"), seen);
        assertEquals("Pod", events.get(0).at("/object/kind").asText());
        assertEquals(
                0,
                events.get(2).at("/object/metadata/deletionGracePeriodSeconds").asInt(-1));
        expect(
                f.call(
                        "POST",
                        "/api/v1/namespaces/lw/pods",
                        "{\"metadata\":{\"name\":\"b\",\"labels\":{\"app\":\"web\"}},"
                                + "\"spec\":{\"containers\":[{\"name\":\"x\",\"image\":\"nginx:1\"}]}}"),
                201);
    }

    @Test
    void changesLeavingOrEnteringTheSelectorAreDeletedOrAdded() throws Exception {
        expect(
                f.call(
                        "POST",
                        "/api/v1/namespaces/lw/configmaps",
                        "{\"metadata\":{\"name\":\"sel\",\"labels\":{\"k\":\"in\"}}}"),
                201);
        List<JsonNode> events = watch(
                "/api/v1/namespaces/lw/configmaps?watch=1&labelSelector=k%3Din",
                3, () -> {
                    try {
                        expect(
                                f.call(
                                        "PATCH",
                                        "/api/v1/namespaces/lw/configmaps/sel",
                                        "{\"metadata\":{\"labels\":{\"k\":\"out\"}}}",
                                        "application/merge-patch+json",
                                        null),
                                200);
                        expect(
                                f.call(
                                        "PATCH",
                                        "/api/v1/namespaces/lw/configmaps/sel",
                                        "{\"metadata\":{\"labels\":{\"k\":\"in\"}}}",
                                        "application/merge-patch+json",
                                        null),
                                200);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
        List<String> seen = new ArrayList<>();
        events.forEach(e -> seen.add(
                e.get("type").asText() + " " + e.at("/object/metadata/labels/k").asText()));
        assertEquals(List.of("ADDED in", "DELETED in", "ADDED in"), seen);
    }

    @Test
    void watchResumesFromHistoryAndExpires() throws Exception {
        JsonNode cm = expect(
                        f.call("POST", "/api/v1/namespaces/lw/configmaps", "{\"metadata\":{\"name\":\"w1\"}}"), 201)
                .json();
        String rv = cm.at("/metadata/resourceVersion").asText();
        expect(
                f.call(
                        "PUT",
                        "/api/v1/namespaces/lw/configmaps/w1",
                        "{\"metadata\":{\"name\":\"w1\"},\"data\":{\"a\":\"b\"}}"),
                200);
        List<JsonNode> events = watch("/api/v1/watch/namespaces/lw/configmaps?resourceVersion=" + rv, 1, () -> {});
        assertEquals("MODIFIED", events.get(0).get("type").asText());
        assertEquals("b", events.get(0).at("/object/data/a").asText());

        for (int i = 0; i < 60; i++) {
            expect(
                    f.call(
                            "PUT",
                            "/api/v1/namespaces/lw/configmaps/w1",
                            "{\"metadata\":{\"name\":\"w1\"},\"data\":{\"i\":\"" + i + "\"}}"),
                    200);
        }
        List<JsonNode> expired =
                watch("/api/v1/namespaces/lw/configmaps?watch=true&resourceVersion=" + rv, 1, () -> {});
        JsonNode error = expired.get(0);
        assertEquals("ERROR", error.get("type").asText());
        assertEquals(410, error.at("/object/code").asInt());
        assertEquals("Expired", error.at("/object/reason").asText());
        long oldest = f.storage.oldestRetainedResourceVersion();
        assertEquals(
                "too old resource version: " + rv + " (" + (oldest - 1) + ")",
                error.at("/object/message").asText());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            merge | application/merge-patch+json | {"metadata":{"labels":{"tier":"x"}}} | 200 | x
            json | application/json-patch+json | [{"op":"add","path":"/metadata/labels/tier","value":"y"}] | 200 | y
            strategic | application/strategic-merge-patch+json | {"metadata":{"labels":{"tier":"z"}}} | 200 | z
            json test fails | application/json-patch+json | [{"op":"test","path":"/metadata/name","value":"other"}] | 422 | the server rejected our request due to an error in our request
            json not a list | application/json-patch+json | {"op":"bad"} | 400 | error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp
            merge garbage | application/merge-patch+json | {bad | 400 | error decoding patch: invalid character 'b' looking for beginning of object key string
            unknown type | text/plain | {} | 415 | 415: Unsupported Media Type
            apply without a field manager | application/apply-patch+yaml | {} | 422 | PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch
            bad directive | application/strategic-merge-patch+json | {"spec":{"containers":[{"name":"x","$patch":"bogus"}]}} | 500 | unknown patch type: bogus in map: map[$patch:bogus name:x]
            """)
    void patches(String what, String type, String body, int code, String expected) throws Exception {
        RegistryFixture.Reply r = f.call("PATCH", "/api/v1/namespaces/lw/pods/a", body, type, null);
        assertEquals(code, r.code(), r.body());
        if (code == 200) {
            assertEquals(expected, r.json().at("/metadata/labels/tier").asText());
        } else {
            assertEquals(expected, r.message());
        }
    }

    @Test
    void kubectlApplyStylePatchChangesImageAndBumpsGeneration() throws Exception {
        JsonNode before =
                expect(f.call("GET", "/api/v1/namespaces/lw/pods/c", null), 200).json();
        String patch = "{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{}\"}},"
                + "\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"x\"}],\"containers\":[{\"image\":\"nginx:2\",\"name\":\"x\"}]}}";
        JsonNode after = expect(
                        f.call(
                                "PATCH",
                                "/api/v1/namespaces/lw/pods/c",
                                patch,
                                "application/strategic-merge-patch+json",
                                null),
                        200)
                .json();
        assertEquals("nginx:2", after.at("/spec/containers/0/image").asText());
        assertEquals(
                "IfNotPresent", after.at("/spec/containers/0/imagePullPolicy").asText());
        assertEquals(
                before.at("/metadata/generation").asInt() + 1,
                after.at("/metadata/generation").asInt());
        assertEquals(
                "{}",
                after.at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration")
                        .asText());
    }

    @Test
    void patchOfMissingObjectIsNotFound() throws Exception {
        RegistryFixture.Reply r =
                f.call("PATCH", "/api/v1/namespaces/lw/pods/nope", "{}", "application/merge-patch+json", null);
        assertEquals(404, r.code());
        assertEquals("pods \"nope\" not found", r.message());
    }

    @Test
    void deleteCollectionWithSelector() throws Exception {
        expect(
                f.call(
                        "POST",
                        "/api/v1/namespaces/lw/secrets",
                        "{\"metadata\":{\"name\":\"s1\",\"labels\":{\"del\":\"yes\"}}}"),
                201);
        expect(f.call("POST", "/api/v1/namespaces/lw/secrets", "{\"metadata\":{\"name\":\"s2\"}}"), 201);
        JsonNode out = expect(f.call("DELETE", "/api/v1/namespaces/lw/secrets?labelSelector=del%3Dyes", null), 200)
                .json();
        assertEquals("SecretList", out.get("kind").asText());
        assertEquals(
                "[s2]",
                names(expect(f.call("GET", "/api/v1/namespaces/lw/secrets", null), 200)
                                .json())
                        .toString());
    }
}

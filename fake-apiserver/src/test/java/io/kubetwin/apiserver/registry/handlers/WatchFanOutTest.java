package io.kubetwin.apiserver.registry.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Watches of one change in different wire forms, over TLS: every event is encoded once per form and shared by the
 * watches of that form, and nothing a watch does to what it sends (a served version's conversion, the previous state
 * restated at a new version) reaches another watch, the store or the history. In memory here; on the embedded etcd
 * store (its watch cache) in {@link WatchFanOutEmbeddedStoreTest}.
 */
class WatchFanOutTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CORE = "/api/v1/namespaces/default/events";
    private static final String V1 = "/apis/events.k8s.io/v1/namespaces/default/events";

    ApiClient admin() {
        return cluster.admin();
    }

    private static String event(String name, String label) {
        return "{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"k\":\"" + label + "\"}},"
                + "\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"p\",\"namespace\":\"default\"},\"reason\":\"Pulled\","
                + "\"message\":\"pulled <it>\",\"source\":{\"component\":\"kubelet\"},\"count\":3,\"type\":\"Normal\","
                + "\"reportingComponent\":\"kubelet\"}";
    }

    /** The first {@code count} lines of a watch; the stream is closed once they are in. */
    private CompletableFuture<List<String>> lines(String path, int count) {
        List<String> lines = new ArrayList<>();
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        admin().streamLines(path, line -> {
                    synchronized (lines) {
                        lines.add(line);
                        if (lines.size() == count) {
                            done.complete(List.copyOf(lines));
                            // enough: closes the stream
                            throw new IllegalStateException("done");
                        }
                    }
                })
                .whenComplete((code, e) -> {
                    synchronized (lines) {
                        done.completeExceptionally(new AssertionError("the watch ended after " + lines, e));
                    }
                });
        return done;
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }

    private static String summary(String line) {
        JsonNode e = json(line);
        return e.path("type").asText() + " " + e.at("/object/apiVersion").asText() + " "
                + e.at("/object/metadata/name").asText() + " "
                + e.at("/object/metadata/labels/k").asText() + " "
                + e.at("/object/metadata/resourceVersion").asText();
    }

    @Test
    void eachWatchGetsItsOwnFormAndNoWatchChangesAnother() throws Exception {
        String rv = admin().get(CORE).json().at("/metadata/resourceVersion").asText();
        String from = "?watch=1&resourceVersion=" + rv;
        var core = lines(CORE + from, 3);
        var coreAgain = lines(CORE + from, 3);
        var v1 = lines(V1 + from, 3);
        var selected = lines(CORE + from + "&labelSelector=k%3Din", 3);
        // every watch has seen the probe, so the changes after it reach them live, from one shared event each
        String probe = admin().post(CORE, event("probe", "in"))
                .json()
                .at("/metadata/resourceVersion")
                .asText();
        String created = admin().post(CORE, event("ev", "in"))
                .json()
                .at("/metadata/resourceVersion")
                .asText();
        ApiClient.Response patched = admin().patch(
                        CORE + "/ev", "{\"metadata\":{\"labels\":{\"k\":\"out\"}}}", "application/merge-patch+json");
        assertEquals(200, patched.code(), patched.body());
        String moved = patched.json().at("/metadata/resourceVersion").asText();

        List<String> coreLines = core.get(10, TimeUnit.SECONDS);
        assertEquals(
                List.of("ADDED v1 probe in " + probe, "ADDED v1 ev in " + created, "MODIFIED v1 ev out " + moved),
                coreLines.stream().map(WatchFanOutTest::summary).toList());
        // the same form: the same bytes
        assertEquals(coreLines, coreAgain.get(10, TimeUnit.SECONDS));
        List<String> v1Lines = v1.get(10, TimeUnit.SECONDS);
        assertEquals(
                List.of(
                        "ADDED events.k8s.io/v1 probe in " + probe,
                        "ADDED events.k8s.io/v1 ev in " + created,
                        "MODIFIED events.k8s.io/v1 ev out " + moved),
                v1Lines.stream().map(WatchFanOutTest::summary).toList());
        assertEquals("pulled <it>", json(v1Lines.get(1)).at("/object/note").asText());
        assertEquals("pulled <it>", json(coreLines.get(1)).at("/object/message").asText());
        assertNotEquals(-1, coreLines.get(1).indexOf("pulled \\u003cit\\u003e"), coreLines.get(1));
        // leaving the selector: the previous state at the change's version, for this watch only
        assertEquals(
                List.of("ADDED v1 probe in " + probe, "ADDED v1 ev in " + created, "DELETED v1 ev in " + moved),
                selected.get(10, TimeUnit.SECONDS).stream()
                        .map(WatchFanOutTest::summary)
                        .toList());

        // the history and the store are as written: a watch from the same version replays the same lines
        assertEquals(coreLines, lines(CORE + from, 3).get(10, TimeUnit.SECONDS));
        assertEquals(v1Lines, lines(V1 + from, 3).get(10, TimeUnit.SECONDS));
        JsonNode stored = admin().get(CORE + "/ev").json();
        assertEquals("v1", stored.path("apiVersion").asText());
        assertEquals(moved, stored.at("/metadata/resourceVersion").asText());
    }
}

package io.kubetwin.apiserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryStorageTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ResourceKey CM = new ResourceKey("", "configmaps");

    static ObjectNode obj(String name) {
        ObjectNode o = JSON.createObjectNode();
        o.putObject("metadata").put("name", name);
        return o;
    }

    @Test
    void everyWriteTakesTheNextGlobalVersion() {
        InMemoryStorage s = new InMemoryStorage();
        assertEquals(
                "1",
                s.create(CM.object("a", "x"), obj("x"))
                        .result()
                        .at("/metadata/resourceVersion")
                        .asText());
        assertEquals(
                "2",
                s.create(new ResourceKey("", "secrets").object("a", "y"), obj("y"))
                        .result()
                        .at("/metadata/resourceVersion")
                        .asText());
        assertEquals(
                "3",
                s.update(CM.object("a", "x"), obj("x"), "1")
                        .result()
                        .at("/metadata/resourceVersion")
                        .asText());
        assertEquals(
                "4",
                s.delete(CM.object("a", "x"), null)
                        .result()
                        .at("/metadata/resourceVersion")
                        .asText());
        assertEquals(4, s.currentResourceVersion());
    }

    @Test
    void conflictsAndMissingObjects() {
        InMemoryStorage s = new InMemoryStorage();
        s.create(CM.object("a", "x"), obj("x"));
        assertEquals(
                StorageException.Reason.CONFLICT,
                ((StorageException) s.update(CM.object("a", "x"), obj("x"), "7").cause()).reason());
        assertEquals(
                StorageException.Reason.ALREADY_EXISTS,
                ((StorageException) s.create(CM.object("a", "x"), obj("x")).cause()).reason());
        assertEquals(
                StorageException.Reason.NOT_FOUND,
                ((StorageException) s.get(CM.object("b", "x")).cause()).reason());
    }

    @Test
    void listsAreSortedByNamespaceThenNameAndScoped() {
        InMemoryStorage s = new InMemoryStorage();
        for (String[] k : new String[][] {{"b", "x"}, {"a-b", "z"}, {"a", "y"}, {"a", "b"}}) {
            s.create(CM.object(k[0], k[1]), obj(k[1]));
        }
        List<String> names = new ArrayList<>();
        s.list(CM, null)
                .result()
                .items()
                .forEach(o -> names.add(o.at("/metadata/name").asText()));
        assertEquals(List.of("b", "y", "z", "x"), names);
        assertEquals(2, s.list(CM, "a").result().items().size());
    }

    @Test
    void listenersSeeWritesBeforeTheWriteCompletes() {
        InMemoryStorage s = new InMemoryStorage();
        List<String> seen = new ArrayList<>();
        s.watch(
                CM,
                null,
                0,
                e -> seen.add(e.type() + " " + e.object().at("/metadata/name").asText()));
        var created = s.create(CM.object("a", "x"), obj("x"));
        assertTrue(created.isComplete());
        assertEquals(List.of("ADDED x"), seen);
    }

    @Test
    void watchResumesFromHistoryAndRefusesTooOldVersions() {
        InMemoryStorage s = new InMemoryStorage(3, 0);
        for (String n : new String[] {"a", "b", "c", "d", "e"}) {
            s.create(CM.object("ns", n), obj(n));
        }
        List<Long> versions = new ArrayList<>();
        s.watch(CM, "ns", 3, e -> versions.add(e.resourceVersion())).result();
        assertEquals(List.of(4L, 5L), versions);
        assertTrue(s.watch(CM, "ns", 2, e -> {}).succeeded());
        StorageException tooOld =
                (StorageException) s.watch(CM, "ns", 1, e -> {}).cause();
        assertEquals(StorageException.Reason.TOO_OLD_RESOURCE_VERSION, tooOld.reason());
        assertEquals("too old resource version: 1 (2)", tooOld.getMessage());
    }

    @Test
    void closedWatchesHearNothingMore() {
        InMemoryStorage s = new InMemoryStorage();
        List<String> seen = new ArrayList<>();
        Storage.Watch w = s.watch(CM, null, 0, e -> seen.add(e.type().name())).result();
        s.create(CM.object("a", "x"), obj("x"));
        w.close();
        s.delete(CM.object("a", "x"), null);
        assertEquals(List.of("ADDED"), seen);
    }

    @Test
    void sharedWatchesGetOneEventWithTheStoredObjectsAndOthersTheirOwnCopies() {
        InMemoryStorage s = new InMemoryStorage();
        List<WatchEvent> shared = new ArrayList<>();
        List<WatchEvent> copied = new ArrayList<>();
        s.watchShared(CM, null, 0, shared::add).result();
        s.watchShared(CM, "ns", 0, shared::add).result();
        // a copying listener that changes what it gets, as the watch handler did before it shared
        s.watch(CM, null, 0, e -> {
                    copied.add(e);
                    ((ObjectNode) e.object().get("metadata")).put("name", "changed");
                })
                .result();
        s.create(CM.object("ns", "x"), obj("x"));
        ObjectNode stored = s.listShared(CM, null).result().items().get(0);

        assertEquals(2, shared.size());
        assertSame(shared.get(0), shared.get(1));
        assertSame(stored, shared.get(0).object());
        assertNotSame(stored, copied.get(0).object());
        assertEquals("x", stored.at("/metadata/name").asText());
        assertEquals(
                "x", s.get(CM.object("ns", "x")).result().at("/metadata/name").asText());
        // one value per key for all the listeners of a delivery
        AtomicInteger computed = new AtomicInteger();
        for (WatchEvent e : shared) {
            assertEquals(
                    "line",
                    e.memo().computeIfAbsent("form", k -> "line" + (computed.getAndIncrement() == 0 ? "" : "!")));
        }
        assertEquals(1, computed.get());
        // a watch that resumes from the history gets the event with a memo of its own, without what was computed
        List<WatchEvent> replayed = new ArrayList<>();
        s.watchShared(CM, null, 0, replayed::add).result();
        assertSame(stored, replayed.get(0).object());
        assertEquals("fresh", replayed.get(0).memo().computeIfAbsent("form", k -> "fresh"));
    }
}

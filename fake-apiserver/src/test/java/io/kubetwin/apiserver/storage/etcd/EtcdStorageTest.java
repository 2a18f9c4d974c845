package io.kubetwin.apiserver.storage.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.codec.StorageCodec;
import io.kubetwin.apiserver.storage.ObjectKey;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.kubetwin.apiserver.storage.ValueTransformer;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Storage contract on etcd (the embedded store): revisions as resourceVersions, the transactions' outcomes
 * as storage errors, watches in revision order with the previous state, the watch cache's 410, and every value
 * passing the ValueTransformer with its full key.
 */
class EtcdStorageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ResourceKey SECRETS = new ResourceKey("", "secrets");

    @TempDir
    Path dir;

    private EmbeddedEtcd etcd;
    private EtcdStorage storage;
    private final List<String> transformedKeys = new CopyOnWriteArrayList<>();
    private ValueTransformer reversing;

    @BeforeEach
    void open() throws Exception {
        etcd = EmbeddedEtcd.open(dir);
        // a transformer that reverses the bytes: stored values are not the plain JSON, and the key is the full one
        reversing = new ValueTransformer() {
            @Override
            public byte[] toStorage(byte[] plain, String storageKey) {
                transformedKeys.add(storageKey);
                return reverse(plain);
            }

            @Override
            public Transformed fromStorage(byte[] stored, String storageKey) {
                return new Transformed(reverse(stored), false);
            }
        };
        storage =
                EtcdStorage.embedded(etcd, new RegistryKeys("/registry"), r -> reversing, new StorageCodec(), () -> {});
        await(storage.ready());
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void writesAreTransactionsAndResourceVersionsAreRevisions() throws Exception {
        ObjectKey s1 = SECRETS.object("ns1", "s1");
        ObjectNode created = await(storage.create(s1, secret("s1", "a")));
        long rv =
                Long.parseLong(created.path("metadata").path("resourceVersion").asText());
        assertEquals(etcd.revision(), rv);
        assertEquals(List.of("/registry/secrets/ns1/s1"), transformedKeys);
        assertEquals(
                rv + "",
                await(storage.get(s1)).path("metadata").path("resourceVersion").asText());

        assertEquals(StorageException.Reason.ALREADY_EXISTS, failure(storage.create(s1, secret("s1", "b"))));
        assertEquals(StorageException.Reason.CONFLICT, failure(storage.update(s1, secret("s1", "b"), "1")));
        assertEquals(
                StorageException.Reason.NOT_FOUND,
                failure(storage.update(SECRETS.object("ns1", "nope"), secret("nope", "b"), null)));
        ObjectNode updated = await(storage.update(s1, secret("s1", "b"), rv + ""));
        long rv2 =
                Long.parseLong(updated.path("metadata").path("resourceVersion").asText());
        assertEquals(rv + 1, rv2);

        await(storage.create(SECRETS.object("ns1-b", "x"), secret("x", "c")));
        await(storage.create(SECRETS.object("ns0", "y"), secret("y", "d")));
        var all = await(storage.list(SECRETS, null));
        assertEquals(etcd.revision(), all.resourceVersion());
        // by namespace, then name: etcd's own order would put "ns1-b/x" before "ns1/s1"
        assertEquals(
                List.of("y", "s1", "x"),
                all.items().stream()
                        .map(o -> o.path("metadata").path("name").asText())
                        .toList());
        assertEquals(1, await(storage.list(SECRETS, "ns1")).items().size());

        ObjectNode deleted = await(storage.delete(s1, rv2 + ""));
        assertEquals(
                etcd.revision() + "",
                deleted.path("metadata").path("resourceVersion").asText());
        assertEquals(StorageException.Reason.NOT_FOUND, failure(storage.get(s1)));
    }

    @Test
    void createAllCommitsTogetherWithAResourceVersionEachInOrder() throws Exception {
        ObjectKey existing = SECRETS.object("ns1", "s0");
        await(storage.create(existing, secret("s0", "kept")));
        long start = storage.currentResourceVersion();
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        Storage.Watch watch = await(storage.watch(SECRETS, null, start, events::add));
        List<ObjectNode> stored = await(storage.createAll(List.of(
                new Storage.Creation(SECRETS.object("ns1", "a"), secret("a", "1")),
                new Storage.Creation(existing, secret("s0", "new")),
                new Storage.Creation(SECRETS.object("ns2", "b"), secret("b", "2")))));
        // the existing one is left as it was; the others get the next revisions, in list order
        assertNull(stored.get(1));
        assertEquals(
                List.of(start + 1 + "", start + 2 + ""),
                List.of(
                        stored.get(0).path("metadata").path("resourceVersion").asText(),
                        stored.get(2).path("metadata").path("resourceVersion").asText()));
        assertEquals(start + 2, etcd.revision());
        assertEquals(start + 2, storage.currentResourceVersion());
        assertEquals("kept", text(await(storage.get(existing))));
        assertEquals(
                start + 1 + "",
                await(storage.get(SECRETS.object("ns1", "a")))
                        .path("metadata")
                        .path("resourceVersion")
                        .asText());
        // one ADDED event each, as separate creates give
        assertEquals(
                List.of("ADDED a " + (start + 1), "ADDED b " + (start + 2)),
                events.stream()
                        .map(e -> e.type() + " " + e.key().name() + " " + e.resourceVersion())
                        .toList());
        watch.close();
    }

    @Test
    void createAllOnARemoteStoreSendsOneCreateEach() throws Exception {
        // the same embedded store reached only through its gRPC channel, as a remote etcd is
        EtcdStorage remote = EtcdStorage.open(
                etcd.channel(), new RegistryKeys("/registry"), r -> reversing, new StorageCodec(), () -> {});
        await(remote.ready());
        ObjectKey existing = SECRETS.object("ns1", "s0");
        await(remote.create(existing, secret("s0", "kept")));
        long start = etcd.revision();
        List<ObjectNode> stored = await(remote.createAll(List.of(
                new Storage.Creation(SECRETS.object("ns1", "a"), secret("a", "1")),
                new Storage.Creation(existing, secret("s0", "new")),
                new Storage.Creation(SECRETS.object("ns2", "b"), secret("b", "2")))));
        assertNull(stored.get(1));
        assertEquals(start + 2, etcd.revision());
        assertEquals(
                Set.of(start + 1 + "", start + 2 + ""),
                Set.of(
                        stored.get(0).path("metadata").path("resourceVersion").asText(),
                        stored.get(2).path("metadata").path("resourceVersion").asText()));
        remote.close();
    }

    @Test
    void watchesReplayTheCacheInOrderAndRefuseOlderRevisions() throws Exception {
        long start = storage.currentResourceVersion();
        ObjectKey s1 = SECRETS.object("ns1", "s1");
        await(storage.create(s1, secret("s1", "a")));
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        Storage.Watch watch = await(storage.watch(SECRETS, "ns1", start, events::add));
        String rv = await(storage.update(s1, secret("s1", "b"), null))
                .path("metadata")
                .path("resourceVersion")
                .asText();
        await(storage.create(SECRETS.object("other", "s2"), secret("s2", "c")));
        await(storage.delete(s1, null));
        watch.close();
        // a local write completes after its event went through the listeners
        assertEquals(
                List.of(WatchEvent.Type.ADDED, WatchEvent.Type.MODIFIED, WatchEvent.Type.DELETED),
                events.stream().map(WatchEvent::type).toList());
        assertNull(events.get(0).previous());
        assertEquals("a", events.get(1).previous().path("stringData").path("k").asText());
        assertEquals(
                rv,
                events.get(1).object().path("metadata").path("resourceVersion").asText());
        assertEquals(s1, events.get(2).key());
        assertEquals(
                events.get(2).resourceVersion() + "",
                events.get(2).object().path("metadata").path("resourceVersion").asText());

        ExecutionException tooOld = org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class,
                () -> storage.watch(SECRETS, null, start - 1, e -> {})
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS));
        StorageException e = (StorageException) tooOld.getCause();
        assertEquals(StorageException.Reason.TOO_OLD_RESOURCE_VERSION, e.reason());
        assertEquals("too old resource version: " + (start - 1) + " (" + start + ")", e.getMessage());
    }

    private static String text(ObjectNode secret) {
        return secret.path("stringData").path("k").asText();
    }

    private static ObjectNode secret(String name, String value) throws Exception {
        return (ObjectNode) JSON.readTree("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"" + name
                + "\",\"resourceVersion\":\"999\"},\"stringData\":{\"k\":\"" + value + "\"}}");
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static StorageException.Reason failure(Future<?> f) throws Exception {
        try {
            await(f);
        } catch (ExecutionException e) {
            return ((StorageException) e.getCause()).reason();
        }
        throw new AssertionError("succeeded");
    }
}

package io.kubetwin.apiserver.storage.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.storage.ObjectKey;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.kubetwin.apiserver.storage.ValueTransformer;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;
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

    @BeforeEach
    void open() throws Exception {
        etcd = EmbeddedEtcd.open(dir);
        // a transformer that reverses the bytes: stored values are not the plain JSON, and the key is the full one
        ValueTransformer reversing = new ValueTransformer() {
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
                EtcdStorage.open(etcd.channel(), new RegistryKeys("/registry"), r -> reversing, b -> null, etcd::close);
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
        assertEquals("a", events.get(1).previous().path("data").path("k").asText());
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

    private static ObjectNode secret(String name, String value) throws Exception {
        return (ObjectNode) JSON.readTree("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"" + name
                + "\",\"resourceVersion\":\"999\"},\"data\":{\"k\":\"" + value + "\"}}");
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

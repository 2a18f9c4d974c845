package io.kubetwin.apiserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The object store behind every resource, in the role etcd3 plays for kube-apiserver
 * (k8s.io/apiserver/pkg/storage/interfaces.go). Objects are opaque JSON trees; the store owns exactly
 * one field, {@code metadata.resourceVersion}, which it sets on every write from one global, strictly
 * increasing counter.
 *
 * <p>Thread-safe; may be called from any thread. Every operation answers with a Future so that a
 * remote, TLS-protected store can slot in; the in-memory store answers at once. Failures are
 * {@link StorageException}s. Returned objects are private copies: callers may mutate them.
 */
public interface Storage extends AutoCloseable {

    /** Fails NOT_FOUND when absent. */
    Future<ObjectNode> get(ObjectKey key);

    /** All objects of a resource, in one namespace, or in all namespaces when {@code namespace} is null. */
    Future<ListResult> list(ResourceKey resource, String namespace);

    /**
     * The objects as they were at {@code revision}, for a list at an exact resourceVersion or a continued one. Fails
     * TOO_OLD_RESOURCE_VERSION when the store has compacted that revision away. The result's resourceVersion is
     * {@code revision}. A store that keeps no history answers its latest state and revision, as {@link #list}.
     */
    default Future<ListResult> listAt(ResourceKey resource, String namespace, long revision) {
        return list(resource, namespace);
    }

    /**
     * {@link #list}, except that the items may be the store's own objects rather than private copies: the caller
     * must not mutate them (nor anything inside them). For read-only paths, such as writing a LIST answer, where a
     * deep copy of every stored object was most of the work. A store whose objects are decoded per read answers
     * {@link #list}.
     */
    default Future<ListResult> listShared(ResourceKey resource, String namespace) {
        return list(resource, namespace);
    }

    /** Stores a new object; fails ALREADY_EXISTS. Returns the stored object with its resourceVersion. */
    Future<ObjectNode> create(ObjectKey key, ObjectNode object);

    /**
     * Creates the objects that do not exist yet, each as {@link #create} would (its own resourceVersion, its own
     * watch event), for the start-up's bootstrap objects: a store may make them durable together (the embedded store
     * in one transaction, where one {@link #create} each was mostly fsync time). The resourceVersions follow the
     * list's order, except on a remote etcd, where the creates are sent together and etcd orders them. Answers the
     * stored objects in list order, null for an object that existed (it is left as it is); fails with the first
     * other failure, and then some of the objects may have been created.
     */
    default Future<List<ObjectNode>> createAll(List<Creation> creations) {
        List<ObjectNode> stored = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (Creation c : creations) {
            chain = chain.compose(v -> create(c.key(), c.object())
                    .recover(e ->
                            e instanceof StorageException se && se.reason() == StorageException.Reason.ALREADY_EXISTS
                                    ? Future.succeededFuture()
                                    : Future.failedFuture(e))
                    .map(o -> {
                        stored.add(o);
                        return null;
                    }));
        }
        return chain.map(v -> stored);
    }

    /** One object for {@link #createAll}. */
    record Creation(ObjectKey key, ObjectNode object) {}

    /**
     * Replaces an object. When {@code expectedResourceVersion} is non-null it must equal the stored one,
     * else CONFLICT. Fails NOT_FOUND when absent.
     */
    Future<ObjectNode> update(ObjectKey key, ObjectNode object, String expectedResourceVersion);

    /**
     * An update that changes nothing: GuaranteedUpdate writes it anyway when the stored value is stale (encrypted with a
     * provider or key other than the current write one), so that a no-op update re-encrypts it; otherwise nothing is
     * written. Answers the stored object when it was written again, null when not; preconditions as for update. A
     * store that keeps no values at rest never writes.
     */
    default Future<ObjectNode> rewriteIfStale(ObjectKey key, ObjectNode object, String expectedResourceVersion) {
        return Future.succeededFuture(null);
    }

    /** Removes an object, returning its last state; {@code expectedResourceVersion} as for update. */
    Future<ObjectNode> delete(ObjectKey key, String expectedResourceVersion);

    /**
     * Streams changes of one resource (in one namespace, or all when null) strictly after
     * {@code sinceResourceVersion}, in order, on a thread of the store's choosing. Fails with
     * TOO_OLD_RESOURCE_VERSION when history that old is no longer kept. Cancel with {@link Watch#close()}.
     */
    Future<Watch> watch(
            ResourceKey resource, String namespace, long sinceResourceVersion, Consumer<WatchEvent> listener);

    /**
     * {@link #watch}, except that the events' objects may be the store's own and one event may be delivered to several
     * listeners: a listener must not mutate them (nor anything inside them), and may keep what it derives from an
     * event once for all of them in its {@link WatchEvent#memo()}. For the watch handler, where a deep copy per watcher
     * of every change was most of a write's fan-out. A store that decodes its objects per listener answers
     * {@link #watch}.
     */
    default Future<Watch> watchShared(
            ResourceKey resource, String namespace, long sinceResourceVersion, Consumer<WatchEvent> listener) {
        return watch(resource, namespace, sinceResourceVersion, listener);
    }

    /** The resourceVersion of the latest write. */
    long currentResourceVersion();

    @Override
    default void close() {}

    /** A running watch. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }
}

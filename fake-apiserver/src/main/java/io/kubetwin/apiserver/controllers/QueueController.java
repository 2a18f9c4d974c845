package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The shape every controller here shares, as an informer feeding a workqueue does upstream: list then
 * watch some resources in storage, map each object seen to the keys to sync, and sync keys one at a
 * time through a {@link WorkQueue}. Subclasses write through the {@link GenericRegistry} as the
 * identity the real controller uses, so admission and validation apply to them as to any client.
 * Public so that the apiserver-side controllers (apiextensions) share it.
 */
public abstract class QueueController implements Controller {

    /**
     * A watched resource and how its changes map to queue keys.
     *
     * @param resource what to watch (all namespaces)
     * @param keys the keys to queue for one object and change type (the initial list counts as ADDED)
     */
    public record Source(ResourceKey resource, BiFunction<WatchEvent.Type, ObjectNode, List<String>> keys) {}

    protected final Vertx vertx;
    protected final GenericRegistry registry;
    private final WorkQueue queue;
    private final List<Storage.Watch> watches = new ArrayList<>();
    private final Set<Long> timers = new HashSet<>();
    private boolean stopped;
    private boolean stoppedWatching;

    protected QueueController(Vertx vertx, GenericRegistry registry, String name) {
        this.vertx = vertx;
        this.registry = registry;
        this.queue = new WorkQueue(vertx, name, this::sync);
    }

    /** The resources to list and watch. */
    protected abstract List<Source> sources();

    /** Brings the world in line for one key; a failed Future retries the key with backoff. */
    protected abstract Future<Void> sync(String key);

    /** Queues a key, e.g. from another controller's listener; any thread. */
    protected final void enqueue(String key) {
        queue.add(key);
    }

    /** Queues a key after {@code delayMs} (workqueue AddAfter); cancelled by {@link #stop()}. Any thread. */
    protected final void enqueueAfter(String key, long delayMs) {
        synchronized (timers) {
            if (stopped) {
                return;
            }
            long[] id = new long[1];
            id[0] = vertx.setTimer(delayMs, t -> {
                synchronized (timers) {
                    timers.remove(id[0]);
                }
                queue.add(key);
            });
            timers.add(id[0]);
        }
    }

    @Override
    public Future<Void> start() {
        List<Future<Void>> started = new ArrayList<>();
        for (Source source : sources()) {
            started.add(inform(source));
        }
        return Future.all(started).mapEmpty();
    }

    /**
     * Lists then watches one more source (all namespaces), as an informer does: what the store holds counts as ADDED.
     * For sources found after the start (the garbage collector's custom resources). Any thread.
     */
    protected final Future<Void> inform(Source source) {
        Storage storage = registry.storage();
        return storage.list(source.resource(), null)
                .compose(list -> {
                    list.items()
                            .forEach(o -> source.keys()
                                    .apply(WatchEvent.Type.ADDED, o)
                                    .forEach(queue::add));
                    return storage.watch(
                            source.resource(),
                            null,
                            list.resourceVersion(),
                            event -> source.keys()
                                    .apply(event.type(), event.object())
                                    .forEach(queue::add));
                })
                .map(watch -> {
                    synchronized (watches) {
                        if (stoppedWatching) {
                            watch.close();
                        } else {
                            watches.add(watch);
                        }
                    }
                    return null;
                });
    }

    @Override
    public Future<Void> stop() {
        queue.shutDown();
        synchronized (timers) {
            stopped = true;
            timers.forEach(vertx::cancelTimer);
            timers.clear();
        }
        synchronized (watches) {
            stoppedWatching = true;
            watches.forEach(Storage.Watch::close);
            watches.clear();
        }
        return Future.succeededFuture();
    }
}

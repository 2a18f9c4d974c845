package io.kubetwin.apiserver.controllers;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A de-duplicating work queue with one worker, in the role of client-go's rate-limited workqueue: a
 * key added while pending is queued once; a key added while it is being processed is processed again
 * afterwards; a key whose sync fails is retried with per-key exponential backoff (5ms doubling, capped
 * at 2s in the fake where upstream caps at 1000s) until it succeeds. Thread-safe; syncs run one at a
 * time on Vert.x event-loop threads and must not block.
 */
final class WorkQueue {
    private static final System.Logger LOG = System.getLogger(WorkQueue.class.getName());
    private static final long BASE_DELAY_MS = 5;
    private static final long MAX_DELAY_MS = 2000;

    private final Vertx vertx;
    private final String name;
    private final Function<String, Future<Void>> sync;
    private final LinkedHashSet<String> pending = new LinkedHashSet<>();
    private final Set<String> dirtyWhileProcessing = new HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final Set<Long> timers = new HashSet<>();
    private String processing;
    private boolean running;
    private boolean stopped;

    WorkQueue(Vertx vertx, String name, Function<String, Future<Void>> sync) {
        this.vertx = vertx;
        this.name = name;
        this.sync = sync;
    }

    /** Queues a key; may be called from any thread, including inside storage watch listeners. */
    void add(String key) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            if (key.equals(processing)) {
                dirtyWhileProcessing.add(key);
                return;
            }
            pending.add(key);
            if (running) {
                return;
            }
            running = true;
        }
        vertx.runOnContext(v -> next());
    }

    /** Stops processing; queued keys are dropped and retries cancelled. */
    void shutDown() {
        synchronized (this) {
            stopped = true;
            pending.clear();
            timers.forEach(vertx::cancelTimer);
            timers.clear();
        }
    }

    private void next() {
        String key;
        synchronized (this) {
            if (stopped || pending.isEmpty()) {
                running = false;
                return;
            }
            key = pending.iterator().next();
            pending.remove(key);
            processing = key;
        }
        Future<Void> result;
        try {
            result = sync.apply(key);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(ar -> {
            synchronized (this) {
                processing = null;
                if (ar.succeeded()) {
                    failures.remove(key);
                } else {
                    int n = failures.merge(key, 1, Integer::sum);
                    long delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS << Math.min(n - 1, 20));
                    LOG.log(
                            System.Logger.Level.DEBUG,
                            () -> name + ": sync of " + key + " failed (retry in " + delay + "ms): "
                                    + ar.cause().getMessage());
                    if (!stopped) {
                        long[] id = new long[1];
                        id[0] = vertx.setTimer(delay, t -> {
                            synchronized (this) {
                                timers.remove(id[0]);
                            }
                            add(key);
                        });
                        timers.add(id[0]);
                    }
                }
                if (dirtyWhileProcessing.remove(key)) {
                    pending.add(key);
                }
            }
            next();
        });
    }
}

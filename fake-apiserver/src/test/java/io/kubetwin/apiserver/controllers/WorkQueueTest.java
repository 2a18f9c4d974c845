package io.kubetwin.apiserver.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The controllers' work queue: de-duplication, re-queue while processing, retry with backoff. */
class WorkQueueTest {
    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aKeyAddedWhilePendingIsSyncedOnceAndOneAddedWhileProcessingAgain() throws Exception {
        List<String> synced = new CopyOnWriteArrayList<>();
        Promise<Void> firstSync = Promise.promise();
        CountDownLatch done = new CountDownLatch(3);
        WorkQueue[] queue = new WorkQueue[1];
        queue[0] = new WorkQueue(vertx, "test", key -> {
            synced.add(key);
            done.countDown();
            // the first sync of "a" stays open until "a" and "b" have been added again
            return synced.size() == 1 ? firstSync.future() : Future.succeededFuture();
        });
        queue[0].add("a");
        Thread.sleep(100);
        queue[0].add("b");
        queue[0].add("b");
        queue[0].add("a");
        vertx.runOnContext(v -> firstSync.complete());
        done.await(5, TimeUnit.SECONDS);
        Thread.sleep(100);
        assertEquals(List.of("a", "b", "a"), synced);
    }

    @Test
    void aFailedSyncIsRetriedUntilItSucceeds() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch succeeded = new CountDownLatch(1);
        WorkQueue queue = new WorkQueue(vertx, "test", key -> {
            if (attempts.incrementAndGet() < 4) {
                return Future.failedFuture("not yet");
            }
            succeeded.countDown();
            return Future.succeededFuture();
        });
        queue.add("k");
        assertEquals(true, succeeded.await(5, TimeUnit.SECONDS));
        assertEquals(4, attempts.get());
        queue.shutDown();
        queue.add("k");
        Thread.sleep(100);
        assertEquals(4, attempts.get(), "a stopped queue syncs nothing");
    }
}

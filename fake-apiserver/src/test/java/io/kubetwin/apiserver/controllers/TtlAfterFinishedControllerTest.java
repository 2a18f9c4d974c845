package io.kubetwin.apiserver.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.PluginChain;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ResourceCatalog;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.registry.Strategies;
import io.kubetwin.apiserver.storage.InMemoryStorage;
import io.kubetwin.apiserver.testing.TestClock;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TTL-after-finished controller on a clock the test moves, over the registry (no garbage collector runs, so the
 * deleted Job stays with the foregroundDeletion finalizer the Foreground propagation gives it).
 */
class TtlAfterFinishedControllerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UserInfo ADMIN = UserInfo.of("admin", "system:masters");

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Vertx vertx;
    private GenericRegistry registry;
    private TtlAfterFinishedController controller;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        registry = new GenericRegistry(
                new InMemoryStorage(),
                ResourceCatalog.withBuiltIns(),
                Strategies.builtIns(clock),
                PluginChain.of(),
                clock);
        await(registry.bootstrapNamespaces());
        controller = new TtlAfterFinishedController(vertx, registry, clock);
        await(controller.start());
    }

    @AfterEach
    void stop() {
        controller.stop();
        vertx.close();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private ServedResource jobs() {
        return registry.catalog().lookup("batch", "v1", "jobs").orElseThrow();
    }

    /** A Job with the TTL, finished (condition {@code type}) at the clock's time. */
    private void finished(String name, String ttl, String type) throws Exception {
        ObjectNode job =
                (ObjectNode) JSON.readTree("{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\""
                        + name + "\"},\"spec\":{" + ttl + "\"template\":{\"spec\":{\"restartPolicy\":\"Never\","
                        + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}");
        ObjectNode created = await(registry.create(jobs(), "default", job, ADMIN, false));
        ObjectNode status = created.putObject("status");
        status.put("startTime", JobConditions.time(clock.instant()));
        JobConditions.append(
                status, JobConditions.newCondition(type, "True", "CompletionsReached", "done", clock.instant()));
        await(registry.update(jobs(), "default", name, created, "status", ADMIN, false));
    }

    private JsonNode job(String name) throws Exception {
        return await(registry.get(jobs(), "default", name)
                .map(x -> (JsonNode) x)
                .recover(e -> Future.succeededFuture(JSON.nullNode())));
    }

    /** Touches the Job so that the controller looks at it now (the informer's update). */
    private void touch(String name) throws Exception {
        ObjectNode job = await(registry.get(jobs(), "default", name));
        ((ObjectNode) job.get("metadata")).with("labels").put("touched", String.valueOf(clock.millis()));
        await(registry.update(jobs(), "default", name, job, "", ADMIN, false));
    }

    private JsonNode eventuallyDeleting(String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            JsonNode job = job(name);
            if (job.path("metadata").has("deletionTimestamp")) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not deleted: " + job);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aFinishedJobGoesWhenItsTtlRunsOut() throws Exception {
        finished("done", "\"ttlSecondsAfterFinished\":100,", "Complete");
        clock.advance(Duration.ofSeconds(99));
        touch("done");
        // the controller has looked (a later Job it sees goes first) and left it
        finished("zero", "\"ttlSecondsAfterFinished\":0,", "Failed");
        JsonNode gone = eventuallyDeleting("zero");
        assertEquals("[\"foregroundDeletion\"]", gone.at("/metadata/finalizers").toString());
        assertFalse(job("done").path("metadata").has("deletionTimestamp"));
        clock.advance(Duration.ofSeconds(1));
        touch("done");
        JsonNode done = eventuallyDeleting("done");
        assertEquals("[\"foregroundDeletion\"]", done.at("/metadata/finalizers").toString());
    }

    @Test
    void jobsWithoutTtlOrNotFinishedStay() throws Exception {
        finished("keep", "", "Complete");
        finished("running", "\"ttlSecondsAfterFinished\":0,", "SuccessCriteriaMet");
        clock.advance(Duration.ofHours(1));
        touch("keep");
        touch("running");
        finished("marker", "\"ttlSecondsAfterFinished\":0,", "Complete");
        eventuallyDeleting("marker");
        assertFalse(job("keep").path("metadata").has("deletionTimestamp"));
        assertFalse(job("running").path("metadata").has("deletionTimestamp"));
    }
}

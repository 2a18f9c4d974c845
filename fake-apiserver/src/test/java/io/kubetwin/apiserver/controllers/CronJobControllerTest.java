package io.kubetwin.apiserver.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.PluginChain;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ResourceCatalog;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.registry.Strategies;
import io.kubetwin.apiserver.storage.InMemoryStorage;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.testing.TestClock;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CronJob controller on a clock the test moves (the schedules are minutes apart), over the registry, and the
 * schedule parser against robfig/cron's standard parser's answers.
 */
class CronJobControllerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UserInfo ADMIN = UserInfo.of("admin", "system:masters");

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:30Z"));
    private Vertx vertx;
    private GenericRegistry registry;
    private CronJobController controller;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        InMemoryStorage storage = new InMemoryStorage();
        registry = new GenericRegistry(
                storage, ResourceCatalog.withBuiltIns(), Strategies.builtIns(clock), PluginChain.of(), clock);
        await(registry.bootstrapNamespaces());
        controller = new CronJobController(vertx, registry, clock);
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

    private ServedResource served(String resource) {
        return registry.catalog().lookup("batch", "v1", resource).orElseThrow();
    }

    private void create(String name, String spec) throws Exception {
        ObjectNode cj = (ObjectNode) JSON.readTree("{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\",\"metadata\":"
                + "{\"name\":\"" + name + "\"},\"spec\":{" + spec + ",\"jobTemplate\":{\"metadata\":{\"labels\":"
                + "{\"x\":\"z\"}},\"spec\":{\"template\":{\"spec\":{\"restartPolicy\":\"Never\",\"containers\":"
                + "[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}}}");
        await(registry.create(served("cronjobs"), "default", cj, ADMIN, false));
    }

    /**
     * Moves the clock and touches the CronJob, so that the controller looks at it now. The controller may write the
     * status between the read and the write, so a conflict is retried on a fresh read, as client-go's
     * RetryOnConflict does.
     */
    private void at(String time, String name) throws Exception {
        clock.set(Instant.parse(time));
        for (int attempt = 1; ; attempt++) {
            ObjectNode cj = await(registry.get(served("cronjobs"), "default", name));
            ((ObjectNode) cj.get("metadata")).with("annotations").put("touched", time);
            try {
                await(registry.update(served("cronjobs"), "default", name, cj, "", ADMIN, false));
                return;
            } catch (ExecutionException e) {
                if (attempt == 5 || !(e.getCause() instanceof StatusException s) || s.code() != 409) {
                    throw e;
                }
            }
        }
    }

    private JsonNode eventually(String resource, String name, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            JsonNode o = await(registry.get(served(resource), "default", name)
                    .map(x -> (JsonNode) x)
                    .recover(e -> Future.succeededFuture(JSON.nullNode())));
            if (done.test(o)) {
                return o;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached: " + o);
            }
            Thread.sleep(50);
        }
    }

    private List<String> events() throws Exception {
        List<String> out = new ArrayList<>();
        for (ObjectNode e : await(registry.storage().list(new ResourceKey("", "events"), "default"))
                .items()) {
            out.add(e.path("reason").asText() + " " + e.path("message").asText());
        }
        return out;
    }

    @Test
    void createsTheJobOfTheMostRecentScheduleTime() throws Exception {
        create("every5", "\"schedule\":\"*/5 * * * *\"");
        at("2026-01-01T00:11:00Z", "every5");
        // 2026-01-01T00:10:00Z is minute 29453770 since the epoch
        JsonNode job = eventually("jobs", "every5-29453770", j -> !j.isNull());
        assertEquals("{\"x\":\"z\"}", job.at("/metadata/labels").toString());
        assertEquals(
                "{\"batch.kubernetes.io/cronjob-scheduled-timestamp\":\"2026-01-01T00:10:00Z\"}",
                job.at("/metadata/annotations").toString());
        assertEquals(
                "CronJob every5 true true",
                job.at("/metadata/ownerReferences/0/kind").asText() + " "
                        + job.at("/metadata/ownerReferences/0/name").asText() + " "
                        + job.at("/metadata/ownerReferences/0/controller").asText() + " "
                        + job.at("/metadata/ownerReferences/0/blockOwnerDeletion")
                                .asText());
        JsonNode status = eventually(
                        "cronjobs", "every5", c -> c.at("/status/active").size() == 1)
                .get("status");
        assertEquals("2026-01-01T00:10:00Z", status.get("lastScheduleTime").asText());
        assertEquals(
                "{\"kind\":\"Job\",\"namespace\":\"default\",\"name\":\"every5-29453770\",\"uid\":\""
                        + job.at("/metadata/uid").asText() + "\",\"apiVersion\":\"batch/v1\",\"resourceVersion\":\""
                        + job.at("/metadata/resourceVersion").asText() + "\"}",
                status.at("/active/0").toString());
        assertEquals(List.of("SuccessfulCreate Created job every5-29453770"), events());
    }

    @Test
    void forbidWaitsForTheActiveJob() throws Exception {
        create("forbid", "\"schedule\":\"*/5 * * * *\",\"concurrencyPolicy\":\"Forbid\"");
        at("2026-01-01T00:05:10Z", "forbid");
        eventually("cronjobs", "forbid", c -> c.at("/status/active").size() == 1);
        at("2026-01-01T00:10:10Z", "forbid");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!events().contains(
                                "JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid")
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertNull(await(registry.get(served("jobs"), "default", "forbid-29453770")
                .map(x -> (JsonNode) x)
                .recover(e -> Future.succeededFuture(null))));
    }

    @Test
    void scheduleTimesPastTheStartingDeadlineAreSkipped() throws Exception {
        create("late", "\"schedule\":\"*/5 * * * *\",\"startingDeadlineSeconds\":200");
        // 00:05 is 240 s ago, past the deadline: no Job for it
        at("2026-01-01T00:09:00Z", "late");
        at("2026-01-01T00:10:30Z", "late");
        JsonNode job = eventually("jobs", "late-29453770", j -> !j.isNull());
        assertEquals(
                "2026-01-01T00:10:00Z",
                job.at("/metadata/annotations/batch.kubernetes.io~1cronjob-scheduled-timestamp")
                        .asText());
        assertNull(await(registry.get(served("jobs"), "default", "late-29453765")
                .map(x -> (JsonNode) x)
                .recover(e -> Future.succeededFuture(null))));
    }

    @Test
    void theTimeZoneNamesTheAnnotation() throws Exception {
        create("berlin", "\"schedule\":\"0 1 * * *\",\"timeZone\":\"Europe/Berlin\"");
        // 01:00 in Berlin on 2026-01-02 is 00:00 UTC, minute 29455200
        at("2026-01-02T00:00:40Z", "berlin");
        JsonNode job = eventually("jobs", "berlin-29455200", j -> !j.isNull());
        assertEquals(
                "2026-01-02T01:00:00+01:00",
                job.at("/metadata/annotations/batch.kubernetes.io~1cronjob-scheduled-timestamp")
                        .asText());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "*/15 * * * *        | 2026-01-01T00:07:00Z | 2026-01-01T00:15:00Z",
                "0 0 1 1 *           | 2026-01-01T00:00:00Z | 2027-01-01T00:00:00Z",
                "@hourly             | 2026-01-01T00:59:59Z | 2026-01-01T01:00:00Z",
                "@daily              | 2026-01-01T00:00:00Z | 2026-01-02T00:00:00Z",
                "@weekly             | 2026-01-01T00:00:00Z | 2026-01-04T00:00:00Z",
                "@every 90s          | 2026-01-01T00:00:00Z | 2026-01-01T00:01:30Z",
                "0 9 * * mon-fri     | 2026-01-02T10:00:00Z | 2026-01-05T09:00:00Z",
                "0 0 13 * fri        | 2026-01-01T00:00:00Z | 2026-01-02T00:00:00Z",
                "0 0 13 * *          | 2026-01-01T00:00:00Z | 2026-01-13T00:00:00Z",
                "30 2 * feb *        | 2026-01-01T00:00:00Z | 2026-02-01T02:30:00Z",
                "TZ=Asia/Tokyo 0 0 * * * | 2026-01-01T00:00:00Z | 2026-01-01T15:00:00Z",
                "5-10/2 * * * *      | 2026-01-01T00:07:00Z | 2026-01-01T00:09:00Z"
            })
    void nextActivation(String schedule, String after, String next) {
        assertEquals(
                Instant.parse(next),
                CronSchedule.parse(schedule.trim(), ZoneOffset.UTC).next(Instant.parse(after.trim())));
    }
}

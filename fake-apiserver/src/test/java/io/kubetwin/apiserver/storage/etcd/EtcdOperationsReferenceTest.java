package io.kubetwin.apiserver.storage.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.testing.Golden;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.reference.Etcdctl;
import io.kubetwin.reference.KubeApiServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the fake apiserver does to a real etcd v3.6.4 besides reads and writes, beside the reference kube-apiserver
 * v1.34.4 on the same store: the compactor's {@code compact_rev_key} protocol and the 410s of lists at a compacted
 * revision (answered identically by both), the Events' leases (same TTL, shared within the reuse window, the Event
 * gone when its lease expires), and the etcd health check when etcd stops. Skipped without the reference build or
 * etcdctl. Slow (two control planes, waits of a few seconds for compaction and lease expiry).
 */
class EtcdOperationsReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void needsTheReference() throws Exception {
        EtcdTargets.referenceOrSkip();
        assumeTrue(
                Etcdctl.locate().reason() == null,
                () -> "no etcdctl: " + Etcdctl.locate().reason());
    }

    private static TestApiServer fake(EtcdTargets.SharedEtcd etcd, EtcdOptions operations) {
        return TestApiServer.start(etcd.fake("/registry")
                .storage(etcd.storage("/registry").withOperations(operations))
                .build());
    }

    private static KubeApiServerProcess reference(EtcdTargets.SharedEtcd etcd, String... flags) throws Exception {
        return etcd.reference("reference").flags(flags).start();
    }

    @Test
    void compactionIsSharedWithTheReferenceAndOldListsExpireAlike() throws Exception {
        try (EtcdTargets.SharedEtcd etcd = EtcdTargets.SharedEtcd.startOrSkip(dir);
                TestApiServer fake = fake(etcd, EtcdOptions.defaults().withCompactionInterval(Duration.ofSeconds(1)))) {
            ApiClient f = fake.admin();
            long first = 0;
            long last = 0;
            for (String name : new String[] {"cm1", "cm2", "cm3"}) {
                ApiClient.Response r =
                        f.post("/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"" + name + "\"}}");
                assertEquals(201, r.code(), r.body());
                last = r.json().path("metadata").path("resourceVersion").asLong();
                first = first == 0 ? last : first;
            }
            String token = f.get("/api/v1/namespaces/default/configmaps?limit=1")
                    .json()
                    .path("metadata")
                    .path("continue")
                    .asText();
            Etcdctl ctl = etcd.etcdctl();
            try (KubeApiServerProcess ref = reference(etcd, "--etcd-compaction-interval=2s")) {
                long objects = last;
                // both compactors take turns on compact_rev_key until the store is compacted past the objects
                waitFor(() -> compactRevKey(ctl).path("value").asLong() > objects, Duration.ofSeconds(60));
                JsonNode key = compactRevKey(ctl);
                assertTrue(key.path("version").asLong() >= 3, key.toString());
                IllegalStateException gone = assertThrows(
                        IllegalStateException.class,
                        () -> ctl.run(null, "get", "/registry/configmaps/default/cm1", "--rev=" + objects));
                assertTrue(gone.getMessage().contains("required revision has been compacted"), gone.getMessage());

                ApiClient r = ref.admin();
                String exact = "/api/v1/namespaces/default/configmaps?resourceVersion=" + first
                        + "&resourceVersionMatch=Exact";
                String continued = "/api/v1/namespaces/default/configmaps?limit=1&continue=" + token;
                for (String path : new String[] {exact, continued}) {
                    ApiClient.Response byFake = f.get(path);
                    ApiClient.Response byRef = r.get(path);
                    assertEquals(410, byFake.code(), byFake.body());
                    assertEquals(byRef.code(), byFake.code(), path);
                    assertEquals(byRef.json(), byFake.json(), path);
                }
                assertEquals(
                        "The resourceVersion for the provided list is too old.",
                        f.get(exact).json().path("message").asText());
                String again = f.get(continued)
                        .json()
                        .path("metadata")
                        .path("continue")
                        .asText();
                assertEquals(
                        "{\"v\":\"meta.k8s.io/v1\",\"rv\":-1,\"start\":\"cm1\\u0000\"}",
                        new String(Base64.getUrlDecoder().decode(again), StandardCharsets.UTF_8));
                // the -1 token goes on at the latest revision, after the key it names
                JsonNode rest = f.get("/api/v1/namespaces/default/configmaps?continue=" + again)
                        .json();
                assertEquals(
                        "cm2",
                        rest.path("items").path(0).path("metadata").path("name").asText());
                assertEquals(
                        "cm3",
                        rest.path("items").path(1).path("metadata").path("name").asText());
                assertEquals(
                        r.get("/api/v1/namespaces/default/configmaps?continue=" + again)
                                .json()
                                .path("items")
                                .size(),
                        rest.path("items").size());
            }
        }
    }

    @Test
    void eventsCarryLeasesAsTheReferenceAndDisappearWhenTheyExpire() throws Exception {
        try (EtcdTargets.SharedEtcd etcd = EtcdTargets.SharedEtcd.startOrSkip(dir);
                TestApiServer fake = fake(etcd, EtcdOptions.defaults().withEventTtl(Duration.ofSeconds(100)));
                TestApiServer shortLived = fake(etcd, EtcdOptions.defaults().withEventTtl(Duration.ofSeconds(4)));
                KubeApiServerProcess ref = reference(etcd, "--event-ttl=100s")) {
            Etcdctl ctl = etcd.etcdctl();
            for (String name : new String[] {"f1", "f2"}) {
                createEvent(fake.admin(), name);
            }
            for (String name : new String[] {"r1", "r2"}) {
                createEvent(ref.admin(), name);
            }
            long fakeLease = lease(ctl, "f1");
            long refLease = lease(ctl, "r1");
            assertNotEquals(0, fakeLease);
            // one lease for the Events written within the reuse window (100s + 5%, at most 60s: 105s)
            assertEquals(fakeLease, lease(ctl, "f2"));
            assertEquals(refLease, lease(ctl, "r2"));
            assertEquals(grantedTtl(ctl, refLease), grantedTtl(ctl, fakeLease));
            assertEquals(105, grantedTtl(ctl, fakeLease));

            createEvent(shortLived.admin(), "short");
            assertEquals(4, grantedTtl(ctl, lease(ctl, "short")));
            String path = "/api/v1/namespaces/default/events/short";
            waitFor(() -> shortLived.admin().get(path).code() == 404, Duration.ofSeconds(30));
            assertEquals(404, fake.admin().get(path).code());
            assertEquals(
                    200,
                    fake.admin().get("/api/v1/namespaces/default/events/f1").code());
        }
    }

    @Test
    void healthChecksListAsTheReferenceAndFailWithEtcd() throws Exception {
        EtcdTargets.SharedEtcd etcd = EtcdTargets.SharedEtcd.startOrSkip(dir);
        try (TestApiServer fake = fake(etcd, EtcdOptions.defaults())) {
            ApiClient f = fake.admin();
            for (String endpoint : new String[] {"healthz", "livez", "readyz"}) {
                ApiClient.Response r = f.get("/" + endpoint + "?verbose");
                assertEquals(200, r.code());
                assertEquals(Golden.text("health/" + endpoint + "-verbose.txt"), r.body());
            }
            assertEquals("ok", f.get("/readyz/etcd-readiness").body());
            assertEquals(
                    "ok", f.get("/healthz/poststarthook/rbac/bootstrap-roles").body());
            assertEquals(404, f.get("/livez/etcd-readiness").code());

            etcd.close();
            for (String endpoint : new String[] {"healthz", "livez", "readyz"}) {
                ApiClient.Response r = f.get("/" + endpoint);
                assertEquals(500, r.code());
                assertEquals(Golden.text("health/" + endpoint + "-etcd-down.txt"), r.body());
            }
            ApiClient.Response one = f.get("/healthz/etcd");
            assertEquals(500, one.code());
            assertEquals(
                    "internal server error: error getting data from etcd: context deadline exceeded\n", one.body());
            assertEquals(
                    "ok", f.get("/readyz?exclude=etcd&exclude=etcd-readiness").body());
        } finally {
            etcd.close();
        }
    }

    private static void createEvent(ApiClient client, String name) {
        ApiClient.Response r = client.post(
                "/api/v1/namespaces/default/events",
                "{\"metadata\":{\"name\":\"" + name + "\"},\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"p\","
                        + "\"namespace\":\"default\"},\"reason\":\"Test\",\"message\":\"hello\",\"type\":\"Normal\"}");
        assertEquals(201, r.code(), r.body());
    }

    private static long lease(Etcdctl ctl, String event) throws Exception {
        JsonNode kvs = JSON.readTree(ctl.run(null, "get", "/registry/events/default/" + event, "-w", "json"))
                .path("kvs");
        assertEquals(1, kvs.size(), event);
        return kvs.get(0).path("lease").asLong();
    }

    /** The TTL a lease was granted with, as etcdctl prints it (its {@code granted-ttl}). */
    private static long grantedTtl(Etcdctl ctl, long lease) throws Exception {
        JsonNode ttl = JSON.readTree(ctl.run(null, "lease", "timetolive", Long.toHexString(lease), "-w", "json"));
        return ttl.path("granted-ttl").asLong();
    }

    private static JsonNode compactRevKey(Etcdctl ctl) {
        try {
            JsonNode kvs = JSON.readTree(ctl.run(null, "get", "compact_rev_key", "-w", "json"))
                    .path("kvs");
            if (kvs.isEmpty()) {
                return JSON.createObjectNode();
            }
            var kv = (com.fasterxml.jackson.databind.node.ObjectNode) kvs.get(0).deepCopy();
            kv.put(
                    "value",
                    new String(Base64.getDecoder().decode(kv.path("value").asText()), StandardCharsets.UTF_8));
            return kv;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls a condition that the servers' timers make true; fails after {@code limit} (no timing asserted). */
    private static void waitFor(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "condition not reached within " + limit);
            Thread.sleep(200);
        }
    }
}

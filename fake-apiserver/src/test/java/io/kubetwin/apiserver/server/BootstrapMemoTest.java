package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A start from the JVM's memo of the bootstrap writes stores what a start that computes them stores, but for the
 * per-start values (uids, creationTimestamps, managedFields' and conditions' times, resourceVersions), in the same
 * resourceVersion order; and servers started from one memo share no object.
 */
class BootstrapMemoTest {
    /** The resources the start-up's bootstrap writes go to. */
    private static final List<ResourceKey> BOOTSTRAPPED = List.of(
            new ResourceKey("", "namespaces"),
            new ResourceKey("rbac.authorization.k8s.io", "clusterroles"),
            new ResourceKey("rbac.authorization.k8s.io", "clusterrolebindings"),
            new ResourceKey("rbac.authorization.k8s.io", "roles"),
            new ResourceKey("rbac.authorization.k8s.io", "rolebindings"),
            new ResourceKey("scheduling.k8s.io", "priorityclasses"),
            new ResourceKey("apiregistration.k8s.io", "apiservices"),
            new ResourceKey("flowcontrol.apiserver.k8s.io", "flowschemas"),
            new ResourceKey("flowcontrol.apiserver.k8s.io", "prioritylevelconfigurations"));

    private Vertx vertx;
    private final List<FakeApiServer> started = new ArrayList<>();

    @BeforeEach
    void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void close() throws Exception {
        for (FakeApiServer s : started) {
            get(s.stop());
        }
        get(vertx.close());
    }

    private static <T> T get(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private FakeApiServer start(ApiServerConfig config, BootstrapMemo memo) throws Exception {
        FakeApiServer server = get(FakeApiServer.start(vertx, config, memo));
        started.add(server);
        return server;
    }

    /** Configurations whose bootstrap writes differ (policy, served versions, gates) or whose admission does. */
    private static Map<String, ApiServerConfig> configurations() {
        Map<String, ApiServerConfig> configs = new LinkedHashMap<>();
        configs.put("defaults", ApiServerConfig.builder().build());
        configs.put(
                "KubeletServiceAccountTokenForCredentialProviders off",
                ApiServerConfig.builder()
                        .featureGates(List.of("KubeletServiceAccountTokenForCredentialProviders=false"), null)
                        .build());
        configs.put(
                "emulated 1.33",
                ApiServerConfig.builder().featureGates(List.of(), "1.33").build());
        configs.put(
                "AlwaysAllow, no Priority admission",
                ApiServerConfig.builder()
                        .authorizationModes(List.of("AlwaysAllow"))
                        .disableAdmissionPlugins(List.of("Priority"))
                        .build());
        configs.put(
                "other service range",
                ApiServerConfig.builder().serviceClusterIpRange("10.96.0.0/12").build());
        return configs;
    }

    /**
     * One memo for every configuration in turn, so that a key that missed what tells two configurations apart would
     * hand one the other's objects; each compared with a start that computes its writes (a memo that keeps nothing).
     */
    @Test
    void startsFromTheMemoStoreWhatComputedStartsStore() throws Exception {
        BootstrapMemo memo = BootstrapMemo.create(true);
        List<List<String>> perConfiguration = new ArrayList<>();
        for (Map.Entry<String, ApiServerConfig> c : configurations().entrySet()) {
            ApiServerConfig config = c.getValue();
            Snapshot computed = snapshot(start(config, BootstrapMemo.create(false)));
            start(config, memo); // computes (or, for a key seen before, is from the memo) and keeps
            assertTrue(memo.get(BootstrapMemo.key(config).orElseThrow()).isPresent(), c.getKey() + ": kept");
            FakeApiServer later = start(config, memo);
            Snapshot fromMemo = snapshot(later);
            assertEquals(computed.objects(), fromMemo.objects(), c.getKey());
            assertEquals(computed.order(), fromMemo.order(), c.getKey() + ": resourceVersion order");
            // fresh per-start values: no uid of the computed start's comes back
            Set<String> uids = new HashSet<>(computed.uids());
            uids.retainAll(fromMemo.uids());
            assertEquals(Set.of(), uids, c.getKey());
            assertEquals(computed.uids().size(), new HashSet<>(fromMemo.uids()).size(), c.getKey() + ": uids unique");
            perConfiguration.add(fromMemo.objects());
        }
        // the configurations do differ in what is stored, so the comparisons above could tell them apart
        assertNotEquals(perConfiguration.get(0), perConfiguration.get(1));
        assertNotEquals(perConfiguration.get(0), perConfiguration.get(2));
    }

    /** What one server's store holds is its own: changed in place, neither the memo nor a later server sees it. */
    @Test
    void serversStartedFromOneMemoShareNoObject() throws Exception {
        BootstrapMemo memo = BootstrapMemo.create(true);
        ApiServerConfig config = ApiServerConfig.builder().build();
        start(config, memo);
        FakeApiServer first = start(config, memo);
        Snapshot before = snapshot(first);
        // the store's own objects (listShared hands them out uncopied), scribbled over
        for (ResourceKey r : BOOTSTRAPPED) {
            for (ObjectNode o : get(first.storage().listShared(r, null)).items()) {
                ((ObjectNode) o.get("metadata"))
                        .put("name", "scribbled")
                        .putObject("labels")
                        .put("x", "y");
                o.remove("rules");
            }
        }
        Snapshot second = snapshot(start(config, memo));
        assertEquals(before.objects(), second.objects());
        assertFalse(second.objects().stream().anyMatch(s -> s.contains("scribbled")));
    }

    /** The objects with their per-start values blanked, by resource then name; names in resourceVersion order. */
    private record Snapshot(List<String> objects, List<String> order, List<String> uids) {}

    private static Snapshot snapshot(FakeApiServer server) throws Exception {
        Storage storage = server.storage();
        List<String> objects = new ArrayList<>();
        List<String> uids = new ArrayList<>();
        List<Map.Entry<Long, String>> byVersion = new ArrayList<>();
        for (ResourceKey r : BOOTSTRAPPED) {
            List<ObjectNode> items = new ArrayList<>(get(storage.list(r, null)).items());
            items.sort(Comparator.comparing(
                    o -> o.path("metadata").path("namespace").asText() + "/"
                            + o.path("metadata").path("name").asText()));
            for (ObjectNode o : items) {
                ObjectNode meta = (ObjectNode) o.get("metadata");
                String id = r.resource() + " " + meta.path("namespace").asText() + "/"
                        + meta.path("name").asText();
                uids.add(meta.path("uid").asText());
                // the aggregated roles may be written by the aggregation controller as well as by the start-up, in
                // an order that depends on timing on either path: their content is compared, not their place
                if (!o.has("aggregationRule")) {
                    byVersion.add(Map.entry(meta.path("resourceVersion").asLong(), id));
                }
                assertTrue(meta.path("resourceVersion").asLong() > 0, id);
                assertTrue(
                        meta.path("creationTimestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"),
                        id);
                meta.put("uid", "UID").put("creationTimestamp", "T").put("resourceVersion", "RV");
                for (JsonNode entry : meta.path("managedFields")) {
                    ((ObjectNode) entry).put("time", "T");
                }
                for (JsonNode condition : o.path("status").path("conditions")) {
                    ((ObjectNode) condition).put("lastTransitionTime", "T");
                }
                objects.add(id + " " + o);
            }
        }
        byVersion.sort(Map.Entry.comparingByKey());
        return new Snapshot(objects, byVersion.stream().map(Map.Entry::getValue).toList(), uids);
    }
}

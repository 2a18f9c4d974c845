package io.kubetwin.apiserver.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.authz.node.NodeGraph;
import io.kubetwin.apiserver.authz.rbac.BootstrapPolicy;
import io.kubetwin.apiserver.authz.rbac.ClusterRoleAggregator;
import io.kubetwin.apiserver.authz.rbac.PolicyRule;
import io.kubetwin.apiserver.authz.rbac.Rbac;
import io.kubetwin.apiserver.authz.rbac.RbacPolicyIndex;
import io.kubetwin.apiserver.controllers.AggregatedRules;
import io.kubetwin.apiserver.controllers.Controller;
import io.kubetwin.apiserver.controllers.Controllers;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Authorizer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a fresh cluster has before the first request, and the in-process stand-ins for the control
 * plane around kube-apiserver: the RBAC index fed from storage (the informers of the RBAC authorizer),
 * the system namespaces and bootstrap policy (the apiserver's post-start hooks), and the
 * kube-controller-manager controllers that security behaviour depends on ({@link Controllers}).
 */
final class ControlPlane {
    /** The loopback identity kube-apiserver uses for its own writes. */
    static final UserInfo SYSTEM = new UserInfo("system:apiserver", "", List.of("system:masters"), Map.of());

    private final Vertx vertx;
    private final GenericRegistry registry;
    private final RbacPolicyIndex rbacIndex;
    private final NodeGraph nodeGraph;
    private final ServerPki pki;
    private final Clock clock;
    private final Authorizer authorizer;
    private final BootstrapPolicy policy;
    private final List<Storage.Watch> watches = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Controller> controllers = new ArrayList<>();

    /**
     * @param apiserverControllers controllers that are part of kube-apiserver itself (the apiextensions
     *                             controllers), started before kube-controller-manager's stand-ins
     * @param policy the bootstrap RBAC policy, as the feature gates make it ({@link BootstrapPolicy#withGates})
     */
    ControlPlane(
            Vertx vertx,
            GenericRegistry registry,
            RbacPolicyIndex rbacIndex,
            NodeGraph nodeGraph,
            ServerPki pki,
            Authorizer authorizer,
            List<Controller> apiserverControllers,
            Clock clock,
            BootstrapPolicy policy) {
        this.policy = policy;
        this.vertx = vertx;
        this.authorizer = authorizer;
        this.controllers.addAll(apiserverControllers);
        this.registry = registry;
        this.rbacIndex = rbacIndex;
        this.nodeGraph = nodeGraph;
        this.pki = pki;
        this.clock = clock;
    }

    Future<Void> start() {
        Storage storage = registry.storage();
        List<Future<Storage.Watch>> feeds = new ArrayList<>();
        for (String resource :
                List.of(Rbac.ROLES, Rbac.CLUSTER_ROLES, Rbac.ROLE_BINDINGS, Rbac.CLUSTER_ROLE_BINDINGS)) {
            feeds.add(inform(storage, new ResourceKey(Rbac.GROUP, resource), rbacIndex::apply));
        }
        // the Node authorizer's graph, as graph_populator.go feeds it from the pod informer
        feeds.add(inform(storage, new ResourceKey("", "pods"), nodeGraph::apply));
        long began = System.nanoTime();
        return Future.all(feeds)
                .onSuccess(v -> FakeApiServer.phase("control plane: informers", began))
                .compose(v -> {
                    controllers.addAll(Controllers.standard(vertx, registry, pki.clusterCa(), authorizer, clock));
                    // in list order: the apiserver's own controllers first
                    Future<Void> chain = Future.succeededFuture();
                    for (Controller c : controllers) {
                        chain = chain.compose(x -> c.start());
                    }
                    return chain;
                })
                .onSuccess(v -> FakeApiServer.phase("control plane: controllers", began))
                .compose(v -> registry.bootstrapNamespaces())
                .onSuccess(v -> FakeApiServer.phase("control plane: namespaces", began))
                .compose(v -> bootstrapObjects())
                .onSuccess(v -> FakeApiServer.phase("control plane: bootstrap objects", began))
                .mapEmpty();
    }

    /**
     * An informer's list-then-watch: what a persistent or shared store already holds is fed as ADDED, then
     * the changes after the list.
     */
    private Future<Storage.Watch> inform(Storage storage, ResourceKey resource, Consumer<WatchEvent> listener) {
        return storage.list(resource, null)
                .compose(list -> {
                    for (ObjectNode item : list.items()) {
                        JsonNode meta = item.path("metadata");
                        listener.accept(new WatchEvent(
                                WatchEvent.Type.ADDED,
                                resource.object(
                                        meta.path("namespace").asText(""),
                                        meta.path("name").asText()),
                                item,
                                list.resourceVersion()));
                    }
                    return storage.watch(resource, null, list.resourceVersion(), listener);
                })
                .onSuccess(watches::add);
    }

    /**
     * The APIServices, FlowSchemas and PriorityLevelConfigurations kube-apiserver creates at start-up (its
     * aggregator's autoregistration and the APF bootstrap configuration), as recorded from the reference
     * ({@code bootstrap-objects.json}); their conditions date from this start.
     */
    private Map<ServedResource, List<ObjectNode>> recordedObjects() {
        JsonNode recorded;
        try (InputStream in = ControlPlane.class.getResourceAsStream("bootstrap-objects.json")) {
            recorded = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        Map<ServedResource, List<ObjectNode>> byResource = new LinkedHashMap<>();
        java.util.Set<String> servedVersions = registry.catalog().groupVersions();
        for (JsonNode item : recorded) {
            if (item.path("kind").asText().equals("APIService") && !servedVersions.contains(servedGroupVersion(item))) {
                // the aggregator registers an APIService per group version served: fewer at an emulated release
                continue;
            }
            ObjectNode object = ((ObjectNode) item).deepCopy();
            for (JsonNode c : object.path("status").path("conditions")) {
                ((ObjectNode) c).put("lastTransitionTime", now);
            }
            String apiVersion = object.path("apiVersion").asText();
            int slash = apiVersion.indexOf('/');
            ServedResource served = registry.catalog()
                    .lookupKind(
                            apiVersion.substring(0, slash),
                            apiVersion.substring(slash + 1),
                            object.path("kind").asText())
                    .orElseThrow();
            byResource.computeIfAbsent(served, k -> new ArrayList<>()).add(object);
        }
        return byResource;
    }

    /** An APIService's group version as the catalog names it ({@code v1} for the core group). */
    private static String servedGroupVersion(JsonNode apiService) {
        String group = apiService.path("spec").path("group").asText();
        String version = apiService.path("spec").path("version").asText();
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The system priority classes kube-apiserver's scheduling bootstrap creates (pkg/apis/scheduling SystemPriorityClasses). */
    private Map<ServedResource, List<ObjectNode>> priorityClasses() {
        ServedResource served = registry.catalog()
                .lookup("scheduling.k8s.io", "v1", "priorityclasses")
                .orElseThrow();
        String[][] classes = {
            {
                "system-node-critical",
                "2000001000",
                "Used for system critical pods that must not be moved from their current node."
            },
            {
                "system-cluster-critical",
                "2000000000",
                "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."
            }
        };
        List<ObjectNode> objects = new ArrayList<>();
        for (String[] c : classes) {
            ObjectNode pc = JsonNodeFactory.instance.objectNode();
            pc.put("kind", "PriorityClass").put("apiVersion", "scheduling.k8s.io/v1");
            pc.putObject("metadata").put("name", c[0]);
            pc.put("value", Integer.parseInt(c[1])).put("description", c[2]);
            objects.add(pc);
        }
        return Map.of(served, objects);
    }

    /**
     * The bootstrap policy, the system priority classes and the recorded APIServices and APF objects (upstream's
     * post-start hooks, which run side by side), created together where missing; then the aggregated roles' rules.
     */
    private Future<Void> bootstrapObjects() {
        Map<ServedResource, List<ObjectNode>> byResource = new LinkedHashMap<>(policyObjects(policy));
        priorityClasses().forEach((served, objects) -> byResource.merge(served, objects, ControlPlane::concat));
        recordedObjects().forEach((served, objects) -> byResource.merge(served, objects, ControlPlane::concat));
        // created as recorded (the aggregated roles without rules), then their rules applied by the aggregation
        // controller's field manager before serving, so that RBAC is complete from the first request; on a
        // persistent store the policy is already there from an earlier start: kept as found (upstream also
        // reconciles missing rules into it, which the fake does not)
        Future<Void> chain = createMissing(byResource);
        for (Map.Entry<String, List<PolicyRule>> aggregated :
                ClusterRoleAggregator.reconcile(policy.clusterRoles()).entrySet()) {
            chain = chain.compose(v -> AggregatedRules.apply(registry, aggregated.getKey(), aggregated.getValue())
                    .mapEmpty());
        }
        return chain;
    }

    private static List<ObjectNode> concat(List<ObjectNode> a, List<ObjectNode> b) {
        List<ObjectNode> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private Map<ServedResource, List<ObjectNode>> policyObjects(BootstrapPolicy policy) {
        Map<ServedResource, List<ObjectNode>> byResource = new LinkedHashMap<>();
        for (ObjectNode object : policy.objects()) {
            String plural =
                    switch (object.path("kind").asText()) {
                        case "ClusterRole" -> Rbac.CLUSTER_ROLES;
                        case "ClusterRoleBinding" -> Rbac.CLUSTER_ROLE_BINDINGS;
                        case "Role" -> Rbac.ROLES;
                        default -> Rbac.ROLE_BINDINGS;
                    };
            ServedResource served =
                    registry.catalog().lookupAnyVersion(Rbac.GROUP, plural).orElseThrow();
            byResource.computeIfAbsent(served, k -> new ArrayList<>()).add(object.deepCopy());
        }
        return byResource;
    }

    /**
     * Creates those bootstrap objects the store does not hold yet, as the bootstrap hooks upstream read each object
     * before creating it: one list per resource tells which exist (on a persistent store, usually all), then the
     * missing ones are created with one {@link GenericRegistry#createAll} (one transaction on the embedded store,
     * where a write each was mostly fsync time). One created meanwhile by another server sharing the store is kept.
     */
    private Future<Void> createMissing(Map<ServedResource, List<ObjectNode>> objects) {
        List<Future<List<GenericRegistry.NewObject>>> missing = new ArrayList<>();
        objects.forEach((served, items) ->
                missing.add(registry.storage().list(served.storageKey(), null).map(existing -> {
                    Set<String> present = new HashSet<>();
                    for (ObjectNode o : existing.items()) {
                        present.add(namespacedName(o));
                    }
                    List<GenericRegistry.NewObject> absent = new ArrayList<>();
                    for (ObjectNode object : items) {
                        if (!present.contains(namespacedName(object))) {
                            String namespace =
                                    object.path("metadata").path("namespace").asText("");
                            absent.add(new GenericRegistry.NewObject(served, namespace, object));
                        }
                    }
                    return absent;
                })));
        return Future.all(missing).compose(v -> {
            List<GenericRegistry.NewObject> all = new ArrayList<>();
            missing.forEach(m -> all.addAll(m.result()));
            return all.isEmpty() ? Future.succeededFuture() : registry.createAll(all, SYSTEM);
        });
    }

    private static String namespacedName(ObjectNode object) {
        JsonNode meta = object.path("metadata");
        return meta.path("namespace").asText("") + "/" + meta.path("name").asText();
    }

    Future<Void> stop() {
        watches.forEach(Storage.Watch::close);
        return Future.all(controllers.stream().map(Controller::stop).toList()).mapEmpty();
    }
}

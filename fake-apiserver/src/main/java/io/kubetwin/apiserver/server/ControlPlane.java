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
import io.kubetwin.apiserver.registry.Meta;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.storage.ObjectKey;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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
    private final BootstrapMemo memo;
    /** The memo's key of this configuration; empty when the store is not a fresh in-memory one. */
    private final Optional<BootstrapMemo.Key> memoKey;

    private final List<Storage.Watch> watches = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Controller> controllers = new ArrayList<>();

    /**
     * @param apiserverControllers controllers that are part of kube-apiserver itself (the apiextensions
     *                             controllers), started before kube-controller-manager's stand-ins
     * @param policy the bootstrap RBAC policy, as the feature gates make it ({@link BootstrapPolicy#withGates})
     * @param memo where the bootstrap writes of a configuration are kept for later starts in the JVM
     * @param memoKey this configuration's key in {@code memo} ({@link BootstrapMemo#key}), empty to compute them
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
            BootstrapPolicy policy,
            BootstrapMemo memo,
            Optional<BootstrapMemo.Key> memoKey) {
        this.policy = policy;
        this.memo = memo;
        this.memoKey = memoKey;
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
                .compose(v -> bootstrap(began))
                .mapEmpty();
    }

    /**
     * The system namespaces, then the bootstrap objects and the aggregated roles' rules: from the memo when this
     * configuration started before in the JVM and the store holds none of them, else computed (and kept in the memo
     * when every one of them was written, as on a fresh store).
     */
    private Future<Void> bootstrap(long began) {
        var memoized = memoKey.flatMap(memo::get);
        if (memoized.isEmpty()) {
            return computed(began);
        }
        return nonePresent(memoized.get()).compose(fresh -> fresh ? fromMemo(memoized.get(), began) : computed(began));
    }

    private Future<Void> computed(long began) {
        Recording recording = new Recording();
        return registry.absentSystemNamespaces()
                .compose(absent -> {
                    List<Storage.Creation> creations = registry.systemNamespaces(absent);
                    recording.complete &= absent.size() == GenericRegistry.SYSTEM_NAMESPACES.size();
                    recording.namespaces = BootstrapMemo.Templates.frozenCopy(creations);
                    // one that another server sharing the store created meanwhile is kept
                    return creations.isEmpty()
                            ? Future.succeededFuture()
                            : registry.storage().createAll(creations).mapEmpty();
                })
                .onSuccess(v -> FakeApiServer.phase("control plane: namespaces", began))
                .compose(v -> bootstrapObjects(recording))
                .onSuccess(v -> FakeApiServer.phase("control plane: bootstrap objects", began))
                .onSuccess(v -> {
                    if (recording.complete) {
                        memoKey.ifPresent(k -> memo.put(
                                k,
                                new BootstrapMemo.Templates(
                                        recording.namespaces, recording.objects, recording.updates)));
                    }
                });
    }

    /** What a start wrote, for the memo; {@code complete} while every bootstrap write happened. */
    private static final class Recording {
        boolean complete = true;
        List<Storage.Creation> namespaces = List.of();
        List<Storage.Creation> objects = List.of();
        final List<Storage.Creation> updates = new ArrayList<>();
    }

    /** Whether the store holds none of the memo's objects (on a fresh in-memory store: always). */
    private Future<Boolean> nonePresent(BootstrapMemo.Templates templates) {
        Map<ResourceKey, Set<String>> names = new LinkedHashMap<>();
        List<Storage.Creation> all = new ArrayList<>(templates.namespaces());
        all.addAll(templates.objects());
        for (Storage.Creation c : all) {
            names.computeIfAbsent(new ResourceKey(c.key().group(), c.key().resource()), k -> new HashSet<>())
                    .add(c.key().namespace() + "/" + c.key().name());
        }
        List<Future<Boolean>> checks = new ArrayList<>();
        names.forEach((resource, wanted) -> checks.add(registry.storage()
                .listShared(resource, null)
                .map(list -> list.items().stream().noneMatch(o -> wanted.contains(namespacedName(o))))));
        return Future.all(checks).map(v -> checks.stream().allMatch(Future::result));
    }

    /**
     * The memo's writes with this start's uids and times, in the same order and with the same store operations as
     * {@link #computed} (so the same resourceVersion order and watch events): the namespaces, the bootstrap objects,
     * then each aggregated role's update of the role just created.
     */
    private Future<Void> fromMemo(BootstrapMemo.Templates templates, long began) {
        Storage storage = registry.storage();
        return storage.createAll(stamped(templates.namespaces()))
                .onSuccess(v -> FakeApiServer.phase("control plane: namespaces (memo)", began))
                .compose(v -> storage.createAll(stamped(templates.objects())))
                .compose(stored -> {
                    Map<ObjectKey, ObjectNode> byKey = new HashMap<>();
                    for (int i = 0; i < stored.size(); i++) {
                        if (stored.get(i) != null) {
                            byKey.put(templates.objects().get(i).key(), stored.get(i));
                        }
                    }
                    String now =
                            Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
                    Map<String, List<PolicyRule>> wanted = ClusterRoleAggregator.reconcile(policy.clusterRoles());
                    Future<Void> chain = Future.succeededFuture();
                    for (Storage.Creation update : templates.updates()) {
                        String name = update.key().name();
                        ObjectNode role = byKey.get(update.key());
                        if (role == null) {
                            // created meanwhile by another writer (not on a fresh store): as the computed start
                            chain = chain.compose(v -> AggregatedRules.apply(registry, name, wanted.get(name))
                                    .mapEmpty());
                            continue;
                        }
                        JsonNode created = role.path("metadata");
                        String createdVersion = created.path("resourceVersion").asText();
                        // the memo's update is the apply of these rules to the role as created; a role that the
                        // aggregation controller wrote meanwhile is applied to as the computed start does
                        chain = chain.compose(v -> storage.get(update.key()).compose(current -> {
                            if (!createdVersion.equals(current.path("metadata")
                                    .path("resourceVersion")
                                    .asText())) {
                                return AggregatedRules.apply(registry, name, wanted.get(name))
                                        .mapEmpty();
                            }
                            Storage.Creation write = BootstrapMemo.stamp(
                                    update,
                                    created.path("uid").asText(),
                                    created.path("creationTimestamp").asText(),
                                    now);
                            ((ObjectNode) write.object().get("metadata")).put("resourceVersion", createdVersion);
                            return storage.update(write.key(), write.object(), createdVersion)
                                    .<Void>mapEmpty()
                                    .recover(e -> e instanceof StorageException se
                                                    && se.reason() == StorageException.Reason.CONFLICT
                                            ? AggregatedRules.apply(registry, name, wanted.get(name))
                                                    .mapEmpty()
                                            : Future.failedFuture(e));
                        }));
                    }
                    return chain;
                })
                .onSuccess(v -> FakeApiServer.phase("control plane: bootstrap objects (memo)", began));
    }

    private List<Storage.Creation> stamped(List<Storage.Creation> templates) {
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        List<Storage.Creation> writes = new ArrayList<>(templates.size());
        for (Storage.Creation t : templates) {
            writes.add(BootstrapMemo.stamp(t, UUID.randomUUID().toString(), now, now));
        }
        return writes;
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
    private Future<Void> bootstrapObjects(Recording recording) {
        Map<ServedResource, List<ObjectNode>> byResource = new LinkedHashMap<>(policyObjects(policy));
        priorityClasses().forEach((served, objects) -> byResource.merge(served, objects, ControlPlane::concat));
        recordedObjects().forEach((served, objects) -> byResource.merge(served, objects, ControlPlane::concat));
        // created as recorded (the aggregated roles without rules), then their rules applied by the aggregation
        // controller's field manager before serving, so that RBAC is complete from the first request; on a
        // persistent store the policy is already there from an earlier start: kept as found (upstream also
        // reconciles missing rules into it, which the fake does not)
        Map<String, String> createdVersions = new HashMap<>();
        Future<Void> chain = createMissing(byResource, recording).map(created -> {
            for (ObjectNode o : created) {
                if (o != null && "ClusterRole".equals(o.path("kind").asText())) {
                    createdVersions.put(
                            Meta.name(o),
                            o.path("metadata").path("resourceVersion").asText());
                }
            }
            return null;
        });
        for (Map.Entry<String, List<PolicyRule>> aggregated :
                ClusterRoleAggregator.reconcile(policy.clusterRoles()).entrySet()) {
            chain = chain.compose(v -> AggregatedRules.apply(registry, aggregated.getKey(), aggregated.getValue())
                    .map(applied -> {
                        String before = createdVersions.get(aggregated.getKey());
                        if (before != null
                                && !before.equals(applied.path("metadata")
                                        .path("resourceVersion")
                                        .asText())) {
                            // written once, over the role this start created: the memo replays it
                            ServedResource clusterRoles = registry.catalog()
                                    .lookup(Rbac.GROUP, "v1", Rbac.CLUSTER_ROLES)
                                    .orElseThrow();
                            recording.updates.add(new Storage.Creation(
                                    clusterRoles.storageKey().object("", aggregated.getKey()), applied.deepCopy()));
                        } else {
                            recording.complete = false;
                        }
                        return null;
                    }));
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
    private Future<List<ObjectNode>> createMissing(Map<ServedResource, List<ObjectNode>> objects, Recording recording) {
        List<Future<List<GenericRegistry.NewObject>>> missing = new ArrayList<>();
        objects.forEach((served, items) ->
                missing.add(registry.storage().list(served.storageKey(), null).map(existing -> {
                    Set<String> present = new HashSet<>();
                    for (ObjectNode o : existing.items()) {
                        present.add(namespacedName(o));
                    }
                    List<GenericRegistry.NewObject> absent = new ArrayList<>();
                    for (ObjectNode object : items) {
                        if (present.contains(namespacedName(object))) {
                            recording.complete = false;
                        } else {
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
            if (all.isEmpty()) {
                return Future.succeededFuture(List.of());
            }
            return registry.admitAll(all, SYSTEM).compose(creations -> {
                recording.objects = BootstrapMemo.Templates.frozenCopy(creations);
                return registry.storage().createAll(creations);
            });
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

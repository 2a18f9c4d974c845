package io.kubetwin.apiserver.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.authz.node.NodeGraph;
import io.kubetwin.apiserver.authz.rbac.BootstrapPolicy;
import io.kubetwin.apiserver.authz.rbac.Rbac;
import io.kubetwin.apiserver.authz.rbac.RbacPolicyIndex;
import io.kubetwin.apiserver.controllers.Controller;
import io.kubetwin.apiserver.controllers.Controllers;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Authorizer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    private final List<Storage.Watch> watches = new ArrayList<>();
    private final List<Controller> controllers = new ArrayList<>();

    /**
     * @param apiserverControllers controllers that are part of kube-apiserver itself (the apiextensions
     *                             controllers), started before kube-controller-manager's stand-ins
     */
    ControlPlane(
            Vertx vertx,
            GenericRegistry registry,
            RbacPolicyIndex rbacIndex,
            NodeGraph nodeGraph,
            ServerPki pki,
            Authorizer authorizer,
            List<Controller> apiserverControllers,
            Clock clock) {
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
            feeds.add(storage.watch(
                            new ResourceKey(Rbac.GROUP, resource),
                            null,
                            storage.currentResourceVersion(),
                            rbacIndex::apply)
                    .onSuccess(watches::add));
        }
        // the Node authorizer's graph, as graph_populator.go feeds it from the pod informer
        feeds.add(storage.watch(new ResourceKey("", "pods"), null, storage.currentResourceVersion(), nodeGraph::apply)
                .onSuccess(watches::add));
        return Future.all(feeds)
                .compose(v -> {
                    controllers.addAll(Controllers.standard(vertx, registry, pki.clusterCa(), authorizer, clock));
                    // in list order: the apiserver's own controllers first
                    Future<Void> chain = Future.succeededFuture();
                    for (Controller c : controllers) {
                        chain = chain.compose(x -> c.start());
                    }
                    return chain;
                })
                .compose(v -> registry.bootstrapNamespaces())
                .compose(v -> bootstrapPolicy())
                .mapEmpty();
    }

    private Future<Void> bootstrapPolicy() {
        Future<Void> chain = Future.succeededFuture();
        for (ObjectNode object : BootstrapPolicy.load().objectsWithAggregatedRules()) {
            String plural =
                    switch (object.path("kind").asText()) {
                        case "ClusterRole" -> Rbac.CLUSTER_ROLES;
                        case "ClusterRoleBinding" -> Rbac.CLUSTER_ROLE_BINDINGS;
                        case "Role" -> Rbac.ROLES;
                        default -> Rbac.ROLE_BINDINGS;
                    };
            ServedResource served =
                    registry.catalog().lookupAnyVersion(Rbac.GROUP, plural).orElseThrow();
            String namespace = object.path("metadata").path("namespace").asText("");
            chain = chain.compose(v -> registry.create(served, namespace, object.deepCopy(), SYSTEM, false)
                    .mapEmpty());
        }
        return chain;
    }

    Future<Void> stop() {
        watches.forEach(Storage.Watch::close);
        return Future.all(controllers.stream().map(Controller::stop).toList()).mapEmpty();
    }
}

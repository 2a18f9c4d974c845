package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.authz.rbac.ClusterRole;
import io.kubetwin.apiserver.authz.rbac.ClusterRoleAggregator;
import io.kubetwin.apiserver.authz.rbac.PolicyRule;
import io.kubetwin.apiserver.authz.rbac.Rbac;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The clusterrole-aggregation controller (pkg/controller/clusterroleaggregation): whenever any
 * ClusterRole changes, every ClusterRole with an aggregationRule gets as {@code rules} the union of the
 * rules of the roles its selectors match ({@link ClusterRoleAggregator}). Upstream applies the rules
 * with server-side apply and falls back to an update when apply is unsupported, as it is here.
 * All aggregated roles are synced under one key, since any change may affect any of them.
 */
final class ClusterRoleAggregationController extends QueueController {
    static final String NAME = "clusterrole-aggregation-controller";
    private static final String ALL = "*";

    private final UserInfo identity = ControllerIdentity.serviceAccount(NAME);

    ClusterRoleAggregationController(Vertx vertx, GenericRegistry registry) {
        super(vertx, registry, NAME);
    }

    @Override
    protected List<Source> sources() {
        return List.of(new Source(Rbac.CLUSTER_ROLES_KEY, (type, role) -> List.of(ALL)));
    }

    @Override
    protected Future<Void> sync(String key) {
        ServedResource clusterRoles =
                registry.catalog().lookup(Rbac.GROUP, "v1", Rbac.CLUSTER_ROLES).orElseThrow();
        return registry.storage().list(Rbac.CLUSTER_ROLES_KEY, null).compose(list -> {
            List<ClusterRole> roles =
                    list.items().stream().map(ClusterRole::fromJson).toList();
            Map<String, List<PolicyRule>> changed = ClusterRoleAggregator.reconcile(roles);
            List<Future<ObjectNode>> writes = new ArrayList<>();
            changed.forEach((name, rules) ->
                    writes.add(registry.get(clusterRoles, "", name).compose(current -> {
                        ObjectNode updated = current.deepCopy();
                        var array = updated.putArray("rules");
                        rules.forEach(rule -> array.add(rule.toJson()));
                        return registry.update(clusterRoles, "", name, updated, "", identity, false);
                    })));
            return Future.all(writes).mapEmpty();
        });
    }
}

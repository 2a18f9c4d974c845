package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.authz.rbac.PolicyRule;
import io.kubetwin.apiserver.authz.rbac.Rbac;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.registry.apply.WriteManager;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The write of an aggregated ClusterRole's rules, as clusterrole_aggregation_controller.go makes it: a forced
 * server-side apply of {@code rules} by the field manager {@code clusterrole-aggregation-controller}. Used by the
 * controller and by the start-up, which fills the bootstrap roles before serving. Stateless.
 */
public final class AggregatedRules {
    static final String MANAGER = "clusterrole-aggregation-controller";
    private static final UserInfo IDENTITY = ControllerIdentity.serviceAccount(MANAGER);

    private AggregatedRules() {}

    /**
     * Applies {@code rules} to the ClusterRole {@code name}; nothing is written (nor computed) when they are already
     * its rules. A conflict (the controller and the start-up writing the same role at once, on a store whose writes
     * interleave) is retried from a fresh read, as the controller's work queue requeues it.
     */
    public static Future<ObjectNode> apply(GenericRegistry registry, String name, List<PolicyRule> rules) {
        return apply(registry, name, rules, MAX_ATTEMPTS);
    }

    private static final int MAX_ATTEMPTS = 5;

    private static Future<ObjectNode> apply(
            GenericRegistry registry, String name, List<PolicyRule> rules, int attemptsLeft) {
        return applyOnce(registry, name, rules)
                .recover(e -> e instanceof StatusException se && se.code() == 409 && attemptsLeft > 1
                        ? apply(registry, name, rules, attemptsLeft - 1)
                        : Future.failedFuture(e));
    }

    private static Future<ObjectNode> applyOnce(GenericRegistry registry, String name, List<PolicyRule> rules) {
        ServedResource clusterRoles =
                registry.catalog().lookup(Rbac.GROUP, "v1", Rbac.CLUSTER_ROLES).orElseThrow();
        return registry.get(clusterRoles, "", name).compose(current -> {
            // syncClusterRole's equality.Semantic.DeepEqual: rules already in place are not applied again (nor is
            // the field manager's schema loaded for it at each start on a persistent store)
            List<PolicyRule> stored = new ArrayList<>();
            current.path("rules").forEach(r -> stored.add(PolicyRule.fromJson(r)));
            if (stored.equals(rules)) {
                return Future.succeededFuture(current);
            }
            ObjectNode config = JsonNodeFactory.instance.objectNode();
            config.put("apiVersion", Rbac.GROUP + "/v1");
            config.put("kind", "ClusterRole");
            config.putObject("metadata").put("name", name);
            var array = config.putArray("rules");
            rules.forEach(rule -> array.add(rule.toJson()));
            ObjectNode applied = registry.fieldManagers()
                    .forWrite(
                            clusterRoles,
                            registry.strategy(clusterRoles),
                            config,
                            "",
                            registry.clock().instant())
                    .apply(current.deepCopy(), config, MANAGER, true);
            ((ObjectNode) applied.get("metadata"))
                    .put(
                            "resourceVersion",
                            current.path("metadata").path("resourceVersion").asText());
            return registry.update(clusterRoles, "", name, applied, "", IDENTITY, false, WriteManager.applier());
        });
    }
}

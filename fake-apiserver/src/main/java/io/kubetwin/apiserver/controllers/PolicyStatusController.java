package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.policy.PolicyTypeChecker;
import io.kubetwin.apiserver.admission.policy.PolicyTypeChecker.ExpressionWarning;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.registry.apply.WriteManager;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * The ValidatingAdmissionPolicy status controller (pkg/controller/validatingadmissionpolicystatus/controller.go):
 * for each policy whose generation is newer than its status.observedGeneration, type-checks its expressions
 * ({@link PolicyTypeChecker}, on a worker thread) and server-side applies the status, forced, as field manager
 * {@value #NAME}: {@code observedGeneration} and {@code typeChecking} with its {@code expressionWarnings}. As upstream,
 * the status appears shortly after the write, never within it.
 */
final class PolicyStatusController extends QueueController {
    static final String NAME = "validatingadmissionpolicy-status";
    private static final String GROUP = "admissionregistration.k8s.io";
    private static final ResourceKey POLICIES = new ResourceKey(GROUP, "validatingadmissionpolicies");
    private static final UserInfo IDENTITY = ControllerIdentity.serviceAccount(NAME + "-controller");

    private final PolicyTypeChecker checker;

    PolicyStatusController(Vertx vertx, GenericRegistry registry) {
        super(vertx, registry, NAME);
        this.checker = new PolicyTypeChecker(
                registry.catalog(), registry.fieldManagers().schemas());
    }

    @Override
    protected List<Source> sources() {
        // informer Add and Update handlers; deletions need nothing
        return List.of(new Source(
                POLICIES,
                (type, policy) -> type == WatchEvent.Type.DELETED
                        ? List.of()
                        : List.of(policy.path("metadata").path("name").asText())));
    }

    @Override
    protected Future<Void> sync(String name) {
        ServedResource policies =
                registry.catalog().lookup(GROUP, "v1", POLICIES.resource()).orElseThrow();
        return registry.get(policies, "", name)
                .compose(policy -> {
                    long generation = policy.path("metadata").path("generation").asLong();
                    if (generation
                            <= policy.path("status").path("observedGeneration").asLong()) {
                        return Future.<Void>succeededFuture();
                    }
                    return vertx.executeBlocking(() -> checker.check(policy), false)
                            .compose(warnings -> applyStatus(policies, policy, generation, warnings));
                })
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    private Future<Void> applyStatus(
            ServedResource policies, ObjectNode current, long generation, List<ExpressionWarning> warnings) {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("apiVersion", GROUP + "/v1");
        config.put("kind", "ValidatingAdmissionPolicy");
        config.putObject("metadata")
                .put("name", current.path("metadata").path("name").asText());
        ObjectNode status = config.putObject("status");
        status.put("observedGeneration", generation);
        ObjectNode typeChecking = status.putObject("typeChecking");
        if (!warnings.isEmpty()) {
            var array = typeChecking.putArray("expressionWarnings");
            warnings.forEach(
                    w -> array.addObject().put("fieldRef", w.fieldRef()).put("warning", w.warning()));
        }
        ObjectNode applied = registry.fieldManagers()
                .forWrite(
                        policies,
                        registry.strategy(policies),
                        config,
                        "status",
                        registry.clock().instant())
                .apply(current.deepCopy(), config, NAME, true);
        ObjectNode meta = (ObjectNode) applied.get("metadata");
        meta.put(
                "resourceVersion",
                current.path("metadata").path("resourceVersion").asText());
        String name = meta.path("name").asText();
        return registry.update(policies, "", name, applied, "status", IDENTITY, false, WriteManager.applier())
                .<Void>mapEmpty()
                // a conflict means a newer generation is on its way: the watch queues the policy again
                .recover(e -> e instanceof StatusException se && se.code() == 409
                        ? Future.succeededFuture()
                        : Future.failedFuture(e));
    }
}

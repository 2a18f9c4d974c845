package io.kubetwin.apiserver.controllers;

import static io.kubetwin.apiserver.controllers.DeploymentUtil.HASH_LABEL;
import static io.kubetwin.apiserver.controllers.DeploymentWrites.typed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.authz.rbac.LabelSelector;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * The deployment controller (pkg/controller/deployment v1.34.4: deployment_controller.go's handlers and
 * syncDeployment here; sync.go in {@link DeploymentSync}, rolling.go in {@link DeploymentRolling}, recreate.go in
 * {@link DeploymentRecreate}, rollback.go in {@link DeploymentRollback}, progress.go in {@link DeploymentProgress},
 * the writes in {@link DeploymentWrites}; the arithmetic in {@link DeploymentUtil}). Per Deployment: claims
 * the ReplicaSets of its namespace; a Deployment being deleted only gets its status; the Progressing condition
 * DeploymentPaused or DeploymentResumed follows spec.paused; a paused Deployment is only scaled (no new ReplicaSet)
 * and cleaned up; a {@code deprecated.deployment.rollback.to} annotation rolls the template back to that revision's
 * ReplicaSet; a scaling event (an active ReplicaSet's desired-replicas annotation is not spec.replicas) scales the
 * active ReplicaSets proportionally; otherwise RollingUpdate or Recreate. The new ReplicaSet is the oldest whose
 * template is the Deployment's ({@code kubectl rollout undo} reuses it, raising its revision and recording the one
 * it had in {@code deployment.kubernetes.io/revision-history}), or {@code <deployment>-<pod-template-hash>}
 * ({@link GoDeepHash}) made with the revision, desired-replicas and max-replicas annotations; old ReplicaSets without
 * replicas beyond revisionHistoryLimit are deleted once a rollout is complete or while paused; the status carries
 * the Available, Progressing and ReplicaFailure conditions with a ScalingReplicaSet event per scale.
 *
 * <p>Unlike upstream, each write's answer replaces the object the rest of the sync works on, so a sync never
 * conflicts with its own earlier write (upstream's retry after such a conflict ends in the same state).
 */
final class DeploymentController extends QueueController {
    static final String NAME = "deployment-controller";

    private static final ResourceKey DEPLOYMENTS = new ResourceKey("apps", "deployments");
    private static final ResourceKey REPLICA_SETS = new ResourceKey("apps", "replicasets");
    private static final ResourceKey PODS = new ResourceKey("", "pods");

    private final UserInfo identity = ControllerIdentity.serviceAccount(NAME);
    private final ControllerRefs refs = new ControllerRefs(registry, identity);
    private final DeploymentWrites writes =
            new DeploymentWrites(registry, identity, new EventRecorder(registry, NAME, identity));
    private final DeploymentProgress progress = new DeploymentProgress(writes, this::enqueueAfter);
    private final DeploymentSync sync = new DeploymentSync(writes, progress);
    private final DeploymentRolling rolling = new DeploymentRolling(sync, progress);
    private final DeploymentRecreate recreate = new DeploymentRecreate(writes, sync, progress);
    private final DeploymentRollback rollback = new DeploymentRollback(writes, sync);

    DeploymentController(Vertx vertx, GenericRegistry registry) {
        super(vertx, registry, NAME);
    }

    @Override
    protected List<Source> sources() {
        return List.of(
                new Source(
                        DEPLOYMENTS,
                        (type, d) -> type == WatchEvent.Type.DELETED ? List.of() : List.of(PodTemplates.key(d))),
                new Source(REPLICA_SETS, (type, rs) -> PodTemplates.controllerKey(rs, "Deployment")),
                // deletePod: a Recreate rollout waits for the old pods to be gone
                new Source(PODS, (type, pod) -> {
                    JsonNode ref = PodTemplates.controllerOf(pod);
                    String hash =
                            pod.path("metadata").path("labels").path(HASH_LABEL).asText("");
                    if (type != WatchEvent.Type.DELETED
                            || ref == null
                            || !ref.path("kind").asText().equals("ReplicaSet")
                            || hash.isEmpty()
                            || !ref.path("name").asText().endsWith("-" + hash)) {
                        return List.of();
                    }
                    String rs = ref.path("name").asText();
                    return List.of(
                            PodTemplates.namespace(pod) + "/" + rs.substring(0, rs.length() - hash.length() - 1));
                }));
    }

    /** generateReplicaSetName: the Deployment's name cut so that {@code name-hash} fits 253 characters. */
    static String replicaSetName(String deployment, String hash) {
        int max = 253 - 1 - hash.length();
        String base = deployment.length() > max && max > 0 ? deployment.substring(0, max) : deployment;
        return base + "-" + hash;
    }

    // ---- syncDeployment

    @Override
    protected Future<Void> sync(String key) {
        int slash = key.indexOf('/');
        String namespace = key.substring(0, slash);
        String name = key.substring(slash + 1);
        return registry.get(writes.deployments(), namespace, name)
                .compose(d -> {
                    typed(d, "Deployment");
                    LabelSelector selector =
                            PodTemplates.selector(d.path("spec").path("selector"));
                    return registry.storage()
                            .list(REPLICA_SETS, namespace)
                            .compose(list -> refs.claim(writes.replicaSets(), d, selector, list.items()))
                            .compose(owned -> {
                                DeploymentState s = new DeploymentState(d);
                                for (ObjectNode rs : owned) {
                                    s.rsList.add(typed(rs, "ReplicaSet"));
                                }
                                return syncDeployment(s);
                            });
                })
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    private Future<Void> syncDeployment(DeploymentState s) {
        if (s.d.path("metadata").has("deletionTimestamp")) {
            return sync.syncRevision(s, false).compose(v -> progress.syncDeploymentStatus(s));
        }
        return sync.checkPausedConditions(s).compose(v -> {
            if (DeploymentSync.paused(s.d)) {
                return sync.syncScale(s);
            }
            if (DeploymentRollback.rollbackTo(s.d) != null) {
                return rollback.rollback(s);
            }
            return sync.isScalingEvent(s).compose(scaling -> {
                if (scaling) {
                    return sync.syncScale(s);
                }
                return "Recreate"
                                .equals(s.d.path("spec")
                                        .path("strategy")
                                        .path("type")
                                        .asText())
                        ? recreate.rollout(s)
                        : rolling.rollout(s);
            });
        });
    }
}

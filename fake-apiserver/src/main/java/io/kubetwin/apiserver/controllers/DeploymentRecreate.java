package io.kubetwin.apiserver.controllers;

import static io.kubetwin.apiserver.controllers.DeploymentUtil.replicas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.authz.rbac.LabelSelector;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Recreate strategy (pkg/controller/deployment/recreate.go): scale every old ReplicaSet to zero, wait until no
 * old pod runs (the controller watches pod deletions for this), then create and scale up the new ReplicaSet.
 */
final class DeploymentRecreate {
    private static final ResourceKey PODS = new ResourceKey("", "pods");

    private final DeploymentWrites writes;
    private final DeploymentSync sync;
    private final DeploymentProgress progress;

    DeploymentRecreate(DeploymentWrites writes, DeploymentSync sync, DeploymentProgress progress) {
        this.writes = writes;
        this.sync = sync;
        this.progress = progress;
    }

    /** rolloutRecreate. */
    Future<Void> rollout(DeploymentState s) {
        return sync.syncRevision(s, false).compose(v -> {
            List<ObjectNode> activeOld = DeploymentUtil.active(s.oldRSs);
            boolean[] scaled = {false};
            return InOrder.each(
                            activeOld,
                            rs -> sync.scaleReplicaSetAndRecordEvent(s, rs, 0).map(r -> {
                                scaled[0] |= r.scaled();
                                return null;
                            }))
                    .compose(x -> {
                        if (scaled[0]) {
                            return progress.syncRolloutStatus(s);
                        }
                        return oldPodsRunning(s).compose(running -> {
                            if (running) {
                                return progress.syncRolloutStatus(s);
                            }
                            Future<Void> created =
                                    s.newRs == null ? sync.syncRevision(s, true) : Future.succeededFuture();
                            return created.compose(y -> sync.scaleReplicaSetAndRecordEvent(s, s.newRs, replicas(s.d)))
                                    .compose(y -> sync.cleanupIfComplete(s))
                                    .compose(y -> progress.syncRolloutStatus(s));
                        });
                    });
        });
    }

    /** oldPodsRunning: old ReplicaSets count pods, or a pod of one (selected by the Deployment) has not finished. */
    private Future<Boolean> oldPodsRunning(DeploymentState s) {
        if (DeploymentUtil.sumStatus(s.oldRSs, "replicas") > 0) {
            return Future.succeededFuture(true);
        }
        Set<String> oldUids = new HashSet<>();
        s.rsList.forEach(rs -> oldUids.add(PodTemplates.uid(rs)));
        if (s.newRs != null) {
            oldUids.remove(PodTemplates.uid(s.newRs));
        }
        LabelSelector selector = PodTemplates.selector(s.d.path("spec").path("selector"));
        return writes.registry.storage().list(PODS, PodTemplates.namespace(s.d)).map(list -> {
            for (ObjectNode pod : list.items()) {
                JsonNode ref = PodTemplates.controllerOf(pod);
                String phase = pod.path("status").path("phase").asText();
                if (ref != null
                        && oldUids.contains(ref.path("uid").asText())
                        && selector.matches(PodTemplates.labels(pod))
                        && !phase.equals("Failed")
                        && !phase.equals("Succeeded")) {
                    return true;
                }
            }
            return false;
        });
    }
}

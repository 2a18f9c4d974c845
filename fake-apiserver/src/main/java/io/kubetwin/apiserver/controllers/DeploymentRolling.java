package io.kubetwin.apiserver.controllers;

import static io.kubetwin.apiserver.controllers.DeploymentUtil.replicas;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The RollingUpdate strategy (pkg/controller/deployment/rolling.go): scale the new ReplicaSet up within maxSurge,
 * else the old ones down within maxUnavailable (unhealthy replicas first, oldest ReplicaSets first), else clean up
 * once complete; then the rollout status.
 */
final class DeploymentRolling {
    private final DeploymentSync sync;
    private final DeploymentProgress progress;

    DeploymentRolling(DeploymentSync sync, DeploymentProgress progress) {
        this.sync = sync;
        this.progress = progress;
    }

    /** rolloutRolling. */
    Future<Void> rollout(DeploymentState s) {
        return sync.syncRevision(s, true).compose(v -> {
            List<ObjectNode> all = s.all();
            return reconcileNewReplicaSet(s, all).compose(scaledUp -> {
                if (scaledUp) {
                    return progress.syncRolloutStatus(s);
                }
                return reconcileOldReplicaSets(s, DeploymentUtil.active(s.oldRSs))
                        .recover(e -> Future.succeededFuture(false))
                        .compose(scaledDown -> {
                            if (scaledDown) {
                                return progress.syncRolloutStatus(s);
                            }
                            return sync.cleanupIfComplete(s).compose(x -> progress.syncRolloutStatus(s));
                        });
            });
        });
    }

    private Future<Boolean> reconcileNewReplicaSet(DeploymentState s, List<ObjectNode> all) {
        ObjectNode newRs = s.newRs;
        int desired = replicas(s.d);
        if (replicas(newRs) == desired) {
            return Future.succeededFuture(false);
        }
        if (replicas(newRs) > desired) {
            return sync.scaleReplicaSetAndRecordEvent(s, newRs, desired).map(DeploymentSync.Scaled::scaled);
        }
        int count = DeploymentUtil.newRSNewReplicas(s.d, all, newRs);
        return sync.scaleReplicaSetAndRecordEvent(s, newRs, count).map(DeploymentSync.Scaled::scaled);
    }

    private Future<Boolean> reconcileOldReplicaSets(DeploymentState s, List<ObjectNode> activeOld) {
        if (DeploymentUtil.sumReplicas(activeOld) == 0) {
            return Future.succeededFuture(false);
        }
        ObjectNode newRs = s.newRs;
        List<ObjectNode> all = s.all();
        int allPods = DeploymentUtil.sumReplicas(all);
        int minAvailable = replicas(s.d) - DeploymentUtil.maxUnavailable(s.d);
        int newUnavailable = replicas(newRs) - DeploymentUtil.status(newRs, "availableReplicas");
        int maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return Future.succeededFuture(false);
        }
        List<ObjectNode> old = new ArrayList<>(activeOld);
        old.sort(DeploymentUtil.BY_CREATION);
        int[] cleaned = {0};
        // cleanupUnhealthyReplicas
        Future<Void> cleanup = InOrder.eachIndexed(old, (i, rs) -> {
            if (cleaned[0] >= maxScaledDown
                    || replicas(rs) == 0
                    || replicas(rs) == DeploymentUtil.status(rs, "availableReplicas")) {
                return Future.succeededFuture();
            }
            int down =
                    Math.min(maxScaledDown - cleaned[0], replicas(rs) - DeploymentUtil.status(rs, "availableReplicas"));
            return sync.scaleReplicaSetAndRecordEvent(s, rs, replicas(rs) - down)
                    .map(scaled -> {
                        cleaned[0] += down;
                        old.set(i, scaled.rs());
                        return null;
                    });
        });
        return cleanup.compose(v -> {
                    List<ObjectNode> allAfter = new ArrayList<>(old);
                    allAfter.add(newRs);
                    return scaleDownOldReplicaSetsForRollingUpdate(s, allAfter, old);
                })
                .map(scaledDown -> cleaned[0] + scaledDown > 0);
    }

    private Future<Integer> scaleDownOldReplicaSetsForRollingUpdate(
            DeploymentState s, List<ObjectNode> all, List<ObjectNode> old) {
        int minAvailable = replicas(s.d) - DeploymentUtil.maxUnavailable(s.d);
        int available = DeploymentUtil.sumStatus(all, "availableReplicas");
        if (available <= minAvailable) {
            return Future.succeededFuture(0);
        }
        List<ObjectNode> sorted = new ArrayList<>(old);
        sorted.sort(DeploymentUtil.BY_CREATION);
        int total = available - minAvailable;
        int[] scaledDown = {0};
        return InOrder.each(sorted, rs -> {
                    if (scaledDown[0] >= total || replicas(rs) == 0) {
                        return Future.succeededFuture();
                    }
                    int down = Math.min(replicas(rs), total - scaledDown[0]);
                    return sync.scaleReplicaSetAndRecordEvent(s, rs, replicas(rs) - down)
                            .map(x -> {
                                scaledDown[0] += down;
                                return null;
                            });
                })
                .map(v -> scaledDown[0]);
    }
}

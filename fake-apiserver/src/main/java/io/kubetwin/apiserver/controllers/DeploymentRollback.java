package io.kubetwin.apiserver.controllers;

import static io.kubetwin.apiserver.controllers.DeploymentUtil.ROLLBACK_TO;
import static io.kubetwin.apiserver.controllers.DeploymentUtil.annotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.util.List;

/**
 * The {@code deprecated.deployment.rollback.to} annotation (pkg/controller/deployment/rollback.go; kubectl rollout
 * undo patches the template instead): the template goes back to that revision's ReplicaSet (0: the last revision
 * before the current one), with a DeploymentRollback event, or a Warning when there is no such revision or the
 * template is already that one; the annotation is cleared either way.
 */
final class DeploymentRollback {
    private final DeploymentWrites writes;
    private final DeploymentSync sync;

    DeploymentRollback(DeploymentWrites writes, DeploymentSync sync) {
        this.writes = writes;
        this.sync = sync;
    }

    /** The revision the annotation asks for, or null without one (or unparsable). */
    static Long rollbackTo(JsonNode d) {
        String v = annotation(d, ROLLBACK_TO);
        if (v == null || v.isEmpty()) {
            return null;
        }
        return DeploymentUtil.parseInt64(v);
    }

    /** rollback. */
    Future<Void> rollback(DeploymentState s) {
        return sync.syncRevision(s, true).compose(v -> {
            List<ObjectNode> all = s.all();
            long to = rollbackTo(s.d);
            if (to == 0) {
                to = DeploymentUtil.lastRevision(all);
                if (to == 0) {
                    return writes.events
                            .event(
                                    s.d,
                                    EventRecorder.WARNING,
                                    DeploymentUtil.ROLLBACK_REVISION_NOT_FOUND,
                                    "Unable to find last revision.")
                            .compose(x -> clearRollbackTo(s, s.d.deepCopy()));
                }
            }
            for (ObjectNode rs : all) {
                Long revision = rs == null ? null : DeploymentUtil.revision(rs);
                if (revision != null && revision == to) {
                    long target = to;
                    return rollbackToTemplate(s, rs, target);
                }
            }
            return writes.events
                    .event(
                            s.d,
                            EventRecorder.WARNING,
                            DeploymentUtil.ROLLBACK_REVISION_NOT_FOUND,
                            "Unable to find the revision to rollback to.")
                    .compose(x -> clearRollbackTo(s, s.d.deepCopy()));
        });
    }

    private Future<Void> rollbackToTemplate(DeploymentState s, ObjectNode rs, long revision) {
        ObjectNode d = s.d.deepCopy();
        String name = PodTemplates.name(d);
        if (!DeploymentUtil.equalIgnoreHash(
                d.path("spec").path("template"), rs.path("spec").path("template"))) {
            DeploymentUtil.setFromReplicaSetTemplate(d, rs);
            DeploymentUtil.setDeploymentAnnotationsTo(d, rs);
            return clearRollbackTo(s, d)
                    .compose(v -> writes.events.event(
                            s.d,
                            EventRecorder.NORMAL,
                            DeploymentUtil.ROLLBACK_DONE,
                            "Rolled back deployment \"" + name + "\" to revision " + revision));
        }
        return writes.events
                .event(
                        s.d,
                        EventRecorder.WARNING,
                        DeploymentUtil.ROLLBACK_TEMPLATE_UNCHANGED,
                        "The rollback revision contains the same template as current deployment \"" + name + "\"")
                .compose(v -> clearRollbackTo(s, d));
    }

    /** updateDeploymentAndClearRollbackTo. */
    private Future<Void> clearRollbackTo(DeploymentState s, ObjectNode d) {
        DeploymentUtil.annotations(d).remove(ROLLBACK_TO);
        return writes.write(s, d, "");
    }
}

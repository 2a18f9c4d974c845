package io.kubetwin.apiserver.controllers;

import static io.kubetwin.apiserver.controllers.DeploymentUtil.hasProgressDeadline;
import static io.kubetwin.apiserver.controllers.DeploymentUtil.newCondition;
import static io.kubetwin.apiserver.controllers.DeploymentUtil.replicas;
import static io.kubetwin.apiserver.controllers.DeploymentUtil.setCondition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjLongConsumer;

/**
 * A Deployment's status (pkg/controller/deployment/progress.go, and sync.go's calculateStatus and
 * syncDeploymentStatus): the counts from its ReplicaSets, the Available condition, and during a rollout the
 * Progressing condition (new ReplicaSet available, progressing, or past its progress deadline) and ReplicaFailure.
 */
final class DeploymentProgress {
    private final DeploymentWrites writes;
    /** The controller's workqueue AddAfter: the key and the delay in milliseconds. */
    private final ObjLongConsumer<String> enqueueAfter;

    DeploymentProgress(DeploymentWrites writes, ObjLongConsumer<String> enqueueAfter) {
        this.writes = writes;
        this.enqueueAfter = enqueueAfter;
    }

    /** calculateStatus: counts from the ReplicaSets (zero counts omitted, as Go writes them) and Available. */
    private ObjectNode calculateStatus(DeploymentState s) {
        ObjectNode d = s.d;
        List<ObjectNode> all = s.all();
        int available = DeploymentUtil.sumStatus(all, "availableReplicas");
        int unavailable = Math.max(0, DeploymentUtil.sumReplicas(all) - available);
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        putNonZero(
                status,
                "observedGeneration",
                d.path("metadata").path("generation").asLong());
        putNonZero(status, "replicas", DeploymentUtil.sumStatus(all, "replicas"));
        putNonZero(status, "updatedReplicas", DeploymentUtil.status(s.newRs, "replicas"));
        putNonZero(status, "readyReplicas", DeploymentUtil.sumStatus(all, "readyReplicas"));
        putNonZero(status, "availableReplicas", available);
        putNonZero(status, "unavailableReplicas", unavailable);
        JsonNode old = d.path("status");
        if (old.get("conditions") instanceof ArrayNode c && !c.isEmpty()) {
            status.set("conditions", c.deepCopy());
        }
        if (old.has("collisionCount")) {
            status.set("collisionCount", old.get("collisionCount"));
        }
        if (available >= replicas(d) - DeploymentUtil.maxUnavailable(d)) {
            setCondition(
                    status,
                    newCondition(
                            "Available",
                            "True",
                            "MinimumReplicasAvailable",
                            "Deployment has minimum availability.",
                            writes.now()));
        } else {
            setCondition(
                    status,
                    newCondition(
                            "Available",
                            "False",
                            "MinimumReplicasUnavailable",
                            "Deployment does not have minimum availability.",
                            writes.now()));
        }
        return status;
    }

    private static void putNonZero(ObjectNode status, String field, long value) {
        if (value != 0) {
            status.put(field, value);
        }
    }

    /** syncDeploymentStatus. */
    Future<Void> syncDeploymentStatus(DeploymentState s) {
        ObjectNode status = calculateStatus(s);
        if (status.equals(s.d.path("status"))) {
            return Future.succeededFuture();
        }
        ObjectNode d = s.d.deepCopy();
        d.set("status", status);
        return writes.updateStatus(s, d);
    }

    /** syncRolloutStatus: the Progressing condition from the progress since the last status, and ReplicaFailure. */
    Future<Void> syncRolloutStatus(DeploymentState s) {
        ObjectNode d = s.d;
        ObjectNode status = calculateStatus(s);
        if (!hasProgressDeadline(d)) {
            DeploymentUtil.removeCondition(status, "Progressing");
        }
        JsonNode current = DeploymentUtil.condition(d.path("status"), "Progressing");
        boolean complete = status.path("replicas").asInt()
                        == status.path("updatedReplicas").asInt()
                && current != null
                && current.path("reason").asText().equals(DeploymentUtil.NEW_RS_AVAILABLE);
        String subject = s.newRs == null
                ? "Deployment \"" + PodTemplates.name(d) + "\""
                : "ReplicaSet \"" + PodTemplates.name(s.newRs) + "\"";
        if (hasProgressDeadline(d) && !complete) {
            if (DeploymentUtil.deploymentComplete(d, status)) {
                setCondition(
                        status,
                        newCondition(
                                "Progressing",
                                "True",
                                DeploymentUtil.NEW_RS_AVAILABLE,
                                subject + " has successfully progressed.",
                                writes.now()));
            } else if (DeploymentUtil.deploymentProgressing(d, status)) {
                ObjectNode c = newCondition(
                        "Progressing",
                        "True",
                        DeploymentUtil.REPLICA_SET_UPDATED,
                        subject + " is progressing.",
                        writes.now());
                if (current != null) {
                    if (current.path("status").asText().equals("True")) {
                        c.set("lastTransitionTime", current.get("lastTransitionTime"));
                    }
                    DeploymentUtil.removeCondition(status, "Progressing");
                }
                setCondition(status, c);
            } else if (DeploymentUtil.deploymentTimedOut(d, status, writes.now())) {
                setCondition(
                        status,
                        newCondition(
                                "Progressing",
                                "False",
                                DeploymentUtil.TIMED_OUT,
                                subject + " has timed out progressing.",
                                writes.now()));
            }
        }
        List<JsonNode> failures = replicaFailures(s);
        if (!failures.isEmpty()) {
            setCondition(status, DeploymentUtil.fromReplicaSetCondition(failures.get(0)));
        } else {
            DeploymentUtil.removeCondition(status, "ReplicaFailure");
        }
        if (status.equals(d.path("status"))) {
            requeueStuckDeployment(s, status);
            return Future.succeededFuture();
        }
        ObjectNode copy = d.deepCopy();
        copy.set("status", status);
        return writes.updateStatus(s, copy);
    }

    /** getReplicaFailures: the new ReplicaSet's ReplicaFailure conditions, else every ReplicaSet's. */
    private static List<JsonNode> replicaFailures(DeploymentState s) {
        List<JsonNode> out = new ArrayList<>();
        if (s.newRs != null) {
            addReplicaFailures(s.newRs, out);
        }
        if (!out.isEmpty()) {
            return out;
        }
        for (ObjectNode rs : s.all()) {
            if (rs != null) {
                addReplicaFailures(rs, out);
            }
        }
        return out;
    }

    private static void addReplicaFailures(ObjectNode rs, List<JsonNode> out) {
        rs.path("status").path("conditions").forEach(c -> {
            if (c.path("type").asText().equals("ReplicaFailure")) {
                out.add(c);
            }
        });
    }

    /** requeueStuckDeployment: look again once the progress deadline passes. */
    private void requeueStuckDeployment(DeploymentState s, ObjectNode newStatus) {
        JsonNode c = DeploymentUtil.condition(s.d.path("status"), "Progressing");
        if (!hasProgressDeadline(s.d) || c == null) {
            return;
        }
        if (DeploymentUtil.deploymentComplete(s.d, newStatus)
                || c.path("reason").asText().equals(DeploymentUtil.TIMED_OUT)) {
            return;
        }
        Instant due = Instant.parse(c.path("lastUpdateTime").asText())
                .plusSeconds(s.d.path("spec").path("progressDeadlineSeconds").asLong());
        long after = Duration.between(writes.now(), due).toMillis();
        // upstream re-adds at once (rate limited) under a second, else a second after the deadline
        enqueueAfter.accept(PodTemplates.key(s.d), after < 1000 ? 5 : after + 1000);
    }
}

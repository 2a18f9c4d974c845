package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import java.time.Instant;

/**
 * The deployment controller's writes (its client, event recorder and clock in pkg/controller/deployment): each
 * answer replaces the object the rest of the sync works on ({@link DeploymentState}), so a sync never conflicts with
 * its own earlier write (upstream's retry after such a conflict ends in the same state).
 */
final class DeploymentWrites {
    final GenericRegistry registry;
    final UserInfo identity;
    final EventRecorder events;

    DeploymentWrites(GenericRegistry registry, UserInfo identity, EventRecorder events) {
        this.registry = registry;
        this.identity = identity;
        this.events = events;
    }

    ServedResource deployments() {
        return registry.catalog().lookup("apps", "v1", "deployments").orElseThrow();
    }

    ServedResource replicaSets() {
        return registry.catalog().lookup("apps", "v1", "replicasets").orElseThrow();
    }

    Instant now() {
        return registry.clock().instant();
    }

    /** A stored Deployment or ReplicaSet with its group version and kind (the events name them). */
    static ObjectNode typed(ObjectNode o, String kind) {
        o.put("apiVersion", "apps/v1");
        o.put("kind", kind);
        return o;
    }

    static ObjectNode statusOf(ObjectNode d) {
        return d.get("status") instanceof ObjectNode st ? st : d.putObject("status");
    }

    Future<ObjectNode> updateReplicaSet(DeploymentState s, ObjectNode rs) {
        return registry.update(
                        replicaSets(), PodTemplates.namespace(rs), PodTemplates.name(rs), rs, "", identity, false)
                .map(written -> {
                    typed(written, "ReplicaSet");
                    s.replace(written);
                    return written;
                });
    }

    /**
     * UpdateStatus of {@code d} (a modified copy of the sync's Deployment): its status and its annotations, which the
     * deployment status strategy keeps (the revision annotation is written this way, without a new generation).
     */
    Future<Void> updateStatus(DeploymentState s, ObjectNode d) {
        boolean annotationsChanged = !annotationsOf(d).equals(annotationsOf(s.d));
        boolean statusChanged = d.has("status") && !d.path("status").equals(s.d.path("status"));
        if (!annotationsChanged && !statusChanged) {
            return Future.succeededFuture();
        }
        ObjectNode copy = s.d.deepCopy();
        if (annotationsChanged) {
            ((ObjectNode) copy.get("metadata"))
                    .set("annotations", annotationsOf(d).deepCopy());
        }
        if (d.has("status")) {
            copy.set("status", d.get("status").deepCopy());
        }
        return write(s, copy, "status");
    }

    private static JsonNode annotationsOf(JsonNode o) {
        JsonNode a = o.path("metadata").path("annotations");
        return a.isObject() ? a : JsonNodeFactory.instance.objectNode();
    }

    /** Update of the Deployment itself ({@code ""}) or of its {@code status} subresource. */
    Future<Void> write(DeploymentState s, ObjectNode d, String subresource) {
        return registry.update(
                        deployments(), PodTemplates.namespace(d), PodTemplates.name(d), d, subresource, identity, false)
                .map(updated -> {
                    s.d = typed(updated, "Deployment");
                    return null;
                });
    }
}

package io.kubetwin.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionRecorder;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * DELETE for stored resources (store.go Delete/DeleteCollection, the namespace registry's Delete and,
 * standing in for the namespace controller, prompt in-process finalization of terminating namespaces).
 * Thread-safe.
 */
public final class Deleter {

    /** DeleteOptions as far as the fake honours them. */
    public record Options(
            String preconditionUid,
            String preconditionResourceVersion,
            Long gracePeriodSeconds,
            String propagationPolicy,
            boolean dryRun) {
        public static Options defaults() {
            return new Options(null, null, null, null, false);
        }
    }

    /** The outcome: the object to answer (or the Status), and whether it is already gone (200) or pending (202). */
    public record Result(JsonNode body, boolean deleted) {}

    private final GenericRegistry registry;

    public Deleter(GenericRegistry registry) {
        this.registry = registry;
    }

    public Future<Result> delete(ServedResource r, String namespace, String name, Options options, UserInfo user) {
        return delete(r, namespace, name, options, user, AdmissionRecorder.NONE);
    }

    /** A delete whose admission warnings and audit annotations go to {@code recorder} (a client's request). */
    public Future<Result> delete(
            ServedResource r,
            String namespace,
            String name,
            Options options,
            UserInfo user,
            AdmissionRecorder recorder) {
        ResourceStrategy strategy = registry.strategy(r);
        return registry.get(r, namespace, name).compose(current -> {
            ObjectNode meta = Meta.meta(current);
            // rest/delete.go BeforeDelete: the conflict names the Kind (GroupResource{group, Kind}), not the resource
            if (options.preconditionUid() != null && !options.preconditionUid().equals(Meta.text(meta, "uid"))) {
                return Future.failedFuture(Statuses.conflict(
                        r.type().group(),
                        r.type().kind(),
                        name,
                        "the UID in the precondition (" + options.preconditionUid()
                                + ") does not match the UID in record (" + Meta.text(meta, "uid")
                                + "). The object might have been deleted and then recreated"));
            }
            if (options.preconditionResourceVersion() != null
                    && !options.preconditionResourceVersion().equals(Meta.resourceVersion(current))) {
                return Future.failedFuture(Statuses.conflict(
                        r.type().group(),
                        r.type().kind(),
                        name,
                        "the ResourceVersion in the precondition (" + options.preconditionResourceVersion()
                                + ") does not match the ResourceVersion in record (" + Meta.resourceVersion(current)
                                + "). The object might have been modified"));
            }
            AdmissionAttributes attrs = registry.attributes(
                    Operation.DELETE, r, namespace, name, null, current, user, options.dryRun(), "", recorder);
            return registry.admission
                    .admit(attrs)
                    .compose(v -> registry.admission.validate(attrs))
                    .compose(v -> {
                        if ("namespaces".equals(r.type().plural())
                                && r.type().group().isEmpty()) {
                            return terminateNamespace(r, current, options);
                        }
                        if (strategy.prepareForDelete(current, Meta.now(registry.clock.instant()))) {
                            // the kind's own first step (a CRD's cleanup finalizer), stored before the generic delete
                            Meta.normalize(current, strategy.fieldOrder());
                            strategy.canonicalize(current);
                            if (options.dryRun()) {
                                return Future.succeededFuture(new Result(current, false));
                            }
                            return registry.storage
                                    .update(registry.key(r, namespace, name), current, Meta.resourceVersion(current))
                                    .recover(e -> Future.failedFuture(GenericRegistry.translate(e, r, name)))
                                    .compose(updated -> markDeleting(r, namespace, name, updated, options));
                        }
                        if (meta.path("finalizers").size() > 0) {
                            return markDeleting(r, namespace, name, current, options);
                        }
                        boolean pod = "pods".equals(r.type().plural())
                                && r.type().group().isEmpty();
                        if (options.dryRun()) {
                            return Future.succeededFuture(
                                    answer(r, strategy, pod ? stampDeletion(current) : current, true));
                        }
                        // a pod is deleted gracefully: first stamped (watchers see MODIFIED with a deletionTimestamp,
                        // as
                        // kubectl's "Terminating"), then removed at once because no kubelet runs it
                        Future<ObjectNode> before = pod
                                ? registry.storage.update(
                                        registry.key(r, namespace, name),
                                        stampDeletion(current),
                                        Meta.resourceVersion(current))
                                : Future.succeededFuture(current);
                        return before.compose(last -> registry.storage.delete(
                                        registry.key(r, namespace, name), Meta.resourceVersion(last)))
                                .recover(e -> Future.failedFuture(GenericRegistry.translate(e, r, name)))
                                .map(last -> answer(r, strategy, last, true));
                    });
        });
    }

    /** Pods are deleted gracefully upstream; unscheduled ones at once, answering the object stamped for deletion. */
    private ObjectNode stampDeletion(ObjectNode object) {
        ObjectNode meta = Meta.meta(object);
        if (!meta.has("deletionTimestamp")) {
            meta.put("deletionTimestamp", Meta.now(registry.clock.instant()));
            meta.put("deletionGracePeriodSeconds", 0);
            if (meta.has("generation")) {
                meta.put("generation", meta.get("generation").asLong() + 1);
            }
        }
        return Meta.normalize(object, registry.strategies.forResource("", "pods"));
    }

    private Result answer(ServedResource r, ResourceStrategy strategy, ObjectNode last, boolean deleted) {
        if (strategy.returnDeletedObject() || !deleted) {
            return new Result(last, deleted);
        }
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Success");
        ObjectNode details = status.putObject("details");
        details.put("name", Meta.name(last));
        if (!r.type().group().isEmpty()) {
            details.put("group", r.type().group());
        }
        details.put("kind", r.type().plural());
        details.put("uid", Meta.text(last.get("metadata"), "uid"));
        return new Result(status, true);
    }

    /** Objects with finalizers get a deletionTimestamp and stay until their finalizers are removed (202). */
    private Future<Result> markDeleting(
            ServedResource r, String namespace, String name, ObjectNode current, Options options) {
        ObjectNode meta = Meta.meta(current);
        if (meta.has("deletionTimestamp")) {
            return Future.succeededFuture(new Result(current, false));
        }
        meta.put("deletionTimestamp", Meta.now(registry.clock.instant()));
        meta.put("deletionGracePeriodSeconds", 0);
        if (meta.has("generation")) {
            meta.put("generation", meta.get("generation").asLong() + 1);
        }
        Meta.normalize(current, registry.strategy(r));
        if (options.dryRun()) {
            return Future.succeededFuture(new Result(current, false));
        }
        return registry.storage
                .update(registry.key(r, namespace, name), current, Meta.resourceVersion(current))
                .recover(e -> Future.failedFuture(GenericRegistry.translate(e, r, name)))
                .map(updated -> new Result(updated, false));
    }

    /**
     * namespace storage's Delete: the namespace turns Terminating with a deletionTimestamp and is answered
     * with 200; its contents are then deleted and the namespace removed, which the namespace controller
     * does upstream.
     */
    private Future<Result> terminateNamespace(ServedResource r, ObjectNode current, Options options) {
        String name = Meta.name(current);
        ObjectNode meta = Meta.meta(current);
        if (!meta.has("deletionTimestamp")) {
            meta.put("deletionTimestamp", Meta.now(registry.clock.instant()));
        }
        ObjectNode status = current.has("status") && current.get("status").isObject()
                ? (ObjectNode) current.get("status")
                : current.putObject("status");
        status.put("phase", "Terminating");
        Meta.normalize(current, registry.strategy(r));
        if (options.dryRun()) {
            return Future.succeededFuture(new Result(current, true));
        }
        return registry.storage
                .update(registry.key(r, "", name), current, Meta.resourceVersion(current))
                .recover(e -> Future.failedFuture(GenericRegistry.translate(e, r, name)))
                .map(updated -> {
                    finalizeNamespace(r, name);
                    return new Result(updated, true);
                });
    }

    /** Deletes every namespaced object in the namespace, then the namespace itself. Failures are logged and dropped. */
    Future<Void> finalizeNamespace(ServedResource namespaces, String name) {
        Future<Void> chain = Future.succeededFuture();
        for (ServedResource served : registry.catalog.all()) {
            if (!served.type().namespaced() || !served.persisted() || served.storedAsOtherKind()) {
                continue;
            }
            chain = chain.compose(v -> registry.storage
                    .list(served.storageKey(), name)
                    .compose(list -> {
                        List<Future<ObjectNode>> deletions = new ArrayList<>();
                        for (ObjectNode item : list.items()) {
                            deletions.add(registry.storage
                                    .delete(registry.key(served, name, Meta.name(item)), null)
                                    .recover(e -> Future.succeededFuture(null)));
                        }
                        return Future.join(deletions).<Void>mapEmpty().recover(e -> Future.succeededFuture());
                    }));
        }
        return chain.compose(v -> registry.storage.delete(registry.key(namespaces, "", name), null))
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture());
    }
}

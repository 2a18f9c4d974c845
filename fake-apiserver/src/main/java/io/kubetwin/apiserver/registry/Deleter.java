package io.kubetwin.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionRecorder;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.admission.RequestOptions;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * DELETE for stored resources (store.go Delete/DeleteCollection with the garbage collector's finalizers, and the
 * namespace registry's Delete, {@link NamespaceDeletion}). Objects with finalizers are marked deleting and stay; the
 * namespace controller and the garbage collector ({@code controllers}) finish what DELETE starts. Thread-safe.
 */
public final class Deleter {

    /** DeleteOptions as far as the fake honours them. */
    public record Options(
            String preconditionUid,
            String preconditionResourceVersion,
            Long gracePeriodSeconds,
            String propagationPolicy,
            boolean dryRun,
            Boolean orphanDependents) {
        public static Options defaults() {
            return new Options(null, null, null, null, false, null);
        }

        /** What the namespace controller and the garbage collector send: propagationPolicy only. */
        public static Options propagation(String policy) {
            return new Options(null, null, null, policy, false, null);
        }

        /** As the request's DeleteOptions reach admission: the fields given, in Go's order (dryRun apart). */
        public RequestOptions forAdmission() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            if (gracePeriodSeconds != null) {
                o.put("gracePeriodSeconds", gracePeriodSeconds);
            }
            if (preconditionUid != null || preconditionResourceVersion != null) {
                ObjectNode p = o.putObject("preconditions");
                if (preconditionUid != null) {
                    p.put("uid", preconditionUid);
                }
                if (preconditionResourceVersion != null) {
                    p.put("resourceVersion", preconditionResourceVersion);
                }
            }
            if (orphanDependents != null) {
                o.put("orphanDependents", orphanDependents);
            }
            if (propagationPolicy != null) {
                o.put("propagationPolicy", propagationPolicy);
            }
            return new RequestOptions(null, null, o);
        }

        /** The same options with a UID precondition (the garbage collector's deletes). */
        public Options withPreconditionUid(String uid) {
            return new Options(
                    uid, preconditionResourceVersion, gracePeriodSeconds, propagationPolicy, dryRun, orphanDependents);
        }
    }

    /** The outcome: the object to answer (or the Status), and whether it is already gone (200) or pending (202). */
    public record Result(JsonNode body, boolean deleted) {}

    static final String JOB_ORPHAN_WARNING = "child pods are preserved by default when jobs are deleted; "
            + "set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning";

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
        return delete(r, namespace, name, options, user, recorder, name);
    }

    /**
     * One item of a deletecollection: admission gets the handler's attributes, which name no object (store.go
     * DeleteCollection passes them to each Delete), so webhooks and policies see no name.
     */
    public Future<Result> deleteInCollection(
            ServedResource r,
            String namespace,
            String name,
            Options options,
            UserInfo user,
            AdmissionRecorder recorder) {
        return delete(r, namespace, name, options, user, recorder, "");
    }

    private Future<Result> delete(
            ServedResource r,
            String namespace,
            String name,
            Options options,
            UserInfo user,
            AdmissionRecorder recorder,
            String admissionName) {
        ResourceStrategy strategy = registry.strategy(r);
        warnJobOrphaning(r, options, recorder);
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
                    Operation.DELETE,
                    r,
                    namespace,
                    admissionName,
                    null,
                    current,
                    user,
                    options.dryRun(),
                    "",
                    recorder.withOptions(options.forAdmission()));
            return registry.admission
                    .admit(attrs)
                    .compose(v -> registry.admission.validate(attrs))
                    .compose(v -> {
                        if (NamespaceDeletion.isNamespaces(r)
                                && !Meta.meta(current).has("deletionTimestamp")) {
                            return NamespaceDeletion.terminate(registry, r, current, options);
                        }
                        if (NamespaceDeletion.isNamespaces(r)
                                && current.path("spec").path("finalizers").size() > 0) {
                            // namespace storage's Delete: still finalizing, answered as it is
                            return Future.succeededFuture(new Result(current, false));
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
                                    .compose(updated -> deleteWithFinalizers(r, namespace, name, updated, options));
                        }
                        return deleteWithFinalizers(r, namespace, name, current, options);
                    });
        });
    }

    /**
     * store.go Delete after the preconditions: the garbage collector's finalizers are set as the options and the
     * kind's default policy say (deletionFinalizersForGarbageCollection); an object left with finalizers is marked
     * deleting and answered as stored (updateForGracefulDeletionAndFinalizers), any other is removed.
     */
    private Future<Result> deleteWithFinalizers(
            ServedResource r, String namespace, String name, ObjectNode current, Options options) {
        ResourceStrategy strategy = registry.strategy(r);
        ObjectNode meta = Meta.meta(current);
        GarbageCollectionPolicy policy = GarbageCollectionPolicy.defaultFor(r);
        Optional<List<String>> finalizers = policy.deletionFinalizers(
                meta.path("finalizers"), options.propagationPolicy(), options.orphanDependents());
        if (finalizers.isPresent()) {
            ArrayNode set = meta.putArray("finalizers");
            finalizers.get().forEach(set::add);
            if (set.isEmpty()) {
                meta.remove("finalizers");
            }
        }
        if (meta.path("finalizers").size() > 0) {
            return markDeleting(r, namespace, name, current, options);
        }
        boolean pod = "pods".equals(r.type().plural()) && r.type().group().isEmpty();
        if (options.dryRun()) {
            return Future.succeededFuture(answer(r, strategy, pod ? stampDeletion(current) : current, true));
        }
        // a pod is deleted gracefully: first stamped (watchers see MODIFIED with a deletionTimestamp, as kubectl's
        // "Terminating"), then removed at once because no kubelet runs it
        Future<ObjectNode> before = pod
                ? registry.storage.update(
                        registry.key(r, namespace, name), stampDeletion(current), Meta.resourceVersion(current))
                : Future.succeededFuture(current);
        return before.compose(
                        last -> registry.storage.delete(registry.key(r, namespace, name), Meta.resourceVersion(last)))
                .recover(e -> Future.failedFuture(GenericRegistry.translate(e, r, name)))
                .map(last -> answer(r, strategy, last, true));
    }

    /**
     * pkg/registry/batch/job/storage/storage.go Delete and DeleteCollection: a batch/v1 Job deleted without a policy
     * keeps its pods, and the client is told so.
     */
    public static void warnJobOrphaning(ServedResource r, Options options, AdmissionRecorder recorder) {
        if (options.propagationPolicy() == null
                && options.orphanDependents() == null
                && "batch".equals(r.type().group())
                && "jobs".equals(r.type().plural())
                && GarbageCollectionPolicy.defaultFor(r) == GarbageCollectionPolicy.ORPHAN_DEPENDENTS) {
            recorder.warn(JOB_ORPHAN_WARNING);
        }
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

    /**
     * store.go markAsDeleting: the first DELETE stamps deletionTimestamp (and bumps generation), every one sets
     * deletionGracePeriodSeconds 0; the object stays until its finalizers are removed, answered with 200. A DELETE that
     * changes nothing writes nothing (GuaranteedUpdate).
     */
    private Future<Result> markDeleting(
            ServedResource r, String namespace, String name, ObjectNode current, Options options) {
        ObjectNode meta = Meta.meta(current);
        if (!meta.has("deletionTimestamp")) {
            meta.put("deletionTimestamp", Meta.now(registry.clock.instant()));
            if (meta.path("generation").asLong() > 0) {
                meta.put("generation", meta.get("generation").asLong() + 1);
            }
        }
        meta.put("deletionGracePeriodSeconds", 0);
        Meta.normalize(current, registry.strategy(r));
        if (options.dryRun()) {
            return Future.succeededFuture(new Result(current, false));
        }
        return registry.storage
                .get(registry.key(r, namespace, name))
                .compose(stored -> stored.equals(current)
                        ? Future.succeededFuture(stored)
                        : registry.storage.update(
                                registry.key(r, namespace, name), current, Meta.resourceVersion(current)))
                .recover(e -> Future.failedFuture(GenericRegistry.translate(e, r, name)))
                .map(updated -> new Result(updated, false));
    }
}

package io.kubetwin.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionChain;
import io.kubetwin.apiserver.admission.AdmissionRecorder;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.GoStrconv;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.apply.FieldManagers;
import io.kubetwin.apiserver.registry.apply.WriteManager;
import io.kubetwin.apiserver.registry.codec.GoZeroTimes;
import io.kubetwin.apiserver.registry.codec.TypedSchemas;
import io.kubetwin.apiserver.registry.kinds.EventConversion;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.validation.ObjectMetaValidation;
import io.kubetwin.apiserver.storage.ObjectKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.kubetwin.apiserver.storage.etcd.RegistryKeys;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The generic create/get/update path over {@link Storage} for every stored resource, in the role of
 * k8s.io/apiserver/pkg/registry/generic/registry/store.go together with rest.BeforeCreate/BeforeUpdate:
 * system metadata, the kind's strategy, admission (mutating before the strategy, validating after) and
 * Status errors with upstream's texts. Deletion lives in {@link Deleter}.
 *
 * <p>Thread-safe; every method answers a Future and never blocks.
 */
public final class GenericRegistry {
    final Storage storage;
    final ResourceCatalog catalog;
    final Strategies strategies;
    final AdmissionChain admission;
    final Clock clock;
    private final FieldManagers fieldManagers = new FieldManagers();
    private final TypedSchemas typedSchemas = new TypedSchemas(fieldManagers.schemas());

    public GenericRegistry(
            Storage storage, ResourceCatalog catalog, Strategies strategies, AdmissionChain admission, Clock clock) {
        this.storage = Objects.requireNonNull(storage);
        this.catalog = Objects.requireNonNull(catalog);
        this.strategies = Objects.requireNonNull(strategies);
        this.admission = Objects.requireNonNull(admission, "admission (use AdmissionChain.noop() explicitly)");
        this.clock = Objects.requireNonNull(clock);
    }

    public Storage storage() {
        return storage;
    }

    public ResourceCatalog catalog() {
        return catalog;
    }

    public Clock clock() {
        return clock;
    }

    public Strategies strategies() {
        return strategies;
    }

    /** The field managers of writes (server-side apply and managedFields). */
    /** The Go types request bodies of built-in kinds are decoded through (from the same OpenAPI documents). */
    public TypedSchemas typedSchemas() {
        return typedSchemas;
    }

    public FieldManagers fieldManagers() {
        return fieldManagers;
    }

    /** The manager the fake's in-process writers are recorded as (kube-controller-manager, kube-apiserver). */
    private static WriteManager inProcess(UserInfo user) {
        return WriteManager.updater(FieldManagers.inProcessManager(user));
    }

    /**
     * Records the write in the object's managedFields (the create, update and patch handlers' fieldManager call,
     * before admission), unless an apply did already.
     */
    private void recordManagedFields(
            ServedResource r, ObjectNode old, ObjectNode object, String subresource, WriteManager manager) {
        if (manager.precomputed()) {
            return;
        }
        if (!strategy(r).unstructured()) {
            // the field manager sees the typed object, whose zero times are there (as null)
            GoZeroTimes.apply(object);
        }
        var fm = fieldManagers.forWrite(r, strategy(r), object, subresource, clock.instant());
        if (r.storedAsOtherKind() && "Event".equals(r.type().kind())) {
            // the field manager sees the object in the version written (events.k8s.io/v1), not as stored
            ObjectNode served = EventConversion.fromCore(object);
            fm.update(old == null ? null : EventConversion.fromCore(old), served, manager.name());
            JsonNode managed = served.path("metadata").get("managedFields");
            if (managed != null) {
                Meta.meta(object).set("managedFields", managed);
            } else {
                Meta.meta(object).remove("managedFields");
            }
            return;
        }
        fm.update(old, object, manager.name());
    }

    public ResourceStrategy strategy(ServedResource r) {
        return strategies.forResource(r.type().group(), r.type().plural());
    }

    ObjectKey key(ServedResource r, String namespace, String name) {
        return r.storageKey().object(r.type().namespaced() ? namespace : "", name);
    }

    /** The namespaces kube-apiserver creates at start-up (its system namespaces controller). */
    public static final List<String> SYSTEM_NAMESPACES =
            List.of("default", "kube-system", "kube-public", "kube-node-lease");

    /**
     * Creates the system namespaces that do not exist yet, bypassing admission, as kube-apiserver's
     * bootstrap controller does. Call once at start-up, before serving.
     */
    public Future<Void> bootstrapNamespaces() {
        return absentSystemNamespaces()
                .map(this::systemNamespaces)
                // one that another server sharing the store creates meanwhile is kept
                .compose(creations -> creations.isEmpty()
                        ? Future.succeededFuture()
                        : storage.createAll(creations).mapEmpty());
    }

    /** The names of the system namespaces the store does not hold yet, in {@link #SYSTEM_NAMESPACES}' order. */
    public Future<List<String>> absentSystemNamespaces() {
        ServedResource namespaces = catalog.lookup("", "v1", "namespaces").orElseThrow();
        List<Future<String>> missing = new ArrayList<>();
        for (String name : SYSTEM_NAMESPACES) {
            missing.add(storage.get(key(namespaces, "", name))
                    .map((String) null)
                    .recover(e -> e instanceof StorageException se && se.reason() == StorageException.Reason.NOT_FOUND
                            ? Future.succeededFuture(name)
                            : Future.failedFuture(e)));
        }
        return Future.all(missing).map(v -> {
            List<String> absent = new ArrayList<>();
            for (Future<String> m : missing) {
                if (m.result() != null) {
                    absent.add(m.result());
                }
            }
            return absent;
        });
    }

    /**
     * {@link #bootstrapNamespaces} up to the write: the namespaces {@code names} (of {@link #SYSTEM_NAMESPACES}) as
     * they are to be stored.
     */
    public List<Storage.Creation> systemNamespaces(List<String> names) {
        ServedResource namespaces = catalog.lookup("", "v1", "namespaces").orElseThrow();
        ResourceStrategy strategy = strategy(namespaces);
        List<Storage.Creation> creations = new ArrayList<>();
        for (String name : names) {
            ObjectNode ns = JsonNodeFactory.instance.objectNode();
            ns.put("kind", "Namespace");
            ns.put("apiVersion", "v1");
            ObjectNode meta = ns.putObject("metadata");
            meta.put("name", name);
            meta.put("uid", UUID.randomUUID().toString());
            meta.put("creationTimestamp", Meta.now(clock.instant()));
            strategy.applyDefaults(ns);
            recordManagedFields(namespaces, null, ns, "", WriteManager.updater("kube-apiserver"));
            strategy.prepareForCreate(ns);
            Meta.normalize(ns, strategy);
            creations.add(new Storage.Creation(key(namespaces, "", name), ns));
        }
        return creations;
    }

    /** Reads one object; 404 NotFound with the resource's name when absent. */
    public Future<ObjectNode> get(ServedResource r, String namespace, String name) {
        return storage.get(key(r, namespace, name)).recover(e -> Future.failedFuture(translate(e, r, name)));
    }

    /** Creates an object for an in-process writer, recorded in managedFields as its upstream counterpart. */
    public Future<ObjectNode> create(
            ServedResource r, String namespace, ObjectNode object, UserInfo user, boolean dryRun) {
        return create(r, namespace, object, user, dryRun, inProcess(user));
    }

    /** Creates an object decoded from a request (kind and apiVersion already checked), written by {@code manager}. */
    public Future<ObjectNode> create(
            ServedResource r,
            String namespace,
            ObjectNode object,
            UserInfo user,
            boolean dryRun,
            WriteManager manager) {
        return create(r, namespace, object, user, dryRun, manager, AdmissionRecorder.NONE);
    }

    /** A create whose admission warnings and audit annotations go to {@code recorder} (a client's request). */
    public Future<ObjectNode> create(
            ServedResource r,
            String namespace,
            ObjectNode object,
            UserInfo user,
            boolean dryRun,
            WriteManager manager,
            AdmissionRecorder recorder) {
        return admitCreate(r, namespace, object, user, dryRun, manager, recorder)
                .compose(v -> {
                    if (dryRun) {
                        Meta.dropEmptyResourceVersion(object);
                        return Future.succeededFuture(object);
                    }
                    return storage.create(key(r, namespace, Meta.name(object)), object)
                            .recover(e -> Future.failedFuture(translate(e, r, Meta.name(object))));
                });
    }

    /** A new object for {@link #createAll}. */
    public record NewObject(ServedResource resource, String namespace, ObjectNode object) {}

    /**
     * Creates objects for an in-process writer (the start-up's bootstrap objects), each through defaults,
     * managedFields, admission and validation as {@link #create} takes it, then all stored with one
     * {@link Storage#createAll}: each gets its own resourceVersion, and a store may make them durable together.
     * An object that exists by then is left as it is (another server sharing the store created it). Fails with the
     * first failure.
     */
    public Future<Void> createAll(List<NewObject> objects, UserInfo user) {
        return admitAll(objects, user)
                .compose(creations -> storage.createAll(creations).mapEmpty());
    }

    /**
     * {@link #createAll} up to the write: the objects as they are to be stored (the same {@link ObjectNode}s, changed
     * in place), in list order.
     */
    public Future<List<Storage.Creation>> admitAll(List<NewObject> objects, UserInfo user) {
        List<Future<Void>> admitted = new ArrayList<>();
        for (NewObject o : objects) {
            admitted.add(admitCreate(
                    o.resource(), o.namespace(), o.object(), user, false, inProcess(user), AdmissionRecorder.NONE));
        }
        return Future.all(admitted).map(v -> {
            List<Storage.Creation> creations = new ArrayList<>();
            for (NewObject o : objects) {
                creations.add(
                        new Storage.Creation(key(o.resource(), o.namespace(), Meta.name(o.object())), o.object()));
            }
            return creations;
        });
    }

    /** {@link #create} up to the write: metadata, defaults, managedFields, admission, validation, normalization. */
    /**
     * etcd3's store.Create refuses an object whose resourceVersion the versioner reads as a version other than 0
     * (APIObjectVersioner.ObjectResourceVersion); one it cannot parse is an error it ignores, and the store
     * overwrites it.
     */
    private static boolean setResourceVersion(String resourceVersion) {
        try {
            return !resourceVersion.isEmpty() && GoStrconv.parseUint64(resourceVersion) != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private Future<Void> admitCreate(
            ServedResource r,
            String namespace,
            ObjectNode object,
            UserInfo user,
            boolean dryRun,
            WriteManager manager,
            AdmissionRecorder recorder) {
        ResourceStrategy strategy = strategy(r);
        ObjectNode meta = Meta.meta(object);
        // rest.WipeObjectMetaSystemFields
        meta.remove(List.of("creationTimestamp", "uid", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"));
        if (setResourceVersion(Meta.text(meta, "resourceVersion"))) {
            return Future.failedFuture(new StatusException(
                    Status.failure(500, "", "resourceVersion should not be set on objects to be created", null)));
        }
        String expectedNs = r.type().namespaced() ? namespace : "";
        String objectNs = Meta.text(meta, "namespace");
        if (!objectNs.isEmpty() && !objectNs.equals(expectedNs)) {
            return Future.failedFuture(Statuses.badRequest(
                    "the namespace of the provided object does not match the namespace sent on the request"));
        }
        if (!expectedNs.isEmpty()) {
            meta.put("namespace", expectedNs);
        }
        strategy.applyDefaults(object);
        recordManagedFields(r, null, object, "", manager);
        AdmissionAttributes attrs =
                attributes(Operation.CREATE, r, namespace, Meta.name(object), object, null, user, dryRun, "", recorder);
        return admission
                .admit(attrs)
                .compose(v -> {
                    if (Meta.name(object).isEmpty()
                            && !Meta.text(meta, "generateName").isEmpty()) {
                        meta.put("name", Meta.generateName(Meta.text(meta, "generateName")));
                    }
                    meta.put("uid", UUID.randomUUID().toString());
                    meta.put("creationTimestamp", Meta.now(clock.instant()));
                    if (strategy.tracksGeneration()) {
                        meta.put("generation", 1);
                    } else if (meta.path("generation").asLong(0) == 0) {
                        // omitempty
                        meta.remove("generation");
                    }
                    // a kind that does not track generation keeps the client's (BeforeCreate leaves it to the
                    // strategy), so ValidateObjectMeta refuses a negative one
                    strategy.prepareForCreate(object, user);
                    List<FieldError> errs = new ArrayList<>(strategy.validate(object));
                    List<FieldError> metaErrs = ObjectMetaValidation.validateCreate(
                            meta,
                            r.type().namespaced(),
                            strategy.nameRule(),
                            r.type().group().isEmpty());
                    List<FieldError> all = new ArrayList<>(metaErrs);
                    all.addAll(errs);
                    if (!all.isEmpty()) {
                        // upstream validates the kind first (its metadata checks included), so metadata errors lead
                        return Future.failedFuture(
                                FieldError.invalid(r.type().group(), r.type().kind(), Meta.name(object), all));
                    }
                    AdmissionAttributes validated = attributes(
                            Operation.CREATE,
                            r,
                            namespace,
                            Meta.name(object),
                            object,
                            null,
                            user,
                            dryRun,
                            "",
                            recorder);
                    return admission.validate(validated);
                })
                .map(v -> {
                    Meta.normalize(object, strategy);
                    return null;
                });
    }

    /**
     * Replaces an object (PUT, and the write of a PATCH). {@code subresource} "status" keeps everything
     * but status; "" keeps status for kinds whose strategy says so. A resourceVersion in the object makes
     * the write conditional (409 on mismatch); without one the update is unconditional, as most kinds allow.
     */
    public Future<ObjectNode> update(
            ServedResource r,
            String namespace,
            String name,
            ObjectNode object,
            String subresource,
            UserInfo user,
            boolean dryRun) {
        return update(r, namespace, name, object, subresource, user, dryRun, inProcess(user));
    }

    /** {@link #update(ServedResource, String, String, ObjectNode, String, UserInfo, boolean)} by {@code manager}. */
    public Future<ObjectNode> update(
            ServedResource r,
            String namespace,
            String name,
            ObjectNode object,
            String subresource,
            UserInfo user,
            boolean dryRun,
            WriteManager manager) {
        return update(r, namespace, name, object, subresource, user, dryRun, manager, AdmissionRecorder.NONE);
    }

    /** An update whose admission warnings and audit annotations go to {@code recorder} (a client's request). */
    public Future<ObjectNode> update(
            ServedResource r,
            String namespace,
            String name,
            ObjectNode object,
            String subresource,
            UserInfo user,
            boolean dryRun,
            WriteManager manager,
            AdmissionRecorder recorder) {
        ResourceStrategy main = strategy(r);
        ResourceStrategy strategy =
                subresource == null || subresource.isEmpty() ? main : main.forSubresource(subresource);
        return get(r, namespace, name).compose(old -> {
            ObjectNode meta = Meta.meta(object);
            String expectedRv = Meta.text(meta, "resourceVersion");
            if (!expectedRv.isEmpty() && !expectedRv.equals(Meta.resourceVersion(old))) {
                return Future.failedFuture(conflict(r, name));
            }
            String objectNs = Meta.text(meta, "namespace");
            if (r.type().namespaced() && !objectNs.isEmpty() && !objectNs.equals(namespace)) {
                return Future.failedFuture(Statuses.badRequest(
                        "the namespace of the provided object does not match the namespace sent on the request"));
            }
            if (r.type().namespaced()) {
                meta.put("namespace", namespace);
            }
            // fields the client cannot change are carried over (rest.BeforeUpdate / FillObjectMetaSystemFields)
            ObjectNode oldMeta = Meta.meta(old);
            // a uid sent is a precondition of the write (store.go Update), failing as the storage layer words it
            String sentUid = Meta.text(meta, "uid");
            if (!sentUid.isEmpty() && !sentUid.equals(Meta.text(oldMeta, "uid"))) {
                return Future.failedFuture(Statuses.conflict(
                        r.type().group(),
                        r.type().plural(),
                        name,
                        "StorageError: invalid object, Code: 4, Key: " + etcdKey(r, namespace, name)
                                + ", ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: "
                                + sentUid
                                + ", UID in object meta: " + Meta.text(oldMeta, "uid")));
            }
            meta.put("uid", Meta.text(oldMeta, "uid"));
            for (String f :
                    new String[] {"creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"}) {
                if (oldMeta.has(f)) {
                    meta.set(f, oldMeta.get(f).deepCopy());
                } else {
                    meta.remove(f);
                }
            }
            meta.put("resourceVersion", Meta.resourceVersion(old));
            JsonNode applied = meta.get("managedFields");
            if ("finalize".equals(subresource)) {
                // namespaces/finalize (namespaceFinalizeStrategy.PrepareForUpdate): everything but status may change;
                // an empty finalizer list is omitted (omitempty), as decoding into the Go type leaves it
                if (object.path("spec").path("finalizers").isArray()
                        && object.path("spec").path("finalizers").isEmpty()) {
                    ((ObjectNode) object.get("spec")).remove("finalizers");
                }
                if (old.has("status")) {
                    object.set("status", old.get("status").deepCopy());
                } else {
                    object.remove("status");
                }
            } else if (strategy != main && strategy.preparesAfterMutation()) {
                // decoding defaults the object as sent; the subresource's strategy narrows it after mutating admission
                main.applyDefaults(object);
            } else if (strategy != main) {
                // the subresource's own strategy decides what the write may change (csrApprovalStrategy, ...)
                strategy.prepareForUpdate(object, old);
            } else if (!"status".equals(subresource)) {
                strategy.prepareForUpdate(object, old);
                strategy.applyDefaults(object);
            }
            if (manager.precomputed() && applied != null) {
                // an apply's managedFields survive the subresource's carry-over of metadata (ResetObjectMetaForStatus)
                Meta.meta(object).set("managedFields", applied);
            }
            recordManagedFields(r, old, object, subresource, manager);
            // a status write keeps only the new status, but after mutating admission, as upstream's
            // PrepareForUpdate runs after it (NodeRestriction refuses labels sent through pods/status)
            boolean statusOnly = strategy == main && "status".equals(subresource);
            AdmissionAttributes attrs =
                    attributes(Operation.UPDATE, r, namespace, name, object, old, user, dryRun, subresource, recorder);
            return admission
                    .admit(attrs)
                    .map(v -> {
                        if (statusOnly) {
                            JsonNode annotations = Meta.meta(object).get("annotations");
                            keepOnlyStatus(object, old);
                            if (main.statusKeepsNewAnnotations()) {
                                if (annotations == null) {
                                    Meta.meta(object).remove("annotations");
                                } else {
                                    Meta.meta(object).set("annotations", annotations);
                                }
                            }
                            strategy.prepareForStatusUpdate(object, old);
                        } else if (strategy != main && strategy.preparesAfterMutation()) {
                            strategy.prepareForUpdate(object, old);
                        }
                        return v;
                    })
                    .compose(v -> {
                        // generation belongs to the main resource's strategy (subresource strategies, CR status, leave
                        // it)
                        // and is set after mutating admission, as PrepareForUpdate is: a change admission undoes is no
                        // change
                        if (main.tracksGeneration() && strategy == main && !statusOnly) {
                            // an int, as decoding makes it: an update that changes nothing must equal the stored object
                            int generation = oldMeta.path("generation").asInt(1);
                            Meta.meta(object)
                                    .put(
                                            "generation",
                                            main.changesGeneration(object, old) ? generation + 1 : generation);
                        }
                        List<FieldError> all =
                                new ArrayList<>(ObjectMetaValidation.validateUpdate(Meta.meta(object), oldMeta));
                        all.addAll(
                                "finalize".equals(subresource)
                                        ? NamespaceFinalizers.validate(object)
                                        : strategy.validateUpdate(object, old));
                        if (!all.isEmpty()) {
                            return Future.failedFuture(FieldError.invalid(
                                    r.type().group(), r.type().kind(), name, all));
                        }
                        return admission.validate(attrs);
                    })
                    .compose(v -> {
                        Meta.normalize(object, main);
                        if (dryRun) {
                            return Future.succeededFuture(object);
                        }
                        if (object.equals(old)) {
                            // GuaranteedUpdate writes nothing when the object is unchanged (same resourceVersion, no
                            // event), unless its stored value is stale: then it is encrypted again with the current
                            // write provider (the re-encryption recipe `kubectl get secrets -o json | kubectl replace`)
                            return storage.rewriteIfStale(key(r, namespace, name), object, Meta.resourceVersion(old))
                                    .recover(e -> Future.failedFuture(translate(e, r, name)))
                                    .map(written -> written != null ? written : old.deepCopy());
                        }
                        if (shouldDeleteDuringUpdate(r, object, old)) {
                            // the last finalizer is gone: the pending deletion completes (store.go
                            // deleteWithoutFinalizers), answering the object as written
                            return storage.delete(key(r, namespace, name), Meta.resourceVersion(old))
                                    .recover(e -> Future.failedFuture(translate(e, r, name)))
                                    .map(last -> object);
                        }
                        return storage.update(key(r, namespace, name), object, Meta.resourceVersion(old))
                                .recover(e -> Future.failedFuture(translate(e, r, name)));
                    });
        });
    }

    /** The result of a PUT: the stored object and whether the PUT created it. */
    public record Written(ObjectNode object, boolean created) {}

    /** PUT: an update, or for kinds that allow it a create when the object does not exist. */
    public Future<Written> updateOrCreate(
            ServedResource r,
            String namespace,
            String name,
            ObjectNode object,
            String subresource,
            UserInfo user,
            boolean dryRun,
            WriteManager manager,
            AdmissionRecorder recorder) {
        ResourceStrategy strategy = strategy(r);
        if (!strategy.allowCreateOnUpdate() || !subresource.isEmpty()) {
            return update(r, namespace, name, object, subresource, user, dryRun, manager, recorder)
                    .map(o -> new Written(o, false));
        }
        return storage.get(key(r, namespace, name)).transform(ar -> {
            if (ar.failed()
                    && ar.cause() instanceof StorageException se
                    && se.reason() == StorageException.Reason.NOT_FOUND) {
                // store.go: a PUT that names a resourceVersion cannot create
                if (!Meta.resourceVersion(object).isEmpty()) {
                    return Future.failedFuture(
                            Statuses.notFound(r.type().group(), r.type().plural(), name));
                }
                return create(r, namespace, object, user, dryRun, manager, recorder)
                        .map(o -> new Written(o, true));
            }
            return update(r, namespace, name, object, subresource, user, dryRun, manager, recorder)
                    .map(o -> new Written(o, false));
        });
    }

    /**
     * store.go ShouldDeleteDuringUpdate: no finalizers left on an object whose deletion was requested without a grace
     * period; for namespaces also no spec.finalizers (ShouldDeleteNamespaceDuringUpdate).
     */
    private static boolean shouldDeleteDuringUpdate(ServedResource r, ObjectNode object, ObjectNode old) {
        JsonNode oldMeta = old.path("metadata");
        if (Meta.meta(object).path("finalizers").size() > 0 || !oldMeta.has("deletionTimestamp")) {
            return false;
        }
        if (oldMeta.path("deletionGracePeriodSeconds").asLong(0) != 0) {
            return false;
        }
        return !NamespaceDeletion.isNamespaces(r) || NamespaceDeletion.finalized(object);
    }

    static boolean specChanged(ObjectNode object, ObjectNode old) {
        ObjectNode a = object.deepCopy();
        ObjectNode b = old.deepCopy();
        for (ObjectNode n : new ObjectNode[] {a, b}) {
            n.remove(List.of("metadata", "status", "kind", "apiVersion"));
        }
        return !a.equals(b);
    }

    private static final RegistryKeys DEFAULT_KEYS = new RegistryKeys(RegistryKeys.DEFAULT_PREFIX);

    /** The etcd key kube-apiserver would use (under the default --etcd-prefix), for storage-layer error texts. */
    static String etcdKey(ServedResource r, String namespace, String name) {
        return DEFAULT_KEYS.key(r.storageKey().object(r.type().namespaced() ? namespace : "", name));
    }

    /** The status strategies' PrepareForUpdate: everything but the status stays as stored. */
    private static void keepOnlyStatus(ObjectNode object, ObjectNode old) {
        ObjectNode merged = old.deepCopy();
        if (object.has("status")) {
            merged.set("status", object.get("status").deepCopy());
        } else {
            merged.remove("status");
        }
        // ResetObjectMetaForStatus keeps the new managedFields: they already track the status write
        JsonNode managed = Meta.meta(object).get("managedFields");
        if (managed != null) {
            Meta.meta(merged).set("managedFields", managed.deepCopy());
        } else {
            Meta.meta(merged).remove("managedFields");
        }
        object.removeAll();
        object.setAll(merged);
    }

    AdmissionAttributes attributes(
            Operation op,
            ServedResource r,
            String namespace,
            String name,
            ObjectNode object,
            ObjectNode old,
            UserInfo user,
            boolean dryRun,
            String subresource,
            AdmissionRecorder recorder) {
        return new AdmissionAttributes(
                op,
                object,
                old,
                r.type().group(),
                r.type().version(),
                r.type().kind(),
                r.type().group(),
                r.type().plural(),
                subresource,
                r.type().namespaced() ? namespace : "",
                name,
                user,
                dryRun,
                recorder);
    }

    /** errors.NewConflict for a stale resourceVersion. */
    static StatusException conflict(ServedResource r, String name) {
        return Statuses.conflict(
                r.type().group(),
                r.type().plural(),
                name,
                "the object has been modified; please apply your changes to the latest version and try again");
    }

    /** Storage failures as the Status errors upstream's storeerr package answers. */
    static Throwable translate(Throwable e, ServedResource r, String name) {
        if (e instanceof StorageException se) {
            return switch (se.reason()) {
                case NOT_FOUND -> Statuses.notFound(r.type().group(), r.type().plural(), name);
                case ALREADY_EXISTS ->
                    Statuses.alreadyExists(r.type().group(), r.type().plural(), name);
                case CONFLICT -> conflict(r, name);
                case TOO_OLD_RESOURCE_VERSION -> Statuses.gone(se.getMessage());
                case UNAVAILABLE -> Statuses.internalError(se.getMessage());
            };
        }
        return e;
    }
}

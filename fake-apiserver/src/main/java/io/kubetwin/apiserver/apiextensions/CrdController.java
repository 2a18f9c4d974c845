package io.kubetwin.apiserver.apiextensions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.controllers.QueueController;
import io.kubetwin.apiserver.registry.Deleter;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ResourceType;
import io.kubetwin.apiserver.registry.ScaleResource;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.registry.SubresourceType;
import io.kubetwin.apiserver.registry.VirtualResources;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The apiextensions-apiserver's CRD controllers, folded into one queue keyed by CRD name:
 * the NamingConditionController and EstablishingController (pkg/controller/status, establish) accept
 * names that no other CRD of the group holds and mark the CRD NamesAccepted and Established; the
 * crdHandler then serves every served version through the generic registry (registered in the
 * {@link io.kubetwin.apiserver.registry.ResourceCatalog}, which discovery follows, with a
 * {@link CustomResourceStrategy} and the scale subresource); the CRDFinalizer (pkg/controller/finalizer)
 * deletes all objects of a CRD being deleted and removes its finalizer, after which the types disappear.
 * Writes as the apiserver's loopback identity. Upstream's two-second pause before the first create of a
 * just-established CRD is not reproduced.
 */
public final class CrdController extends QueueController {
    static final ResourceKey CRDS = new ResourceKey("apiextensions.k8s.io", "customresourcedefinitions");
    static final List<String> VERBS =
            List.of("delete", "deletecollection", "get", "list", "patch", "create", "update", "watch");

    /** What is being served for one CRD. */
    private record Serving(String group, String plural, Set<String> versions, String generation, CrdObject crd) {}

    private final VirtualResources virtualResources;
    private final UserInfo identity;
    private final Clock clock;
    private final Map<String, Serving> serving = new ConcurrentHashMap<>();
    private final CustomResourceTerminating terminating;
    private final Map<String, List<String>> terminatingByName = new ConcurrentHashMap<>();

    /**
     * @param terminating the admission plugin (installed in the registry's chain) this controller tells which
     *                    CRDs are terminating
     * @param identity who the controller writes as (the apiserver's loopback user)
     */
    public CrdController(
            Vertx vertx,
            GenericRegistry registry,
            VirtualResources virtualResources,
            CustomResourceTerminating terminating,
            UserInfo identity,
            Clock clock) {
        super(vertx, registry, "crd-controllers");
        this.virtualResources = virtualResources;
        this.terminating = terminating;
        this.identity = identity;
        this.clock = clock;
    }

    @Override
    protected List<Source> sources() {
        return List.of(new Source(
                CRDS, (type, crd) -> List.of(crd.path("metadata").path("name").asText())));
    }

    @Override
    protected Future<Void> sync(String name) {
        return registry.storage().get(CRDS.object("", name)).compose(this::reconcile, missing -> {
            unserve(name);
            return Future.succeededFuture();
        });
    }

    private Future<Void> reconcile(ObjectNode stored) {
        CrdObject crd = CrdObject.of(stored);
        if (crd.deleting()) {
            terminating.mark(crd.group(), crd.names().plural());
            terminatingByName.put(crd.name(), List.of(crd.group(), crd.names().plural()));
            if (crd.finalizers().contains(CrdObject.CLEANUP_FINALIZER)) {
                return finalize(stored, crd);
            }
            return Future.succeededFuture();
        }
        return registry.storage().list(CRDS, null).compose(all -> {
            ObjectNode desired = stored.deepCopy();
            applyNames(desired, crd, all.items());
            if (!desired.path("status").equals(stored.path("status"))) {
                return writeStatus(desired).mapEmpty();
            }
            if (crd.conditionTrue("Established")) {
                serve(crd, stored.path("metadata").path("generation").asText());
            }
            return Future.succeededFuture();
        });
    }

    /** calculateNamesAndConditions plus the establishing controller's step. */
    private void applyNames(ObjectNode crd, CrdObject c, List<ObjectNode> all) {
        Set<String> resources = new HashSet<>();
        Set<String> kinds = new HashSet<>();
        for (ObjectNode other : all) {
            CrdObject o = CrdObject.of(other);
            if (!o.group().equals(c.group()) || o.name().equals(c.name())) {
                continue;
            }
            resources.add(o.acceptedNames().plural());
            resources.add(o.acceptedNames().singular());
            resources.addAll(o.acceptedNames().shortNames());
            kinds.add(o.acceptedNames().kind());
            kinds.add(o.acceptedNames().listKind());
        }
        CrdObject.Names requested = c.names();
        CrdObject.Names accepted = c.acceptedNames();
        String status = "Unknown";
        String reason = "";
        String message = "";
        String plural = accepted.plural();
        String singular = accepted.singular();
        List<String> shortNames = accepted.shortNames();
        String kind = accepted.kind();
        String listKind = accepted.listKind();
        String conflict;
        if ((conflict = conflict(requested.plural(), accepted.plural(), resources)) != null) {
            status = "False";
            reason = "PluralConflict";
            message = conflict;
        } else {
            plural = requested.plural();
        }
        if ((conflict = conflict(requested.singular(), accepted.singular(), resources)) != null) {
            status = "False";
            reason = "SingularConflict";
            message = conflict;
        } else {
            singular = requested.singular();
        }
        if (!requested.shortNames().equals(accepted.shortNames())) {
            List<String> errors = new ArrayList<>();
            for (String s : requested.shortNames()) {
                if (!accepted.shortNames().contains(s) && (conflict = conflict(s, "", resources)) != null) {
                    errors.add(conflict);
                }
            }
            if (!errors.isEmpty()) {
                status = "False";
                reason = "ShortNamesConflict";
                message = errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
            } else {
                shortNames = requested.shortNames();
            }
        }
        if ((conflict = conflict(requested.kind(), accepted.kind(), kinds)) != null) {
            status = "False";
            reason = "KindConflict";
            message = conflict;
        } else {
            kind = requested.kind();
        }
        if ((conflict = conflict(requested.listKind(), accepted.listKind(), kinds)) != null) {
            status = "False";
            reason = "ListKindConflict";
            message = conflict;
        } else {
            listKind = requested.listKind();
        }
        if ("Unknown".equals(status)) {
            status = "True";
            reason = "NoConflicts";
            message = "no conflicts found";
        }
        ObjectNode st = crd.get("status") instanceof ObjectNode s ? s : crd.putObject("status");
        ObjectNode names = st.putObject("acceptedNames").put("plural", plural);
        if (!singular.isEmpty()) {
            names.put("singular", singular);
        }
        if (!shortNames.isEmpty()) {
            ArrayNode a = names.putArray("shortNames");
            shortNames.forEach(a::add);
        }
        names.put("kind", kind);
        if (!listKind.isEmpty()) {
            names.put("listKind", listKind);
        }
        if (!requested.categories().isEmpty()) {
            ArrayNode a = names.putArray("categories");
            requested.categories().forEach(a::add);
        }
        String now = now();
        CrdStrategy.setCondition(crd, "NamesAccepted", status, reason, message, now);
        if (!c.conditionTrue("Established")) {
            if ("True".equals(status)) {
                CrdStrategy.setCondition(
                        crd,
                        "Established",
                        "True",
                        "InitialNamesAccepted",
                        "the initial names have been accepted",
                        now);
            } else {
                CrdStrategy.setCondition(crd, "Established", "False", "NotAccepted", "not all names are accepted", now);
            }
        }
        JsonOrder.crd(crd);
    }

    private static String conflict(String requested, String accepted, Set<String> used) {
        if (requested.equals(accepted) || !used.contains(requested)) {
            return null;
        }
        return "\"" + requested + "\" is already in use";
    }

    private Future<ObjectNode> writeStatus(ObjectNode crd) {
        ServedResource crds =
                registry.catalog().lookup(CRDS.group(), "v1", CRDS.resource()).orElseThrow();
        return registry.update(crds, "", crd.path("metadata").path("name").asText(), crd, "status", identity, false);
    }

    /** Registers every served version (and drops versions no longer served) when the CRD's generation or names changed. */
    private void serve(CrdObject crd, String generation) {
        Serving current = serving.get(crd.name());
        Set<String> versions = new HashSet<>();
        crd.versions().stream().filter(CrdObject.Version::served).forEach(v -> versions.add(v.name()));
        String plural = crd.acceptedNames().plural();
        if (current != null
                && current.generation().equals(generation)
                && current.versions().equals(versions)
                && current.plural().equals(plural)
                && Objects.equals(current.crd().acceptedNames(), crd.acceptedNames())) {
            return;
        }
        registry.strategies().register(crd.group(), plural, new CustomResourceStrategy(crd));
        String storageVersion =
                crd.storageVersion().map(CrdObject.Version::name).orElse("");
        for (CrdObject.Version v : crd.versions()) {
            if (!v.served()) {
                continue;
            }
            if (current == null || !current.versions().contains(v.name())) {
                var existing = registry.catalog().lookup(crd.group(), v.name(), plural);
                if (existing.isPresent()) {
                    // a built-in type of the same group/version/resource keeps precedence (OverlappingBuiltInResource)
                    versions.remove(v.name());
                    continue;
                }
            }
            List<SubresourceType> subresources = new ArrayList<>();
            if (v.hasStatus()) {
                subresources.add(
                        SubresourceType.of("status", crd.acceptedNames().kind(), "get", "patch", "update"));
            }
            if (v.scale().isPresent()) {
                subresources.add(
                        SubresourceType.crossGroup("scale", "autoscaling", "v1", "Scale", "get", "patch", "update"));
                virtualResources.register(
                        crd.group(),
                        plural,
                        "scale",
                        new ScaleResource(
                                registry,
                                crd.group(),
                                plural,
                                key -> servedCrd(key)
                                        .flatMap(CrdObject::storageVersion)
                                        .flatMap(CrdObject.Version::scale)
                                        .orElse(null)));
            }
            CrdObject.Names n = crd.acceptedNames();
            ResourceType type = new ResourceType(
                    crd.group(),
                    v.name(),
                    plural,
                    n.singular(),
                    n.kind(),
                    crd.namespaced(),
                    VERBS,
                    n.shortNames(),
                    n.categories(),
                    subresources.stream().map(SubresourceType::name).toList());
            registry.catalog().register(new ServedResource(type, subresources, crd.group(), storageVersion, n.kind()));
        }
        if (current != null) {
            for (String old : current.versions()) {
                if (!versions.contains(old)) {
                    registry.catalog().remove(current.group(), old, current.plural());
                }
            }
        }
        serving.put(crd.name(), new Serving(crd.group(), plural, versions, generation, crd));
    }

    private Optional<CrdObject> servedCrd(String groupPlural) {
        return serving.values().stream()
                .filter(s -> (s.group() + "/" + s.plural()).equals(groupPlural))
                .map(Serving::crd)
                .findFirst();
    }

    private void unserve(String name) {
        List<String> marked = terminatingByName.remove(name);
        if (marked != null) {
            terminating.unmark(marked.get(0), marked.get(1));
        }
        Serving s = serving.remove(name);
        if (s == null) {
            return;
        }
        s.versions().forEach(v -> registry.catalog().remove(s.group(), v, s.plural()));
        registry.strategies().remove(s.group(), s.plural());
    }

    /** The CRDFinalizer: delete every instance through the registry, then release the CRD. */
    private Future<Void> finalize(ObjectNode stored, CrdObject crd) {
        ObjectNode progress = stored.deepCopy();
        CrdStrategy.setCondition(
                progress,
                "Terminating",
                "True",
                "InstanceDeletionInProgress",
                "CustomResource deletion is in progress",
                now());
        Future<ObjectNode> marked = progress.path("status").equals(stored.path("status"))
                ? Future.succeededFuture(stored)
                : writeStatus(progress);
        return marked.compose(current -> {
            Serving s = serving.get(crd.name());
            if (!crd.conditionTrue("Established") || s == null || s.versions().isEmpty()) {
                return release(current, "False", "NeverEstablished", "resource was never established");
            }
            ServedResource served = registry.catalog()
                    .lookup(s.group(), s.versions().iterator().next(), s.plural())
                    .orElse(null);
            if (served == null) {
                return release(current, "False", "NeverEstablished", "resource was never established");
            }
            Deleter deleter = new Deleter(registry);
            return registry.storage()
                    .list(served.storageKey(), null)
                    .compose(list -> {
                        List<Future<Deleter.Result>> deletions = new ArrayList<>();
                        for (ObjectNode item : list.items()) {
                            deletions.add(deleter.delete(
                                            served,
                                            item.path("metadata")
                                                    .path("namespace")
                                                    .asText(""),
                                            item.path("metadata").path("name").asText(),
                                            Deleter.Options.defaults(),
                                            identity)
                                    .recover(e -> Future.succeededFuture(null)));
                        }
                        return Future.join(deletions);
                    })
                    .compose(done -> registry.storage().list(served.storageKey(), null))
                    .compose(left -> {
                        if (!left.items().isEmpty()) {
                            // finalizers of instances hold the CRD; the queue retries with backoff
                            return Future.failedFuture(
                                    "waiting for " + left.items().size() + " items to be removed");
                        }
                        return release(current, "False", "InstanceDeletionCompleted", "removed all instances");
                    });
        });
    }

    private Future<Void> release(ObjectNode current, String status, String reason, String message) {
        ObjectNode done = current.deepCopy();
        CrdStrategy.setCondition(done, "Terminating", status, reason, message, now());
        ArrayNode kept = done.objectNode().arrayNode();
        for (var f : done.path("metadata").path("finalizers")) {
            if (!CrdObject.CLEANUP_FINALIZER.equals(f.asText())) {
                kept.add(f);
            }
        }
        ((ObjectNode) done.get("metadata")).set("finalizers", kept);
        return writeStatus(done)
                .<Void>mapEmpty()
                .recover(e -> e instanceof StatusException se && (se.code() == 404 || se.code() == 409)
                        ? Future.succeededFuture()
                        : Future.failedFuture(e));
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}

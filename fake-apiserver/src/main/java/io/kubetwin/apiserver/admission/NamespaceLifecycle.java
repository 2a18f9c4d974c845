package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The NamespaceLifecycle plugin (k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/admission.go):
 * immortal namespaces cannot be deleted; nothing can be created or updated in a namespace that does
 * not exist; nothing can be created in a namespace being terminated. Deletes of other objects and
 * LocalSubjectAccessReviews (which must not reveal whether a namespace exists) are always allowed.
 * Decides in the mutating phase, as upstream does.
 */
public final class NamespaceLifecycle implements AdmissionPlugin {

    /** Upstream's default immortal namespaces: default, kube-system, kube-public (kube-node-lease is not one). */
    public static final Set<String> DEFAULT_IMMORTAL = Set.of("default", "kube-system", "kube-public");

    private static final ResourceKey NAMESPACES = new ResourceKey("", "namespaces");

    /** Reads a namespace; answers null when it does not exist. */
    @FunctionalInterface
    public interface NamespaceLookup {
        Future<ObjectNode> find(String name);
    }

    private final NamespaceLookup lookup;
    private final Set<String> immortal;

    public NamespaceLifecycle(NamespaceLookup lookup, Set<String> immortalNamespaces) {
        this.lookup = lookup;
        this.immortal = Set.copyOf(immortalNamespaces);
    }

    /** Looks namespaces up directly in storage (the fake has no informer lag to emulate). */
    public static NamespaceLifecycle overStorage(Storage storage) {
        return new NamespaceLifecycle(
                name -> storage.get(NAMESPACES.object("", name))
                        .recover(e ->
                                e instanceof StorageException se && se.reason() == StorageException.Reason.NOT_FOUND
                                        ? Future.succeededFuture(null)
                                        : Future.failedFuture(e)),
                DEFAULT_IMMORTAL);
    }

    @Override
    public String name() {
        return "NamespaceLifecycle";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE || operation == Operation.DELETE;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        if (a.operation() == Operation.DELETE && a.isNamespaceKind() && immortal.contains(a.name())) {
            return Future.failedFuture(Statuses.forbiddenWithDetail(
                    a.resourceGroup(), a.resource(), a.name(), "this namespace may not be deleted"));
        }
        if (a.isNamespaceKind() || a.namespace().isEmpty() || a.operation() == Operation.DELETE) {
            return Future.succeededFuture();
        }
        if ("authorization.k8s.io".equals(a.resourceGroup()) && "localsubjectaccessreviews".equals(a.resource())) {
            return Future.succeededFuture();
        }
        return lookup.find(a.namespace()).compose(ns -> {
            if (ns == null) {
                return Future.failedFuture(Statuses.notFound("", "namespaces", a.namespace()));
            }
            if (a.operation() == Operation.CREATE
                    && "Terminating".equals(ns.path("status").path("phase").asText())) {
                return Future.failedFuture(terminating(a));
            }
            return Future.succeededFuture();
        });
    }

    /** admission.NewForbidden plus the NamespaceTerminating cause upstream appends. */
    private static StatusException terminating(AdmissionAttributes a) {
        String name = AdmissionErrors.resourceName(a);
        StatusException base = Statuses.forbiddenWithDetail(
                a.resourceGroup(),
                a.resource(),
                name,
                "unable to create new content in namespace " + a.namespace() + " because it is being terminated");
        Status s = base.status();
        List<Status.Cause> causes = new ArrayList<>();
        causes.add(new Status.Cause(
                "NamespaceTerminating", "namespace " + a.namespace() + " is being terminated", "metadata.namespace"));
        Status.Details d = s.details();
        return new StatusException(new Status(
                s.status(),
                s.message(),
                s.reason(),
                new Status.Details(d.name(), d.group(), d.kind(), d.uid(), causes, d.retryAfterSeconds()),
                s.code()));
    }
}

package io.kubetwin.apiserver.admission.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionErrors;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.registry.ResourceCatalog;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OwnerReferencesPermissionEnforcement plugin (plugin/pkg/admission/gc/gc_admission.go): changing an
 * object's owner references needs permission to delete the object (on updates), and making a reference
 * block its owner's deletion needs permission to update the owner's {@code finalizers} subresource (or any
 * finalizers anywhere), so nobody can hold up the deletion of what they could not otherwise touch. Pod
 * status writes are exempt. The refusals quote the authorizer's reason and Go's {@code <nil>} error.
 */
public final class OwnerReferencesPermissionEnforcement implements AdmissionPlugin {
    private final Authorizer authorizer;
    private final ResourceCatalog catalog;

    public OwnerReferencesPermissionEnforcement(Authorizer authorizer, ResourceCatalog catalog) {
        this.authorizer = authorizer;
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return "OwnerReferencesPermissionEnforcement";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE;
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        if (a.object() == null
                || (a.resourceGroup().isEmpty() && "pods".equals(a.resource()) && "status".equals(a.subresource()))) {
            return Future.succeededFuture();
        }
        List<JsonNode> newRefs = refs(a.object());
        List<JsonNode> oldRefs = a.oldObject() == null ? null : refs(a.oldObject());
        boolean changing = oldRefs == null ? !newRefs.isEmpty() : !newRefs.equals(oldRefs);
        if (!changing) {
            return Future.succeededFuture();
        }
        if (a.operation() != Operation.CREATE) {
            Decision d = authorize(new Attributes(
                    a.user(),
                    "delete",
                    true,
                    "",
                    a.namespace(),
                    a.resourceGroup(),
                    a.version(),
                    a.resource(),
                    a.subresource(),
                    a.name()));
            if (!d.isAllowed()) {
                return Future.failedFuture(AdmissionErrors.forbidden(
                        a, "cannot set an ownerRef on a resource you can't delete: " + d.reason() + ", <nil>"));
            }
        }
        List<JsonNode> blocking = newBlockingRefs(newRefs, oldRefs);
        if (blocking.isEmpty()) {
            return Future.succeededFuture();
        }
        if (authorize(new Attributes(a.user(), "update", true, "", "", "*", "*", "*", "finalizers", "*"))
                .isAllowed()) {
            return Future.succeededFuture();
        }
        for (JsonNode ref : blocking) {
            String apiVersion = ref.path("apiVersion").asText("");
            String kind = ref.path("kind").asText("");
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
            Optional<ServedResource> mapping = catalog.lookupKind(group, version, kind);
            if (mapping.isEmpty()) {
                return Future.failedFuture(AdmissionErrors.forbidden(
                        a,
                        "cannot set blockOwnerDeletion in this case because cannot find RESTMapping for APIVersion "
                                + apiVersion + " Kind " + kind + ": no matches for kind \"" + kind
                                + "\" in version \"" + apiVersion + "\""));
            }
            var type = mapping.get().type();
            Decision d = authorize(new Attributes(
                    a.user(),
                    "update",
                    true,
                    "",
                    type.namespaced() ? a.namespace() : "",
                    type.group(),
                    type.version(),
                    type.plural(),
                    "finalizers",
                    ref.path("name").asText("")));
            if (!d.isAllowed()) {
                return Future.failedFuture(AdmissionErrors.forbidden(
                        a,
                        "cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set "
                                + "finalizers on: " + d.reason() + ", <nil>"));
            }
        }
        return Future.succeededFuture();
    }

    private Decision authorize(Attributes attributes) {
        try {
            return authorizer.authorize(attributes);
        } catch (RuntimeException e) {
            return Decision.noOpinion(e.getMessage());
        }
    }

    private static List<JsonNode> refs(JsonNode object) {
        List<JsonNode> out = new ArrayList<>();
        object.path("metadata").path("ownerReferences").forEach(out::add);
        return out;
    }

    private static boolean blocks(JsonNode ref) {
        return ref.path("blockOwnerDeletion").asBoolean(false);
    }

    /** newBlockingOwnerDeletionRefs: blocking references that are new, or did not block before (by UID). */
    private static List<JsonNode> newBlockingRefs(List<JsonNode> newRefs, List<JsonNode> oldRefs) {
        List<JsonNode> out = new ArrayList<>();
        Map<String, JsonNode> oldByUid = new HashMap<>();
        if (oldRefs != null) {
            oldRefs.forEach(r -> oldByUid.put(r.path("uid").asText(""), r));
        }
        for (JsonNode ref : newRefs) {
            if (!blocks(ref)) {
                continue;
            }
            JsonNode old = oldByUid.get(ref.path("uid").asText(""));
            if (oldRefs == null || old == null || !blocks(old)) {
                out.add(ref);
            }
        }
        return out;
    }
}

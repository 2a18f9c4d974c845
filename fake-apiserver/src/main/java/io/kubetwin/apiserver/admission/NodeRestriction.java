package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.PodReferences;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.authz.node.NodeIdentity;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.pki.GoText;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The NodeRestriction admission plugin ({@code --enable-admission-plugins=NodeRestriction}), mirroring
 * plugin/pkg/admission/noderestriction/admission.go of v1.34 for the resources the fake serves: a kubelet
 * ({@link NodeIdentity}) may create only mirror pods bound to itself, owned by its own Node and referencing no
 * other API object; delete only pods bound to itself; update the status of those pods only, without touching
 * their labels; create, update or delete only its own Node, without setting {@code node-restriction.kubernetes.io}
 * labels or kubernetes.io / k8s.io labels outside the kubelet's own set, and without changing its taints or owner
 * references; request tokens only bound to a pod of its own, for an audience that pod uses. Mutating, as upstream's (it runs where kube-apiserver's plugin order puts it: after ServiceAccount),
 * so it sees the object as sent. Refusals are admission.NewForbidden with upstream's texts. Thread-safe.
 */
public final class NodeRestriction implements AdmissionPlugin {
    static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";
    static final String TOKEN_AUDIENCE_VERB = "request-serviceaccounts-token-audience";

    /** The stored core objects the plugin reads (upstream: the node and pod listers). */
    @FunctionalInterface
    public interface Lookup {
        /** The object, or empty when there is none; never blocks. */
        Future<Optional<ObjectNode>> get(String resource, String namespace, String name);
    }

    private final Lookup lookup;
    private final Authorizer authorizer;

    /**
     * @param authorizer the server's, asked whether a node may request a token for an audience its pod does not use
     *                   (ServiceAccountNodeAudienceRestriction, on in v1.34)
     */
    public NodeRestriction(Lookup lookup, Authorizer authorizer) {
        this.lookup = lookup;
        this.authorizer = authorizer;
    }

    public static NodeRestriction overStorage(Storage storage, Authorizer authorizer) {
        return new NodeRestriction(
                (resource, namespace, name) -> storage.get(new ResourceKey("", resource).object(namespace, name))
                        .map(Optional::of)
                        .recover(e ->
                                e instanceof StorageException se && se.reason() == StorageException.Reason.NOT_FOUND
                                        ? Future.succeededFuture(Optional.empty())
                                        : Future.failedFuture(e)),
                authorizer);
    }

    @Override
    public String name() {
        return "NodeRestriction";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE || operation == Operation.DELETE;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        Optional<String> identity = NodeIdentity.nodeName(a.user());
        if (identity.isEmpty()) {
            return Future.succeededFuture();
        }
        String node = identity.get();
        if (node.isEmpty()) {
            return forbidden(
                    a,
                    "could not determine node from user "
                            + GoText.quote(a.user().name()));
        }
        if (!a.resourceGroup().isEmpty()) {
            return Future.succeededFuture();
        }
        return switch (a.resource()) {
            case "pods" ->
                switch (a.subresource()) {
                    case "" -> pod(node, a);
                    case "status" -> podStatus(node, a);
                    case "eviction" -> podEviction(node, a);
                    default ->
                        forbidden(
                                a,
                                "unexpected pod subresource " + GoText.quote(a.subresource())
                                        + ", only 'status' and 'eviction' are allowed");
                };
            case "nodes" -> nodeObject(node, a);
            case "serviceaccounts" -> serviceAccountToken(node, a);
            default -> Future.succeededFuture();
        };
    }

    private Future<Void> pod(String node, AdmissionAttributes a) {
        return switch (a.operation()) {
            case CREATE -> podCreate(node, a);
            case DELETE ->
                node.equals(nodeName(a.oldObject()))
                        ? Future.succeededFuture()
                        : forbidden(a, "node " + q(node) + " can only delete pods with spec.nodeName set to itself");
            default ->
                forbidden(
                        a,
                        "unexpected operation " + q(a.operation().name()) + ", node " + q(node)
                                + " can only create and delete mirror pods");
        };
    }

    private Future<Void> podCreate(String node, AdmissionAttributes a) {
        ObjectNode pod = a.object();
        JsonNode meta = pod.path("metadata");
        if (!meta.path("annotations").has(MIRROR_POD_ANNOTATION)) {
            return forbidden(
                    a,
                    "pod does not have " + q(MIRROR_POD_ANNOTATION) + " annotation, node " + q(node)
                            + " can only create mirror pods");
        }
        if (!node.equals(nodeName(pod))) {
            return forbidden(a, "node " + q(node) + " can only create pods with spec.nodeName set to itself");
        }
        JsonNode owners = meta.path("ownerReferences");
        if (owners.size() > 1) {
            return forbidden(
                    a, "node " + q(node) + " can only create pods with a single owner reference set to itself");
        }
        if (owners.size() == 0) {
            return forbidden(a, "node " + q(node) + " can only create pods with an owner reference set to itself");
        }
        JsonNode owner = owners.get(0);
        if (!owner.path("apiVersion").asText("").equals("v1")
                || !owner.path("kind").asText("").equals("Node")
                || !owner.path("name").asText("").equals(node)) {
            return forbidden(a, "node " + q(node) + " can only create pods with an owner reference set to itself");
        }
        if (!owner.path("controller").asBoolean(false)) {
            return forbidden(
                    a, "node " + q(node) + " can only create pods with a controller owner reference set to itself");
        }
        if (owner.path("blockOwnerDeletion").asBoolean(false)) {
            return forbidden(a, "node " + q(node) + " must not set blockOwnerDeletion on an owner reference");
        }
        return lookup.get("nodes", "", node).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(Statuses.notFound("", "nodes", node));
            }
            String uid = found.get().path("metadata").path("uid").asText("");
            String ownerUid = owner.path("uid").asText("");
            if (!ownerUid.equals(uid)) {
                return forbidden(a, "node " + node + " UID mismatch: expected " + ownerUid + " got " + uid);
            }
            Optional<String> reference = PodReferences.apiObjectReference(pod);
            return reference.isPresent()
                    ? forbidden(a, "node " + q(node) + " can not create pods that reference " + reference.get())
                    : Future.succeededFuture();
        });
    }

    private Future<Void> podStatus(String node, AdmissionAttributes a) {
        if (a.operation() != Operation.UPDATE) {
            return forbidden(a, "unexpected operation " + q(a.operation().name()));
        }
        if (!node.equals(nodeName(a.oldObject()))) {
            return forbidden(
                    a, "node " + q(node) + " can only update pod status for pods with spec.nodeName set to itself");
        }
        if (!labels(a.oldObject()).equals(labels(a.object()))) {
            return forbidden(a, "node " + q(node) + " cannot update labels through pod status");
        }
        return Future.succeededFuture();
    }

    private Future<Void> podEviction(String node, AdmissionAttributes a) {
        if (a.operation() != Operation.CREATE) {
            return forbidden(a, "unexpected operation " + a.operation().name());
        }
        // the pod is the stored one the eviction names (the fake passes it as the old object)
        return node.equals(nodeName(a.oldObject()))
                ? Future.succeededFuture()
                : forbidden(a, "node " + node + " can only evict pods with spec.nodeName set to itself");
    }

    private Future<Void> nodeObject(String node, AdmissionAttributes a) {
        if (!a.name().equals(node)) {
            return forbidden(a, "node " + q(node) + " is not allowed to modify node " + q(a.name()));
        }
        if (a.operation() == Operation.CREATE) {
            if (a.object().path("spec").hasNonNull("configSource")) {
                return forbidden(a, "node " + q(node) + " is not allowed to create pods with a non-nil configSource");
            }
            TreeSet<String> forbidden = NodeLabels.forbidden(NodeLabels.modified(labels(a.object()), null));
            if (!forbidden.isEmpty()) {
                return forbidden(
                        a,
                        "node " + q(node) + " is not allowed to set the following labels: "
                                + String.join(", ", forbidden));
            }
        }
        if (a.operation() == Operation.UPDATE) {
            JsonNode spec = a.object().path("spec");
            JsonNode oldSpec = a.oldObject().path("spec");
            if (spec.hasNonNull("configSource") && !spec.path("configSource").equals(oldSpec.path("configSource"))) {
                return forbidden(
                        a, "node " + q(node) + " is not allowed to update configSource to a new non-nil configSource");
            }
            if (!emptyAsMissing(spec.path("taints")).equals(emptyAsMissing(oldSpec.path("taints")))) {
                return forbidden(a, "node " + q(node) + " is not allowed to modify taints");
            }
            if (!emptyAsMissing(a.object().path("metadata").path("ownerReferences"))
                    .equals(emptyAsMissing(a.oldObject().path("metadata").path("ownerReferences")))) {
                return forbidden(a, "node " + q(node) + " is not allowed to modify ownerReferences");
            }
            TreeSet<String> forbidden =
                    NodeLabels.forbidden(NodeLabels.modified(labels(a.object()), labels(a.oldObject())));
            if (!forbidden.isEmpty()) {
                return forbidden(a, "is not allowed to modify labels: " + String.join(", ", forbidden));
            }
        }
        return Future.succeededFuture();
    }

    /**
     * admitServiceAccount: a node's TokenRequest must be bound to a pod (by UID) scheduled on it, and ask for at most
     * one audience, one its pod's projected tokens or CSI volumes use or that the node is authorized for.
     */
    private Future<Void> serviceAccountToken(String node, AdmissionAttributes a) {
        if (a.operation() != Operation.CREATE || !a.subresource().equals("token")) {
            return Future.succeededFuture();
        }
        JsonNode ref = a.object().path("spec").path("boundObjectRef");
        if (!ref.path("apiVersion").asText("").equals("v1")
                || !ref.path("kind").asText("").equals("Pod")
                || ref.path("name").asText("").isEmpty()) {
            return forbidden(a, "node requested token not bound to a pod");
        }
        String uid = ref.path("uid").asText("");
        if (uid.isEmpty()) {
            return forbidden(a, "node requested token with a pod binding without a uid");
        }
        String podName = ref.path("name").asText();
        return lookup.get("pods", a.namespace(), podName).compose(found -> {
            if (found.isEmpty()) {
                // the pod lister's NotFound, with its singular resource
                return Future.failedFuture(Statuses.notFound("", "pod", podName));
            }
            ObjectNode pod = found.get();
            if (!uid.equals(pod.path("metadata").path("uid").asText(""))) {
                return forbidden(
                        a,
                        "the UID in the bound object reference (" + uid + ") does not match the UID in record. "
                                + "The object might have been deleted and then recreated");
            }
            if (!node.equals(nodeName(pod))) {
                return forbidden(a, "node requested token bound to a pod scheduled on a different node");
            }
            return audience(a, pod);
        });
    }

    /** validateNodeServiceAccountAudience. */
    private Future<Void> audience(AdmissionAttributes a, ObjectNode pod) {
        JsonNode audiences = a.object().path("spec").path("audiences");
        if (audiences.size() > 1) {
            return forbidden(a, "node may only request 0 or 1 audiences");
        }
        String audience = audiences.size() == 1 ? audiences.get(0).asText("") : "";
        List<String> errors = new ArrayList<>();
        for (JsonNode v : pod.path("spec").path("volumes")) {
            for (JsonNode source : v.path("projected").path("sources")) {
                if (source.hasNonNull("serviceAccountToken")
                        && source.path("serviceAccountToken")
                                .path("audience")
                                .asText("")
                                .equals(audience)) {
                    return Future.succeededFuture();
                }
            }
            // the fake serves no persistent volume claims or CSI drivers: those lookups find nothing
            if (v.hasNonNull("ephemeral") && v.path("ephemeral").hasNonNull("volumeClaimTemplate")) {
                errors.add("persistentvolumeclaim "
                        + q(pod.path("metadata").path("name").asText("") + "-"
                                + v.path("name").asText("")) + " not found");
            } else if (v.hasNonNull("persistentVolumeClaim")) {
                errors.add("persistentvolumeclaim "
                        + q(v.path("persistentVolumeClaim").path("claimName").asText("")) + " not found");
            } else if (v.hasNonNull("csi")) {
                errors.add("csidriver.storage.k8s.io "
                        + q(v.path("csi").path("driver").asText("")) + " not found");
            }
        }
        if (!errors.isEmpty()) {
            return forbidden(a, "error validating audience " + q(audience) + ": " + GoText.aggregate(errors));
        }
        Attributes request = new Attributes(
                a.user(), TOKEN_AUDIENCE_VERB, true, "", a.namespace(), "", "v1", audience, "", a.name());
        if (authorizer.authorize(request).isAllowed()) {
            return Future.succeededFuture();
        }
        return forbidden(
                a,
                "audience " + q(audience) + " not found in pod spec volume, "
                        + a.user().name() + " is not authorized to request tokens for this audience");
    }

    /** apiequality.Semantic.DeepEqual treats a nil and an empty slice alike. */
    private static JsonNode emptyAsMissing(JsonNode node) {
        return node.isMissingNode() || node.isNull() || (node.isArray() && node.isEmpty())
                ? MissingNode.getInstance()
                : node;
    }

    private static String nodeName(JsonNode pod) {
        return pod == null ? "" : pod.path("spec").path("nodeName").asText("");
    }

    private static JsonNode labels(JsonNode object) {
        JsonNode labels = object == null ? null : object.path("metadata").get("labels");
        return labels == null || labels.isNull() ? JsonNodeFactory.instance.objectNode() : labels;
    }

    private static String q(String s) {
        return GoText.quote(s);
    }

    private static Future<Void> forbidden(AdmissionAttributes a, String detail) {
        return Future.failedFuture(AdmissionErrors.forbidden(a, detail));
    }
}

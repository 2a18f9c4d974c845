package io.kubetwin.apiserver.authz.node;

import io.kubetwin.apiserver.authz.rbac.BootstrapPolicy;
import io.kubetwin.apiserver.authz.rbac.ClusterRole;
import io.kubetwin.apiserver.authz.rbac.PolicyRule;
import io.kubetwin.apiserver.authz.rbac.RuleMatching;
import io.kubetwin.apiserver.features.FeatureGates;
import io.kubetwin.apiserver.registry.selection.FieldSelector;
import io.kubetwin.apiserver.registry.selection.SelectorException;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;
import io.kubetwin.pki.GoText;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code --authorization-mode=Node}, mirroring plugin/pkg/auth/authorizer/node/node_authorizer.go of v1.34 (with
 * AuthorizeNodeWithSelectors on, locked there; getting service accounts only with
 * KubeletServiceAccountTokenForCredentialProviders or PodCertificateRequest on): a request from a
 * kubelet ({@link NodeIdentity}) to secrets, configmaps, persistent volume claims and volumes, resource claims,
 * volume attachments or service accounts is allowed only for objects related to the node in the {@link NodeGraph};
 * its own Node may be read by name, Nodes and their status written (NodeRestriction narrows those writes to its
 * own); pods read by name when bound to it or listed with {@code spec.nodeName=<node>}; leases only its own in
 * kube-node-lease; CSINodes only its own; everything else by the node rules of bootstrap policy (the
 * {@code system:node} ClusterRole). It never denies: a refusal is NoOpinion with upstream's reason, which the
 * union passes on to RBAC and the Forbidden message. Non-nodes get NoOpinion without reason. Thread-safe.
 */
public final class NodeAuthorizer implements Authorizer {
    static final String NODE_LEASE_NAMESPACE = "kube-node-lease";

    private final NodeGraph graph;
    private final List<PolicyRule> nodeRules;
    private final boolean getServiceAccounts;

    public NodeAuthorizer(NodeGraph graph, List<PolicyRule> nodeRules) {
        this(graph, nodeRules, true);
    }

    /**
     * @param getServiceAccounts whether KubeletServiceAccountTokenForCredentialProviders or PodCertificateRequest is
     *     on: a kubelet may then get the service accounts of its pods
     */
    public NodeAuthorizer(NodeGraph graph, List<PolicyRule> nodeRules, boolean getServiceAccounts) {
        this.graph = graph;
        this.nodeRules = List.copyOf(nodeRules);
        this.getServiceAccounts = getServiceAccounts;
    }

    /** With the node rules of the recorded v1.34 bootstrap policy (bootstrappolicy.NodeRules). */
    public static NodeAuthorizer withBootstrapRules(NodeGraph graph) {
        return withBootstrapRules(graph, FeatureGates.defaults()::enabled);
    }

    /** With the node rules of the bootstrap policy as the feature gates make it. */
    public static NodeAuthorizer withBootstrapRules(NodeGraph graph, Predicate<String> enabled) {
        ClusterRole systemNode = BootstrapPolicy.load().withGates(enabled).clusterRoles().stream()
                .filter(r -> r.name().equals("system:node"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("bootstrap policy without the system:node ClusterRole"));
        return new NodeAuthorizer(
                graph,
                systemNode.rules(),
                enabled.test("KubeletServiceAccountTokenForCredentialProviders")
                        || enabled.test("PodCertificateRequest"));
    }

    @Override
    public Decision authorize(Attributes a) {
        Optional<String> identity = NodeIdentity.nodeName(a.user());
        if (identity.isEmpty()) {
            return Decision.noOpinion("");
        }
        String node = identity.get();
        if (node.isEmpty()) {
            return Decision.noOpinion("unknown node for user " + quote(a.user().name()));
        }
        if (a.resourceRequest()) {
            Decision subdivided = subdivided(node, a);
            if (subdivided != null) {
                return subdivided;
            }
        }
        return RuleMatching.anyAllows(a, nodeRules) ? Decision.allow("") : Decision.noOpinion("");
    }

    /** The resources whose access is subdivided per node; null for the others. */
    private Decision subdivided(String node, Attributes a) {
        return switch (a.apiGroup() + "/" + a.resource()) {
            case "/secrets" -> readNamespacedObject(node, NodeGraph.Type.SECRET, a);
            case "/configmaps" -> readNamespacedObject(node, NodeGraph.Type.CONFIG_MAP, a);
            case "/persistentvolumeclaims" ->
                a.subresource().equals("status")
                        ? statusUpdate(node, NodeGraph.Type.PERSISTENT_VOLUME_CLAIM, a)
                        : get(node, NodeGraph.Type.PERSISTENT_VOLUME_CLAIM, a);
            case "/persistentvolumes" -> get(node, NodeGraph.Type.PERSISTENT_VOLUME, a);
            case "resource.k8s.io/resourceclaims" -> get(node, NodeGraph.Type.RESOURCE_CLAIM, a);
            case "storage.k8s.io/volumeattachments" -> get(node, NodeGraph.Type.VOLUME_ATTACHMENT, a);
            case "/serviceaccounts" -> serviceAccount(node, a);
            case "coordination.k8s.io/leases" -> lease(node, a);
            case "storage.k8s.io/csinodes" -> csiNode(node, a);
            case "resource.k8s.io/resourceslices" -> resourceSlice(node, a);
            case "/nodes" -> nodeObject(node, a);
            case "/pods" -> pod(node, a);
            default -> null;
        };
    }

    private Decision statusUpdate(String node, NodeGraph.Type type, Attributes a) {
        if (!a.verb().equals("update") && !a.verb().equals("patch")) {
            return Decision.noOpinion("can only get/update/patch this type");
        }
        return related(node, type, a);
    }

    private Decision get(String node, NodeGraph.Type type, Attributes a) {
        if (!a.verb().equals("get")) {
            return Decision.noOpinion("can only get individual resources of this type");
        }
        if (!a.subresource().isEmpty()) {
            return Decision.noOpinion("cannot get subresource");
        }
        return related(node, type, a);
    }

    private Decision readNamespacedObject(String node, NodeGraph.Type type, Attributes a) {
        if (!List.of("get", "list", "watch").contains(a.verb())) {
            return Decision.noOpinion("can only read resources of this type");
        }
        if (!a.subresource().isEmpty()) {
            return Decision.noOpinion("cannot read subresource");
        }
        if (a.namespace().isEmpty()) {
            return Decision.noOpinion("can only read namespaced object of this type");
        }
        return related(node, type, a);
    }

    /** node_authorizer.go authorize: a named object with a path to the node. */
    private Decision related(String node, NodeGraph.Type type, Attributes a) {
        if (a.name().isEmpty()) {
            return Decision.noOpinion("No Object name found");
        }
        return pathFrom(node, type, a);
    }

    private Decision pathFrom(String node, NodeGraph.Type type, Attributes a) {
        return graph.hasPath(node, type, a.namespace(), a.name())
                ? Decision.allow("")
                : Decision.noOpinion("no relationship found between node '" + node + "' and this object");
    }

    private Decision serviceAccount(String node, Attributes a) {
        if (a.verb().equals("get") && a.subresource().isEmpty()) {
            if (!getServiceAccounts) {
                return Decision.noOpinion("not allowed to get service accounts");
            }
            return readNamespacedObject(node, NodeGraph.Type.SERVICE_ACCOUNT, a);
        }
        if (!a.verb().equals("create") || a.name().isEmpty()) {
            return Decision.noOpinion("can only create tokens for individual service accounts");
        }
        if (!a.subresource().equals("token")) {
            return Decision.noOpinion("can only create token subresource of serviceaccount");
        }
        return pathFrom(node, NodeGraph.Type.SERVICE_ACCOUNT, a);
    }

    private static Decision lease(String node, Attributes a) {
        if (!List.of("get", "create", "update", "patch", "delete").contains(a.verb())) {
            return Decision.noOpinion("can only get, create, update, patch, or delete a node lease");
        }
        if (!a.namespace().equals(NODE_LEASE_NAMESPACE)) {
            return Decision.noOpinion(
                    "can only access leases in the " + quote(NODE_LEASE_NAMESPACE) + " system namespace");
        }
        if (!a.verb().equals("create") && !a.name().equals(node)) {
            return Decision.noOpinion("can only access node lease with the same name as the requesting node");
        }
        return Decision.allow("");
    }

    private static Decision csiNode(String node, Attributes a) {
        if (!List.of("get", "create", "update", "patch", "delete").contains(a.verb())) {
            return Decision.noOpinion("can only get, create, update, patch, or delete a CSINode");
        }
        if (!a.subresource().isEmpty()) {
            return Decision.noOpinion("cannot authorize CSINode subresources");
        }
        if (!a.verb().equals("create") && !a.name().equals(node)) {
            return Decision.noOpinion("can only access CSINode with the same name as the requesting node");
        }
        return Decision.allow("");
    }

    private Decision resourceSlice(String node, Attributes a) {
        if (!a.subresource().isEmpty()) {
            return Decision.noOpinion("cannot authorize ResourceSlice subresources");
        }
        return switch (a.verb()) {
            case "create" -> Decision.allow("");
            case "get", "update", "patch", "delete" -> related(node, NodeGraph.Type.RESOURCE_SLICE, a);
            case "watch", "list", "deletecollection" ->
                selects(a, "spec.nodeName", node)
                        ? Decision.allow("")
                        : Decision.noOpinion(
                                "can only list/watch/deletecollection resourceslices with nodeName field selector");
            default ->
                Decision.noOpinion("only the following verbs are allowed for a ResourceSlice: get, watch, list, "
                        + "create, update, patch, delete, deletecollection");
        };
    }

    private static Decision nodeObject(String node, Attributes a) {
        if (a.subresource().isEmpty()) {
            switch (a.verb()) {
                case "create", "update", "patch" -> {
                    return Decision.allow("");
                }
                case "get", "list", "watch" -> {
                    if (a.name().equals(node)) {
                        return Decision.allow("");
                    }
                    return a.name().isEmpty()
                            ? Decision.noOpinion("node '" + node + "' cannot read all nodes, only its own Node object")
                            : Decision.noOpinion(
                                    "node '" + node + "' cannot read '" + a.name() + "', only its own Node object");
                }
                default -> {}
            }
        } else if (a.subresource().equals("status")
                && (a.verb().equals("update") || a.verb().equals("patch"))) {
            return Decision.allow("");
        }
        return Decision.noOpinion("");
    }

    private Decision pod(String node, Attributes a) {
        switch (a.subresource()) {
            case "" -> {
                switch (a.verb()) {
                    case "get" -> {
                        return get(node, NodeGraph.Type.POD, a);
                    }
                    case "list", "watch" -> {
                        if (selects(a, "spec.nodeName", node)) {
                            return Decision.allow("");
                        }
                        if (!a.name().isEmpty()) {
                            return related(node, NodeGraph.Type.POD, a);
                        }
                        return Decision.noOpinion("can only list/watch pods with spec.nodeName field selector");
                    }
                    case "create", "delete" -> {
                        return Decision.allow("");
                    }
                    default -> {}
                }
            }
            case "status" -> {
                if (a.verb().equals("update") || a.verb().equals("patch")) {
                    return Decision.allow("");
                }
            }
            case "eviction" -> {
                if (a.verb().equals("create")) {
                    return Decision.allow("");
                }
            }
            default -> {}
        }
        return Decision.noOpinion("");
    }

    /** Whether the request's field selector requires {@code field=value} (selection.Equals: "=" or "=="). */
    static boolean selects(Attributes a, String field, String value) {
        try {
            return FieldSelector.parse(a.fieldSelector()).terms().stream()
                    .anyMatch(t ->
                            !t.negated() && t.field().equals(field) && t.value().equals(value));
        } catch (SelectorException e) {
            return false;
        }
    }

    /** Go's %q for the ASCII names these messages carry. */
    private static String quote(String s) {
        return GoText.quote(s);
    }
}

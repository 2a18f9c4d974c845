package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The labels a kubelet may set on its own Node, as NodeRestriction reads them (noderestriction/admission.go
 * getModifiedLabels and getForbiddenLabels, pkg/kubelet/apis/well_known_labels.go IsKubeletLabel): any label
 * under {@code node-restriction.kubernetes.io} is forbidden, and so is any other kubernetes.io or k8s.io label
 * that is not one of the kubelet's own. Stateless.
 */
final class NodeLabels {
    static final String NODE_RESTRICTION = "node-restriction.kubernetes.io";
    private static final Set<String> KUBELET_LABELS = Set.of(
            "kubernetes.io/hostname",
            "topology.kubernetes.io/zone",
            "topology.kubernetes.io/region",
            "failure-domain.beta.kubernetes.io/zone",
            "failure-domain.beta.kubernetes.io/region",
            "beta.kubernetes.io/instance-type",
            "node.kubernetes.io/instance-type",
            "kubernetes.io/os",
            "kubernetes.io/arch",
            "beta.kubernetes.io/os",
            "beta.kubernetes.io/arch");
    private static final Set<String> KUBELET_LABEL_NAMESPACES = Set.of("kubelet.kubernetes.io", "node.kubernetes.io");

    private NodeLabels() {}

    /** The keys added, removed or changed between two label maps ({@code old} may be null). */
    static TreeSet<String> modified(JsonNode labels, JsonNode old) {
        TreeSet<String> out = new TreeSet<>();
        diff(labels, old, out);
        diff(old, labels, out);
        return out;
    }

    private static void diff(JsonNode a, JsonNode b, Set<String> out) {
        if (a == null) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode other = b == null ? null : b.get(e.getKey());
            if (other == null || !other.asText().equals(e.getValue().asText())) {
                out.add(e.getKey());
            }
        }
    }

    /** The modified keys a kubelet may not set, sorted (sets.String.List). */
    static TreeSet<String> forbidden(Set<String> modified) {
        TreeSet<String> out = new TreeSet<>();
        for (String label : modified) {
            String namespace = namespace(label);
            if (inNamespace(namespace, NODE_RESTRICTION)) {
                out.add(label);
            }
            if ((inNamespace(namespace, "kubernetes.io") || inNamespace(namespace, "k8s.io"))
                    && !isKubeletLabel(label)) {
                out.add(label);
            }
        }
        return out;
    }

    static boolean isKubeletLabel(String label) {
        if (KUBELET_LABELS.contains(label)) {
            return true;
        }
        String namespace = namespace(label);
        return KUBELET_LABEL_NAMESPACES.stream().anyMatch(allowed -> inNamespace(namespace, allowed));
    }

    /** The namespace itself or any subdomain of it. */
    private static boolean inNamespace(String namespace, String domain) {
        return namespace.equals(domain) || namespace.endsWith("." + domain);
    }

    private static String namespace(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }
}

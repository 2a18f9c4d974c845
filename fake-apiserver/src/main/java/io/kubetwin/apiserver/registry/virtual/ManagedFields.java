package io.kubetwin.apiserver.registry.virtual;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.apply.FieldManagers;
import io.kubetwin.pki.GoText;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code metadata.managedFields} entry the create handler's field manager writes
 * (k8s.io/apimachinery/pkg/util/managedfields/internal): the fields the request set, as the difference
 * between the decoded object and an empty one (structured-merge-diff's Compare: added subtrees carry their
 * own path, shown as {@code "."}, plus every field below; changed leaves), without the fields the server
 * owns (apiVersion, kind, metadata name/namespace/uid/...). Lists are atomic (all the review and token types
 * declare or default to {@code listType=atomic}). No entry when nothing is left. Stateless and thread-safe.
 */
public final class ManagedFields {
    private static final List<List<String>> STRIPPED = List.of(
            List.of("apiVersion"),
            List.of("kind"),
            List.of("metadata"),
            List.of("metadata", "name"),
            List.of("metadata", "namespace"),
            List.of("metadata", "creationTimestamp"),
            List.of("metadata", "selfLink"),
            List.of("metadata", "uid"),
            List.of("metadata", "generation"),
            List.of("metadata", "managedFields"),
            List.of("metadata", "resourceVersion"));

    private ManagedFields() {}

    /**
     * The manager name: the {@code fieldManager} parameter, else the User-Agent up to its first "/" (at most 128
     * characters), else "unknown".
     */
    public static String manager(String fieldManager, String userAgent) {
        return FieldManagers.manager(fieldManager, userAgent);
    }

    /**
     * The {@code Update} entry for a create, or empty when the request set no field the manager tracks.
     *
     * @param created the encoded object as decoded and defaulted (before the handler fills in anything)
     * @param empty the encoded zero object of the same type
     * @param subresource the subresource written ("" for the object itself)
     */
    public static Optional<ObjectNode> entry(
            JsonNode created, JsonNode empty, String manager, String apiVersion, Instant time, String subresource) {
        Node root = new Node();
        compare(created, empty, root);
        for (List<String> path : STRIPPED) {
            root.remove(path, 0);
        }
        root.prune();
        if (root.children.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode entry = GoValues.NODES.objectNode();
        entry.put("manager", manager);
        entry.put("operation", "Update");
        entry.put("apiVersion", apiVersion);
        entry.put("time", GoValues.rfc3339(time));
        entry.put("fieldsType", "FieldsV1");
        entry.set("fieldsV1", root.fieldsV1());
        if (subresource != null && !subresource.isEmpty()) {
            entry.put("subresource", subresource);
        }
        return Optional.of(entry);
    }

    /** Adds to {@code into} the fields of {@code created} that {@code empty} lacks or holds differently. */
    private static void compare(JsonNode created, JsonNode empty, Node into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = created.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue();
            JsonNode old = empty == null ? null : empty.get(e.getKey());
            if (old == null) {
                Node added = into.child(e.getKey());
                added.self = true;
                if (value.isObject()) {
                    addAll(value, added);
                }
            } else if (value.isObject() && (old.isObject() || old.isNull())) {
                Node child = into.child(e.getKey());
                compare(value, old.isObject() ? old : null, child);
            } else if (!value.equals(old)) {
                into.child(e.getKey()).self = true;
            }
        }
    }

    private static void addAll(JsonNode object, Node into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Node child = into.child(e.getKey());
            child.self = true;
            if (e.getValue().isObject()) {
                addAll(e.getValue(), child);
            }
        }
    }

    /** A field set as a tree: {@code self} when the path itself is in the set. */
    private static final class Node {
        boolean self;
        final Map<String, Node> children = new TreeMap<>(GoText.ORDER);

        Node child(String name) {
            return children.computeIfAbsent(name, k -> new Node());
        }

        void remove(List<String> path, int at) {
            Node child = children.get(path.get(at));
            if (child == null) {
                return;
            }
            if (at == path.size() - 1) {
                child.self = false;
            } else {
                child.remove(path, at + 1);
            }
        }

        /** Drops nodes that are neither in the set nor above something that is; returns whether this is empty. */
        boolean prune() {
            children.values().removeIf(Node::prune);
            return !self && children.isEmpty();
        }

        /** FieldsV1: {@code "."} for a path that is itself set and has children, then {@code "f:<name>"} sorted. */
        ObjectNode fieldsV1() {
            ObjectNode out = GoValues.NODES.objectNode();
            children.forEach((name, child) -> {
                ObjectNode node = child.fieldsV1();
                if (child.self && !child.children.isEmpty()) {
                    ObjectNode withDot = GoValues.NODES.objectNode();
                    withDot.set(".", GoValues.NODES.objectNode());
                    withDot.setAll(node);
                    node = withDot;
                }
                out.set("f:" + name, node);
            });
            return out;
        }
    }
}

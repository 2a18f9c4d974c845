package io.kubetwin.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.codec.GoZeroTimes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/** ObjectMeta helpers: field access, system-field stamping, and the Go struct field order of metadata. */
public final class Meta {
    private Meta() {}

    /** metav1.ObjectMeta's JSON field order. */
    public static final List<String> ORDER = List.of(
            "name",
            "generateName",
            "namespace",
            "selfLink",
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "labels",
            "annotations",
            "ownerReferences",
            "finalizers",
            "managedFields");

    private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

    /** The object's metadata, created empty when missing (so strategies can write to it). */
    public static ObjectNode meta(ObjectNode object) {
        JsonNode m = object.get("metadata");
        if (m instanceof ObjectNode o) {
            return o;
        }
        return object.putObject("metadata");
    }

    /** A field's text, "" when the node or field is absent or null. */
    public static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** metadata.name, "" when absent. */
    public static String name(ObjectNode object) {
        return text(object.get("metadata"), "name");
    }

    static String namespace(ObjectNode object) {
        return text(object.get("metadata"), "namespace");
    }

    static String resourceVersion(ObjectNode object) {
        return text(object.get("metadata"), "resourceVersion");
    }

    /** RFC 3339 in UTC with second precision, as metav1.Time serialises. */
    static String now(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** names.SimpleNameGenerator: generateName plus five random characters. */
    public static String generateName(String base) {
        String prefix = base.length() > 58 ? base.substring(0, 58) : base;
        StringBuilder b = new StringBuilder(prefix);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 5; i++) {
            b.append(NAME_CHARS.charAt(r.nextInt(NAME_CHARS.length())));
        }
        return b.toString();
    }

    /**
     * Reorders top-level keys (kind's order first, then the rest as they came) and metadata keys (ObjectMeta
     * order), so responses serialise in kube-apiserver's field order. resourceVersion gets its slot even
     * before storage fills it.
     */
    static ObjectNode normalize(ObjectNode object, List<String> topOrder) {
        ObjectNode meta = meta(object);
        if (!meta.has("resourceVersion")) {
            meta.put("resourceVersion", "");
        }
        reorder(meta, ORDER);
        reorder(object, topOrder);
        return object;
    }

    /**
     * As {@link #normalize(ObjectNode, List)}, also ordering nested objects as the kind says; unstructured
     * objects (custom resources) serialise as Go maps do, every level sorted by key.
     */
    public static ObjectNode normalize(ObjectNode object, ResourceStrategy strategy) {
        if (!strategy.unstructured()) {
            // before the kind's own order: a time this adds takes its Go slot
            GoZeroTimes.apply(object);
        }
        strategy.canonicalize(object);
        if (strategy.unstructured()) {
            ObjectNode meta = meta(object);
            if (!meta.has("resourceVersion")) {
                meta.put("resourceVersion", "");
            }
            return sortKeys(object);
        }
        normalize(object, strategy.fieldOrder());
        // Go maps (map[string]string fields) serialise with sorted keys
        sortMap(meta(object), "labels");
        sortMap(meta(object), "annotations");
        for (String field : strategy.mapFields()) {
            sortMap(object, field);
        }
        Map<String, List<String>> nested = strategy.nestedFieldOrder();
        if (!nested.isEmpty()) {
            object.fields().forEachRemaining(e -> orderNested(e.getValue(), e.getKey(), nested));
        }
        return object;
    }

    private static void orderNested(JsonNode node, String path, Map<String, List<String>> orders) {
        if (node instanceof ObjectNode o) {
            List<String> order = orders.get(path);
            if (order != null) {
                reorder(o, order);
            }
            o.fields().forEachRemaining(e -> orderNested(e.getValue(), path + "." + e.getKey(), orders));
        } else if (node != null && node.isArray()) {
            node.forEach(item -> orderNested(item, path, orders));
        }
    }

    /**
     * The object as kube-apiserver's codecs encode a decoded request body (audit's requestObject): the kind's
     * field order, sorted maps, no empty resourceVersion. Changes and returns {@code object}.
     */
    public static ObjectNode canonical(ObjectNode object, ResourceStrategy strategy) {
        normalize(object, strategy);
        if (!strategy.unstructured()) {
            dropEmptyResourceVersion(object);
        } else if (text(meta(object), "resourceVersion").isEmpty()) {
            meta(object).remove("resourceVersion");
        }
        return object;
    }

    private static void sortMap(ObjectNode parent, String field) {
        if (parent.get(field) instanceof ObjectNode map) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
            map.removeAll();
            sorted.forEach(map::set);
        }
    }

    /** Sorts the keys of every object in the tree, as encoding/json does for map[string]interface{}. */
    public static ObjectNode sortKeys(ObjectNode node) {
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        node.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
        node.removeAll();
        sorted.forEach((k, v) -> {
            if (v instanceof ObjectNode o) {
                sortKeys(o);
            } else if (v.isArray()) {
                v.forEach(item -> {
                    if (item instanceof ObjectNode io) {
                        sortKeys(io);
                    }
                });
            }
            node.set(k, v);
        });
        return node;
    }

    static void dropEmptyResourceVersion(ObjectNode object) {
        ObjectNode meta = meta(object);
        if (text(meta, "resourceVersion").isEmpty()) {
            meta.remove("resourceVersion");
        }
    }

    private static void reorder(ObjectNode node, List<String> order) {
        LinkedHashMap<String, JsonNode> fields = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        node.removeAll();
        List<String> rest = new ArrayList<>(fields.keySet());
        for (String k : order) {
            if (fields.containsKey(k)) {
                node.set(k, fields.get(k));
                rest.remove(k);
            }
        }
        for (String k : rest) {
            node.set(k, fields.get(k));
        }
    }
}

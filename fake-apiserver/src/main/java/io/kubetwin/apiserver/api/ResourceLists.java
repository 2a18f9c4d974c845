package io.kubetwin.apiserver.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * ResourceLists (a resource name to a {@link Quantity}), as LimitRanger, ResourceQuota and RuntimeClass
 * read them from objects. Sorted by name, so that messages list resources in a stable order.
 */
public final class ResourceLists {
    private ResourceLists() {}

    /** The list at {@code node} (an object of quantity strings); empty when absent. */
    public static TreeMap<String, Quantity> read(JsonNode node) {
        TreeMap<String, Quantity> out = new TreeMap<>();
        if (node != null && node.isObject()) {
            node.fields()
                    .forEachRemaining(
                            e -> out.put(e.getKey(), Quantity.parse(e.getValue().asText())));
        }
        return out;
    }

    /** The canonical JSON form of a list. */
    public static ObjectNode toJson(Map<String, Quantity> list) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        new TreeMap<>(list).forEach((k, v) -> out.put(k, v.toString()));
        return out;
    }

    /** quota.Add: the sum of both, key by key. */
    public static TreeMap<String, Quantity> add(Map<String, Quantity> a, Map<String, Quantity> b) {
        TreeMap<String, Quantity> out = new TreeMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, Quantity::add));
        return out;
    }

    /** quota.Mask: only the named resources. */
    public static TreeMap<String, Quantity> mask(Map<String, Quantity> list, Collection<String> names) {
        TreeMap<String, Quantity> out = new TreeMap<>();
        list.forEach((k, v) -> {
            if (names.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** "cpu=500m,memory=1Gi" (prettyPrint in the quota admission controller). */
    public static String prettyPrint(Map<String, Quantity> list) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(list).forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(k).append('=').append(v);
        });
        return sb.toString();
    }
}

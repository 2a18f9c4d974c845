package io.kubetwin.apiserver.registry.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * structured-merge-diff's walks over a value and its type (typed/compare.go, tofieldset.go, merge.go, remove.go):
 * the fields two objects differ in, the fields an applied configuration sets, the merge of a configuration into a
 * live object, and the removal of a field set. Values are Jackson trees; nothing here changes its inputs.
 * Stateless and thread-safe.
 */
final class Typed {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Typed() {}

    /** An object that does not fit its schema (an associative list item without its keys, duplicates in apply). */
    static final class TypeException extends RuntimeException {
        TypeException(String message) {
            super(message);
        }
    }

    /** The result of {@link #compare}: no path is in more than one set. */
    record Comparison(FieldSet removed, FieldSet modified, FieldSet added) {
        Comparison filter(FieldSet reset) {
            return reset == null
                    ? this
                    : new Comparison(
                            removed.recursiveDifference(reset),
                            modified.recursiveDifference(reset),
                            added.recursiveDifference(reset));
        }
    }

    // ---- path elements of list items (helpers.go)

    static PathElement itemElement(SchemaType.ListType list, JsonNode item) {
        if (list.kind() == SchemaType.ListType.Kind.MAP && !list.keys().isEmpty()) {
            if (item == null || item.isNull()) {
                throw new TypeException("associative list with keys may not have a null element");
            }
            if (!item.isObject()) {
                throw new TypeException("associative list with keys may not have non-map elements");
            }
            SchemaType.MapType element = list.element().asMap();
            ObjectNode key = NODES.objectNode();
            for (String name : list.keys()) {
                JsonNode v = item.get(name);
                if (v != null) {
                    key.set(name, v);
                } else if (element != null && element.fieldDefault(name) != null) {
                    key.set(name, element.fieldDefault(name));
                }
            }
            if (key.isEmpty()) {
                throw new TypeException("associative list with keys has an element that omits all key fields "
                        + quoteList(list.keys()) + " (and doesn't have default values for any key fields)");
            }
            return PathElement.key(key);
        }
        if (item == null || item.isObject()) {
            throw new TypeException("associative list without keys has an element that's a map type");
        }
        if (item.isArray()) {
            throw new TypeException("not supported: associative list with lists as elements");
        }
        if (item.isNull()) {
            throw new TypeException("associative list without keys has an element that's an explicit null");
        }
        return new PathElement.Value(item);
    }

    private static String quoteList(List<String> keys) {
        List<String> q = new ArrayList<>();
        keys.forEach(k -> q.add(io.kubetwin.pki.GoText.quote(k)));
        return "[" + String.join(" ", q) + "]";
    }

    private static boolean emptyOrNull(JsonNode v) {
        return v == null || v.isNull() || (v.isContainerNode() && v.isEmpty());
    }

    // ---- compare (compare.go)

    static Comparison compare(JsonNode lhs, JsonNode rhs, SchemaType type) {
        Comparison c = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
        compare(lhs, rhs, type, new ArrayList<>(), c);
        return c;
    }

    private static void compare(JsonNode lhs, JsonNode rhs, SchemaType type, List<PathElement> path, Comparison c) {
        SchemaType t = type.forValue(rhs != null ? rhs : lhs);
        SchemaType lt = type.forValue(lhs);
        if (lhs != null && rhs != null && lt.getClass() != t.getClass()) {
            // the value changed shape: a leaf change
            leaf(lhs, rhs, path, c);
            return;
        }
        boolean leaf;
        if (t instanceof SchemaType.MapType m) {
            leaf = m.atomic() || (emptyOrNull(lhs) && emptyOrNull(rhs));
            if (!leaf) {
                Set<String> keys = new LinkedHashSet<>();
                if (lhs != null && lhs.isObject()) {
                    lhs.fieldNames().forEachRemaining(keys::add);
                }
                if (rhs != null && rhs.isObject()) {
                    rhs.fieldNames().forEachRemaining(keys::add);
                }
                for (String k : keys) {
                    path.add(new PathElement.Field(k));
                    compare(child(lhs, k), child(rhs, k), m.fieldType(k), path, c);
                    path.remove(path.size() - 1);
                }
            }
        } else if (t instanceof SchemaType.ListType l) {
            leaf = l.atomic() || (emptyOrNull(lhs) && emptyOrNull(rhs));
            if (!leaf) {
                compareItems(l, lhs, rhs, path, c);
            }
        } else {
            leaf = true;
        }
        if (leaf) {
            leaf(lhs, rhs, path, c);
        } else if (lhs == null) {
            c.added().insert(List.copyOf(path));
        } else if (rhs == null) {
            c.removed().insert(List.copyOf(path));
        }
    }

    private static void leaf(JsonNode lhs, JsonNode rhs, List<PathElement> path, Comparison c) {
        if (lhs == null) {
            c.added().insert(List.copyOf(path));
        } else if (rhs == null) {
            c.removed().insert(List.copyOf(path));
        } else if (!Values.equal(lhs, rhs)) {
            c.modified().insert(List.copyOf(path));
        }
    }

    private static JsonNode child(JsonNode m, String k) {
        return m != null && m.isObject() ? m.get(k) : null;
    }

    private static void compareItems(
            SchemaType.ListType l, JsonNode lhs, JsonNode rhs, List<PathElement> path, Comparison c) {
        Map<PathElement, List<JsonNode>> lv = index(l, lhs);
        Map<PathElement, List<JsonNode>> rv = index(l, rhs);
        List<PathElement> all = new ArrayList<>(lv.keySet());
        for (PathElement pe : rv.keySet()) {
            if (!lv.containsKey(pe)) {
                all.add(pe);
            }
        }
        for (PathElement pe : all) {
            List<JsonNode> ll = lv.getOrDefault(pe, List.of());
            List<JsonNode> rl = rv.getOrDefault(pe, List.of());
            path.add(pe);
            if (ll.size() <= 1 && rl.size() <= 1) {
                compare(ll.isEmpty() ? null : ll.get(0), rl.isEmpty() ? null : rl.get(0), l.element(), path, c);
            } else if (ll.size() >= 2 && rl.size() >= 2) {
                boolean same = ll.size() == rl.size();
                for (int i = 0; same && i < ll.size(); i++) {
                    same = Values.equal(ll.get(i), rl.get(i));
                }
                if (!same) {
                    c.modified().insert(List.copyOf(path));
                }
            } else if (ll.size() >= 2) {
                if (!rl.isEmpty()) {
                    compare(null, rl.get(0), l.element(), path, c);
                }
                c.removed().insert(List.copyOf(path));
            } else {
                if (!ll.isEmpty()) {
                    compare(ll.get(0), null, l.element(), path, c);
                }
                c.added().insert(List.copyOf(path));
            }
            path.remove(path.size() - 1);
        }
    }

    /** The items of an associative list by path element, in first-seen order, duplicates kept together. */
    private static Map<PathElement, List<JsonNode>> index(SchemaType.ListType l, JsonNode list) {
        Map<PathElement, List<JsonNode>> out = new ElementIndex();
        if (list != null && list.isArray()) {
            for (JsonNode item : list) {
                out.computeIfAbsent(itemElement(l, item), k -> new ArrayList<>())
                        .add(item);
            }
        }
        return out;
    }

    /** List items by path element in first-seen order, path elements compared by their order (not equals). */
    private static final class ElementIndex extends LinkedHashMap<PathElement, List<JsonNode>> {
        private final TreeMap<PathElement, PathElement> canonical = new TreeMap<>();

        @Override
        public List<JsonNode> computeIfAbsent(
                PathElement key, java.util.function.Function<? super PathElement, ? extends List<JsonNode>> f) {
            PathElement k = canonical.computeIfAbsent(key, x -> x);
            return super.computeIfAbsent(k, f);
        }

        @Override
        public List<JsonNode> get(Object key) {
            PathElement k = canonical.get((PathElement) key);
            return k == null ? null : super.get(k);
        }

        @Override
        public List<JsonNode> getOrDefault(Object key, List<JsonNode> d) {
            List<JsonNode> v = get(key);
            return v == null ? d : v;
        }

        @Override
        public boolean containsKey(Object key) {
            return canonical.containsKey((PathElement) key);
        }
    }

    // ---- validation of an applied configuration (typed.AsTyped without AllowDuplicates)

    /** Throws for the first field a struct does not declare, or a duplicate associative-list item. */
    static void validate(JsonNode value, SchemaType type) {
        validate(value, type, new ArrayList<>());
    }

    private static void validate(JsonNode value, SchemaType type, List<PathElement> path) {
        SchemaType t = type.forValue(value);
        if (t instanceof SchemaType.MapType m && value != null && value.isObject()) {
            value.fields().forEachRemaining(e -> {
                path.add(new PathElement.Field(e.getKey()));
                if (!m.hasField(e.getKey()) && !m.allowsOtherKeys()) {
                    throw new TypeException(FieldSet.goString(path) + ": field not declared in schema");
                }
                validate(e.getValue(), m.fieldType(e.getKey()), path);
                path.remove(path.size() - 1);
            });
        } else if (t instanceof SchemaType.ListType l && value != null && value.isArray()) {
            java.util.TreeSet<PathElement> seen = new java.util.TreeSet<>();
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                PathElement pe;
                if (l.atomic()) {
                    pe = new PathElement.Index(i);
                } else {
                    pe = itemElement(l, item);
                    if (!seen.add(pe)) {
                        throw new TypeException(
                                FieldSet.goString(path) + ": duplicate entries for key " + pe.goString());
                    }
                }
                path.add(pe);
                validate(item, l.element(), path);
                path.remove(path.size() - 1);
            }
        }
    }

    // ---- toFieldSet (tofieldset.go)

    static FieldSet toFieldSet(JsonNode value, SchemaType type) {
        FieldSet s = new FieldSet();
        toFieldSet(value, type, new ArrayList<>(), s);
        return s;
    }

    private static void toFieldSet(JsonNode value, SchemaType type, List<PathElement> path, FieldSet s) {
        SchemaType t = type.forValue(value);
        if (t instanceof SchemaType.MapType m) {
            if (m.atomic()) {
                s.insert(List.copyOf(path));
                return;
            }
            if (value == null || !value.isObject()) {
                return;
            }
            value.fields().forEachRemaining(e -> {
                path.add(new PathElement.Field(e.getKey()));
                JsonNode v = e.getValue();
                toFieldSet(v, m.fieldType(e.getKey()), path, s);
                if (v.isNull() || (v.isObject() && v.isEmpty()) || !m.hasField(e.getKey())) {
                    s.insert(List.copyOf(path));
                }
                path.remove(path.size() - 1);
            });
        } else if (t instanceof SchemaType.ListType l) {
            if (l.atomic()) {
                s.insert(List.copyOf(path));
                return;
            }
            if (value == null || !value.isArray()) {
                return;
            }
            List<PathElement> seen = new ArrayList<>();
            Set<PathElement> dups = new java.util.TreeSet<>();
            java.util.TreeSet<PathElement> seenSet = new java.util.TreeSet<>();
            for (JsonNode item : value) {
                PathElement pe = itemElement(l, item);
                if (!seenSet.add(pe) && dups.add(pe)) {
                    path.add(pe);
                    s.insert(List.copyOf(path));
                    path.remove(path.size() - 1);
                }
                seen.add(pe);
            }
            for (int i = 0; i < value.size(); i++) {
                PathElement pe = seen.get(i);
                if (dups.contains(pe)) {
                    continue;
                }
                path.add(pe);
                toFieldSet(value.get(i), l.element(), path, s);
                s.insert(List.copyOf(path));
                path.remove(path.size() - 1);
            }
        } else {
            s.insert(List.copyOf(path));
        }
    }

    // ---- merge (merge.go with ruleKeepRHS)

    /** {@code rhs} merged into {@code lhs}; null when nothing is left. Duplicate keys in {@code rhs} are an error. */
    static JsonNode merge(JsonNode lhs, JsonNode rhs, SchemaType type) {
        SchemaType t = type.forValue(rhs != null ? rhs : lhs);
        SchemaType lt = type.forValue(lhs);
        if (lhs != null && rhs != null && lt.getClass() != t.getClass()) {
            return rhs.deepCopy();
        }
        if (t instanceof SchemaType.MapType m) {
            if (m.atomic() || (emptyOrNull(lhs) && emptyOrNull(rhs))) {
                return keepRhs(lhs, rhs);
            }
            ObjectNode out = NODES.objectNode();
            Set<String> keys = new LinkedHashSet<>();
            if (lhs != null && lhs.isObject()) {
                lhs.fieldNames().forEachRemaining(keys::add);
            }
            if (rhs != null && rhs.isObject()) {
                rhs.fieldNames().forEachRemaining(keys::add);
            }
            for (String k : keys) {
                JsonNode merged = merge(child(lhs, k), child(rhs, k), m.fieldType(k));
                if (merged != null) {
                    out.set(k, merged);
                }
            }
            return out.isEmpty() ? null : out;
        }
        if (t instanceof SchemaType.ListType l) {
            if (l.atomic() || (emptyOrNull(lhs) && emptyOrNull(rhs))) {
                return keepRhs(lhs, rhs);
            }
            return mergeItems(l, lhs, rhs);
        }
        return keepRhs(lhs, rhs);
    }

    private static JsonNode keepRhs(JsonNode lhs, JsonNode rhs) {
        return rhs != null ? rhs.deepCopy() : lhs == null ? null : lhs.deepCopy();
    }

    private static JsonNode mergeItems(SchemaType.ListType l, JsonNode lhs, JsonNode rhs) {
        List<PathElement> rPes = new ArrayList<>();
        TreeMap<PathElement, JsonNode> rObserved = new TreeMap<>();
        if (rhs != null && rhs.isArray()) {
            for (JsonNode item : rhs) {
                PathElement pe = itemElement(l, item);
                if (rObserved.containsKey(pe)) {
                    throw new TypeException("duplicate entries for key " + pe.goString());
                }
                rObserved.put(pe, item);
                rPes.add(pe);
            }
        }
        List<PathElement> lPes = new ArrayList<>();
        TreeMap<PathElement, JsonNode> lObserved = new TreeMap<>();
        if (lhs != null && lhs.isArray()) {
            for (JsonNode item : lhs) {
                PathElement pe = itemElement(l, item);
                // a duplicated live item merges as null (merge.go indexListPathElements)
                lObserved.put(pe, lObserved.containsKey(pe) ? NODES.nullNode() : item);
                lPes.add(pe);
            }
        }
        List<PathElement> sharedOrder = new ArrayList<>();
        for (PathElement pe : rPes) {
            if (lObserved.containsKey(pe)) {
                sharedOrder.add(pe);
            }
        }
        int shared = 0;
        PathElement nextShared = sharedOrder.isEmpty() ? null : sharedOrder.get(shared++);
        java.util.TreeSet<PathElement> mergedRhs = new java.util.TreeSet<>();
        ArrayNode out = NODES.arrayNode();
        int li = 0;
        int ri = 0;
        while (li < lPes.size() || ri < rPes.size()) {
            if (li < lPes.size() && ri < rPes.size()) {
                PathElement pe = lPes.get(li);
                if (pe.compareTo(rPes.get(ri)) == 0) {
                    mergedRhs.add(pe);
                    add(out, merge(lObserved.get(pe), rObserved.get(pe), l.element()));
                    li++;
                    ri++;
                    nextShared = shared < sharedOrder.size() ? sharedOrder.get(shared++) : null;
                    continue;
                }
                if (rObserved.containsKey(pe) && nextShared != null && nextShared.compareTo(pe) != 0) {
                    li++;
                    continue;
                }
            }
            if (li < lPes.size()) {
                PathElement pe = lPes.get(li);
                if (!rObserved.containsKey(pe)) {
                    add(out, merge(lhs.get(li), null, l.element()));
                    li++;
                    continue;
                } else if (mergedRhs.contains(pe)) {
                    li++;
                }
            }
            if (ri < rPes.size()) {
                PathElement pe = rPes.get(ri);
                mergedRhs.add(pe);
                add(out, merge(lObserved.get(pe), rObserved.get(pe), l.element()));
                ri++;
                if (nextShared != null && nextShared.compareTo(pe) == 0) {
                    nextShared = shared < sharedOrder.size() ? sharedOrder.get(shared++) : null;
                }
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static void add(ArrayNode out, JsonNode v) {
        if (v != null) {
            out.add(v);
        }
    }

    // ---- removeItems (remove.go, without extraction)

    /** {@code value} without the paths of {@code toRemove}; null when nothing is left. */
    static JsonNode removeItems(JsonNode value, FieldSet toRemove, SchemaType type) {
        SchemaType t = type.forValue(value);
        if (t instanceof SchemaType.MapType m) {
            if (!value.isObject() || value.isEmpty() || m.atomic()) {
                return value.isObject() ? value.deepCopy() : null;
            }
            ObjectNode out = NODES.objectNode();
            value.fields().forEachRemaining(e -> {
                PathElement pe = new PathElement.Field(e.getKey());
                if (toRemove.hasMember(pe)) {
                    return;
                }
                FieldSet sub = toRemove.withPrefix(pe);
                JsonNode v = sub.isEmpty()
                        ? e.getValue().deepCopy()
                        : removeItems(e.getValue(), sub, m.fieldType(e.getKey()));
                if (v != null) {
                    out.set(e.getKey(), v);
                }
            });
            return out.isEmpty() ? null : out;
        }
        if (t instanceof SchemaType.ListType l) {
            if (!value.isArray() || value.isEmpty() || l.atomic()) {
                return value.isArray() ? value.deepCopy() : null;
            }
            ArrayNode out = NODES.arrayNode();
            for (JsonNode item : value) {
                PathElement pe = itemElement(l, item);
                if (toRemove.hasMember(pe)) {
                    continue;
                }
                FieldSet sub = toRemove.withPrefix(pe);
                JsonNode v = sub.isEmpty() ? item.deepCopy() : removeItems(item, sub, l.element());
                if (v != null) {
                    out.add(v);
                }
            }
            return out.isEmpty() ? null : out;
        }
        return value.deepCopy();
    }
}

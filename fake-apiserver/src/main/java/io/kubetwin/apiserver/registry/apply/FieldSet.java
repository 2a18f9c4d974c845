package io.kubetwin.apiserver.registry.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A set of field paths (fieldpath/set.go): the members at this level and a subtree per path element, both kept in
 * path-element order. The operations answer new sets and leave their operands alone; a set is not thread-safe
 * and belongs to one request.
 */
final class FieldSet {
    private final TreeSet<PathElement> members = new TreeSet<>();
    private final TreeMap<PathElement, FieldSet> children = new TreeMap<>();

    static FieldSet of(List<List<PathElement>> paths) {
        FieldSet s = new FieldSet();
        paths.forEach(s::insert);
        return s;
    }

    void insert(List<PathElement> path) {
        if (path.isEmpty()) {
            return;
        }
        FieldSet s = this;
        for (int i = 0; i < path.size() - 1; i++) {
            s = s.children.computeIfAbsent(path.get(i), k -> new FieldSet());
        }
        s.members.add(path.get(path.size() - 1));
    }

    boolean has(List<PathElement> path) {
        if (path.isEmpty()) {
            return false;
        }
        FieldSet s = this;
        for (int i = 0; i < path.size() - 1; i++) {
            s = s.children.get(path.get(i));
            if (s == null) {
                return false;
            }
        }
        return s.members.contains(path.get(path.size() - 1));
    }

    boolean isEmpty() {
        if (!members.isEmpty()) {
            return false;
        }
        for (FieldSet c : children.values()) {
            if (!c.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    boolean hasMember(PathElement pe) {
        return members.contains(pe);
    }

    /** The subtree below {@code pe} (empty when there is none); shared, not copied. */
    FieldSet withPrefix(PathElement pe) {
        FieldSet c = children.get(pe);
        return c == null ? new FieldSet() : c;
    }

    FieldSet copy() {
        FieldSet out = new FieldSet();
        out.members.addAll(members);
        children.forEach((pe, c) -> out.children.put(pe, c.copy()));
        return out;
    }

    FieldSet union(FieldSet o) {
        FieldSet out = copy();
        out.members.addAll(o.members);
        o.children.forEach((pe, c) -> {
            FieldSet mine = out.children.get(pe);
            out.children.put(pe, mine == null ? c.copy() : mine.union(c));
        });
        return out;
    }

    FieldSet intersection(FieldSet o) {
        FieldSet out = new FieldSet();
        for (PathElement pe : members) {
            if (o.members.contains(pe)) {
                out.members.add(pe);
            }
        }
        children.forEach((pe, c) -> {
            FieldSet other = o.children.get(pe);
            if (other != null) {
                FieldSet res = c.intersection(other);
                if (!res.isEmpty()) {
                    out.children.put(pe, res);
                }
            }
        });
        return out;
    }

    FieldSet difference(FieldSet o) {
        FieldSet out = new FieldSet();
        for (PathElement pe : members) {
            if (!o.members.contains(pe)) {
                out.members.add(pe);
            }
        }
        children.forEach((pe, c) -> {
            FieldSet other = o.children.get(pe);
            if (other == null) {
                out.children.put(pe, c.copy());
            } else {
                FieldSet diff = c.difference(other);
                if (!diff.isEmpty()) {
                    out.children.put(pe, diff);
                }
            }
        });
        return out;
    }

    /** Difference that also drops every subtree whose own path is a member of {@code o}. */
    FieldSet recursiveDifference(FieldSet o) {
        FieldSet out = new FieldSet();
        for (PathElement pe : members) {
            if (!o.members.contains(pe)) {
                out.members.add(pe);
            }
        }
        children.forEach((pe, c) -> {
            if (o.members.contains(pe)) {
                return;
            }
            FieldSet other = o.children.get(pe);
            if (other == null) {
                out.children.put(pe, c.copy());
            } else {
                FieldSet diff = c.recursiveDifference(other);
                if (!diff.isEmpty()) {
                    out.children.put(pe, diff);
                }
            }
        });
        return out;
    }

    /** Every named struct field that has children becomes a member too (set.go EnsureNamedFieldsAreMembers). */
    FieldSet ensureNamedFieldsAreMembers(SchemaType type) {
        FieldSet out = new FieldSet();
        out.members.addAll(members);
        SchemaType.MapType map = type == null ? null : type.asMap();
        children.forEach((pe, c) -> {
            SchemaType childType = null;
            if (pe instanceof PathElement.Field f && map != null) {
                if (map.hasField(f.name())) {
                    out.members.add(pe);
                }
                childType = map.fieldType(f.name());
            } else if (pe instanceof PathElement.Key && type != null && type.asList() != null) {
                childType = type.asList().element();
            }
            out.children.put(pe, c.ensureNamedFieldsAreMembers(childType));
        });
        return out;
    }

    /** Every path, members of a level before its subtrees (preorder, as set.go Iterate). */
    void iterate(Consumer<List<PathElement>> f) {
        iterate(new ArrayList<>(), f);
    }

    private void iterate(List<PathElement> prefix, Consumer<List<PathElement>> f) {
        for (PathElement pe : members) {
            List<PathElement> p = new ArrayList<>(prefix);
            p.add(pe);
            f.accept(p);
        }
        children.forEach((pe, c) -> {
            List<PathElement> p = new ArrayList<>(prefix);
            p.add(pe);
            c.iterate(p, f);
        });
    }

    /** FieldsV1 (serialize.go emitContentsV1): keys in path-element order, {@code "."} for a member with children. */
    ObjectNode toFieldsV1() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        emit(out, false);
        return out;
    }

    private void emit(ObjectNode out, boolean includeSelf) {
        if (includeSelf && !(members.isEmpty() && children.isEmpty())) {
            out.putObject(".");
        }
        TreeSet<PathElement> all = new TreeSet<>(members);
        all.addAll(children.keySet());
        for (PathElement pe : all) {
            FieldSet c = children.get(pe);
            if (c == null) {
                out.putObject(pe.serialize());
            } else {
                c.emit(out.putObject(pe.serialize()), members.contains(pe));
            }
        }
    }

    /** Reads FieldsV1 (serialize.go readIterV1); unknown key types are skipped. */
    static FieldSet fromFieldsV1(JsonNode fields) {
        FieldSet s = new FieldSet();
        if (fields != null && fields.isObject()) {
            read(fields, s);
        }
        return s;
    }

    /** Fills {@code into} with the children of {@code node}; answers whether node itself is a member. */
    private static boolean read(JsonNode node, FieldSet into) {
        boolean member = false;
        boolean any = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(".")) {
                member = true;
                continue;
            }
            PathElement pe = PathElement.deserialize(e.getKey());
            if (pe == null) {
                continue;
            }
            FieldSet grand = new FieldSet();
            boolean childMember = e.getValue().isObject() ? read(e.getValue(), grand) : true;
            if (childMember) {
                into.members.add(pe);
                any = true;
            }
            if (!grand.members.isEmpty() || !grand.children.isEmpty()) {
                into.children.put(pe, grand);
                any = true;
            }
        }
        return member || !any;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet s && members.equals(s.members) && children.equals(s.children);
    }

    @Override
    public int hashCode() {
        return members.size();
    }

    @Override
    public String toString() {
        List<String> paths = new ArrayList<>();
        iterate(p -> paths.add(goString(p)));
        return String.join("\n", paths);
    }

    static String goString(List<PathElement> path) {
        StringBuilder b = new StringBuilder();
        path.forEach(pe -> b.append(pe.goString()));
        return b.toString();
    }
}

package io.kubetwin.apiserver.registry.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ownership bookkeeping of structured-merge-diff (merge/update.go): who owns what after an update or an apply,
 * the conflicts an apply runs into, and the pruning of fields an applier stopped applying. Every manager is taken
 * to have written the object's one served version (the fake serves each kind in one version). Stateless apart from
 * its schema and reset fields; thread-safe.
 *
 * @param type the object's root type
 * @param reset the fields the strategy resets for this write (GetResetFields), excluded from every set
 */
record Updater(SchemaType type, FieldSet reset) {

    /** The conflicts of an apply, by the managers that own the fields. */
    static final class ConflictException extends RuntimeException {
        final Map<ManagerId, FieldSet> conflicts;

        ConflictException(Map<ManagerId, FieldSet> conflicts) {
            super("conflicts");
            this.conflicts = conflicts;
        }
    }

    private FieldSet filter(FieldSet s) {
        return reset == null ? s : s.recursiveDifference(reset);
    }

    /** update(): takes changed fields from the other managers (or reports them as conflicts); answers the comparison. */
    Typed.Comparison update(
            JsonNode oldObject,
            JsonNode newObject,
            String version,
            Managed managed,
            ManagerId workflow,
            boolean force) {
        Typed.Comparison compare = Typed.compare(oldObject, newObject, type).filter(reset);
        Map<ManagerId, FieldSet> conflicts = new LinkedHashMap<>();
        Map<ManagerId, FieldSet> removed = new LinkedHashMap<>();
        FieldSet changed = compare.modified().union(compare.added());
        managed.fields.forEach((id, vs) -> {
            if (id.equals(workflow)) {
                return;
            }
            FieldSet conflict = vs.set().intersection(changed);
            if (!conflict.isEmpty()) {
                conflicts.put(id, conflict);
            }
            if (!compare.removed().isEmpty()) {
                removed.put(id, compare.removed());
            }
        });
        if (!force && !conflicts.isEmpty()) {
            throw new ConflictException(conflicts);
        }
        conflicts.forEach((id, set) -> {
            Managed.Versioned vs = managed.fields.get(id);
            managed.fields.put(id, new Managed.Versioned(vs.set().difference(set), vs.apiVersion(), vs.applied()));
        });
        removed.forEach((id, set) -> {
            Managed.Versioned vs = managed.fields.get(id);
            managed.fields.put(id, new Managed.Versioned(vs.set().difference(set), vs.apiVersion(), vs.applied()));
        });
        managed.fields.values().removeIf(vs -> vs.set().isEmpty());
        return compare;
    }

    /** Update(): the fields {@code manager} changed become its own, taken from everyone else. */
    void updateFields(JsonNode liveObject, JsonNode newObject, String version, Managed managed, ManagerId manager) {
        Typed.Comparison compare = update(liveObject, newObject, version, managed, manager, true);
        Managed.Versioned previous = managed.fields.get(manager);
        FieldSet set = previous == null ? new FieldSet() : previous.set();
        set = filter(set.difference(compare.removed()).union(compare.modified()).union(compare.added()));
        if (set.isEmpty()) {
            managed.fields.remove(manager);
        } else {
            managed.fields.put(manager, new Managed.Versioned(set, version, false));
        }
    }

    /** Apply(): the merged object, or null when it equals the live one; {@code managed} updated in place. */
    JsonNode apply(
            JsonNode liveObject, JsonNode config, String version, Managed managed, ManagerId manager, boolean force) {
        JsonNode newObject = Typed.merge(liveObject, config, type);
        Managed.Versioned last = managed.fields.get(manager);
        FieldSet set = filter(Typed.toFieldSet(config, type));
        managed.fields.put(manager, new Managed.Versioned(set, version, true));
        newObject = prune(newObject, managed, last);
        update(liveObject, newObject, version, managed, manager, force);
        return Values.equal(liveObject, newObject) ? null : newObject;
    }

    /** Removes what the applier applied last time and not now, unless someone else (or the new config) owns it. */
    private JsonNode prune(JsonNode merged, Managed managed, Managed.Versioned last) {
        if (last == null || last.set().isEmpty()) {
            return merged;
        }
        FieldSet lastSet = last.set().ensureNamedFieldsAreMembers(type);
        JsonNode pruned = orEmpty(Typed.removeItems(merged, lastSet, type));
        // addBackOwnedItems
        FieldSet owned = new FieldSet();
        for (Managed.Versioned vs : managed.fields.values()) {
            owned = owned.union(vs.set());
        }
        FieldSet mergedSet = Typed.toFieldSet(merged, type).ensureNamedFieldsAreMembers(type);
        FieldSet prunedSet = Typed.toFieldSet(pruned, type).ensureNamedFieldsAreMembers(type);
        pruned = orEmpty(Typed.removeItems(
                merged, mergedSet.difference(prunedSet.union(owned.ensureNamedFieldsAreMembers(type))), type));
        // addBackDanglingItems
        prunedSet = Typed.toFieldSet(pruned, type).ensureNamedFieldsAreMembers(type);
        return orEmpty(Typed.removeItems(merged, mergedSet.difference(prunedSet).intersection(lastSet), type));
    }

    private static JsonNode orEmpty(JsonNode v) {
        return v == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : v;
    }

    /** Conflict paths by manager, in the order upstream lists them (managers by identifier, paths preorder). */
    static List<Map.Entry<ManagerId, List<PathElement>>> flatten(Map<ManagerId, FieldSet> conflicts) {
        List<ManagerId> ids = new ArrayList<>(conflicts.keySet());
        ids.sort((a, b) -> io.kubetwin.pki.GoText.ORDER.compare(a.identifier(), b.identifier()));
        List<Map.Entry<ManagerId, List<PathElement>>> out = new ArrayList<>();
        for (ManagerId id : ids) {
            conflicts.get(id).iterate(p -> out.add(Map.entry(id, p)));
        }
        return out;
    }
}

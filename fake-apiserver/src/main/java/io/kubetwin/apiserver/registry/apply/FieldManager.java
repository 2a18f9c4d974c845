package io.kubetwin.apiserver.registry.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * kube-apiserver's field manager for one write (managedfields/internal: fieldmanager.go and the managers
 * NewDefaultFieldManager stacks: version check, skip-non-applied, cap of ten updaters, manager identity,
 * managed-fields times, strip of server-owned metadata, structured merge). {@link #update} records who changed
 * what on create, update and every non-apply patch; {@link #apply} merges a server-side apply configuration.
 * The last-applied-configuration annotation of client-side apply is not converted (see known-divergences).
 * One instance per write; not thread-safe.
 *
 * @param type the kind's root type
 * @param reset what the strategy resets for this write (GetResetFields), or null
 * @param apiVersion the served group/version written
 * @param kind the served kind
 * @param subresource "" for the object itself
 * @param now the time to record, RFC 3339 in seconds
 * @param custom whether the kind is a custom resource (unstructured: a create starts from an empty object)
 */
public record FieldManager(
        SchemaType type,
        FieldSet reset,
        String apiVersion,
        String kind,
        String subresource,
        String now,
        boolean custom) {
    private static final int MAX_UPDATE_MANAGERS = 10;
    private static final ManagerId CURRENT = new ManagerId("current-operation", "", "", "");
    private static final FieldSet STRIPPED = FieldSet.of(List.of(
            path("apiVersion"),
            path("kind"),
            path("metadata"),
            path("metadata", "name"),
            path("metadata", "namespace"),
            path("metadata", "creationTimestamp"),
            path("metadata", "selfLink"),
            path("metadata", "uid"),
            path("metadata", "clusterName"),
            path("metadata", "generation"),
            path("metadata", "managedFields"),
            path("metadata", "resourceVersion")));

    static List<PathElement> path(String... names) {
        List<PathElement> p = new ArrayList<>();
        for (String n : names) {
            p.add(new PathElement.Field(n));
        }
        return p;
    }

    private Updater updater() {
        return new Updater(type, reset);
    }

    /**
     * FieldManager.UpdateNoErrors: sets {@code newObject}'s managedFields after a create ({@code live} null) or an
     * update by {@code manager}. Managed fields sent in the request replace the stored ones when valid (never for a
     * subresource); an empty list clears them. Objects without managed fields are not tracked by later updates.
     */
    public void update(ObjectNode live, ObjectNode newObject, String manager) {
        ObjectNode liveObject = live == null ? emptyObject() : live;
        JsonNode sent = meta(newObject).get("managedFields");
        Managed managed;
        if (!subresource.isEmpty()) {
            managed = Managed.decodeOrEmpty(meta(liveObject).get("managedFields"));
        } else if (isReset(sent)) {
            managed = new Managed();
        } else {
            managed = Managed.decodeOrEmpty(sent);
            if (managed.isEmpty()) {
                managed = Managed.decodeOrEmpty(meta(liveObject).get("managedFields"));
            }
        }
        meta(newObject).remove("managedFields");
        if (managed.isEmpty()
                && live != null
                && !meta(live).path("uid").asText("").isEmpty()) {
            return; // skipNonAppliedManager: an untracked object stays untracked
        }
        try {
            recordUpdate(liveObject, newObject, managed, ManagerId.update(manager, apiVersion, subresource));
        } catch (Typed.TypeException e) {
            return; // UpdateNoErrors: no managedFields rather than wrong ones
        }
        setManaged(newObject, managed);
    }

    private void recordUpdate(JsonNode live, JsonNode newObject, Managed managed, ManagerId id) {
        updater().updateFields(strip(live), strip(newObject), apiVersion, managed, CURRENT);
        Managed.Versioned current = managed.fields.remove(CURRENT);
        if (current != null) {
            FieldSet set = current.set().difference(STRIPPED);
            Managed.Versioned previous = managed.fields.get(id);
            if (previous != null) {
                set = set.union(previous.set());
            }
            if (!set.isEmpty()) {
                managed.fields.put(id, new Managed.Versioned(set, apiVersion, false));
            } else {
                managed.fields.remove(id);
            }
            managed.times.put(id, now);
        }
        capUpdaters(managed);
    }

    /**
     * FieldManager.Apply: the live object ({@code live} null or without uid when creating) merged with {@code
     * applied}, managedFields set; a no-op apply answers the live object with the new managed fields.
     *
     * @throws StatusException 400 for a wrong kind or managedFields in the configuration, 409 with the conflicts,
     *     500 for a configuration that does not fit the schema
     */
    public ObjectNode apply(ObjectNode live, ObjectNode applied, String manager, boolean force) {
        String gvk = applied.path("apiVersion").asText("") + "/"
                + applied.path("kind").asText("");
        if (!gvk.equals(apiVersion + "/" + kind)) {
            throw Statuses.badRequest("invalid object type: " + goGvk(applied));
        }
        ObjectNode liveObject = live == null ? emptyObject() : live;
        Managed managed;
        try {
            managed = Managed.decode(meta(liveObject).get("managedFields"));
        } catch (Managed.DecodeException e) {
            throw internal("failed to decode managed fields: " + e.getMessage());
        }
        try {
            if (managed.isEmpty()) {
                // skipNonAppliedManager: what exists before the first apply belongs to "before-first-apply"
                recordUpdate(
                        emptyObject(),
                        liveObject,
                        managed,
                        ManagerId.update("before-first-apply", apiVersion, subresource));
            }
            if (applied.path("metadata").has("managedFields")) {
                throw Statuses.badRequest("metadata.managedFields must be nil");
            }
            Typed.validate(applied, type);
            ManagerId id = ManagerId.apply(manager, subresource);
            JsonNode merged;
            try {
                merged = updater().apply(strip(liveObject), applied, apiVersion, managed, id, force);
            } catch (Updater.ConflictException e) {
                throw conflict(e);
            }
            Managed.Versioned mine = managed.fields.get(id);
            if (mine != null) {
                FieldSet set = mine.set().difference(STRIPPED);
                if (set.isEmpty()) {
                    managed.fields.remove(id);
                } else {
                    managed.fields.put(id, new Managed.Versioned(set, mine.apiVersion(), true));
                }
            }
            ObjectNode result;
            if (merged == null) {
                result = liveObject.deepCopy();
            } else {
                managed.times.put(id, now);
                result = (ObjectNode) merged;
                // the merge works on the object without its managed fields; the live copy carries the rest of metadata
            }
            meta(result).remove("managedFields");
            setManaged(result, managed);
            return result;
        } catch (Typed.TypeException e) {
            throw internal("failed to create typed patch object (" + objectRef(applied) + "): " + e.getMessage());
        }
    }

    /** An error that is no API status: kube-apiserver answers it as a 500 without reason (ErrorToAPIStatus). */
    private static StatusException internal(String message) {
        return new StatusException(Status.failure(500, "", message, null));
    }

    private static String goGvk(JsonNode o) {
        String av = o.path("apiVersion").asText("");
        String group = av.contains("/") ? av.substring(0, av.indexOf('/')) : "";
        String version = av.contains("/") ? av.substring(av.indexOf('/') + 1) : av;
        return group + "/" + version + ", Kind=" + o.path("kind").asText("");
    }

    private String objectRef(JsonNode o) {
        return o.path("metadata").path("namespace").asText("") + "/"
                + o.path("metadata").path("name").asText("") + "; " + goGvk(o);
    }

    /** The object as the structured merge sees it: without managedFields (RemoveObjectManagedFields). */
    private static JsonNode strip(JsonNode o) {
        JsonNode copy = o.deepCopy();
        if (copy.get("metadata") instanceof ObjectNode m) {
            m.remove("managedFields");
        }
        return copy;
    }

    /**
     * The object a create starts from (runtime.ObjectCreater New): for a built-in kind the Go zero value (top-level
     * spec and status structs, required fields zero), for a custom resource only its kind and apiVersion.
     */
    private ObjectNode emptyObject() {
        ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        SchemaType.MapType root = type.asMap();
        if (!custom && root != null && root.schema() != null) {
            o.setAll(root.zero());
            for (String struct : List.of("spec", "status")) {
                SchemaType.MapType m =
                        root.hasField(struct) ? root.fieldType(struct).asMap() : null;
                if (m != null && !o.has(struct)) {
                    o.set(struct, m.zero());
                }
            }
            o.putObject("metadata").putNull("creationTimestamp");
        }
        o.put("kind", kind);
        o.put("apiVersion", apiVersion);
        return o;
    }

    /** capManagersManager: beyond ten updaters the oldest are merged into "ancient-changes". */
    private void capUpdaters(Managed managed) {
        List<ManagerId> updaters = new ArrayList<>();
        managed.fields.forEach((id, vs) -> {
            if (!vs.applied()) {
                updaters.add(id);
            }
        });
        if (updaters.size() <= MAX_UPDATE_MANAGERS) {
            return;
        }
        updaters.sort((a, b) -> {
            int c = managed.times.getOrDefault(a, "").compareTo(managed.times.getOrDefault(b, ""));
            return c != 0 ? c : a.identifier().compareTo(b.identifier());
        });
        Map<String, ManagerId> firstByVersion = new java.util.HashMap<>();
        int length = updaters.size();
        for (int i = 0; i < updaters.size() && length > MAX_UPDATE_MANAGERS; i++) {
            ManagerId id = updaters.get(i);
            Managed.Versioned vs = managed.fields.get(id);
            String time = managed.times.get(id);
            ManagerId bucket = ManagerId.update("ancient-changes", vs.apiVersion(), "");
            ManagerId first = firstByVersion.get(vs.apiVersion());
            if (first == null) {
                firstByVersion.put(vs.apiVersion(), id);
                continue;
            }
            if (!managed.fields.containsKey(bucket)) {
                managed.fields.put(bucket, managed.fields.remove(first));
            }
            managed.fields.put(
                    bucket,
                    new Managed.Versioned(
                            vs.set().union(managed.fields.get(bucket).set()), vs.apiVersion(), vs.applied()));
            managed.fields.remove(id);
            length--;
            managed.times.put(bucket, time);
        }
    }

    private static boolean isReset(JsonNode sent) {
        if (sent == null || !sent.isArray()) {
            return false;
        }
        return sent.isEmpty()
                || (sent.size() == 1 && sent.get(0).isObject() && sent.get(0).isEmpty());
    }

    private static void setManaged(ObjectNode object, Managed managed) {
        JsonNode encoded = managed.encode();
        if (encoded != null) {
            meta(object).set("managedFields", encoded);
        } else {
            meta(object).remove("managedFields");
        }
    }

    private static ObjectNode meta(ObjectNode o) {
        return o.get("metadata") instanceof ObjectNode m ? m : o.putObject("metadata");
    }

    /** NewConflictError: 409 Conflict, the conflicts in the message and one FieldManagerConflict cause each. */
    static StatusException conflict(Updater.ConflictException e) {
        List<Map.Entry<ManagerId, List<PathElement>>> all = Updater.flatten(e.conflicts);
        List<Status.Cause> causes = new ArrayList<>();
        for (Map.Entry<ManagerId, List<PathElement>> c : all) {
            causes.add(new Status.Cause(
                    "FieldManagerConflict", "conflict with " + c.getKey().describe(), FieldSet.goString(c.getValue())));
        }
        String message;
        if (all.size() == 1) {
            message = "Apply failed with 1 conflict: conflict with "
                    + all.get(0).getKey().describe() + ": "
                    + FieldSet.goString(all.get(0).getValue());
        } else {
            List<String> lines = new ArrayList<>();
            ManagerId previous = null;
            for (Map.Entry<ManagerId, List<PathElement>> c : all) {
                if (!c.getKey().equals(previous)) {
                    lines.add("conflicts with " + c.getKey().describe() + ":");
                    previous = c.getKey();
                }
                lines.add("- " + FieldSet.goString(c.getValue()));
            }
            message = "Apply failed with " + all.size() + " conflicts: " + String.join("\n", lines);
        }
        return new StatusException(
                Status.failure(409, "Conflict", message, new Status.Details(null, null, null, null, causes, null)));
    }
}

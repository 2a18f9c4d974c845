package io.kubetwin.apiserver.registry.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decoded {@code metadata.managedFields} of one object (managedfields.go): each manager's field set, the
 * version it was written in, and when. Mutable; belongs to one request.
 */
final class Managed {
    /** One manager's fields (fieldpath.VersionedSet). */
    record Versioned(FieldSet set, String apiVersion, boolean applied) {}

    final Map<ManagerId, Versioned> fields = new LinkedHashMap<>();
    final Map<ManagerId, String> times = new HashMap<>();

    boolean isEmpty() {
        return fields.isEmpty();
    }

    /** Thrown for entries DecodeManagedFields refuses. */
    static final class DecodeException extends Exception {
        DecodeException(String message) {
            super(message);
        }
    }

    /** DecodeManagedFields; null or absent decodes as empty. */
    static Managed decode(JsonNode entries) throws DecodeException {
        Managed m = new Managed();
        if (entries == null || !entries.isArray()) {
            return m;
        }
        int i = 0;
        for (JsonNode e : entries) {
            String op = e.path("operation").asText("");
            if (!op.equals(ManagerId.APPLY) && !op.equals(ManagerId.UPDATE)) {
                throw new DecodeException("operation must be `Apply` or `Update`");
            }
            String apiVersion = e.path("apiVersion").asText("");
            if (apiVersion.isEmpty()) {
                throw new DecodeException("apiVersion must not be empty");
            }
            String type = e.path("fieldsType").asText("");
            if (type.isEmpty()) {
                throw new DecodeException("missing fieldsType in managed fields entry " + i);
            }
            if (!type.equals("FieldsV1")) {
                throw new DecodeException("invalid fieldsType \"" + type + "\" in managed fields entry " + i);
            }
            ManagerId id = new ManagerId(
                    e.path("manager").asText(""),
                    op,
                    op.equals(ManagerId.APPLY) ? "" : apiVersion,
                    e.path("subresource").asText(""));
            FieldSet set;
            try {
                set = FieldSet.fromFieldsV1(e.get("fieldsV1"));
            } catch (IllegalArgumentException ex) {
                throw new DecodeException("error decoding set: " + ex.getMessage());
            }
            m.fields.put(id, new Versioned(set, apiVersion, op.equals(ManagerId.APPLY)));
            JsonNode time = e.get("time");
            m.times.put(id, time == null || time.isNull() ? null : time.asText());
            i++;
        }
        return m;
    }

    /** Decodes, or answers empty managed fields when the entries are invalid (emptyManagedFieldsOnErr). */
    static Managed decodeOrEmpty(JsonNode entries) {
        try {
            return decode(entries);
        } catch (DecodeException e) {
            return new Managed();
        }
    }

    /** encodeManagedFields: sorted by operation, time (seconds), manager, apiVersion, subresource; null when empty. */
    JsonNode encode() {
        if (fields.isEmpty()) {
            return null;
        }
        List<ObjectNode> entries = new ArrayList<>();
        fields.forEach((id, vs) -> {
            ObjectNode e = JsonNodeFactory.instance.objectNode();
            e.put("manager", id.manager());
            e.put("operation", vs.applied() ? ManagerId.APPLY : ManagerId.UPDATE);
            e.put("apiVersion", vs.apiVersion());
            String time = times.get(id);
            if (time != null) {
                e.put("time", time);
            }
            e.put("fieldsType", "FieldsV1");
            e.set("fieldsV1", vs.set().toFieldsV1());
            if (!id.subresource().isEmpty()) {
                e.put("subresource", id.subresource());
            }
            entries.add(e);
        });
        entries.sort(Comparator.<ObjectNode, String>comparing(
                        e -> e.path("operation").asText())
                .thenComparingLong(e -> seconds(e.path("time").asText("")))
                .thenComparing(e -> e.path("manager").asText(), io.kubetwin.pki.GoText.ORDER)
                .thenComparing(e -> e.path("apiVersion").asText(), io.kubetwin.pki.GoText.ORDER)
                .thenComparing(e -> e.path("subresource").asText(""), io.kubetwin.pki.GoText.ORDER));
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        entries.forEach(out::add);
        return out;
    }

    private static long seconds(String time) {
        try {
            return time.isEmpty() ? 0 : Instant.parse(time).getEpochSecond();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}

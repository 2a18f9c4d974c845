package io.kubetwin.apiserver.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.patch.MergeKeys;
import io.kubetwin.apiserver.registry.table.Cells;
import io.kubetwin.apiserver.registry.table.Column;
import io.kubetwin.apiserver.registry.table.ColumnSets;
import io.kubetwin.apiserver.registry.table.TableConvertor;
import io.kubetwin.apiserver.registry.validation.FieldError;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The objects of one CRD (apiextensions-apiserver pkg/registry/customresource/strategy.go,
 * status_strategy.go, validator.go, tableconvertor): unstructured, so stored and served with sorted
 * keys; pruned and type-checked against the schema of the object's version ({@link CustomResourceSchema});
 * status owned by the status subresource when the version declares one; any change outside metadata
 * bumps the generation; no strategic merge patch; Tables with Name, the printer columns (default Age).
 * Immutable; one instance per CRD generation.
 */
final class CustomResourceStrategy implements ResourceStrategy {
    private final CrdObject crd;
    private final TableConvertor table;
    private final ResourceStrategy status = new StatusStrategy();

    CustomResourceStrategy(CrdObject crd) {
        this.crd = crd;
        this.table = table(crd);
    }

    @Override
    public JsonNode structuralSchema(ObjectNode object) {
        JsonNode schema = version(object).map(CrdObject.Version::schema).orElse(null);
        return schema != null ? schema : JsonNodeFactory.instance.objectNode().put("type", "object");
    }

    @Override
    public List<String> pruneUnknownFields(ObjectNode object) {
        return CustomResourceSchema.prune(
                object, version(object).map(CrdObject.Version::schema).orElse(null));
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        // pruning happens on decode upstream, before any other step
        CustomResourceSchema.prune(
                object, version(object).map(CrdObject.Version::schema).orElse(null));
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        if (version(object).map(CrdObject.Version::hasStatus).orElse(false)) {
            object.remove("status");
        }
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        if (version(object).map(CrdObject.Version::hasStatus).orElse(false)) {
            if (old.has("status")) {
                object.set("status", old.get("status").deepCopy());
            } else {
                object.remove("status");
            }
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode object) {
        Optional<CrdObject.Version> v = version(object);
        List<FieldError> errs = new ArrayList<>(CustomResourceSchema.validate(
                object, v.map(CrdObject.Version::schema).orElse(null)));
        v.flatMap(CrdObject.Version::scale).ifPresent(scale -> {
            replicas(object, CrdObject.text(scale, "specReplicasPath"), errs);
            replicas(object, CrdObject.text(scale, "statusReplicasPath"), errs);
        });
        return errs;
    }

    @Override
    public boolean changesGeneration(ObjectNode object, ObjectNode old) {
        ObjectNode a = object.deepCopy();
        ObjectNode b = old.deepCopy();
        for (ObjectNode n : new ObjectNode[] {a, b}) {
            n.remove(List.of("metadata", "kind", "apiVersion"));
        }
        return !a.equals(b);
    }

    @Override
    public ResourceStrategy forSubresource(String subresource) {
        return "status".equals(subresource) ? status : this;
    }

    @Override
    public List<String> fieldOrder() {
        return List.of();
    }

    @Override
    public void canonicalize(ObjectNode object) {
        JsonOrder.sortRecursively(object);
    }

    @Override
    public boolean unstructured() {
        return true;
    }

    @Override
    public MergeKeys mergeKeys() {
        return null;
    }

    @Override
    public TableConvertor table() {
        return table;
    }

    private Optional<CrdObject.Version> version(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText("");
        String name = apiVersion.substring(apiVersion.indexOf('/') + 1);
        Optional<CrdObject.Version> v = crd.version(name);
        return v.isPresent() ? v : crd.storageVersion();
    }

    /** ValidateScaleSpec/ValidateScaleStatus: a replicas path, when present, must hold a non-negative int32. */
    private static void replicas(ObjectNode object, String path, List<FieldError> errs) {
        if (path.isEmpty()) {
            return;
        }
        String[] fields = path.substring(1).split("\\.");
        JsonNode current = object;
        for (int i = 0; i < fields.length; i++) {
            if (current == null || current.isNull() || current.isMissingNode()) {
                return;
            }
            if (!current.isObject()) {
                errs.add(FieldError.invalid(
                        path,
                        0L,
                        jsonPath(fields, i + 1) + " accessor error: " + goValue(current) + " is of the type "
                                + goType(current) + ", expected map[string]interface{}"));
                return;
            }
            current = current.get(fields[i]);
        }
        if (current == null || current.isNull()) {
            return;
        }
        boolean integral = current.isIntegralNumber()
                || (current.isFloatingPointNumber() && current.asDouble() == Math.rint(current.asDouble()));
        if (!integral) {
            errs.add(FieldError.invalid(
                    path,
                    0L,
                    jsonPath(fields, fields.length) + " accessor error: " + goValue(current) + " is of the type "
                            + goType(current) + ", expected int64"));
        } else if (current.asLong() < 0) {
            errs.add(FieldError.invalid(path, current.asLong(), "should be a non-negative integer"));
        } else if (current.asLong() > Integer.MAX_VALUE) {
            errs.add(
                    FieldError.invalid(path, current.asLong(), "should be less than or equal to " + Integer.MAX_VALUE));
        }
    }

    private static String jsonPath(String[] fields, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append('.').append(fields[i]);
        }
        return b.toString();
    }

    /** Go's %T of a decoded JSON value. */
    private static String goType(JsonNode v) {
        if (v.isObject()) {
            return "map[string]interface {}";
        }
        if (v.isArray()) {
            return "[]interface {}";
        }
        if (v.isTextual()) {
            return "string";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        return v.isIntegralNumber() ? "int64" : "float64";
    }

    /** Go's %v of a decoded JSON value, for the scalars the accessor errors print. */
    private static String goValue(JsonNode v) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isFloatingPointNumber()) {
            double d = v.asDouble();
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
        return v.toString();
    }

    /** Name, then the version's printer columns or Age (tableconvertor.New with serveDefaultColumnsIfEmpty). */
    private static TableConvertor table(CrdObject crd) {
        List<Column> columns = new ArrayList<>();
        List<Column> standard = ColumnSets.get("customresourcedefinitions.apiextensions.k8s.io");
        columns.add(standard.get(0));
        List<JsonNode> printer =
                crd.storageVersion().map(CrdObject.Version::columns).orElse(List.of());
        List<String> paths = new ArrayList<>();
        List<String> types = new ArrayList<>();
        if (printer.isEmpty()) {
            Column created = standard.get(1);
            columns.add(new Column("Age", "date", "", created.description(), 0));
            paths.add(".metadata.creationTimestamp");
            types.add("date");
        } else {
            for (JsonNode c : printer) {
                String path = CrdObject.text(c, "jsonPath");
                String description = CrdObject.text(c, "description");
                columns.add(new Column(
                        CrdObject.text(c, "name"),
                        CrdObject.text(c, "type"),
                        CrdObject.text(c, "format"),
                        description.isEmpty()
                                ? "Custom resource definition column (in JSONPath format): " + path
                                : description,
                        c.path("priority").asInt(0)));
                paths.add(path);
                types.add(CrdObject.text(c, "type"));
            }
        }
        return new TableConvertor(columns, (o, now) -> {
            List<Object> cells = new ArrayList<>();
            cells.add(Cells.name(o));
            for (int i = 0; i < paths.size(); i++) {
                cells.add(cell(types.get(i), at(o, paths.get(i)), now));
            }
            return cells;
        });
    }

    private static JsonNode at(JsonNode o, String path) {
        JsonNode current = o;
        for (String f : path.substring(path.startsWith(".") ? 1 : 0).split("\\.")) {
            current = current == null ? null : current.get(f);
        }
        return current;
    }

    /** cellForJSONValue; missing values are null cells. */
    private static Object cell(String type, JsonNode value, Instant now) {
        if (value == null || value.isNull()) {
            return null;
        }
        return switch (type) {
            case "integer" -> value.isNumber() ? value.asLong() : null;
            case "number" -> value.isNumber() ? value.asDouble() : null;
            case "boolean" -> value.isBoolean() ? value.asBoolean() : null;
            case "date" -> value.isTextual() ? dateCell(value, now) : null;
            default -> value.isValueNode() ? value.asText() : value.toString();
        };
    }

    private static String dateCell(JsonNode value, Instant now) {
        try {
            Instant.parse(value.asText());
            return Cells.since(value, now);
        } catch (DateTimeParseException e) {
            return "<invalid>";
        }
    }

    /** status_strategy.go: only status changes; everything else is the stored object's. */
    private final class StatusStrategy implements ResourceStrategy {
        @Override
        public void prepareForUpdate(ObjectNode object, ObjectNode old) {
            JsonNode newStatus = object.get("status");
            JsonNode managed = object.path("metadata").get("managedFields");
            ObjectNode merged = old.deepCopy();
            if (managed != null) {
                ((ObjectNode) merged.get("metadata")).set("managedFields", managed);
            }
            if (newStatus != null) {
                merged.set("status", newStatus);
            } else {
                merged.remove("status");
            }
            CustomResourceSchema.prune(
                    merged, version(merged).map(CrdObject.Version::schema).orElse(null));
            object.removeAll();
            object.setAll(merged);
        }

        @Override
        public List<FieldError> validateUpdate(ObjectNode object, ObjectNode old) {
            return validate(object);
        }
    }
}

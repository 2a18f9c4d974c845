package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.Meta;
import io.kubetwin.apiserver.registry.table.Column;
import io.kubetwin.apiserver.registry.table.TableConvertor;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * meta.k8s.io Tables (k8s.io/apiserver/pkg/endpoints/handlers/response.go transformResponseObject), for a
 * request whose Accept header negotiated one ({@link OutputMediaType#tableVersion}); {@code includeObject}
 * chooses None, Metadata (default: PartialObjectMetadata) or Object.
 */
final class TableOutput {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private TableOutput() {}

    /**
     * A Table of {@code items} (in their stored form, which the printers read); {@code toServed} gives the
     * served form for the rows' objects; {@code listMeta} becomes the table's metadata.
     */
    static ObjectNode table(
            String apiVersion,
            TableConvertor convertor,
            List<ObjectNode> items,
            UnaryOperator<ObjectNode> toServed,
            ObjectNode listMeta,
            String includeObject,
            boolean withColumns,
            Instant now) {
        ObjectNode table = F.objectNode();
        table.put("kind", "Table");
        table.put("apiVersion", apiVersion);
        table.set("metadata", listMeta);
        if (withColumns) {
            ArrayNode columns = table.putArray("columnDefinitions");
            for (Column c : convertor.columns()) {
                ObjectNode col = columns.addObject();
                col.put("name", c.name());
                col.put("type", c.type());
                col.put("format", c.format());
                col.put("description", c.description());
                col.put("priority", c.priority());
            }
        } else {
            table.putNull("columnDefinitions");
        }
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode item : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Object cell : convertor.cells().cells(item, now)) {
                if (cell instanceof Number n) {
                    cells.add(n.longValue());
                } else {
                    cells.add(String.valueOf(cell));
                }
            }
            String mode = includeObject == null || includeObject.isEmpty() ? "Metadata" : includeObject;
            switch (mode) {
                case "None" -> row.putNull("object");
                case "Object" -> row.set("object", toServed.apply(item.deepCopy()));
                default -> {
                    ObjectNode partial = row.putObject("object");
                    partial.put("kind", "PartialObjectMetadata");
                    partial.put("apiVersion", "meta.k8s.io/v1");
                    JsonNode meta = item.get("metadata");
                    ObjectNode partialMeta = meta == null ? F.objectNode() : meta.deepCopy();
                    // PartialObjectMetadata is typed: ObjectMeta's field order, even for unstructured objects
                    Map<String, JsonNode> fields = new LinkedHashMap<>();
                    partialMeta.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
                    partialMeta.removeAll();
                    for (String k : Meta.ORDER) {
                        if (fields.containsKey(k)) {
                            partialMeta.set(k, fields.remove(k));
                        }
                    }
                    fields.forEach(partialMeta::set);
                    partial.set("metadata", partialMeta);
                }
            }
        }
        return table;
    }
}

package io.kubetwin.apiserver.registry.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Turns objects of one kind into Table rows (rest.TableConvertor upstream). Thread-safe.
 *
 * @param columns the column definitions, wide (priority 1) columns included
 * @param cells one row's cells for an object, as of {@code now}; Strings, Longs or Integers
 */
public record TableConvertor(List<Column> columns, CellFunction cells) {

    /** Computes one row's cells. */
    @FunctionalInterface
    public interface CellFunction {
        List<Object> cells(ObjectNode object, Instant now);
    }

    /** The default convertor (rest/table.go): Name and Created At (RFC 3339). */
    public static final TableConvertor DEFAULT = new TableConvertor(ColumnSets.get("roles.rbac.authorization.k8s.io"),
            (o, now) -> List.of(Cells.name(o), o.path("metadata").path("creationTimestamp").asText("")));
}

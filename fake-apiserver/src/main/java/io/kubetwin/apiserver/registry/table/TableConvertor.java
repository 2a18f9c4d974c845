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

    /**
     * Custom resources without additionalPrinterColumns (apiextensions-apiserver tableconvertor): Name, and
     * Age typed "date" but printed as an age.
     */
    public static final TableConvertor CUSTOM_RESOURCE_DEFAULT = new TableConvertor(
            List.of(
                    ColumnSets.get("namespaces").get(0),
                    new Column(
                            "Age",
                            "date",
                            "",
                            ColumnSets.get("namespaces").get(2).description(),
                            0)),
            (o, now) -> List.of(Cells.name(o), Cells.age(o, now)));

    /** The default convertor (rest/table.go): Name and Created At (RFC 3339). */
    public static final TableConvertor DEFAULT = new TableConvertor(
            ColumnSets.get("roles.rbac.authorization.k8s.io"),
            (o, now) -> List.of(
                    Cells.name(o), o.path("metadata").path("creationTimestamp").asText("")));
}

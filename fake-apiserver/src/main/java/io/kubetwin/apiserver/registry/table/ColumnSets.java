package io.kubetwin.apiserver.registry.table;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** The column definitions recorded from kube-apiserver v1.34, keyed by {@code resource[.group]}. */
public final class ColumnSets {
    private ColumnSets() {}

    private static final Map<String, List<Column>> COLUMNS = load();

    public static List<Column> get(String groupResource) {
        List<Column> columns = COLUMNS.get(groupResource);
        if (columns == null) {
            throw new IllegalArgumentException("no recorded columns for " + groupResource);
        }
        return columns;
    }

    private static Map<String, List<Column>> load() {
        try (InputStream in = ColumnSets.class.getResourceAsStream("columns.json")) {
            if (in == null) {
                throw new IllegalStateException("columns.json missing from the classpath");
            }
            return Map.copyOf(new ObjectMapper().readValue(in, new TypeReference<Map<String, List<Column>>>() {}));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.kubetwin.apiserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The objects of one list, sorted by namespace then name, and the store's resourceVersion when it was read. */
public record ListResult(List<ObjectNode> items, long resourceVersion) {
    public ListResult {
        items = List.copyOf(items);
    }
}

package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.patch.MergeKeys;
import io.kubetwin.apiserver.registry.table.Printers;
import io.kubetwin.apiserver.registry.table.TableConvertor;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Nodes (pkg/registry/core/node/strategy.go): status kept on spec updates; metadata.name and spec.unschedulable selectable. */
public final class NodeStrategy implements ResourceStrategy {
    @Override
    public void prepareForUpdate(ObjectNode node, ObjectNode old) {
        if (old.has("status")) {
            node.set("status", old.get("status").deepCopy());
        } else {
            node.remove("status");
        }
    }

    @Override
    public Map<String, Function<ObjectNode, String>> selectableFields() {
        return Map.of(
                "spec.unschedulable",
                o -> Boolean.toString(o.path("spec").path("unschedulable").asBoolean(false)));
    }

    @Override
    public List<String> fieldLabels() {
        return List.of("metadata.name", "spec.unschedulable");
    }

    @Override
    public TableConvertor table() {
        return Printers.NODES;
    }

    @Override
    public MergeKeys mergeKeys() {
        return MergeKeys.NONE.with(
                Map.of("status.addresses", "type", "status.conditions", "type", "spec.taints", "key"));
    }
}

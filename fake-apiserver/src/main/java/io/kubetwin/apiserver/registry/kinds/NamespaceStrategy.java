package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.table.Printers;
import io.kubetwin.apiserver.registry.table.TableConvertor;
import io.kubetwin.apiserver.registry.validation.Names;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Namespaces (pkg/registry/core/namespace/strategy.go): DNS-1123 label names, Active on create, the kubernetes finalizer. */
public final class NamespaceStrategy implements ResourceStrategy {
    public static final String NAME_LABEL = "kubernetes.io/metadata.name";

    @Override
    public Names.NameRule nameRule() {
        return Names.DNS_LABEL;
    }

    @Override
    public void prepareForCreate(ObjectNode ns) {
        ns.putObject("status").put("phase", "Active");
        ObjectNode spec =
                ns.has("spec") && ns.get("spec").isObject() ? (ObjectNode) ns.get("spec") : ns.putObject("spec");
        ArrayNode finalizers = spec.has("finalizers") && spec.get("finalizers").isArray()
                ? (ArrayNode) spec.get("finalizers")
                : spec.putArray("finalizers");
        boolean has = false;
        for (JsonNode f : finalizers) {
            has |= "kubernetes".equals(f.asText());
        }
        if (!has) {
            finalizers.add("kubernetes");
        }
    }

    @Override
    public void applyDefaults(ObjectNode ns) {
        // the defaulter labels every namespace with its own name (core/v1 defaults.go SetDefaults_Namespace)
        String name = ns.path("metadata").path("name").asText("");
        if (!name.isEmpty() && ns.get("metadata").isObject()) {
            ObjectNode meta = (ObjectNode) ns.get("metadata");
            ObjectNode labels = meta.has("labels") && meta.get("labels").isObject()
                    ? (ObjectNode) meta.get("labels")
                    : meta.putObject("labels");
            labels.put(NAME_LABEL, name);
        }
        // NamespaceSpec is a struct (always encoded) and SetDefaults_NamespaceStatus makes an empty phase Active
        if (!(ns.get("spec") instanceof ObjectNode)) {
            ns.putObject("spec");
        }
        ObjectNode status = ns.get("status") instanceof ObjectNode o ? o : ns.putObject("status");
        if (status.path("phase").asText("").isEmpty()) {
            status.put("phase", "Active");
        }
    }

    @Override
    public void prepareForUpdate(ObjectNode ns, ObjectNode old) {
        // spec.finalizers change only through namespaces/finalize; status only through namespaces/status
        if (old.has("spec")) {
            ObjectNode spec =
                    ns.has("spec") && ns.get("spec").isObject() ? (ObjectNode) ns.get("spec") : ns.putObject("spec");
            if (old.path("spec").has("finalizers")) {
                spec.set("finalizers", old.path("spec").get("finalizers").deepCopy());
            } else {
                spec.remove("finalizers");
            }
        }
        if (old.has("status")) {
            ns.set("status", old.get("status").deepCopy());
        }
    }

    @Override
    public boolean returnDeletedObject() {
        return true;
    }

    @Override
    public Map<String, Function<ObjectNode, String>> selectableFields() {
        return Map.of("status.phase", o -> o.path("status").path("phase").asText(""));
    }

    @Override
    public List<String> fieldLabels() {
        return List.of("status.phase", "metadata.name");
    }

    @Override
    public TableConvertor table() {
        return Printers.NAMESPACES;
    }
}

package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.table.Printers;
import io.kubetwin.apiserver.registry.table.TableConvertor;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.validation.Names;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** ConfigMaps (ValidateConfigMap / ValidateConfigMapUpdate in pkg/apis/core/validation/validation.go). */
public final class ConfigMapStrategy implements ResourceStrategy {

    @Override
    public List<FieldError> validate(ObjectNode cm) {
        List<FieldError> errs = new ArrayList<>();
        long total = 0;
        TreeMap<String, JsonNode> data = new TreeMap<>();
        cm.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue()));
        for (var e : data.entrySet()) {
            for (String msg : Names.isConfigMapKey(e.getKey())) {
                errs.add(FieldError.invalid("data[" + e.getKey() + "]", e.getKey(), msg));
            }
            if (cm.path("binaryData").has(e.getKey())) {
                errs.add(FieldError.invalid(
                        "data[" + e.getKey() + "]", e.getKey(), "duplicate of key present in binaryData"));
            }
            total += e.getValue().asText("").getBytes(StandardCharsets.UTF_8).length; // len() of a Go string
        }
        TreeMap<String, JsonNode> binary = new TreeMap<>();
        cm.path("binaryData").fields().forEachRemaining(e -> binary.put(e.getKey(), e.getValue()));
        for (var e : binary.entrySet()) {
            for (String msg : Names.isConfigMapKey(e.getKey())) {
                errs.add(FieldError.invalid("binaryData[" + e.getKey() + "]", e.getKey(), msg));
            }
            total += e.getValue().asText("").length() * 3L / 4;
        }
        if (total > 1024 * 1024) {
            // upstream's path is field.NewPath(""), which prints as "[]"
            errs.add(FieldError.tooLong("[]", 1024 * 1024));
        }
        return errs;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode cm, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>();
        if (old.path("immutable").asBoolean(false)) {
            if (!cm.path("immutable").asBoolean(false)) {
                errs.add(FieldError.forbidden("immutable", "field is immutable when `immutable` is set"));
            }
            if (!cm.path("data").equals(old.path("data"))) {
                errs.add(FieldError.forbidden("data", "field is immutable when `immutable` is set"));
            }
            if (!cm.path("binaryData").equals(old.path("binaryData"))) {
                errs.add(FieldError.forbidden("binaryData", "field is immutable when `immutable` is set"));
            }
        }
        errs.addAll(validate(cm));
        return errs;
    }

    @Override
    public List<String> mapFields() {
        return List.of("data", "binaryData");
    }

    @Override
    public List<String> fieldOrder() {
        return List.of("kind", "apiVersion", "metadata", "immutable", "data", "binaryData");
    }

    @Override
    public TableConvertor table() {
        return Printers.CONFIG_MAPS;
    }
}

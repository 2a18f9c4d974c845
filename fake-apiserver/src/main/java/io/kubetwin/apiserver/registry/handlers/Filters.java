package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.selection.FieldSelector;
import io.kubetwin.apiserver.registry.selection.ParsedLabelSelector;
import io.kubetwin.apiserver.registry.selection.SelectorException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The label and field selectors of a list, watch or deletecollection, checked against the kind's field
 * label conversion (pkg/apis/core/v1/conversion.go; runtime.DefaultMetaV1FieldSelectorConversion otherwise).
 */
final class Filters {
    private Filters() {}

    static Predicate<ObjectNode> predicate(Scope scope) {
        ParsedLabelSelector labels;
        FieldSelector fields;
        try {
            labels = ParsedLabelSelector.parse(scope.query("labelSelector"));
            fields = FieldSelector.parse(scope.query("fieldSelector"));
        } catch (SelectorException e) {
            throw Statuses.badRequest(e.getMessage());
        }
        ResourceStrategy strategy = scope.strategy();
        List<String> supported = strategy.fieldLabels();
        for (FieldSelector.Term t : fields.terms()) {
            if (supported == null) {
                if (!t.field().equals("metadata.name") && !t.field().equals("metadata.namespace")) {
                    throw Statuses.badRequest("\"" + t.field()
                            + "\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
                }
            } else if (!supported.contains(t.field())) {
                throw Statuses.badRequest("field label not supported: " + t.field());
            }
        }
        List<FieldSelector.Term> mapped = new ArrayList<>();
        for (FieldSelector.Term t : fields.terms()) {
            mapped.add(new FieldSelector.Term(strategy.mapFieldLabel(t.field()), t.value(), t.negated()));
        }
        FieldSelector selector = FieldSelector.of(mapped);
        if (labels.isEmpty() && fields.isEmpty()) {
            return o -> true;
        }
        return o -> labels.matches(labelsOf(o)) && selector.matches(fieldsOf(o, strategy));
    }

    static Map<String, String> labelsOf(ObjectNode object) {
        Map<String, String> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        object.path("metadata").path("labels").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText(""));
        }
        return out;
    }

    static Map<String, String> fieldsOf(ObjectNode object, ResourceStrategy strategy) {
        Map<String, String> out = new HashMap<>();
        out.put("metadata.name", object.path("metadata").path("name").asText(""));
        out.put("metadata.namespace", object.path("metadata").path("namespace").asText(""));
        strategy.selectableFields().forEach((k, f) -> out.put(k, f.apply(object)));
        if (out.containsKey("spec.nodeName")) {
            out.put("spec.host", out.get("spec.nodeName"));
        }
        return out;
    }
}

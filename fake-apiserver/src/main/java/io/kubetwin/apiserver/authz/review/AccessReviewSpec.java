package io.kubetwin.apiserver.authz.review;

import static io.kubetwin.apiserver.registry.virtual.GoValues.strings;
import static io.kubetwin.apiserver.registry.virtual.GoValues.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The typed view of a (Self)SubjectAccessReviewSpec, read from its decoded Go value.
 *
 * @param resource resourceAttributes, null when absent
 * @param nonResource nonResourceAttributes, null when absent
 * @param extra user extras; a value is null when the client sent {@code null} for it
 */
record AccessReviewSpec(
        ResourceAttributes resource,
        NonResourceAttributes nonResource,
        String user,
        List<String> groups,
        Map<String, List<String>> extra,
        String uid) {

    AccessReviewSpec {
        groups = List.copyOf(groups);
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** authorizationv1.ResourceAttributes; selectors null when absent. */
    record ResourceAttributes(
            String namespace,
            String verb,
            String group,
            String version,
            String resource,
            String subresource,
            String name,
            Selector fieldSelector,
            Selector labelSelector) {}

    /** Field- or LabelSelectorAttributes. */
    record Selector(String rawSelector, List<Requirement> requirements) {
        Selector {
            requirements = List.copyOf(requirements);
        }
    }

    /** Field- or LabelSelectorRequirement. */
    record Requirement(String key, String operator, List<String> values) {
        Requirement {
            values = List.copyOf(values);
        }
    }

    /** authorizationv1.NonResourceAttributes. */
    record NonResourceAttributes(String path, String verb) {
        /** The value validation prints: the internal Go struct has no JSON tags, so its fields are capitalised. */
        ObjectNode asGoStruct() {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("Path", path);
            out.put("Verb", verb);
            return out;
        }
    }

    /** Reads the spec of any of the access reviews (self reviews simply have no user fields). */
    static AccessReviewSpec from(JsonNode spec) {
        JsonNode ra = spec.get("resourceAttributes");
        JsonNode nra = spec.get("nonResourceAttributes");
        Map<String, List<String>> extra = new LinkedHashMap<>();
        JsonNode extraNode = spec.get("extra");
        if (extraNode != null && extraNode.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = extraNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                extra.put(e.getKey(), e.getValue().isNull() ? null : strings(e.getValue()));
            }
        }
        return new AccessReviewSpec(
                ra == null || ra.isNull()
                        ? null
                        : new ResourceAttributes(
                                text(ra, "namespace"),
                                text(ra, "verb"),
                                text(ra, "group"),
                                text(ra, "version"),
                                text(ra, "resource"),
                                text(ra, "subresource"),
                                text(ra, "name"),
                                selector(ra.get("fieldSelector")),
                                selector(ra.get("labelSelector"))),
                nra == null || nra.isNull() ? null : new NonResourceAttributes(text(nra, "path"), text(nra, "verb")),
                text(spec, "user"),
                strings(spec.get("groups")),
                extra,
                text(spec, "uid"));
    }

    private static Selector selector(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        List<Requirement> requirements = new ArrayList<>();
        JsonNode list = node.get("requirements");
        if (list != null && list.isArray()) {
            list.forEach(r ->
                    requirements.add(new Requirement(text(r, "key"), text(r, "operator"), strings(r.get("values")))));
        }
        return new Selector(text(node, "rawSelector"), requirements);
    }
}

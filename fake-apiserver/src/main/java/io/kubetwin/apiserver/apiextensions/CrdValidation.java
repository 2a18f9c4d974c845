package io.kubetwin.apiserver.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.validation.Names;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Validation of CustomResourceDefinitions (apiextensions-apiserver pkg/apis/apiextensions/validation/validation.go)
 * in upstream's order and wording. Upstream validates the internal form, into which v1 is converted: the
 * first version's name becomes spec.version, and a schema (or subresources, or printer columns) identical
 * in every version moves to the top level, so errors about it are reported at spec.validation
 * (spec.subresources, ...). Checked: metadata.name against the names, group, scope, versions (names,
 * unique, exactly one storage version), names, schemas ({@link SchemaChecks}), scale subresource paths,
 * printer columns, conversion strategy, stored versions, the API-approval annotation of protected groups
 * and preserveUnknownFields. Not checked: CEL rules, defaults, selectable fields, webhook conversion
 * details. Stateless.
 */
final class CrdValidation {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> COLUMN_TYPES = List.of("boolean", "date", "integer", "number", "string");
    private static final List<String> COLUMN_FORMATS =
            List.of("byte", "date", "date-time", "double", "float", "int32", "int64", "password");

    private CrdValidation() {}

    /** ValidateCustomResourceDefinition minus ObjectMeta (checked by the registry), plus the name's rule. */
    static List<FieldError> validateCreate(ObjectNode crd) {
        CrdObject c = CrdObject.of(crd);
        List<FieldError> errs = new ArrayList<>();
        if (!c.name().equals(c.names().plural() + "." + c.group())) {
            errs.add(FieldError.invalid("metadata.name", c.name(), "must be spec.names.plural+\".\"+spec.group"));
        }
        errs.addAll(spec(crd, c, true, false));
        errs.addAll(names(c.acceptedNames(), "status.acceptedNames"));
        errs.addAll(storedVersions(c));
        errs.addAll(apiApproval(c, null));
        errs.addAll(preserveUnknownFields(c, null));
        return errs;
    }

    /** ValidateCustomResourceDefinitionUpdate minus ObjectMeta. */
    static List<FieldError> validateUpdate(ObjectNode crd, ObjectNode old) {
        CrdObject c = CrdObject.of(crd);
        CrdObject o = CrdObject.of(old);
        boolean established = o.conditionTrue("Established");
        boolean requireSchema = o.versions().stream().allMatch(v -> v.schema() != null);
        List<FieldError> errs = new ArrayList<>(spec(crd, c, requireSchema, true));
        if (established) {
            errs.addAll(immutable("spec.scope", c.scope(), o.scope()));
            errs.addAll(immutable("spec.names.kind", c.names().kind(), o.names().kind()));
        }
        errs.addAll(immutable("spec.group", c.group(), o.group()));
        errs.addAll(immutable("spec.names.plural", c.names().plural(), o.names().plural()));
        errs.addAll(names(c.acceptedNames(), "status.acceptedNames"));
        errs.addAll(storedVersions(c));
        errs.addAll(apiApproval(c, o));
        errs.addAll(preserveUnknownFields(c, o));
        return errs;
    }

    private static List<FieldError> spec(ObjectNode crd, CrdObject c, boolean requireSchema, boolean update) {
        List<FieldError> errs = new ArrayList<>();
        if (c.group().isEmpty()) {
            errs.add(FieldError.required("spec.group", ""));
        } else if (!Names.isDns1123Subdomain(c.group()).isEmpty()) {
            errs.add(
                    FieldError.invalid("spec.group", c.group(), String.join(",", Names.isDns1123Subdomain(c.group()))));
        } else if (c.group().split("\\.", -1).length < 2) {
            errs.add(FieldError.invalid("spec.group", c.group(), "should be a domain with at least one dot"));
        }
        if (c.scope().isEmpty()) {
            errs.add(FieldError.required("spec.scope", ""));
        } else if (!List.of("Cluster", "Namespaced").contains(c.scope())) {
            errs.add(FieldError.notSupported("spec.scope", c.scope(), List.of("Cluster", "Namespaced")));
        }
        List<CrdObject.Version> versions = c.versions();
        boolean schemaHoisted = identical(versions, v -> v.schema());
        boolean subresourcesHoisted = identical(versions, v -> v.subresources());
        boolean columnsHoisted = identical(
                versions, v -> v.columns().isEmpty() ? null : JSON.arrayNode().addAll(v.columns()));
        JsonNode topSchema =
                schemaHoisted && !versions.isEmpty() ? versions.get(0).schema() : null;
        JsonNode topSubresources =
                subresourcesHoisted && !versions.isEmpty() ? versions.get(0).subresources() : null;
        if (requireSchema && topSchema == null) {
            for (int i = 0; i < versions.size(); i++) {
                if (versions.get(i).schema() == null) {
                    errs.add(FieldError.required("spec.versions[" + i + "].schema.openAPIV3Schema", ""));
                }
            }
        }
        int storage = 0;
        Set<String> seen = new HashSet<>();
        boolean unique = true;
        for (int i = 0; i < versions.size(); i++) {
            CrdObject.Version v = versions.get(i);
            String at = "spec.versions[" + i + "]";
            storage += v.storage() ? 1 : 0;
            unique &= seen.add(v.name());
            List<String> nameErrs = Names.isDns1035Label(v.name());
            if (!nameErrs.isEmpty()) {
                errs.add(FieldError.invalid(at + ".name", v.name(), String.join(",", nameErrs)));
            }
            errs.addAll(deprecationWarning(v, at));
            if (!schemaHoisted && v.schema() != null) {
                boolean status = subresourcesHoisted ? hasStatus(topSubresources) : v.hasStatus();
                errs.addAll(SchemaChecks.validate(v.schema(), at + ".schema.openAPIV3Schema", status));
            }
            if (!subresourcesHoisted) {
                errs.addAll(subresources(v.subresources(), at + ".subresources"));
            }
            if (!columnsHoisted) {
                for (int j = 0; j < v.columns().size(); j++) {
                    errs.addAll(column(v.columns().get(j), at + ".additionalPrinterColumns[" + j + "]"));
                }
            }
        }
        JsonNode printed = crd.path("spec").path("versions").isArray() ? internalVersions(versions) : JSON.nullNode();
        if (!unique) {
            errs.add(FieldError.invalid("spec.versions", printed, "must contain unique version names"));
        }
        if (storage != 1) {
            errs.add(FieldError.invalid(
                    "spec.versions", printed, "must have exactly one version marked as storage version"));
        }
        if (!versions.isEmpty()) {
            List<String> versionErrs = Names.isDns1035Label(versions.get(0).name());
            if (!versionErrs.isEmpty()) {
                errs.add(FieldError.invalid("spec.version", versions.get(0).name(), String.join(",", versionErrs)));
            }
        }
        CrdObject.Names n = c.names();
        if (n.plural().isEmpty()) {
            errs.add(FieldError.required("spec.names.plural", ""));
        }
        if (n.singular().isEmpty()) {
            errs.add(FieldError.required("spec.names.singular", ""));
        }
        if (n.kind().isEmpty()) {
            errs.add(FieldError.required("spec.names.kind", ""));
        }
        if (n.listKind().isEmpty()) {
            errs.add(FieldError.required("spec.names.listKind", ""));
        }
        errs.addAll(names(n, "spec.names"));
        if (topSchema != null) {
            boolean anyStatus = hasStatus(topSubresources) || versions.stream().anyMatch(CrdObject.Version::hasStatus);
            errs.addAll(SchemaChecks.validate(topSchema, "spec.validation.openAPIV3Schema", anyStatus));
        }
        if (subresourcesHoisted) {
            errs.addAll(subresources(topSubresources, "spec.subresources"));
        }
        if (columnsHoisted && !versions.isEmpty()) {
            List<JsonNode> columns = versions.get(0).columns();
            for (int j = 0; j < columns.size(); j++) {
                errs.addAll(column(columns.get(j), "spec.additionalPrinterColumns[" + j + "]"));
            }
        }
        errs.addAll(conversion(crd.path("spec").path("conversion")));
        return errs;
    }

    private static List<FieldError> deprecationWarning(CrdObject.Version v, String at) {
        JsonNode warning = v.deprecationWarning();
        if (warning == null || warning.isNull()) {
            return List.of();
        }
        if (!v.deprecated()) {
            return List.of(FieldError.invalid(
                    at + ".deprecationWarning", warning.asText(), "can only be set for deprecated versions"));
        }
        List<FieldError> errs = new ArrayList<>();
        if (warning.asText().length() > 256) {
            errs.add(
                    FieldError.invalid(at + ".deprecationWarning", warning.asText(), "must be <= 256 characters long"));
        }
        if (warning.asText().isEmpty()) {
            errs.add(FieldError.invalid(at + ".deprecationWarning", warning.asText(), "must not be an empty string"));
        }
        return errs;
    }

    static List<FieldError> names(CrdObject.Names n, String at) {
        List<FieldError> errs = new ArrayList<>();
        label(errs, at + ".plural", n.plural(), n.plural(), "");
        label(errs, at + ".singular", n.singular(), n.singular(), "");
        label(
                errs,
                at + ".kind",
                n.kind(),
                n.kind().toLowerCase(Locale.ROOT),
                "may have mixed case, but should otherwise match: ");
        label(
                errs,
                at + ".listKind",
                n.listKind(),
                n.listKind().toLowerCase(Locale.ROOT),
                "may have mixed case, but should otherwise match: ");
        for (int i = 0; i < n.shortNames().size(); i++) {
            List<String> e = Names.isDns1035Label(n.shortNames().get(i));
            if (!e.isEmpty()) {
                errs.add(FieldError.invalid(
                        at + ".shortNames[" + i + "]", n.shortNames().get(i), String.join(",", e)));
            }
        }
        if (!n.kind().isEmpty() && n.kind().equals(n.listKind())) {
            errs.add(FieldError.invalid(at + ".listKind", n.listKind(), "kind and listKind may not be the same"));
        }
        for (int i = 0; i < n.categories().size(); i++) {
            List<String> e = Names.isDns1035Label(n.categories().get(i));
            if (!e.isEmpty()) {
                errs.add(FieldError.invalid(
                        at + ".categories[" + i + "]", n.categories().get(i), String.join(",", e)));
            }
        }
        return errs;
    }

    private static void label(List<FieldError> errs, String field, String value, String checked, String prefix) {
        if (value.isEmpty()) {
            return;
        }
        List<String> e = Names.isDns1035Label(checked);
        if (!e.isEmpty()) {
            errs.add(FieldError.invalid(field, value, prefix + String.join(",", e)));
        }
    }

    private static List<FieldError> subresources(JsonNode sub, String at) {
        List<FieldError> errs = new ArrayList<>();
        if (sub == null || !sub.path("scale").isObject()) {
            return errs;
        }
        JsonNode scale = sub.get("scale");
        replicasPath(
                errs,
                at + ".scale.specReplicasPath",
                CrdObject.text(scale, "specReplicasPath"),
                ".spec.",
                "should be a json path under .spec");
        replicasPath(
                errs,
                at + ".scale.statusReplicasPath",
                CrdObject.text(scale, "statusReplicasPath"),
                ".status.",
                "should be a json path under .status");
        String selector = CrdObject.text(scale, "labelSelectorPath");
        if (!selector.isEmpty()) {
            List<FieldError> simple = simpleJsonPath(at + ".scale.labelSelectorPath", selector);
            if (!simple.isEmpty()) {
                errs.addAll(simple);
            } else if (!selector.startsWith(".spec.") && !selector.startsWith(".status.")) {
                errs.add(FieldError.invalid(
                        at + ".scale.labelSelectorPath",
                        selector,
                        "should be a json path under either .spec or .status"));
            }
        }
        return errs;
    }

    private static void replicasPath(List<FieldError> errs, String field, String path, String prefix, String detail) {
        if (path.isEmpty()) {
            errs.add(FieldError.required(field, ""));
            return;
        }
        List<FieldError> simple = simpleJsonPath(field, path);
        if (!simple.isEmpty()) {
            errs.addAll(simple);
        } else if (!path.startsWith(prefix)) {
            errs.add(FieldError.invalid(field, path, detail));
        }
    }

    private static List<FieldError> simpleJsonPath(String field, String path) {
        if (path.isEmpty()) {
            return List.of(FieldError.invalid(field, path, "must not be empty"));
        }
        if (path.charAt(0) != '.') {
            return List.of(FieldError.invalid(field, path, "must be a simple json path starting with ."));
        }
        return List.of();
    }

    private static List<FieldError> column(JsonNode col, String at) {
        List<FieldError> errs = new ArrayList<>();
        String name = CrdObject.text(col, "name");
        String type = CrdObject.text(col, "type");
        String format = CrdObject.text(col, "format");
        String jsonPath = CrdObject.text(col, "jsonPath");
        if (name.isEmpty()) {
            errs.add(FieldError.required(at + ".name", ""));
        }
        String types = "must be one of " + String.join(",", COLUMN_TYPES);
        if (type.isEmpty()) {
            errs.add(FieldError.required(at + ".type", types));
        } else if (!COLUMN_TYPES.contains(type)) {
            errs.add(FieldError.invalid(at + ".type", type, types));
        }
        if (!format.isEmpty() && !COLUMN_FORMATS.contains(format)) {
            errs.add(FieldError.invalid(at + ".format", format, "must be one of " + String.join(",", COLUMN_FORMATS)));
        }
        if (jsonPath.isEmpty()) {
            errs.add(FieldError.required(at + ".JSONPath", ""));
        } else {
            errs.addAll(simpleJsonPath(at + ".JSONPath", jsonPath));
        }
        return errs;
    }

    private static List<FieldError> conversion(JsonNode conversion) {
        if (!conversion.isObject()) {
            return List.of();
        }
        String strategy = CrdObject.text(conversion, "strategy");
        List<FieldError> errs = new ArrayList<>();
        if (strategy.isEmpty()) {
            errs.add(FieldError.required("spec.conversion.strategy", ""));
        } else if (!List.of("None", "Webhook").contains(strategy)) {
            errs.add(FieldError.notSupported("spec.conversion.strategy", strategy, List.of("None", "Webhook")));
        }
        if ("Webhook".equals(strategy)) {
            if (!conversion.path("webhook").path("clientConfig").isObject()) {
                errs.add(FieldError.required(
                        "spec.conversion.webhookClientConfig", "required when strategy is set to Webhook"));
            }
        } else if (conversion.path("webhook").path("clientConfig").isObject()) {
            errs.add(FieldError.forbidden(
                    "spec.conversion.webhookClientConfig", "should not be set when strategy is not set to Webhook"));
        }
        return errs;
    }

    private static List<FieldError> storedVersions(CrdObject c) {
        List<String> stored = c.storedVersions();
        JsonNode value = stored.isEmpty() ? JSON.nullNode() : strings(stored);
        if (stored.isEmpty()) {
            return List.of(FieldError.invalid("status.storedVersions", value, "must have at least one stored version"));
        }
        List<FieldError> errs = new ArrayList<>();
        Map<String, Integer> remaining = new HashMap<>();
        for (int i = 0; i < stored.size(); i++) {
            remaining.put(stored.get(i), i);
        }
        for (CrdObject.Version v : c.versions()) {
            boolean present = remaining.containsKey(v.name());
            if (v.storage() && !present) {
                errs.add(FieldError.invalid(
                        "status.storedVersions", value, "must have the storage version " + v.name()));
            }
            remaining.remove(v.name());
        }
        remaining.forEach((v, i) -> errs.add(FieldError.invalid(
                "status.storedVersions[" + i + "]",
                v,
                "missing from spec.versions; "
                        + v
                        + " was previously a storage version, and must remain in spec.versions until a storage migration ensures no "
                        + "data remains persisted in " + v + " and removes " + v + " from status.storedVersions")));
        return errs;
    }

    private static List<FieldError> apiApproval(CrdObject c, CrdObject old) {
        String g = c.group();
        boolean protectedGroup = g.equals("k8s.io")
                || g.endsWith(".k8s.io")
                || g.equals("kubernetes.io")
                || g.endsWith(".kubernetes.io");
        if (!protectedGroup) {
            return List.of();
        }
        String annotation = CrdObject.text(c.annotations(), "api-approved.kubernetes.io");
        String state = approvalState(annotation);
        if (old != null
                && state.equals(approvalState(CrdObject.text(old.annotations(), "api-approved.kubernetes.io")))) {
            return List.of();
        }
        String field = "metadata.annotations[api-approved.kubernetes.io]";
        return switch (state) {
            case "missing" ->
                List.of(
                        FieldError.required(
                                field,
                                "protected groups must have approval annotation "
                                        + "\"api-approved.kubernetes.io\", see https://github.com/kubernetes/enhancements/pull/1111"));
            case "invalid" ->
                List.of(FieldError.invalid(
                        field,
                        annotation,
                        "protected groups must have approval annotation "
                                + "\"api-approved.kubernetes.io\" with either a URL or a reason starting with \"unapproved\", "
                                + "see https://github.com/kubernetes/enhancements/pull/1111"));
            default -> List.of();
        };
    }

    private static String approvalState(String annotation) {
        if (annotation.isEmpty()) {
            return "missing";
        }
        if (annotation.startsWith("unapproved")) {
            return "bypassed";
        }
        try {
            URI uri = new URI(annotation);
            return uri.getScheme() != null && uri.getHost() != null ? "approved" : "invalid";
        } catch (URISyntaxException e) {
            return "invalid";
        }
    }

    private static List<FieldError> preserveUnknownFields(CrdObject c, CrdObject old) {
        if (old != null
                && old.preserveUnknownFields() != null
                && old.preserveUnknownFields().asBoolean(false)) {
            return List.of();
        }
        if (c.preserveUnknownFields() != null && c.preserveUnknownFields().asBoolean(false)) {
            return List.of(
                    FieldError.invalid(
                            "spec.preserveUnknownFields",
                            true,
                            "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead"));
        }
        return List.of();
    }

    private static List<FieldError> immutable(String field, String value, String old) {
        return Objects.equals(value, old) ? List.of() : List.of(FieldError.invalid(field, value, "field is immutable"));
    }

    private static boolean hasStatus(JsonNode subresources) {
        return subresources != null
                && subresources.has("status")
                && !subresources.get("status").isNull();
    }

    private static boolean identical(List<CrdObject.Version> versions, Function<CrdObject.Version, JsonNode> f) {
        if (versions.isEmpty()) {
            return false;
        }
        JsonNode first = f.apply(versions.get(0));
        return versions.stream().allMatch(v -> Objects.equals(f.apply(v), first));
    }

    /**
     * spec.versions as upstream prints the internal slice in an Invalid error: Go field names, and null for
     * what moved to the top level. A schema that did not move is printed in its v1 form (an approximation).
     */
    private static ArrayNode internalVersions(List<CrdObject.Version> versions) {
        boolean schemaHoisted = identical(versions, CrdObject.Version::schema);
        boolean subresourcesHoisted = identical(versions, CrdObject.Version::subresources);
        boolean columnsHoisted = identical(
                versions, v -> v.columns().isEmpty() ? null : JSON.arrayNode().addAll(v.columns()));
        boolean selectableHoisted = identical(versions, v -> v.raw().get("selectableFields"));
        ArrayNode out = JSON.arrayNode();
        for (CrdObject.Version v : versions) {
            ObjectNode o = out.addObject();
            o.put("Name", v.name())
                    .put("Served", v.served())
                    .put("Storage", v.storage())
                    .put("Deprecated", v.deprecated());
            o.set("DeprecationWarning", v.deprecationWarning() == null ? JSON.nullNode() : v.deprecationWarning());
            o.set(
                    "Schema",
                    schemaHoisted || v.schema() == null
                            ? JSON.nullNode()
                            : JSON.objectNode().set("OpenAPIV3Schema", v.schema()));
            o.set("Subresources", subresourcesHoisted || v.subresources() == null ? JSON.nullNode() : v.subresources());
            o.set(
                    "AdditionalPrinterColumns",
                    columnsHoisted || v.columns().isEmpty()
                            ? JSON.nullNode()
                            : JSON.arrayNode().addAll(v.columns()));
            JsonNode selectable = v.raw().get("selectableFields");
            o.set("SelectableFields", selectableHoisted || selectable == null ? JSON.nullNode() : selectable);
        }
        return out;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = JSON.arrayNode();
        values.forEach(a::add);
        return a;
    }
}

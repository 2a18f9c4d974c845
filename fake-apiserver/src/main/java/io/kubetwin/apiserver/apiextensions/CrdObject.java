package io.kubetwin.apiserver.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A typed, read-only view of a CustomResourceDefinition (apiextensions.k8s.io/v1) for validation and
 * the controllers. Schemas stay JSON: they are data to interpret, not security state.
 */
public record CrdObject(
        String name,
        String group,
        String scope,
        Names names,
        List<Version> versions,
        String conversionStrategy,
        JsonNode preserveUnknownFields,
        Names acceptedNames,
        List<Condition> conditions,
        List<String> storedVersions,
        JsonNode annotations,
        boolean deleting,
        List<String> finalizers) {

    public static final String CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

    /** spec.names or status.acceptedNames; absent strings are "". */
    public record Names(
            String plural,
            String singular,
            List<String> shortNames,
            String kind,
            String listKind,
            List<String> categories) {
        static Names of(JsonNode n) {
            return new Names(
                    text(n, "plural"),
                    text(n, "singular"),
                    strings(n.path("shortNames")),
                    text(n, "kind"),
                    text(n, "listKind"),
                    strings(n.path("categories")));
        }
    }

    /**
     * One entry of spec.versions.
     *
     * @param schema the openAPIV3Schema, null when absent
     * @param subresources the subresources object, null when absent
     * @param columns additionalPrinterColumns, empty when absent
     * @param raw the version as sent, for error values
     */
    public record Version(
            String name,
            boolean served,
            boolean storage,
            boolean deprecated,
            JsonNode deprecationWarning,
            JsonNode schema,
            JsonNode subresources,
            List<JsonNode> columns,
            JsonNode raw) {
        public boolean hasStatus() {
            return subresources != null
                    && subresources.has("status")
                    && !subresources.get("status").isNull();
        }

        public Optional<JsonNode> scale() {
            return subresources == null || !subresources.path("scale").isObject()
                    ? Optional.empty()
                    : Optional.of(subresources.get("scale"));
        }
    }

    /** One status condition. */
    public record Condition(String type, String status, String lastTransitionTime, String reason, String message) {}

    public static CrdObject of(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode status = crd.path("status");
        List<Version> versions = new ArrayList<>();
        for (JsonNode v : spec.path("versions")) {
            JsonNode schema = v.path("schema").path("openAPIV3Schema");
            JsonNode sub = v.get("subresources");
            List<JsonNode> columns = new ArrayList<>();
            v.path("additionalPrinterColumns").forEach(columns::add);
            versions.add(new Version(
                    text(v, "name"),
                    v.path("served").asBoolean(false),
                    v.path("storage").asBoolean(false),
                    v.path("deprecated").asBoolean(false),
                    v.get("deprecationWarning"),
                    schema.isObject() ? schema : null,
                    sub == null || sub.isNull() ? null : sub,
                    columns,
                    v));
        }
        List<Condition> conditions = new ArrayList<>();
        for (JsonNode c : status.path("conditions")) {
            conditions.add(new Condition(
                    text(c, "type"),
                    text(c, "status"),
                    text(c, "lastTransitionTime"),
                    text(c, "reason"),
                    text(c, "message")));
        }
        JsonNode meta = crd.path("metadata");
        return new CrdObject(
                text(meta, "name"),
                text(spec, "group"),
                text(spec, "scope"),
                Names.of(spec.path("names")),
                versions,
                spec.path("conversion").isObject() ? text(spec.path("conversion"), "strategy") : null,
                spec.get("preserveUnknownFields"),
                Names.of(status.path("acceptedNames")),
                conditions,
                strings(status.path("storedVersions")),
                meta.path("annotations"),
                meta.hasNonNull("deletionTimestamp"),
                strings(meta.path("finalizers")));
    }

    public Optional<Version> storageVersion() {
        return versions.stream().filter(Version::storage).findFirst();
    }

    public Optional<Version> version(String name) {
        return versions.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    public boolean namespaced() {
        return "Namespaced".equals(scope);
    }

    public boolean conditionTrue(String type) {
        return conditions.stream().anyMatch(c -> c.type().equals(type) && "True".equals(c.status()));
    }

    public Optional<Condition> condition(String type) {
        return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}

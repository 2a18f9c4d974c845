package io.kubetwin.apiserver.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * ObjectMeta checks on create and update, as k8s.io/apimachinery/pkg/api/validation/objectmeta.go
 * (ValidateObjectMetaAccessor, ValidateObjectMetaAccessorUpdate) and the label rules of
 * apis/meta/v1/validation. Map keys are checked in sorted order so messages are deterministic
 * (upstream iterates Go maps in random order).
 */
public final class ObjectMetaValidation {
    private ObjectMetaValidation() {}

    private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final Pattern QUALIFIED_NAME = Pattern.compile("^" + QUALIFIED_NAME_FMT + "$");
    private static final String QUALIFIED_NAME_MSG =
            "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
    private static final Pattern LABEL_VALUE = Pattern.compile("^" + LABEL_VALUE_FMT + "$");
    static final String IMMUTABLE = "field is immutable";
    private static final long ANNOTATIONS_LIMIT = 256 * 1024;

    /**
     * Checks metadata of a new object; name generation has already happened. {@code coreFinalizers}: the kind is
     * validated by pkg/apis/core/validation's ValidateObjectMeta, which also requires a finalizer without '/' to
     * be a standard one.
     */
    public static List<FieldError> validateCreate(
            JsonNode meta, boolean requiresNamespace, Names.NameRule nameRule, boolean coreFinalizers) {
        List<FieldError> errs = new ArrayList<>();
        String generateName = text(meta, "generateName");
        String name = text(meta, "name");
        if (!generateName.isEmpty()) {
            for (String msg : nameRule.validate(generateName, true)) {
                errs.add(FieldError.invalid("metadata.generateName", generateName, msg));
            }
        }
        if (name.isEmpty()) {
            errs.add(FieldError.required("metadata.name", "name or generateName is required"));
        } else {
            for (String msg : nameRule.validate(name, false)) {
                errs.add(FieldError.invalid("metadata.name", name, msg));
            }
        }
        String namespace = text(meta, "namespace");
        if (requiresNamespace) {
            if (namespace.isEmpty()) {
                errs.add(FieldError.required("metadata.namespace", ""));
            } else {
                for (String msg : Names.DNS_LABEL.validate(namespace, false)) {
                    errs.add(FieldError.invalid("metadata.namespace", namespace, msg));
                }
            }
        } else if (!namespace.isEmpty()) {
            errs.add(FieldError.forbidden("metadata.namespace", "not allowed on this type"));
        }
        if (meta.path("generation").asLong(0) < 0) {
            errs.add(FieldError.invalid(
                    "metadata.generation", meta.path("generation").asLong(), "must be greater than or equal to 0"));
        }
        errs.addAll(validateLabels(meta.path("labels")));
        errs.addAll(validateAnnotations(meta.path("annotations")));
        errs.addAll(validateOwnerReferences(meta.path("ownerReferences")));
        errs.addAll(validateFinalizers(meta.path("finalizers")));
        if (coreFinalizers) {
            JsonNode finalizers = meta.path("finalizers");
            for (int i = 0; i < finalizers.size(); i++) {
                String value = finalizers.get(i).asText();
                // validateKubeFinalizerName: the standard names are kubernetes, orphan and foregroundDeletion
                if (!value.contains("/") && !STANDARD_FINALIZERS.contains(value)) {
                    errs.add(FieldError.invalid(
                            "metadata.finalizers[" + i + "]",
                            value,
                            "name is neither a standard finalizer name nor is it fully qualified"));
                }
            }
        }
        return errs;
    }

    private static final Set<String> STANDARD_FINALIZERS = Set.of("kubernetes", "orphan", "foregroundDeletion");

    /**
     * validateOwnerReference's checks of each reference's own fields (the path has no index, as upstream's); the
     * banned owner kinds and the single-controller rule are not checked.
     */
    static List<FieldError> validateOwnerReferences(JsonNode refs) {
        List<FieldError> errs = new ArrayList<>();
        for (JsonNode ref : refs) {
            String apiVersion = text(ref, "apiVersion");
            // schema.FromAPIVersionAndKind: the version is what follows the last '/', or the whole value
            String version = apiVersion.substring(apiVersion.lastIndexOf('/') + 1);
            if (version.isEmpty()) {
                errs.add(FieldError.invalid(
                        "metadata.ownerReferences.apiVersion", apiVersion, "version must not be empty"));
            }
            for (String f : new String[] {"kind", "name", "uid"}) {
                if (text(ref, f).isEmpty()) {
                    errs.add(FieldError.invalid("metadata.ownerReferences." + f, "", "must not be empty"));
                }
            }
        }
        return errs;
    }

    /** ValidateFinalizers: qualified names (the rule refusing both orphan and foregroundDeletion is not checked). */
    static List<FieldError> validateFinalizers(JsonNode finalizers) {
        List<FieldError> errs = new ArrayList<>();
        for (JsonNode f : finalizers) {
            for (String msg : isQualifiedName(f.asText())) {
                errs.add(FieldError.invalid("metadata.finalizers", f.asText(), msg));
            }
        }
        return errs;
    }

    /** Checks metadata of an update against the stored object's. */
    public static List<FieldError> validateUpdate(JsonNode meta, JsonNode oldMeta) {
        List<FieldError> errs = new ArrayList<>();
        if (text(meta, "resourceVersion").isEmpty()) {
            errs.add(FieldError.invalid("metadata.resourceVersion", "", "must be specified for an update"));
        }
        if (meta.path("generation").asLong(0) < oldMeta.path("generation").asLong(0)) {
            errs.add(FieldError.invalid(
                    "metadata.generation", meta.path("generation").asLong(0), "must not be decremented"));
        }
        for (String f : new String[] {"name", "namespace", "uid", "creationTimestamp", "deletionTimestamp"}) {
            immutable(errs, "metadata." + f, text(meta, f), text(oldMeta, f));
        }
        if (!Objects.equals(meta.get("deletionGracePeriodSeconds"), oldMeta.get("deletionGracePeriodSeconds"))) {
            JsonNode v = meta.get("deletionGracePeriodSeconds");
            errs.add(FieldError.invalid(
                    "metadata.deletionGracePeriodSeconds", v == null ? null : v.asLong(), IMMUTABLE));
        }
        errs.addAll(validateLabels(meta.path("labels")));
        errs.addAll(validateAnnotations(meta.path("annotations")));
        return errs;
    }

    /** ValidateImmutableField for strings. */
    public static void immutable(List<FieldError> errs, String field, String value, String old) {
        if (!Objects.equals(value, old)) {
            errs.add(FieldError.invalid(field, value, IMMUTABLE));
        }
    }

    static List<FieldError> validateLabels(JsonNode labels) {
        List<FieldError> errs = new ArrayList<>();
        for (Map.Entry<String, String> e : sortedEntries(labels)) {
            for (String msg : isQualifiedName(e.getKey())) {
                errs.add(FieldError.invalid("metadata.labels", e.getKey(), msg));
            }
            for (String msg : isValidLabelValue(e.getValue())) {
                errs.add(FieldError.invalid("metadata.labels", e.getValue(), msg));
            }
        }
        return errs;
    }

    static List<FieldError> validateAnnotations(JsonNode annotations) {
        List<FieldError> errs = new ArrayList<>();
        long size = 0;
        for (Map.Entry<String, String> e : sortedEntries(annotations)) {
            for (String msg : isQualifiedName(e.getKey().toLowerCase(Locale.ROOT))) {
                errs.add(FieldError.invalid("metadata.annotations", e.getKey(), msg));
            }
            size += e.getKey().length() + e.getValue().length();
        }
        if (size > ANNOTATIONS_LIMIT) {
            errs.add(FieldError.tooLong("metadata.annotations", (int) ANNOTATIONS_LIMIT));
        }
        return errs;
    }

    /** validation.IsQualifiedName. */
    public static List<String> isQualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                errs.add("prefix part must be non-empty");
            } else {
                for (String m : Names.isDns1123Subdomain(prefix)) {
                    errs.add("prefix part " + m);
                }
            }
        } else {
            errs.add("a qualified name "
                    + Names.regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errs;
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (name.length() > 63) {
            errs.add("name part " + Names.maxLenError(63));
        }
        if (!QUALIFIED_NAME.matcher(name).matches()) {
            errs.add("name part "
                    + Names.regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    /** validation.IsValidLabelValue. */
    public static List<String> isValidLabelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) {
            errs.add(Names.maxLenError(63));
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            errs.add(Names.regexError(
                    "a valid label must be an empty string or consist of "
                            + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                    LABEL_VALUE_FMT,
                    "MyValue",
                    "my_value",
                    "12345"));
        }
        return errs;
    }

    static List<Map.Entry<String, String>> sortedEntries(JsonNode map) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (map != null && map.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.add(Map.entry(
                        e.getKey(),
                        e.getValue().isTextual()
                                ? e.getValue().asText()
                                : e.getValue().toString()));
            }
        }
        out.sort(Map.Entry.comparingByKey());
        return out;
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}

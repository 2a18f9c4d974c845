package io.kubetwin.apiserver.audit.policy;

import io.kubetwin.apiserver.api.YamlTree.MapValue;
import io.kubetwin.apiserver.api.YamlTree.Scalar;
import io.kubetwin.apiserver.api.YamlTree.ScalarKind;
import io.kubetwin.apiserver.api.YamlTree.SeqValue;
import io.kubetwin.apiserver.api.YamlTree.Value;
import io.kubetwin.apiserver.registry.Meta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decodes a policy document the way kube-apiserver's audit scheme does (pkg/audit/policy/reader.go):
 * the group/version/kind must be audit.k8s.io/v1 Policy (a missing kind is allowed), a value of the wrong
 * JSON type is an error, unknown fields and duplicate keys only a warning (strict decoding fails, lenient
 * decoding succeeds). Error texts are Go's ({@code json: cannot unmarshal ...}). Package-private.
 */
final class PolicyDecoder {
    static final String GROUP = "audit.k8s.io";
    static final String VERSION = "audit.k8s.io/v1";
    /**
     * The scheme name in kube-apiserver's "no kind is registered" errors. An official release build prints
     * this; a module-mode build (such as our reference binary) prints "pkg/runtime/scheme.go:110" instead.
     */
    static final String SCHEME = "k8s.io/apiserver/pkg/audit/scheme.go:30";

    private static final String VERSION_KIND_STRUCT =
            "struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }";
    /** metav1.ObjectMeta's JSON fields. */
    private static final Set<String> OBJECT_META = Set.copyOf(Meta.ORDER);

    /** The decoding failed; the message is what follows {@code failed decoding: } (or the whole error). */
    static class DecodeError extends Exception {
        DecodeError(String message) {
            super(message, null, false, false);
        }
    }

    /** A decoded policy and the strict-decoding problems that lenient decoding forgave. */
    record Decoded(RawPolicy policy, String strictError) {}

    private final List<String> unknown = new ArrayList<>();
    private String typeError;

    private PolicyDecoder() {}

    /**
     * @throws DecodeError with the full error text (including the {@code failed decoding: } prefix when
     *         upstream has it)
     */
    static Decoded decode(Value root) throws DecodeError {
        return new PolicyDecoder().run(root);
    }

    private Decoded run(Value root) throws DecodeError {
        if (!(root instanceof MapValue) && !(root instanceof Scalar s && s.kind() == ScalarKind.NULL)) {
            throw new DecodeError(
                    "failed decoding: couldn't get version/kind; json parse error: json: cannot unmarshal "
                            + jsonKind(root) + " into Go value of type " + VERSION_KIND_STRUCT);
        }
        Map<String, Value> top = root instanceof MapValue m ? m.entries() : Map.of();
        String apiVersion = typeMetaString(top, "apiVersion");
        String kind = typeMetaString(top, "kind");
        if (apiVersion.isEmpty()) {
            if (!kind.isEmpty() && !kind.equals("Policy")) {
                throw new DecodeError(
                        "failed decoding: no kind \"" + kind + "\" is registered for the internal version of group \""
                                + GROUP + "\" in scheme \"" + SCHEME + "\"");
            }
            // Decoded into the internal type, whose fields have no JSON names: everything but the type and
            // object meta is unknown to strict decoding. Then the missing version is fatal.
            Set<String> names = new TreeSet<>();
            for (String key : top.keySet()) {
                if (!key.equals("apiVersion") && !key.equals("kind") && !OBJECT_META.contains(key)) {
                    names.add(key);
                }
            }
            String warning = names.isEmpty() ? null : unknownFields(new ArrayList<>(names));
            throw new MissingVersion(warning);
        }
        if (!apiVersion.equals(VERSION)) {
            throw new DecodeError("failed decoding: no kind \"" + (kind.isEmpty() ? "Policy" : kind)
                    + "\" is registered for version \"" + apiVersion + "\" in scheme \"" + SCHEME + "\"");
        }
        if (!kind.isEmpty() && !kind.equals("Policy")) {
            if (Set.of("Event", "EventList", "PolicyList").contains(kind)) {
                throw new DecodeError(
                        "failed decoding: converting (v1." + kind + ") to (audit.Policy): unknown conversion");
            }
            throw new DecodeError("failed decoding: no kind \"" + kind + "\" is registered for version \"" + apiVersion
                    + "\" in scheme \"" + SCHEME + "\"");
        }
        RawPolicy policy = policy((MapValue) root);
        if (typeError != null) {
            throw new DecodeError("failed decoding: " + typeError);
        }
        List<String> strict = new ArrayList<>();
        List<String> duplicates = new ArrayList<>();
        collectDuplicates(root, duplicates);
        if (!duplicates.isEmpty()) {
            strict.add("yaml: unmarshal errors:\n  " + String.join("\n  ", duplicates));
        }
        if (!unknown.isEmpty()) {
            strict.add(unknownFields(unknown.stream().sorted().toList()).substring("strict decoding error: ".length()));
        }
        return new Decoded(policy, strict.isEmpty() ? null : "strict decoding error: " + String.join(", ", strict));
    }

    /** Thrown when apiVersion is missing: fatal, but upstream logs the strict-decoding warning first. */
    static final class MissingVersion extends DecodeError {
        final String warning;

        MissingVersion(String warning) {
            super("unknown group version field " + GROUP + "/__internal, Kind=Policy in policy");
            this.warning = warning;
        }
    }

    private static String unknownFields(List<String> paths) {
        List<String> parts =
                paths.stream().map(p -> "unknown field \"" + p + "\"").toList();
        return "strict decoding error: " + String.join(", ", parts);
    }

    private static void collectDuplicates(Value v, List<String> out) {
        if (v instanceof MapValue m) {
            out.addAll(m.duplicates());
            m.entries().values().forEach(child -> collectDuplicates(child, out));
        } else if (v instanceof SeqValue s) {
            s.items().forEach(child -> collectDuplicates(child, out));
        }
    }

    private String typeMetaString(Map<String, Value> top, String field) throws DecodeError {
        Value v = top.get(field);
        if (v == null || v instanceof Scalar s && s.kind() == ScalarKind.NULL) {
            return "";
        }
        if (v instanceof Scalar s && s.kind() == ScalarKind.STRING) {
            return s.text();
        }
        throw new DecodeError("failed decoding: couldn't get version/kind; json parse error: json: cannot unmarshal "
                + jsonKind(v) + " into Go struct field ." + field + " of type string");
    }

    private RawPolicy policy(MapValue m) {
        List<RawPolicy.RawRule> rules = new ArrayList<>();
        List<String> omitStages = List.of();
        boolean omitManagedFields = false;
        for (Map.Entry<String, Value> e : m.entries().entrySet()) {
            Value v = e.getValue();
            switch (e.getKey()) {
                case "apiVersion", "kind" -> {}
                case "metadata" -> metadata(v);
                case "rules" -> {
                    if (isNull(v)) {
                        break;
                    }
                    if (!(v instanceof SeqValue seq)) {
                        typeError(v, "Policy", "rules", "[]v1.PolicyRule");
                        break;
                    }
                    for (int i = 0; i < seq.items().size(); i++) {
                        Value item = seq.items().get(i);
                        if (isNull(item)) {
                            rules.add(emptyRule());
                        } else if (item instanceof MapValue rm) {
                            rules.add(rule(rm, "rules[" + i + "]"));
                        } else {
                            typeError(item, "Policy", "rules", "v1.PolicyRule");
                        }
                    }
                }
                case "omitStages" -> omitStages = strings(v, "Policy", "omitStages", "v1.Stage");
                case "omitManagedFields" -> omitManagedFields = bool(v, "Policy", "omitManagedFields", false);
                default -> unknown.add(e.getKey());
            }
        }
        return new RawPolicy(rules, omitStages, omitManagedFields);
    }

    private static RawPolicy.RawRule emptyRule() {
        return new RawPolicy.RawRule(
                "", List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null);
    }

    private void metadata(Value v) {
        if (isNull(v)) {
            return;
        }
        if (!(v instanceof MapValue m)) {
            typeError(v, "Policy", "metadata", "v1.ObjectMeta");
            return;
        }
        for (String key : m.entries().keySet()) {
            if (!OBJECT_META.contains(key)) {
                unknown.add("metadata." + key);
            }
        }
    }

    private RawPolicy.RawRule rule(MapValue m, String path) {
        String level = "";
        List<String> users = List.of();
        List<String> userGroups = List.of();
        List<String> verbs = List.of();
        List<RawPolicy.RawGroupResources> resources = new ArrayList<>();
        List<String> namespaces = List.of();
        List<String> urls = List.of();
        List<String> omitStages = List.of();
        Boolean omitManagedFields = null;
        for (Map.Entry<String, Value> e : m.entries().entrySet()) {
            Value v = e.getValue();
            String key = e.getKey();
            switch (key) {
                case "level" -> level = string(v, "PolicyRule", "rules.level", "v1.Level");
                case "users" -> users = strings(v, "PolicyRule", "rules.users", "string");
                case "userGroups" -> userGroups = strings(v, "PolicyRule", "rules.userGroups", "string");
                case "verbs" -> verbs = strings(v, "PolicyRule", "rules.verbs", "string");
                case "namespaces" -> namespaces = strings(v, "PolicyRule", "rules.namespaces", "string");
                case "nonResourceURLs" -> urls = strings(v, "PolicyRule", "rules.nonResourceURLs", "string");
                case "omitStages" -> omitStages = strings(v, "PolicyRule", "rules.omitStages", "v1.Stage");
                case "omitManagedFields" ->
                    omitManagedFields = isNull(v) ? null : bool(v, "PolicyRule", "rules.omitManagedFields", null);
                case "resources" -> {
                    if (isNull(v)) {
                        break;
                    }
                    if (!(v instanceof SeqValue seq)) {
                        typeError(v, "PolicyRule", "rules.resources", "[]v1.GroupResources");
                        break;
                    }
                    for (int i = 0; i < seq.items().size(); i++) {
                        Value item = seq.items().get(i);
                        if (isNull(item)) {
                            resources.add(new RawPolicy.RawGroupResources("", List.of(), List.of()));
                        } else if (item instanceof MapValue gm) {
                            resources.add(groupResources(gm, path + ".resources[" + i + "]"));
                        } else {
                            typeError(item, "PolicyRule", "rules.resources", "v1.GroupResources");
                        }
                    }
                }
                default -> unknown.add(path + "." + key);
            }
        }
        return new RawPolicy.RawRule(
                level, users, userGroups, verbs, resources, namespaces, urls, omitStages, omitManagedFields);
    }

    private RawPolicy.RawGroupResources groupResources(MapValue m, String path) {
        String group = "";
        List<String> resources = List.of();
        List<String> names = List.of();
        for (Map.Entry<String, Value> e : m.entries().entrySet()) {
            Value v = e.getValue();
            switch (e.getKey()) {
                case "group" -> group = string(v, "GroupResources", "rules.resources.group", "string");
                case "resources" -> resources = strings(v, "GroupResources", "rules.resources.resources", "string");
                case "resourceNames" -> names = strings(v, "GroupResources", "rules.resources.resourceNames", "string");
                default -> unknown.add(path + "." + e.getKey());
            }
        }
        return new RawPolicy.RawGroupResources(group, resources, names);
    }

    private String string(Value v, String struct, String field, String goType) {
        if (isNull(v)) {
            return "";
        }
        if (v instanceof Scalar s && s.kind() == ScalarKind.STRING) {
            return s.text();
        }
        typeError(v, struct, field, goType);
        return "";
    }

    private List<String> strings(Value v, String struct, String field, String elementType) {
        if (isNull(v)) {
            return List.of();
        }
        if (!(v instanceof SeqValue seq)) {
            typeError(v, struct, field, "[]" + elementType);
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Value item : seq.items()) {
            out.add(string(item, struct, field, elementType));
        }
        return out;
    }

    private Boolean bool(Value v, String struct, String field, Boolean ifNull) {
        if (isNull(v)) {
            return ifNull;
        }
        if (v instanceof Scalar s && s.kind() == ScalarKind.BOOL) {
            return Boolean.parseBoolean(s.text());
        }
        typeError(v, struct, field, "bool");
        return ifNull;
    }

    /** Keeps the first type error, as encoding/json does, and goes on decoding. */
    private void typeError(Value v, String struct, String field, String goType) {
        if (typeError == null) {
            typeError = "json: cannot unmarshal " + jsonKind(v) + " into Go struct field " + struct + "." + field
                    + " of type " + goType;
        }
    }

    private static boolean isNull(Value v) {
        return v instanceof Scalar s && s.kind() == ScalarKind.NULL;
    }

    private static String jsonKind(Value v) {
        if (v instanceof MapValue) {
            return "object";
        }
        if (v instanceof SeqValue) {
            return "array";
        }
        return switch (((Scalar) v).kind()) {
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOL -> "bool";
            case NULL -> "null";
        };
    }
}

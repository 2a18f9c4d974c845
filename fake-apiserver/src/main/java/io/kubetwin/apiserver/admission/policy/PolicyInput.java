package io.kubetwin.apiserver.admission.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Authorizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The CEL activation of one request (admission/plugin/cel/activation.go): {@code object} (null on DELETE),
 * {@code oldObject} (null on CREATE), {@code request} as CreateAdmissionRequest fills it, and
 * {@code namespaceObject} reduced as CreateNamespaceObject does. {@code params} is added per param.
 */
final class PolicyInput {
    private PolicyInput() {}

    static Map<String, Object> of(AdmissionAttributes a, JsonNode namespace, Authorizer authorizer) {
        return of(a, a, namespace, authorizer);
    }

    /**
     * The activation of {@code a} as a policy matched it ({@code versioned}: an equivalent resource's kind,
     * resource and converted objects under matchPolicy Equivalent); {@code request.requestKind} and
     * {@code requestResource} stay the request's own.
     */
    static Map<String, Object> of(
            AdmissionAttributes versioned, AdmissionAttributes original, JsonNode namespace, Authorizer authorizer) {
        AdmissionAttributes a = versioned;
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("object", a.operation() == Operation.DELETE ? NullValue.NULL_VALUE : CelValues.of(a.object()));
        input.put("oldObject", a.operation() == Operation.CREATE ? NullValue.NULL_VALUE : CelValues.of(a.oldObject()));
        input.put("request", request(a, original));
        input.put("namespaceObject", namespace == null ? NullValue.NULL_VALUE : namespaceObject(namespace));
        input.put("params", NullValue.NULL_VALUE);
        input.put(
                "authorizer",
                authorizer == null ? NullValue.NULL_VALUE : new AuthorizerLibrary.Target(authorizer, a.user()));
        return input;
    }

    private static Map<String, Object> request(AdmissionAttributes a, AdmissionAttributes original) {
        Map<String, Object> kind = Map.of("group", a.group(), "version", a.version(), "kind", a.kind());
        Map<String, Object> resource =
                Map.of("group", a.resourceGroup(), "version", a.version(), "resource", a.resource());
        Map<String, Object> requestKind =
                Map.of("group", original.group(), "version", original.version(), "kind", original.kind());
        Map<String, Object> requestResource = Map.of(
                "group", original.resourceGroup(), "version", original.version(), "resource", original.resource());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("uid", UUID.randomUUID().toString());
        r.put("kind", kind);
        r.put("resource", resource);
        putIfNotEmpty(r, "subResource", a.subresource());
        r.put("requestKind", requestKind);
        r.put("requestResource", requestResource);
        putIfNotEmpty(r, "requestSubResource", a.subresource());
        putIfNotEmpty(r, "name", a.name());
        putIfNotEmpty(r, "namespace", a.namespace());
        r.put("operation", a.operation().name());
        r.put("userInfo", userInfo(a.user()));
        r.put("dryRun", a.dryRun());
        return r;
    }

    private static Map<String, Object> userInfo(UserInfo u) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (u == null) {
            return m;
        }
        putIfNotEmpty(m, "username", u.name());
        putIfNotEmpty(m, "uid", u.uid());
        if (u.groups() != null && !u.groups().isEmpty()) {
            m.put("groups", List.copyOf(u.groups()));
        }
        if (u.extra() != null && !u.extra().isEmpty()) {
            Map<String, Object> extra = new LinkedHashMap<>();
            u.extra().forEach((k, v) -> extra.put(k, List.copyOf(v)));
            m.put("extra", extra);
        }
        return m;
    }

    /** The namespace's metadata without managed fields, owners and finalizers, its spec and status. */
    private static Object namespaceObject(JsonNode ns) {
        Map<String, Object> meta = new LinkedHashMap<>();
        JsonNode m = ns.path("metadata");
        for (String f : List.of(
                "name",
                "generateName",
                "namespace",
                "uid",
                "resourceVersion",
                "generation",
                "creationTimestamp",
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
                "labels",
                "annotations")) {
            if (m.has(f)) {
                meta.put(f, CelValues.of(m.get(f)));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("metadata", meta);
        out.put("spec", ns.has("spec") ? CelValues.of(ns.get("spec")) : Map.of());
        out.put("status", ns.has("status") ? CelValues.of(ns.get("status")) : Map.of());
        return out;
    }

    private static void putIfNotEmpty(Map<String, Object> m, String key, String value) {
        if (value != null && !value.isEmpty()) {
            m.put(key, value);
        }
    }
}

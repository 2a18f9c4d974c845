package io.kubetwin.apiserver.registry.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.auth.attributes.UserInfo;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes the {@link FieldManager} of a write: the kind's schema (the recorded OpenAPI v3 document of a built-in
 * kind, the structural schema of a custom resource's version with metav1.ObjectMeta as its metadata) and the
 * fields the write resets. One per server; thread-safe.
 */
public final class FieldManagers {
    private final OpenApiSchemas schemas = new OpenApiSchemas();
    private final Map<JsonNode, SchemaType> customTypes = new ConcurrentHashMap<>();

    /**
     * Starts reading the documents the start-up's own writes need (core/v1 is 1.5 MB of JSON) on a pool thread, so
     * that it overlaps the PKI and listener set-up instead of blocking the event loop at the first write.
     */
    public FieldManagers() {
        CompletableFuture.runAsync(() -> {
            schemas.kind("", "v1", "Namespace");
            schemas.kind("rbac.authorization.k8s.io", "v1", "ClusterRole");
        });
    }

    /** The recorded OpenAPI documents, read once per server: writes, the typed body decoder and policies use them. */
    public OpenApiSchemas schemas() {
        return schemas;
    }

    /** The field manager for one write of {@code object} (any version of it) through {@code subresource}. */
    public FieldManager forWrite(
            ServedResource served, ResourceStrategy strategy, ObjectNode object, String subresource, Instant now) {
        var t = served.type();
        SchemaType type;
        JsonNode structural = strategy.structuralSchema(object);
        if (structural != null) {
            type = customTypes.computeIfAbsent(structural, this::customType);
        } else {
            type = schemas.kind(t.group(), t.version(), t.kind()).orElse(SchemaType.DEDUCED);
        }
        String sub = subresource == null ? "" : subresource;
        return new FieldManager(
                type,
                ResetFields.of(served, sub),
                t.apiVersion(),
                t.kind(),
                sub,
                now.truncatedTo(ChronoUnit.SECONDS).toString(),
                structural != null);
    }

    private SchemaType customType(JsonNode structural) {
        ObjectNode root = structural.deepCopy();
        ObjectNode props = root.get("properties") instanceof ObjectNode p ? p : root.putObject("properties");
        props.putObject("apiVersion").put("type", "string");
        props.putObject("kind").put("type", "string");
        props.putObject("metadata").put("$ref", "objectmeta");
        root.put("type", "object");
        SchemaType meta = schemas.objectMeta();
        return SchemaType.of(root, ref -> meta);
    }

    /**
     * The manager name of a write (managerOrUserAgent in handlers/rest.go): the fieldManager parameter, else the
     * User-Agent up to its first "/" (at most 128 characters), else "unknown".
     */
    public static String manager(String fieldManager, String userAgent) {
        if (fieldManager != null && !fieldManager.isEmpty()) {
            return fieldManager;
        }
        String prefix = userAgent == null ? "" : userAgent.split("/", -1)[0];
        if (prefix.length() > 128) {
            prefix = prefix.substring(0, 128);
        }
        return prefix.isEmpty() ? "unknown" : prefix;
    }

    /**
     * The manager of the fake's in-process writers, as their upstream counterparts' user agents name them: the
     * kube-controller-manager's controllers write as service accounts of kube-system, kube-apiserver's own
     * bootstrap and controllers as system:apiserver.
     */
    public static String inProcessManager(UserInfo user) {
        String name = user == null ? "" : user.name();
        if (name.startsWith("system:serviceaccount:kube-system:") || name.equals("system:kube-controller-manager")) {
            return "kube-controller-manager";
        }
        return "kube-apiserver";
    }

    static List<List<PathElement>> paths(String... dotted) {
        List<List<PathElement>> out = new ArrayList<>();
        for (String d : dotted) {
            out.add(FieldManager.path(d.split("\\.")));
        }
        return out;
    }
}

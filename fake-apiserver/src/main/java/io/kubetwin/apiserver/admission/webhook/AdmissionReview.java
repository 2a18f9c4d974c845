package io.kubetwin.apiserver.admission.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.admission.RequestOptions;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AdmissionReview a webhook receives and the checks on the one it answers
 * (k8s.io/apiserver/pkg/admission/plugin/webhook/request/admissionreview.go): the request in the field order of
 * admission/v1 AdmissionRequest, and VerifyAdmissionResponse's rules and texts. Pure.
 */
public final class AdmissionReview {
    private AdmissionReview() {}

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The first of the webhook's admissionReviewVersions this server speaks, as CreateAdmissionObjects picks. */
    static Optional<String> version(Webhook hook) {
        return hook.admissionReviewVersions().stream()
                .filter(v -> v.equals("v1") || v.equals("v1beta1"))
                .findFirst();
    }

    /**
     * The request body for {@code version} ("v1" or "v1beta1"): {@code a} as the webhook is called with it (its
     * kind, resource and objects in the version its rules matched), {@code requested} as the client made it
     * (requestKind, requestResource).
     */
    static ObjectNode request(String uid, String version, AdmissionAttributes a, AdmissionAttributes requested) {
        ObjectNode review = NODES.objectNode();
        review.put("kind", "AdmissionReview");
        review.put("apiVersion", "admission.k8s.io/" + version);
        ObjectNode r = review.putObject("request");
        r.put("uid", uid);
        ObjectNode kind = NODES.objectNode()
                .put("group", a.group())
                .put("version", a.version())
                .put("kind", a.kind());
        ObjectNode resource = NODES.objectNode()
                .put("group", a.resourceGroup())
                .put("version", a.version())
                .put("resource", a.resource());
        r.set("kind", kind);
        r.set("resource", resource);
        if (!a.subresource().isEmpty()) {
            r.put("subResource", a.subresource());
        }
        r.set(
                "requestKind",
                NODES.objectNode()
                        .put("group", requested.group())
                        .put("version", requested.version())
                        .put("kind", requested.kind()));
        r.set(
                "requestResource",
                NODES.objectNode()
                        .put("group", requested.resourceGroup())
                        .put("version", requested.version())
                        .put("resource", requested.resource()));
        if (!a.subresource().isEmpty()) {
            r.put("requestSubResource", a.subresource());
        }
        if (!a.name().isEmpty()) {
            r.put("name", a.name());
        }
        String namespace = WebhookRules.namespace(a);
        if (!namespace.isEmpty()) {
            r.put("namespace", namespace);
        }
        r.put("operation", a.operation().name());
        r.set("userInfo", userInfo(a.user()));
        r.set("object", a.object() == null ? NODES.nullNode() : typed(a.object(), a));
        r.set("oldObject", a.oldObject() == null ? NODES.nullNode() : typed(a.oldObject(), a));
        r.put("dryRun", a.dryRun());
        r.set("options", options(a));
        return review;
    }

    private static ObjectNode userInfo(UserInfo user) {
        ObjectNode u = NODES.objectNode();
        u.put("username", user.name());
        if (user.uid() != null && !user.uid().isEmpty()) {
            u.put("uid", user.uid());
        }
        if (!user.groups().isEmpty()) {
            u.putArray("groups")
                    .addAll(user.groups().stream().map(NODES::textNode).toList());
        }
        if (user.extra() != null && !user.extra().isEmpty()) {
            ObjectNode extra = u.putObject("extra");
            new java.util.TreeMap<>(user.extra())
                    .forEach((k, v) -> extra.putArray(k)
                            .addAll(v.stream().map(NODES::textNode).toList()));
        }
        return u;
    }

    /** The object as the versioned (typed) object serialises: kind and apiVersion first. */
    private static ObjectNode typed(ObjectNode object, AdmissionAttributes a) {
        ObjectNode out = NODES.objectNode();
        out.put("kind", a.kind());
        out.put("apiVersion", a.group().isEmpty() ? a.version() : a.group() + "/" + a.version());
        object.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("kind") && !e.getKey().equals("apiVersion")) {
                out.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        return out;
    }

    /**
     * The operation's options as upstream's handlers pass them to admission: CreateOptions or UpdateOptions with
     * dryRun, fieldManager and fieldValidation (a patch's converted to those of its operation), DeleteOptions as
     * the client sent them; null for CONNECT.
     */
    private static JsonNode options(AdmissionAttributes a) {
        String kind =
                switch (a.operation()) {
                    case CREATE -> "CreateOptions";
                    case UPDATE -> "UpdateOptions";
                    case DELETE -> "DeleteOptions";
                    case CONNECT -> null;
                };
        if (kind == null) {
            return NODES.nullNode();
        }
        RequestOptions sent = a.recorder().requestOptions();
        ObjectNode o = NODES.objectNode().put("kind", kind).put("apiVersion", "meta.k8s.io/v1");
        if (a.operation() == Operation.DELETE) {
            // DeleteOptions' field order: gracePeriodSeconds, preconditions, orphanDependents, propagationPolicy,
            // dryRun
            if (sent.deleteOptions() != null) {
                o.setAll(sent.deleteOptions());
            }
            if (a.dryRun()) {
                o.putArray("dryRun").add("All");
            }
            return o;
        }
        if (a.dryRun()) {
            o.putArray("dryRun").add("All");
        }
        if (sent.fieldManager() != null && !sent.fieldManager().isEmpty()) {
            o.put("fieldManager", sent.fieldManager());
        }
        if (sent.fieldValidation() != null && !sent.fieldValidation().isEmpty()) {
            o.put("fieldValidation", sent.fieldValidation());
        }
        return o;
    }

    /** A webhook's verified answer (AdmissionResponse in admissionreview.go). */
    record Response(
            boolean allowed,
            JsonNode result,
            byte[] patch,
            String patchType,
            Map<String, String> auditAnnotations,
            List<String> warnings) {}

    /**
     * VerifyAdmissionResponse for a decoded review of the version sent.
     *
     * @throws IllegalArgumentException with upstream's text when the answer is not acceptable
     */
    static Response verify(String uid, String version, boolean mutating, JsonNode review) {
        JsonNode r = review.get("response");
        if (r == null || r.isNull()) {
            throw new IllegalArgumentException("webhook response was absent");
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        r.path("auditAnnotations")
                .fields()
                .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        List<String> warnings = new ArrayList<>();
        r.path("warnings").forEach(w -> warnings.add(w.asText()));
        boolean allowed = r.path("allowed").asBoolean(false);
        JsonNode result = r.get("status");
        byte[] patch = decodePatch(r.path("patch").asText(""));
        if (version.equals("v1beta1")) {
            // v1beta1 answers are not checked for their uid; a patch is a JSONPatch
            return new Response(
                    allowed,
                    result,
                    mutating ? patch : new byte[0],
                    mutating && patch.length > 0 ? "JSONPatch" : "",
                    annotations,
                    warnings);
        }
        String got = r.path("uid").asText("");
        if (!got.equals(uid)) {
            throw new IllegalArgumentException(
                    "expected response.uid=" + GoText.quote(uid) + ", got " + GoText.quote(got));
        }
        JsonNode type = r.get("patchType");
        boolean hasType = type != null && !type.isNull();
        if (mutating) {
            if (patch.length > 0 && !hasType) {
                throw new IllegalArgumentException("webhook returned response.patch but not response.patchType");
            }
            if (patch.length == 0 && hasType) {
                throw new IllegalArgumentException("webhook returned response.patchType but not response.patch");
            }
            if (hasType && type.asText("").isEmpty()) {
                throw new IllegalArgumentException("webhook returned invalid response.patchType of \"\"");
            }
            return new Response(allowed, result, patch, hasType ? type.asText() : "", annotations, warnings);
        }
        if (patch.length > 0) {
            throw new IllegalArgumentException("validating webhook may not return response.patch");
        }
        if (hasType) {
            throw new IllegalArgumentException("validating webhook may not return response.patchType");
        }
        return new Response(allowed, result, new byte[0], "", annotations, warnings);
    }

    private static byte[] decodePatch(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}

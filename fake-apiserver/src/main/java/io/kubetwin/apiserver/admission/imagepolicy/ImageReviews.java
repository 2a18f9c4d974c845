package io.kubetwin.apiserver.admission.imagepolicy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.api.GoJson;
import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The imagepolicy.k8s.io/v1alpha1 ImageReview that ImagePolicyWebhook sends (admission.go Validate), and what it
 * reads back (rest.Result.Into with the legacy codec). Pure.
 */
final class ImageReviews {
    private ImageReviews() {}

    static final String API_VERSION = "imagepolicy.k8s.io/v1alpha1";
    private static final String EPHEMERAL = "ephemeralcontainers";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the backend answered (ImageReviewStatus). */
    record Answer(boolean allowed, String reason, Map<String, String> auditAnnotations) {}

    /**
     * The review's {@code spec} as Go marshals it, which is also the answer cache's key; empty when the plugin
     * ignores the request: anything but pods, and pods' subresources other than ephemeralcontainers. A pod write
     * sends its containers and then its init containers; an ephemeralcontainers write only the ephemeral ones.
     * Annotations are those with {@code .image-policy.k8s.io/} in their key.
     */
    static Optional<String> spec(AdmissionAttributes a) {
        boolean ephemeral = EPHEMERAL.equals(a.subresource());
        if ((!a.subresource().isEmpty() && !ephemeral)
                || !a.resourceGroup().isEmpty()
                || !"pods".equals(a.resource())) {
            return Optional.empty();
        }
        JsonNode pod = a.object();
        List<String> images = new ArrayList<>();
        JsonNode spec = pod == null ? null : pod.path("spec");
        if (spec != null) {
            for (String list : ephemeral ? List.of("ephemeralContainers") : List.of("containers", "initContainers")) {
                spec.path(list).forEach(c -> images.add(c.path("image").asText("")));
            }
        }
        Map<String, String> annotations = new TreeMap<>(GoText.ORDER);
        if (pod != null) {
            pod.path("metadata").path("annotations").fields().forEachRemaining(e -> {
                if (e.getKey().contains(".image-policy.k8s.io/")) {
                    annotations.put(e.getKey(), e.getValue().asText(""));
                }
            });
        }
        StringBuilder out = new StringBuilder("{");
        if (!images.isEmpty()) {
            out.append("\"containers\":[");
            for (int i = 0; i < images.size(); i++) {
                out.append(i == 0 ? "" : ",")
                        .append(images.get(i).isEmpty() ? "{}" : "{\"image\":" + GoJson.string(images.get(i)) + "}");
            }
            out.append("]");
        }
        if (!annotations.isEmpty()) {
            out.append(out.length() > 1 ? "," : "").append("\"annotations\":{");
            boolean first = true;
            for (Map.Entry<String, String> e : annotations.entrySet()) {
                out.append(first ? "" : ",")
                        .append(GoJson.string(e.getKey()))
                        .append(':')
                        .append(GoJson.string(e.getValue()));
                first = false;
            }
            out.append("}");
        }
        if (!a.namespace().isEmpty()) {
            out.append(out.length() > 1 ? "," : "").append("\"namespace\":").append(GoJson.string(a.namespace()));
        }
        return Optional.of(out.append("}").toString());
    }

    /** The request body: the review with an empty status, as client-go's JSON encoder writes it. */
    static String body(String spec) {
        return "{\"kind\":\"ImageReview\",\"apiVersion\":\"" + API_VERSION + "\",\"metadata\":{},\"spec\":" + spec
                + ",\"status\":{\"allowed\":false}}\n";
    }

    /** Thrown when a 2xx answer is no ImageReview; the message is the decoder's. */
    static final class UndecodableException extends RuntimeException {
        UndecodableException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Decodes a 2xx answer. The universal decoder reads JSON, and YAML (so plain text is a YAML string); an answer
     * without kind is taken as an ImageReview, another kind fails to convert.
     */
    static Answer decode(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (Exception e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            String type = node == null || node.isTextual()
                    ? "string"
                    : node.isArray() ? "array" : node.isNumber() ? "number" : node.isNull() ? "null" : "bool";
            throw new UndecodableException("couldn't get version/kind; json parse error: json: cannot unmarshal "
                    + type + " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\";"
                    + " Kind string \"json:\\\"kind,omitempty\\\"\" }");
        }
        String kind = node.path("kind").asText("");
        String apiVersion = node.path("apiVersion").asText("");
        if (!kind.isEmpty() && !(kind.equals("ImageReview") && apiVersion.equals(API_VERSION))) {
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
            throw new UndecodableException(
                    "converting (" + version + "." + kind + ") to (v1alpha1.ImageReview): unknown conversion");
        }
        JsonNode status = node.path("status");
        Map<String, String> annotations = new LinkedHashMap<>();
        status.path("auditAnnotations")
                .fields()
                .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText("")));
        return new Answer(
                status.path("allowed").asBoolean(false), status.path("reason").asText(""), annotations);
    }
}

package io.kubetwin.apiserver.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * metav1.Status, serialised in the field order of k8s.io/apimachinery/pkg/apis/meta/v1/types.go so that
 * bodies match kube-apiserver byte for byte.
 */
@JsonPropertyOrder({"kind", "apiVersion", "metadata", "status", "message", "reason", "details", "code"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Status(
        @JsonProperty("status") String status,
        @JsonProperty("message") String message,
        @JsonProperty("reason") String reason,

        @JsonProperty("details") @JsonInclude(JsonInclude.Include.NON_NULL)
        Details details,

        @JsonProperty("code") int code,

        /** ListMeta.continue, set only on a 410 for a compacted continue token (the token to go on with). */
        @JsonIgnore String continueToken) {

    public static final String FAILURE = "Failure";

    public Status(String status, String message, String reason, Details details, int code) {
        this(status, message, reason, details, code, null);
    }

    public static final String SUCCESS = "Success";

    @JsonProperty("kind")
    public String kind() {
        return "Status";
    }

    @JsonProperty("apiVersion")
    public String apiVersion() {
        return "v1";
    }

    @JsonProperty("metadata")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public Map<String, Object> metadata() {
        return continueToken == null ? Map.of() : Map.of("continue", continueToken);
    }

    public static Status failure(int code, String reason, String message, Details details) {
        return new Status(FAILURE, message, reason, details, code);
    }

    /** metav1.StatusDetails; for resource errors {@code kind} carries the resource (plural), as upstream does. */
    @JsonPropertyOrder({"name", "group", "kind", "uid", "causes", "retryAfterSeconds"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Details(
            String name, String group, String kind, String uid, List<Cause> causes, Integer retryAfterSeconds) {
        public static Details of(String group, String kind, String name) {
            return new Details(name, group, kind, null, null, null);
        }

        public static Details empty() {
            return new Details(null, null, null, null, null, null);
        }
    }

    /** metav1.StatusCause. */
    @JsonPropertyOrder({"reason", "message", "field"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Cause(String reason, String message, String field) {}
}

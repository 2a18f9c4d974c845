package io.kubetwin.apiserver.audit.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.pki.GoText;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One audit.k8s.io/v1 {@code Event}, as kube-apiserver fills it (k8s.io/apiserver/pkg/apis/audit/v1/types.go).
 * Written to JSON by {@link AuditEventJson} in upstream's field order with Go's omitempty rules, to the legacy
 * one-line format by {@link LegacyFormat}.
 *
 * <p>Immutable, except that {@code requestObject} and {@code responseObject} are Jackson trees which nobody
 * may modify once they are in an event. {@code annotations} are ordered as Go orders map keys.
 *
 * @param impersonatedUser null when the request did not impersonate
 * @param objectRef null for non-resource requests
 * @param responseStatus null before a response exists (RequestReceived)
 * @param requestObject null unless the level is Request or RequestResponse and the handler logged a body
 * @param responseObject null unless the level is RequestResponse and the handler logged a body
 */
public record AuditEvent(
        Level level,
        String auditId,
        Stage stage,
        String requestUri,
        String verb,
        EventUser user,
        EventUser impersonatedUser,
        List<String> sourceIps,
        String userAgent,
        ObjectReference objectRef,
        ResponseStatus responseStatus,
        JsonNode requestObject,
        JsonNode responseObject,
        Instant requestReceivedTimestamp,
        Instant stageTimestamp,
        Map<String, String> annotations) {

    public AuditEvent {
        auditId = auditId == null ? "" : auditId;
        requestUri = requestUri == null ? "" : requestUri;
        verb = verb == null ? "" : verb;
        user = user == null ? EventUser.NONE : user;
        sourceIps = sourceIps == null ? List.of() : List.copyOf(sourceIps);
        userAgent = userAgent == null ? "" : userAgent;
        TreeMap<String, String> sorted = new TreeMap<>(GoText.ORDER);
        if (annotations != null) {
            sorted.putAll(annotations);
        }
        annotations = Collections.unmodifiableMap(sorted);
    }

    /** The annotation's value, or null. */
    public String annotation(String key) {
        return annotations.get(key);
    }

    /** The response code, or 0 when the event has no response status. */
    public int code() {
        return responseStatus == null ? 0 : responseStatus.code();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder(null);
    }

    /** Step-by-step construction, mostly for tests and the audit stage. */
    public static final class Builder {
        private Level level = Level.METADATA;
        private String auditId = "";
        private Stage stage = Stage.RESPONSE_COMPLETE;
        private String requestUri = "";
        private String verb = "";
        private EventUser user = EventUser.NONE;
        private EventUser impersonatedUser;
        private List<String> sourceIps = List.of();
        private String userAgent = "";
        private ObjectReference objectRef;
        private ResponseStatus responseStatus;
        private JsonNode requestObject;
        private JsonNode responseObject;
        private Instant requestReceivedTimestamp;
        private Instant stageTimestamp;
        private Map<String, String> annotations = Map.of();

        private Builder(AuditEvent e) {
            if (e != null) {
                level = e.level;
                auditId = e.auditId;
                stage = e.stage;
                requestUri = e.requestUri;
                verb = e.verb;
                user = e.user;
                impersonatedUser = e.impersonatedUser;
                sourceIps = e.sourceIps;
                userAgent = e.userAgent;
                objectRef = e.objectRef;
                responseStatus = e.responseStatus;
                requestObject = e.requestObject;
                responseObject = e.responseObject;
                requestReceivedTimestamp = e.requestReceivedTimestamp;
                stageTimestamp = e.stageTimestamp;
                annotations = e.annotations;
            }
        }

        public Builder level(Level v) {
            level = v;
            return this;
        }

        public Builder auditId(String v) {
            auditId = v;
            return this;
        }

        public Builder stage(Stage v) {
            stage = v;
            return this;
        }

        public Builder requestUri(String v) {
            requestUri = v;
            return this;
        }

        public Builder verb(String v) {
            verb = v;
            return this;
        }

        public Builder user(EventUser v) {
            user = v;
            return this;
        }

        public Builder impersonatedUser(EventUser v) {
            impersonatedUser = v;
            return this;
        }

        public Builder sourceIps(List<String> v) {
            sourceIps = v;
            return this;
        }

        public Builder userAgent(String v) {
            userAgent = v;
            return this;
        }

        public Builder objectRef(ObjectReference v) {
            objectRef = v;
            return this;
        }

        public Builder responseStatus(ResponseStatus v) {
            responseStatus = v;
            return this;
        }

        public Builder requestObject(JsonNode v) {
            requestObject = v;
            return this;
        }

        public Builder responseObject(JsonNode v) {
            responseObject = v;
            return this;
        }

        public Builder requestReceivedTimestamp(Instant v) {
            requestReceivedTimestamp = v;
            return this;
        }

        public Builder stageTimestamp(Instant v) {
            stageTimestamp = v;
            return this;
        }

        public Builder annotations(Map<String, String> v) {
            annotations = v;
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(
                    level,
                    auditId,
                    stage,
                    requestUri,
                    verb,
                    user,
                    impersonatedUser,
                    sourceIps,
                    userAgent,
                    objectRef,
                    responseStatus,
                    requestObject,
                    responseObject,
                    requestReceivedTimestamp,
                    stageTimestamp,
                    annotations);
        }
    }
}

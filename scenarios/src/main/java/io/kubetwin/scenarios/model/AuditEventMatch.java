package io.kubetwin.scenarios.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A pattern over audit events (audit.k8s.io/v1 Event): every field given must match, fields left out are
 * ignored.
 *
 * @param level            None, Metadata, Request or RequestResponse
 * @param stage            RequestReceived, ResponseStarted, ResponseComplete or Panic
 * @param verb             the request verb
 * @param user             user.username
 * @param groups           user.groups, exactly and in order
 * @param impersonatedUser impersonatedUser.username
 * @param requestURI       the request URI
 * @param objectRef        fields of objectRef (resource, namespace, name, apiGroup, apiVersion, subresource)
 * @param code             responseStatus.code
 * @param reason           responseStatus.reason
 * @param message          responseStatus.message
 * @param annotations      annotations that must be present with matching values
 * @param requestObject    whether requestObject must be present (true) or absent (false)
 * @param responseObject   whether responseObject must be present (true) or absent (false)
 * @param fields           any other field by JSON pointer, compared for JSON equality
 * @param count            for {@code must}: the exact number of matching events (default: at least one)
 */
public record AuditEventMatch(
        String level,
        String stage,
        String verb,
        TextMatch user,
        List<String> groups,
        TextMatch impersonatedUser,
        TextMatch requestURI,
        Map<String, String> objectRef,
        Integer code,
        String reason,
        TextMatch message,
        Map<String, TextMatch> annotations,
        Boolean requestObject,
        Boolean responseObject,
        Map<String, JsonNode> fields,
        Integer count) {
    public AuditEventMatch {
        objectRef = objectRef == null ? Map.of() : Map.copyOf(objectRef);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }
}

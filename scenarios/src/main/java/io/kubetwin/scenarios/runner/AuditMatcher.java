package io.kubetwin.scenarios.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.scenarios.model.AuditEventMatch;
import io.kubetwin.scenarios.model.TextMatch;
import java.util.ArrayList;
import java.util.List;

/** Matches audit events (audit.k8s.io/v1 Event JSON) against {@link AuditEventMatch} patterns. */
public final class AuditMatcher {

    private AuditMatcher() {}

    /** Why the event does not match, field by field; empty when it matches. */
    public static List<String> mismatches(AuditEventMatch m, JsonNode event) {
        var out = new ArrayList<String>();
        text(out, "level", m.level(), event.path("level"));
        text(out, "stage", m.stage(), event.path("stage"));
        text(out, "verb", m.verb(), event.path("verb"));
        match(out, "user.username", m.user(), event.path("user").path("username"));
        if (m.groups() != null) {
            var groups = new ArrayList<String>();
            event.path("user").path("groups").forEach(g -> groups.add(g.asText()));
            if (!groups.equals(m.groups())) {
                out.add("user.groups " + groups + " != " + m.groups());
            }
        }
        match(
                out,
                "impersonatedUser.username",
                m.impersonatedUser(),
                event.path("impersonatedUser").path("username"));
        match(out, "requestURI", m.requestURI(), event.path("requestURI"));
        m.objectRef()
                .forEach((field, expected) -> text(
                        out,
                        "objectRef." + field,
                        expected,
                        event.path("objectRef").path(field)));
        if (m.code() != null && event.path("responseStatus").path("code").asInt(-1) != m.code()) {
            out.add("responseStatus.code " + event.path("responseStatus").path("code") + " != " + m.code());
        }
        text(
                out,
                "responseStatus.reason",
                m.reason(),
                event.path("responseStatus").path("reason"));
        match(
                out,
                "responseStatus.message",
                m.message(),
                event.path("responseStatus").path("message"));
        m.annotations()
                .forEach((key, expected) -> match(
                        out,
                        "annotations." + key,
                        expected,
                        event.path("annotations").path(key)));
        presence(out, "requestObject", m.requestObject(), event);
        presence(out, "responseObject", m.responseObject(), event);
        m.fields().forEach((pointer, expected) -> {
            var actual = event.at(pointer);
            if (!actual.equals(expected)) {
                out.add(pointer + " " + (actual.isMissingNode() ? "(absent)" : actual) + " != " + expected);
            }
        });
        return out;
    }

    public static boolean matches(AuditEventMatch m, JsonNode event) {
        return mismatches(m, event).isEmpty();
    }

    private static void text(List<String> out, String field, String expected, JsonNode actual) {
        if (expected != null && !expected.equals(actual.isMissingNode() ? null : actual.asText())) {
            out.add(field + " " + (actual.isMissingNode() ? "(absent)" : "\"" + actual.asText() + "\"") + " != \""
                    + expected + "\"");
        }
    }

    private static void match(List<String> out, String field, TextMatch expected, JsonNode actual) {
        if (expected != null && (actual.isMissingNode() || !expected.matches(actual.asText()))) {
            out.add(field + " " + (actual.isMissingNode() ? "(absent)" : "\"" + actual.asText() + "\"") + " !~ "
                    + expected);
        }
    }

    private static void presence(List<String> out, String field, Boolean expected, JsonNode event) {
        if (expected != null && event.has(field) != expected) {
            out.add(field + (expected ? " absent" : " present"));
        }
    }

    /** The pattern with only the fields it sets, for failure messages. */
    public static String describe(AuditEventMatch m) {
        var parts = new ArrayList<String>();
        add(parts, "level", m.level());
        add(parts, "stage", m.stage());
        add(parts, "verb", m.verb());
        add(parts, "user", m.user());
        add(parts, "groups", m.groups());
        add(parts, "impersonatedUser", m.impersonatedUser());
        add(parts, "requestURI", m.requestURI());
        if (!m.objectRef().isEmpty()) {
            parts.add("objectRef=" + m.objectRef());
        }
        add(parts, "code", m.code());
        add(parts, "reason", m.reason());
        add(parts, "message", m.message());
        if (!m.annotations().isEmpty()) {
            parts.add("annotations=" + m.annotations());
        }
        add(parts, "requestObject", m.requestObject());
        add(parts, "responseObject", m.responseObject());
        if (!m.fields().isEmpty()) {
            parts.add("fields=" + m.fields());
        }
        add(parts, "count", m.count());
        return "{" + String.join(", ", parts) + "}";
    }

    private static void add(List<String> parts, String name, Object value) {
        if (value != null) {
            parts.add(name + "=" + value);
        }
    }

    /** A one-line summary of an event, for failure messages. */
    public static String summary(JsonNode e) {
        return e.path("stage").asText() + " " + e.path("level").asText() + " "
                + e.path("verb").asText() + " "
                + e.path("requestURI").asText() + " user="
                + e.path("user").path("username").asText()
                + " code=" + e.path("responseStatus").path("code").asText("-");
    }
}

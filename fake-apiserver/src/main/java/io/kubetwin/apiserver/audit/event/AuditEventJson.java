package io.kubetwin.apiserver.audit.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.api.GoJson;
import io.kubetwin.apiserver.api.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Events to and from kube-apiserver's JSON: the field order of audit/v1/types.go, Go's omitempty (empty
 * strings, lists and maps and zero codes are left out; {@code user} and {@code responseStatus.metadata}
 * never are), Go's string escaping, and {@code metav1.MicroTime} timestamps (UTC, exactly six fractional
 * digits, {@code Z}). Thread-safe.
 */
public final class AuditEventJson {
    public static final String API_VERSION = "audit.k8s.io/v1";
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper MAPPER = GoJson.mapper();

    private AuditEventJson() {}

    /** The event as the log backend writes it, without the trailing newline. */
    public static String toJson(AuditEvent event) {
        return new String(toJsonBytes(event), StandardCharsets.UTF_8);
    }

    /** The event's JSON line, newline-terminated, as UTF-8. */
    public static byte[] toLine(AuditEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        write(out, g -> writeEvent(g, event, true));
        out.write('\n');
        return out.toByteArray();
    }

    public static byte[] toJsonBytes(AuditEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        write(out, g -> writeEvent(g, event, true));
        return out.toByteArray();
    }

    /**
     * The body the webhook backend POSTs: an EventList whose items carry no kind/apiVersion (upstream
     * encodes only the list's type), followed by a newline.
     */
    public static byte[] toEventList(List<AuditEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 * Math.max(1, events.size()));
        write(out, g -> {
            g.writeStartObject();
            g.writeStringField("kind", "EventList");
            g.writeStringField("apiVersion", API_VERSION);
            g.writeObjectFieldStart("metadata");
            g.writeEndObject();
            g.writeArrayFieldStart("items");
            for (AuditEvent e : events) {
                writeEvent(g, e, false);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        out.write('\n');
        return out.toByteArray();
    }

    /** metav1.MicroTime's JSON form of an instant (truncated, not rounded, to microseconds). */
    public static String microTime(Instant t) {
        return MICRO_TIME.format(t.truncatedTo(ChronoUnit.MICROS));
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static void write(ByteArrayOutputStream out, Body body) {
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeEvent(JsonGenerator g, AuditEvent e, boolean typed) throws IOException {
        g.writeStartObject();
        if (typed) {
            g.writeStringField("kind", "Event");
            g.writeStringField("apiVersion", API_VERSION);
        }
        g.writeStringField("level", e.level() == null ? "" : e.level().wire());
        g.writeStringField("auditID", e.auditId());
        g.writeStringField("stage", e.stage() == null ? "" : e.stage().wire());
        g.writeStringField("requestURI", e.requestUri());
        g.writeStringField("verb", e.verb());
        g.writeFieldName("user");
        writeUser(g, e.user());
        if (e.impersonatedUser() != null) {
            g.writeFieldName("impersonatedUser");
            writeUser(g, e.impersonatedUser());
        }
        writeStrings(g, "sourceIPs", e.sourceIps());
        optional(g, "userAgent", e.userAgent());
        if (e.objectRef() != null) {
            ObjectReference r = e.objectRef();
            g.writeObjectFieldStart("objectRef");
            optional(g, "resource", r.resource());
            optional(g, "namespace", r.namespace());
            optional(g, "name", r.name());
            optional(g, "uid", r.uid());
            optional(g, "apiGroup", r.apiGroup());
            optional(g, "apiVersion", r.apiVersion());
            optional(g, "resourceVersion", r.resourceVersion());
            optional(g, "subresource", r.subresource());
            g.writeEndObject();
        }
        if (e.responseStatus() != null) {
            g.writeFieldName("responseStatus");
            writeStatus(g, e.responseStatus());
        }
        if (e.requestObject() != null) {
            g.writeFieldName("requestObject");
            g.writeTree(e.requestObject());
        }
        if (e.responseObject() != null) {
            g.writeFieldName("responseObject");
            g.writeTree(e.responseObject());
        }
        writeTime(g, "requestReceivedTimestamp", e.requestReceivedTimestamp());
        writeTime(g, "stageTimestamp", e.stageTimestamp());
        if (!e.annotations().isEmpty()) {
            g.writeObjectFieldStart("annotations");
            for (Map.Entry<String, String> a : e.annotations().entrySet()) {
                g.writeStringField(a.getKey(), a.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeTime(JsonGenerator g, String field, Instant t) throws IOException {
        if (t == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, microTime(t));
        }
    }

    private static void writeUser(JsonGenerator g, EventUser u) throws IOException {
        g.writeStartObject();
        optional(g, "username", u.username());
        optional(g, "uid", u.uid());
        writeStrings(g, "groups", u.groups());
        if (!u.extra().isEmpty()) {
            g.writeObjectFieldStart("extra");
            for (Map.Entry<String, List<String>> x : u.extra().entrySet()) {
                g.writeArrayFieldStart(x.getKey());
                for (String v : x.getValue()) {
                    g.writeString(v);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeStatus(JsonGenerator g, ResponseStatus s) throws IOException {
        g.writeStartObject();
        // metav1.ListMeta is a struct: omitempty never drops it.
        g.writeObjectFieldStart("metadata");
        g.writeEndObject();
        optional(g, "status", s.status());
        optional(g, "message", s.message());
        optional(g, "reason", s.reason());
        if (s.details() != null) {
            Status.Details d = s.details();
            g.writeObjectFieldStart("details");
            optional(g, "name", d.name());
            optional(g, "group", d.group());
            optional(g, "kind", d.kind());
            optional(g, "uid", d.uid());
            if (d.causes() != null && !d.causes().isEmpty()) {
                g.writeArrayFieldStart("causes");
                for (Status.Cause c : d.causes()) {
                    g.writeStartObject();
                    optional(g, "reason", c.reason());
                    optional(g, "message", c.message());
                    optional(g, "field", c.field());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (d.retryAfterSeconds() != null && d.retryAfterSeconds() != 0) {
                g.writeNumberField("retryAfterSeconds", d.retryAfterSeconds());
            }
            g.writeEndObject();
        }
        if (s.code() != 0) {
            g.writeNumberField("code", s.code());
        }
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            g.writeStringField(field, value);
        }
    }

    private static void writeStrings(JsonGenerator g, String field, List<String> values) throws IOException {
        if (values != null && !values.isEmpty()) {
            g.writeArrayFieldStart(field);
            for (String v : values) {
                g.writeString(v);
            }
            g.writeEndArray();
        }
    }

    /** Parses one event (a log line, or an EventList item). */
    public static AuditEvent parse(String json) {
        try {
            return fromTree(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The typed event of a JSON tree; unknown fields are ignored. */
    public static AuditEvent fromTree(JsonNode n) {
        AuditEvent.Builder b = AuditEvent.builder()
                .level(Level.fromWire(n.path("level").asText()))
                .auditId(n.path("auditID").asText())
                .stage(Stage.fromWire(n.path("stage").asText()))
                .requestUri(n.path("requestURI").asText())
                .verb(n.path("verb").asText())
                .user(user(n.path("user")))
                .impersonatedUser(n.has("impersonatedUser") ? user(n.get("impersonatedUser")) : null)
                .sourceIps(strings(n.path("sourceIPs")))
                .userAgent(n.path("userAgent").asText())
                .requestObject(n.get("requestObject"))
                .responseObject(n.get("responseObject"))
                .requestReceivedTimestamp(time(n.path("requestReceivedTimestamp")))
                .stageTimestamp(time(n.path("stageTimestamp")));
        if (n.has("objectRef")) {
            JsonNode r = n.get("objectRef");
            b.objectRef(new ObjectReference(
                    r.path("resource").asText(),
                    r.path("namespace").asText(),
                    r.path("name").asText(),
                    r.path("uid").asText(),
                    r.path("apiGroup").asText(),
                    r.path("apiVersion").asText(),
                    r.path("resourceVersion").asText(),
                    r.path("subresource").asText()));
        }
        if (n.has("responseStatus")) {
            JsonNode s = n.get("responseStatus");
            Status.Details details = null;
            if (s.has("details")) {
                JsonNode d = s.get("details");
                List<Status.Cause> causes = new ArrayList<>();
                d.path("causes")
                        .forEach(c -> causes.add(new Status.Cause(
                                c.path("reason").asText(),
                                c.path("message").asText(),
                                c.path("field").asText())));
                details = new Status.Details(
                        d.path("name").asText(),
                        d.path("group").asText(),
                        d.path("kind").asText(),
                        d.path("uid").asText(),
                        causes.isEmpty() ? null : causes,
                        d.has("retryAfterSeconds") ? d.get("retryAfterSeconds").asInt() : null);
            }
            b.responseStatus(new ResponseStatus(
                    s.path("status").asText(),
                    s.path("message").asText(),
                    s.path("reason").asText(),
                    details,
                    s.path("code").asInt()));
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        n.path("annotations")
                .fields()
                .forEachRemaining(a -> annotations.put(a.getKey(), a.getValue().asText()));
        return b.annotations(annotations).build();
    }

    private static EventUser user(JsonNode u) {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        u.path("extra").fields().forEachRemaining(x -> extra.put(x.getKey(), strings(x.getValue())));
        return new EventUser(u.path("username").asText(), u.path("uid").asText(), strings(u.path("groups")), extra);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static Instant time(JsonNode t) {
        return t.isTextual() ? Instant.parse(t.asText()) : null;
    }
}

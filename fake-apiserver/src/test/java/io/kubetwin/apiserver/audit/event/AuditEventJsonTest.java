package io.kubetwin.apiserver.audit.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.GoJson;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.testing.Golden;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Events against the bytes the v1.34.4 reference kube-apiserver wrote (golden/audit/reference): every
 * recorded line parsed and written back must be identical, in JSON, legacy and EventList form.
 */
class AuditEventJsonTest {
    static Stream<String> referenceLines() {
        return Golden.lines("audit/reference/json-events.log").stream();
    }

    @ParameterizedTest
    @MethodSource("referenceLines")
    void referenceLinesRoundTripByteForByte(String line) {
        AuditEvent event = AuditEventJson.parse(line);
        assertEquals(line, AuditEventJson.toJson(event));
        assertArrayEquals((line + "\n").getBytes(StandardCharsets.UTF_8), AuditEventJson.toLine(event));
    }

    static Stream<Integer> legacyIndexes() {
        return IntStream.range(
                        0, Golden.lines("audit/reference/legacy-events.log").size())
                .boxed();
    }

    /**
     * The legacy recording comes from a second run of the same requests, so its timestamps (and the one
     * generated audit ID) differ; all the rest of each line must be what we print for the corresponding
     * JSON event.
     */
    @ParameterizedTest
    @MethodSource("legacyIndexes")
    void legacyLinesMatchTheReference(int i) {
        String expected = Golden.lines("audit/reference/legacy-events.log").get(i);
        AuditEvent event = AuditEventJson.parse(
                Golden.lines("audit/reference/json-events.log").get(i));
        String ours = LegacyFormat.format(event, ZoneOffset.UTC);
        assertEquals(afterTimestamp(expected), afterTimestamp(ours));
    }

    private static String afterTimestamp(String line) {
        return line.substring(line.indexOf(' '))
                .replaceAll(
                        "id=\"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\"", "id=\"<generated>\"");
    }

    @Test
    void webhookBodyMatchesTheReference() throws Exception {
        String post = Golden.text("audit/reference/webhook-post.txt");
        String body = post.substring(post.indexOf("\n\n") + 2);
        var tree = GoJson.mapper().readTree(body.getBytes(StandardCharsets.UTF_8));
        List<AuditEvent> items = new ArrayList<>();
        tree.get("items").forEach(n -> items.add(AuditEventJson.fromTree(n)));
        assertEquals(63, items.size());
        assertEquals(body, new String(AuditEventJson.toEventList(items), StandardCharsets.UTF_8));
    }

    @Test
    void microTimeHasSixDigitsTruncatedInUtc() {
        assertEquals(
                "2022-05-18T15:48:37.388237Z",
                AuditEventJson.microTime(Instant.parse("2022-05-18T15:48:37.388237999Z")));
        assertEquals("2022-05-18T15:48:37.000000Z", AuditEventJson.microTime(Instant.parse("2022-05-18T15:48:37Z")));
    }

    @Test
    void legacyTimestampIsRfc3339Nano() {
        assertEquals(
                "2026-11-22T16:27:15.98835459Z",
                LegacyFormat.rfc3339Nano(Instant.parse("2026-11-22T16:27:15.988354590Z"), ZoneOffset.UTC));
        assertEquals(
                "2026-11-22T16:27:15Z",
                LegacyFormat.rfc3339Nano(Instant.parse("2026-11-22T16:27:15Z"), ZoneOffset.UTC));
        assertEquals(
                "2026-11-22T18:27:15.5+02:00",
                LegacyFormat.rfc3339Nano(Instant.parse("2026-11-22T16:27:15.5Z"), ZoneOffset.ofHours(2)));
    }

    @Test
    void escapesAsGo() {
        ObjectNode obj = JsonNodeFactory.instance.objectNode().put("s", "<a>&\u2028\u2029\u0001\b\f\n\u007f\u00e9\"\\");
        AuditEvent e = AuditEvent.builder()
                .level(Level.REQUEST)
                .auditId("a")
                .stage(Stage.RESPONSE_COMPLETE)
                .requestUri("/x?a=1&b=<2>")
                .verb("get")
                .requestObject(obj)
                .requestReceivedTimestamp(Instant.EPOCH)
                .stageTimestamp(Instant.EPOCH)
                .build();
        assertEquals(
                "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Request\",\"auditID\":\"a\","
                        + "\"stage\":\"ResponseComplete\",\"requestURI\":\"/x?a=1\\u0026b=\\u003c2\\u003e\",\"verb\":\"get\",\"user\":{},"
                        + "\"requestObject\":{\"s\":\"\\u003ca\\u003e\\u0026\\u2028\\u2029\\u0001\\b\\f\\n\u007f\u00e9\\\"\\\\\"},"
                        + "\"requestReceivedTimestamp\":\"1970-01-01T00:00:00.000000Z\",\"stageTimestamp\":\"1970-01-01T00:00:00.000000Z\"}",
                AuditEventJson.toJson(e));
    }

    @Test
    void omitEmptyAsGo() {
        AuditEvent e = AuditEvent.builder()
                .level(Level.METADATA)
                .stage(Stage.RESPONSE_STARTED)
                .user(new EventUser("u", "", List.of(), Map.of("b", List.of("2"), "a", List.of())))
                .objectRef(new ObjectReference("pods", "", "", "", "", "v1", "", ""))
                .responseStatus(new ResponseStatus("Failure", "", "", Status.Details.empty(), 0))
                .annotations(Map.of("z", "1", "a", ""))
                .build();
        assertEquals(
                "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"\","
                        + "\"stage\":\"ResponseStarted\",\"requestURI\":\"\",\"verb\":\"\",\"user\":{\"username\":\"u\",\"extra\":{\"a\":[],\"b\":[\"2\"]}},"
                        + "\"objectRef\":{\"resource\":\"pods\",\"apiVersion\":\"v1\"},"
                        + "\"responseStatus\":{\"metadata\":{},\"status\":\"Failure\",\"details\":{}},"
                        + "\"requestReceivedTimestamp\":null,\"stageTimestamp\":null,\"annotations\":{\"a\":\"\",\"z\":\"1\"}}",
                AuditEventJson.toJson(e));
    }

    @Test
    void annotationKeysInGoOrder() {
        AuditEvent e = AuditEvent.builder()
                .annotations(Map.of("b", "", "B", "", "\uE000", "", "\uD83D\uDE00", ""))
                .build();
        assertEquals(
                Arrays.asList("B", "b", "\uE000", "\uD83D\uDE00"),
                List.copyOf(e.annotations().keySet()));
    }
}

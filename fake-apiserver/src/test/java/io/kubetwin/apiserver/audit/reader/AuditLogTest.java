package io.kubetwin.apiserver.audit.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.event.AuditEventJson;
import io.kubetwin.apiserver.audit.event.Level;
import io.kubetwin.apiserver.audit.event.Stage;
import io.kubetwin.apiserver.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Filters over the reference recording, and reading rotated logs and EventLists. */
class AuditLogTest {
    private static final AuditLog REFERENCE = AuditLog.parse(Golden.text("audit/reference/json-events.log"));

    @Test
    void filtersByEveryField() {
        assertEquals(63, REFERENCE.size());
        AuditEvent forbidden = REFERENCE
                .query()
                .user("alice")
                .verb("list")
                .resource("configmaps")
                .namespace("default")
                .stage(Stage.RESPONSE_COMPLETE)
                .annotation("authorization.k8s.io/decision", "forbid")
                .single();
        assertEquals("08-forbidden", forbidden.auditId());
        assertEquals(403, forbidden.code());
        assertEquals(1, REFERENCE.query().impersonatedUser("alice").count());
        assertEquals(
                "22-log-subresource",
                REFERENCE
                        .query()
                        .resource("pods/log")
                        .stage(Stage.RESPONSE_STARTED)
                        .single()
                        .auditId());
        assertEquals(2, REFERENCE.query().level(Level.METADATA).count());
        assertEquals(
                1,
                REFERENCE.query().apiGroup("apps").stage(Stage.REQUEST_RECEIVED).count());
        assertEquals("cm2", REFERENCE.query().name("cm2").first().objectRef().name());
        assertEquals(3, REFERENCE.query().auditId("12-watch").count());
        assertEquals(1, REFERENCE.query().code(401).count());
        assertTrue(
                REFERENCE.query().hasAnnotation("authorization.k8s.io/reason").count() > 20);
        assertEquals(
                1,
                REFERENCE
                        .query()
                        .requestUri("/version")
                        .stage(Stage.RESPONSE_COMPLETE)
                        .count());
        assertEquals(
                7,
                REFERENCE
                        .query()
                        .where("has a request body", e -> e.requestObject() != null)
                        .count());
    }

    @Test
    void assertionFailuresSayWhatWasLookedFor() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> REFERENCE.query().user("mallory").verb("delete").single());
        assertEquals("expected 1 audit event(s) matching user=mallory, verb=delete, found 0", e.getMessage());
        e = assertThrows(
                AssertionError.class,
                () -> REFERENCE.query().auditId("12-watch").expectCount(2));
        assertTrue(e.getMessage()
                .startsWith("expected 2 audit event(s) matching auditID=12-watch, found 3\n  {\"kind\":\"Event\""));
        REFERENCE.query().user("mallory").expectNone();
    }

    @Test
    void readsBackupsOldestFirstThenTheLog(@TempDir Path dir) throws Exception {
        List<String> lines = Golden.lines("audit/reference/json-events.log");
        Files.writeString(dir.resolve("audit-2024-01-01T00-00-02.000.log"), lines.get(1) + "\n");
        try (GZIPOutputStream gz =
                new GZIPOutputStream(Files.newOutputStream(dir.resolve("audit-2024-01-01T00-00-01.000.log.gz")))) {
            gz.write((lines.get(0) + "\n").getBytes());
        }
        Files.writeString(dir.resolve("audit.log"), lines.get(2) + "\n");
        Files.writeString(dir.resolve("other-2024-01-01T00-00-00.000.log"), "not ours\n");
        List<String> read = AuditLog.read(dir.resolve("audit.log")).events().stream()
                .map(AuditEventJson::toJson)
                .toList();
        assertEquals(lines.subList(0, 3), read);
    }

    @Test
    void readsEventLists() {
        String post = Golden.text("audit/reference/webhook-post.txt");
        byte[] body = post.substring(post.indexOf("\n\n") + 2).getBytes();
        AuditLog log = AuditLog.fromEventLists(List.of(body, body));
        assertEquals(126, log.size());
        // the webhook recording is another run of the same requests: same IDs and stages, in the same order (the last
        // request had a generated ID)
        assertEquals(
                REFERENCE.events().stream()
                        .map(e -> e.auditId() + "/" + e.stage())
                        .toList()
                        .subList(0, 61),
                log.events().stream()
                        .map(e -> e.auditId() + "/" + e.stage())
                        .toList()
                        .subList(0, 61));
    }
}

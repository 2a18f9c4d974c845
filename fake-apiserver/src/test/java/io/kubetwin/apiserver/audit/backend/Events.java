package io.kubetwin.apiserver.audit.backend;

import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.event.EventUser;
import io.kubetwin.apiserver.audit.event.Level;
import io.kubetwin.apiserver.audit.event.ObjectReference;
import io.kubetwin.apiserver.audit.event.ResponseStatus;
import io.kubetwin.apiserver.audit.event.Stage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Small event builders for backend tests. */
final class Events {
    private Events() {}

    static AuditEvent event(String auditId) {
        Instant t = Instant.parse("2024-01-02T03:04:05.123456Z");
        return AuditEvent.builder()
                .level(Level.METADATA)
                .auditId(auditId)
                .stage(Stage.RESPONSE_COMPLETE)
                .requestUri("/api/v1/namespaces/default/pods")
                .verb("list")
                .user(EventUser.of("alice", "system:authenticated"))
                .sourceIps(List.of("127.0.0.1"))
                .userAgent("test")
                .objectRef(new ObjectReference("pods", "default", "", "", "", "v1", "", ""))
                .responseStatus(ResponseStatus.code(200))
                .requestReceivedTimestamp(t)
                .stageTimestamp(t)
                .annotations(Map.of("authorization.k8s.io/decision", "allow", "authorization.k8s.io/reason", ""))
                .build();
    }

    static List<AuditEvent> events(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> event(prefix + i)).toList();
    }
}

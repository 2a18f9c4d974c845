package io.kubetwin.bench.micro;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.api.GoJson;
import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.event.AuditEventJson;
import io.kubetwin.apiserver.audit.event.EventUser;
import io.kubetwin.apiserver.audit.event.Level;
import io.kubetwin.apiserver.audit.event.ObjectReference;
import io.kubetwin.apiserver.audit.event.ResponseStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Audit event serialisation ({@link AuditEventJson#toLine}): a Metadata event and a RequestResponse one. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuditEventBenchmark {
    private AuditEvent metadata;
    private AuditEvent requestResponse;

    @Setup
    public void setUp() throws IOException {
        JsonNode configMap = GoJson.mapper().readTree(GoJsonBenchmark.CONFIG_MAP);
        Instant t = Instant.parse("2026-01-01T00:00:00.123456Z");
        metadata = AuditEvent.builder()
                .level(Level.METADATA)
                .auditId("8d7b2c1e-4a5f-4b3a-9c2d-1e0f3a4b5c6d")
                .requestUri("/api/v1/namespaces/bench/configmaps/cm-0")
                .verb("get")
                .user(EventUser.of("bench-user", "bench", "system:authenticated"))
                .sourceIps(List.of("127.0.0.1"))
                .userAgent("kubectl/v1.34.4 (linux/amd64) kubernetes/0000000")
                .objectRef(new ObjectReference("configmaps", "bench", "cm-0", "", "", "v1", "", ""))
                .responseStatus(ResponseStatus.code(200))
                .requestReceivedTimestamp(t)
                .stageTimestamp(t)
                .annotations(Map.of(
                        "authorization.k8s.io/decision", "allow",
                        "authorization.k8s.io/reason", "RBAC: allowed by RoleBinding \"bench-user/bench\""))
                .build();
        requestResponse = metadata.toBuilder()
                .level(Level.REQUEST_RESPONSE)
                .verb("update")
                .requestObject(configMap)
                .responseObject(configMap)
                .build();
    }

    @Benchmark
    public byte[] metadataEvent() {
        return AuditEventJson.toLine(metadata);
    }

    @Benchmark
    public byte[] requestResponseEvent() {
        return AuditEventJson.toLine(requestResponse);
    }
}

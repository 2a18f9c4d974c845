package io.kubetwin.apiserver.audit.backend;

import io.kubetwin.apiserver.audit.event.AuditEvent;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Several backends as one (pkg/audit/union.go): every event goes to each; the result is true only if every
 * backend stored it. Used when both the log and the webhook backend are configured.
 */
public final class UnionBackend implements AuditBackend {
    private final List<AuditBackend> backends;

    public UnionBackend(List<AuditBackend> backends) {
        this.backends = List.copyOf(backends);
    }

    /** The union of the non-null backends; a single one is returned as is, none gives null. */
    public static AuditBackend of(AuditBackend... backends) {
        List<AuditBackend> present =
                Arrays.stream(backends).filter(Objects::nonNull).toList();
        if (present.isEmpty()) {
            return null;
        }
        return present.size() == 1 ? present.get(0) : new UnionBackend(present);
    }

    @Override
    public CompletionStage<Boolean> processEvents(List<AuditEvent> events) {
        List<CompletableFuture<Boolean>> all = backends.stream()
                .map(b -> b.processEvents(events).toCompletableFuture())
                .toList();
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(x -> all.stream().allMatch(CompletableFuture::join));
    }

    @Override
    public long missedEvents() {
        return backends.stream().mapToLong(AuditBackend::missedEvents).sum();
    }

    @Override
    public void close() {
        backends.forEach(AuditBackend::close);
    }

    @Override
    public String name() {
        return backends.stream().map(AuditBackend::name).collect(Collectors.joining(",", "union[", "]"));
    }
}

package io.kubetwin.junit;

import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.event.AuditEventJson;
import io.kubetwin.apiserver.audit.reader.AuditLog;
import java.nio.file.Path;
import java.util.List;

/**
 * The audit events of one server, read from its audit log each time they are asked for (the log grows while the
 * server runs). Assert on it with {@link KubeTwinAssertions#assertThat(AuditTrail)}, which waits for events that
 * are still on their way.
 *
 * <p>With a server per class, the trail holds the events of every test so far; {@link #reset()} makes it forget
 * them. Thread-safe.
 */
public final class AuditTrail {
    private final Path log;
    private volatile int skipped;

    AuditTrail(Path log) {
        this.log = log;
    }

    /**
     * Whether the server audits requests (it was given an audit policy).
     *
     * @return true when events are written
     */
    public boolean enabled() {
        return log != null;
    }

    /**
     * The events written so far (since the last {@link #reset()}), oldest first.
     *
     * @return the events
     * @throws IllegalStateException when the server has no audit policy
     */
    public List<AuditRecord> events() {
        List<AuditEvent> all = readAll();
        int from = Math.min(skipped, all.size());
        return all.subList(from, all.size()).stream().map(AuditTrail::record).toList();
    }

    /** Forgets the events written so far: {@link #events()} then shows only the later ones. */
    public void reset() {
        skipped = readAll().size();
    }

    private List<AuditEvent> readAll() {
        if (log == null) {
            throw new IllegalStateException("this fake apiserver does not audit: give it an audit policy "
                    + "(@KubeTwin(auditPolicy = \"...\") or .auditPolicy(AuditPolicy.atLevel(\"Metadata\")))");
        }
        return AuditLog.read(log).events();
    }

    private static AuditRecord record(AuditEvent e) {
        var ref = e.objectRef();
        return new AuditRecord(
                e.auditId(),
                e.stage().wire(),
                e.level().wire(),
                e.verb(),
                e.requestUri(),
                e.user().username(),
                e.user().groups(),
                e.impersonatedUser() == null ? "" : e.impersonatedUser().username(),
                ref == null ? "" : ref.apiGroup(),
                ref == null ? "" : ref.resource(),
                ref == null ? "" : ref.subresource(),
                ref == null ? "" : ref.namespace(),
                ref == null ? "" : ref.name(),
                e.code(),
                e.annotations(),
                AuditEventJson.toJson(e));
    }
}

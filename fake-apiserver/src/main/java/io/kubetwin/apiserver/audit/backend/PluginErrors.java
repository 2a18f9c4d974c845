package io.kubetwin.apiserver.audit.backend;

import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.event.LegacyFormat;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts and logs events a backend could not store, as HandlePluginError in pkg/audit/metrics.go does:
 * {@code Error in audit plugin '<plugin>' affecting <n> audit events: <error>} followed by
 * {@code Impacted events:} and one legacy line per event. One instance per backend; thread-safe.
 */
public final class PluginErrors {
    private static final System.Logger LOG = System.getLogger("io.kubetwin.apiserver.audit");
    private final AtomicLong missed = new AtomicLong();

    public void report(String plugin, String error, List<AuditEvent> impacted) {
        missed.addAndGet(impacted.size());
        StringBuilder msg = new StringBuilder("Error in audit plugin '")
                .append(plugin)
                .append("' affecting ")
                .append(impacted.size())
                .append(" audit events: ")
                .append(error)
                .append("\nImpacted events:\n");
        for (AuditEvent e : impacted) {
            msg.append(LegacyFormat.format(e, ZoneId.systemDefault())).append('\n');
        }
        LOG.log(System.Logger.Level.ERROR, msg.toString());
    }

    public long missed() {
        return missed.get();
    }
}

package io.kubetwin.apiserver.audit.backend;

import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.event.AuditEventJson;
import io.kubetwin.apiserver.audit.event.LegacyFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;

/**
 * The log backend proper (plugin/pkg/audit/log/backend.go): each event is formatted (JSON line or legacy
 * line) and written whole; a failed write is reported for that event and the others are still written.
 */
public final class LogSink implements EventSink {
    private final LogOutput out;
    private final LogFormat format;
    private final ZoneId zone;
    private final PluginErrors errors = new PluginErrors();

    /** @param zone time zone of legacy timestamps (kube-apiserver uses its local time) */
    public LogSink(LogOutput out, LogFormat format, ZoneId zone) {
        this.out = out;
        this.format = format;
        this.zone = zone;
    }

    @Override
    public boolean write(List<AuditEvent> events) {
        boolean ok = true;
        for (AuditEvent e : events) {
            byte[] line = format == LogFormat.JSON
                    ? AuditEventJson.toLine(e)
                    : (LegacyFormat.format(e, zone) + "\n").getBytes(StandardCharsets.UTF_8);
            try {
                out.write(line);
            } catch (IOException | RuntimeException ex) {
                errors.report(name(), ex.getMessage(), List.of(e));
                ok = false;
            }
        }
        return ok;
    }

    @Override
    public long missedEvents() {
        return errors.missed();
    }

    @Override
    public void close() {
        out.close();
    }

    @Override
    public String name() {
        return "log";
    }
}

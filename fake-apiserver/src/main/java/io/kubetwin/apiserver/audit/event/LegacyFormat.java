package io.kubetwin.apiserver.audit.event;

import io.kubetwin.pki.GoText;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one-line text form of an event, {@code --audit-log-format=legacy}; mirrors EventString in
 * k8s.io/apiserver/pkg/audit/format.go:
 * {@code <RFC3339Nano requestReceivedTimestamp> AUDIT: id="..." stage="..." ip="..." method="..." user="..."
 * groups="..." as="..." asgroups="..." user-agent="..." namespace="..." uri="..." response="..."}.
 * Values are Go-quoted; groups are each quoted, comma-joined and quoted again. Thread-safe.
 */
public final class LegacyFormat {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("XXX");

    private LegacyFormat() {}

    /**
     * @param zone the time zone of the timestamp; kube-apiserver prints its local time (UTC in containers)
     */
    public static String format(AuditEvent ev, ZoneId zone) {
        String username = "<none>";
        String groups = "<none>";
        if (!ev.user().username().isEmpty()) {
            username = ev.user().username();
            if (!ev.user().groups().isEmpty()) {
                groups = auditStringSlice(ev.user().groups());
            }
        }
        String as = "<self>";
        String asGroups = "<lookup>";
        if (ev.impersonatedUser() != null) {
            as = ev.impersonatedUser().username();
            asGroups = auditStringSlice(ev.impersonatedUser().groups());
        }
        String namespace = ev.objectRef() != null && !ev.objectRef().namespace().isEmpty()
                ? ev.objectRef().namespace()
                : "<none>";
        String response = ev.responseStatus() != null
                ? Integer.toString(ev.responseStatus().code())
                : "<deferred>";
        String ip = ev.sourceIps().isEmpty() ? "<unknown>" : ev.sourceIps().get(0);
        return rfc3339Nano(ev.requestReceivedTimestamp(), zone) + " AUDIT: id=" + GoText.quote(ev.auditId())
                + " stage=" + GoText.quote(ev.stage().wire()) + " ip=" + GoText.quote(ip)
                + " method=" + GoText.quote(ev.verb()) + " user=" + GoText.quote(username)
                + " groups=" + GoText.quote(groups) + " as=" + GoText.quote(as)
                + " asgroups=" + GoText.quote(asGroups) + " user-agent=" + GoText.quote(ev.userAgent())
                + " namespace=" + GoText.quote(namespace) + " uri=" + GoText.quote(ev.requestUri())
                + " response=\"" + response + "\"";
    }

    /** auditStringSlice: each element Go-quoted, joined by commas. */
    private static String auditStringSlice(List<String> values) {
        return values.stream().map(GoText::quote).collect(Collectors.joining(","));
    }

    /** Go's time.RFC3339Nano: fraction with trailing zeros removed (none when zero), Z for UTC. */
    static String rfc3339Nano(Instant t, ZoneId zone) {
        if (t == null) {
            return "0001-01-01T00:00:00Z";
        }
        ZonedDateTime z = t.atZone(zone);
        StringBuilder b = new StringBuilder(SECONDS.format(z));
        int nanos = z.getNano();
        if (nanos != 0) {
            String frac = String.format("%09d", nanos);
            int end = frac.length();
            while (frac.charAt(end - 1) == '0') {
                end--;
            }
            b.append('.').append(frac, 0, end);
        }
        return b.append(OFFSET.format(z)).toString();
    }
}

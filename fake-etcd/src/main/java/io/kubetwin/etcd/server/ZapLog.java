package io.kubetwin.etcd.server;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Log lines in etcd's zap JSON format on stderr ({@code {"level":"warn","ts":"...","caller":"...","msg":"...",...}}),
 * so that the warnings a user greps for read exactly as etcd's. The caller names the upstream file that logs
 * the same message. Thread-safe.
 */
public final class ZapLog {
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private final PrintStream out;

    public ZapLog(PrintStream out) {
        this.out = out;
    }

    public void info(String caller, String msg, Object... fields) {
        log("info", caller, msg, fields);
    }

    public void warn(String caller, String msg, Object... fields) {
        log("warn", caller, msg, fields);
    }

    public void fatal(String caller, String msg, Object... fields) {
        log("fatal", caller, msg, fields);
    }

    /** {@code fields}: alternating names and values (strings, numbers, booleans or lists of strings). */
    public synchronized void log(String level, String caller, String msg, Object... fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", level);
        line.put("ts", TS.format(Instant.now()));
        line.put("caller", caller);
        line.put("msg", msg);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            line.put((String) fields[i], fields[i + 1]);
        }
        StringBuilder b = new StringBuilder("{");
        line.forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(quote(k)).append(':').append(value(v));
        });
        out.println(b.append('}'));
        out.flush();
    }

    private static String value(Object v) {
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof List<?> list) {
            StringBuilder b = new StringBuilder("[");
            for (Object o : list) {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append(value(o));
            }
            return b.append(']').toString();
        }
        return quote(String.valueOf(v));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}

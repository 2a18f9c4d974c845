package io.kubetwin.apiserver.audit.backend;

/** {@code --audit-log-format}: one JSON event per line, or the legacy one-line text. */
public enum LogFormat {
    JSON("json"),
    LEGACY("legacy");

    private final String flag;

    LogFormat(String flag) {
        this.flag = flag;
    }

    public String flag() {
        return flag;
    }

    /** The format named {@code flag}, or null. */
    public static LogFormat fromFlag(String flag) {
        for (LogFormat f : values()) {
            if (f.flag.equals(flag)) {
                return f;
            }
        }
        return null;
    }
}

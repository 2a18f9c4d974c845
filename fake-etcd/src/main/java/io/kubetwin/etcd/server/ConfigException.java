package io.kubetwin.etcd.server;

/**
 * A configuration etcd refuses, with etcd's text. {@link Kind} says at which stage etcd refuses it, which
 * decides how the command line reports it (etcd's exit code and log message).
 */
public final class ConfigException extends RuntimeException {
    /** Where etcd stops: flag parsing (exit 2), flag verification (exit 1) or start-up (fatal, exit 1). */
    public enum Kind {
        FLAG,
        VERIFY,
        START
    }

    private final Kind kind;

    public ConfigException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

package io.kubetwin.etcd.mvcc;

/** The data file could not be read (corrupt, truncated, not a database) or written durably. */
public final class BackendException extends RuntimeException {
    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}

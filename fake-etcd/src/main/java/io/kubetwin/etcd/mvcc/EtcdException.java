package io.kubetwin.etcd.mvcc;

/** A request refused with one of etcd's errors; the gRPC services answer it with {@link EtcdError#code()}. */
public final class EtcdException extends RuntimeException {
    private final EtcdError error;

    EtcdException(EtcdError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public EtcdError error() {
        return error;
    }
}

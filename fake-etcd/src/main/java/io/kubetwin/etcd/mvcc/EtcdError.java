package io.kubetwin.etcd.mvcc;

import io.grpc.Status;

/**
 * The etcd errors the store returns, with etcd's gRPC status codes and exact texts. Mirrors
 * go.etcd.io/etcd/api/v3/v3rpc/rpctypes/error.go (only the errors this store can produce).
 */
public enum EtcdError {
    EMPTY_KEY(Status.Code.INVALID_ARGUMENT, "etcdserver: key is not provided"),
    KEY_NOT_FOUND(Status.Code.INVALID_ARGUMENT, "etcdserver: key not found"),
    VALUE_PROVIDED(Status.Code.INVALID_ARGUMENT, "etcdserver: value is provided"),
    LEASE_PROVIDED(Status.Code.INVALID_ARGUMENT, "etcdserver: lease is provided"),
    TOO_MANY_OPS(Status.Code.INVALID_ARGUMENT, "etcdserver: too many operations in txn request"),
    DUPLICATE_KEY(Status.Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request"),
    INVALID_SORT_OPTION(Status.Code.INVALID_ARGUMENT, "etcdserver: invalid sort option"),
    COMPACTED(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted"),
    FUTURE_REV(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision"),
    NO_SPACE(Status.Code.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded"),
    LEASE_NOT_FOUND(Status.Code.NOT_FOUND, "etcdserver: requested lease not found"),
    LEASE_EXIST(Status.Code.FAILED_PRECONDITION, "etcdserver: lease already exists"),
    LEASE_TTL_TOO_LARGE(Status.Code.OUT_OF_RANGE, "etcdserver: too large lease TTL"),
    REQUEST_TOO_LARGE(Status.Code.INVALID_ARGUMENT, "etcdserver: request is too large"),
    NOT_CAPABLE(Status.Code.FAILED_PRECONDITION, "etcdserver: not capable"),
    MEMBER_NOT_FOUND(Status.Code.NOT_FOUND, "etcdserver: member not found"),
    AUTH_NOT_ENABLED(Status.Code.FAILED_PRECONDITION, "etcdserver: authentication is not enabled");

    private final Status.Code code;
    private final String message;

    EtcdError(Status.Code code, String message) {
        this.code = code;
        this.message = message;
    }

    public Status.Code code() {
        return code;
    }

    public String message() {
        return message;
    }

    /** The exception to throw; the gRPC layer turns it into this status and text. */
    public EtcdException exception() {
        return new EtcdException(this);
    }
}

package io.kubetwin.scenarios.runner;

/**
 * What etcd answered an etcd step: the number of keys read, or why the client was refused.
 *
 * @param keys  the Range's count, null on error
 * @param error null on success; a refused handshake as the TLS alert etcd sent ({@code tls: certificate required},
 *              {@code tls: unknown certificate authority}, ...), anything else as the gRPC status
 */
public record EtcdAnswer(Integer keys, String error) {}

package io.kubetwin.scenarios.model;

/**
 * What an etcd step must produce: the number of keys read, or the error that refused the client (the TLS alert
 * the server sent, as {@code tls: certificate required}).
 *
 * @param keys  keys found (the Range's count)
 * @param error the error text
 */
public record EtcdExpectation(Integer keys, TextMatch error) {}

package io.kubetwin.scenarios.target;

import java.nio.file.Path;

/**
 * A cluster's etcd as its etcd steps reach it: the client URL, the CA that verifies etcd's serving certificate,
 * kube-apiserver's own client certificate, and a client certificate from a CA etcd does not trust.
 */
public record EtcdEndpoint(
        String url, Path caFile, Path apiServerCert, Path apiServerKey, Path foreignCert, Path foreignKey) {}

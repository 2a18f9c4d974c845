package io.kubetwin.scenarios.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A read straight from the cluster's etcd over its client port ({@link Capability#ETCD}): a gRPC Range of one key,
 * made with one of three client identities, to show that etcd's {@code --client-cert-auth} with
 * {@code --trusted-ca-file} lets in only certificates from its CA (and that whoever holds one reads everything).
 *
 * @param get    the key, e.g. {@code /registry/namespaces/default}
 * @param client whose certificate the client presents (default {@code apiserver})
 */
public record EtcdRequest(String get, Client client) {
    public EtcdRequest {
        if (get == null || get.isEmpty()) {
            throw new IllegalArgumentException("an etcd step needs get: KEY");
        }
        client = client == null ? Client.APISERVER : client;
    }

    /** The client's certificate. */
    public enum Client {
        /** kube-apiserver's own etcd client certificate ({@code --etcd-certfile}/{@code --etcd-keyfile}). */
        APISERVER,
        /** No client certificate at all. */
        NONE,
        /** A client certificate from a CA etcd does not trust. */
        FOREIGN_CA;

        @JsonCreator
        static Client fromYaml(String value) {
            return valueOf(value.replace('-', '_').toUpperCase(Locale.ROOT));
        }

        @JsonValue
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}

package io.kubetwin.kubelet.authz;

/** An authorizer's answer (upstream authorizer.Decision). The kubelet allows only on ALLOW. */
public enum Decision {
    ALLOW,
    DENY,
    NO_OPINION
}

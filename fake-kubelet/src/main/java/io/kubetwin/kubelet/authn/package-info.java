/**
 * Authentication of kubelet API requests, as k8s.io/apiserver authenticatorfactory/delegating.go assembles it
 * for the kubelet: x509 client certificates, bearer tokens through the {@link io.kubetwin.kubelet.authn.TokenReviewer}
 * port, anonymous behind fail-on-error ({@link io.kubetwin.kubelet.authn.DelegatingAuthenticator}). Errors reach
 * the log only: the wire answer to every failure is the bare 401 {@code Unauthorized}.
 */
package io.kubetwin.kubelet.authn;

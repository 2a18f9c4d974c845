/**
 * Authentication of kubelet API requests: {@link io.kubetwin.kubelet.authn.KubeletAuthenticator} assembles the shared
 * authenticators of {@code io.kubetwin.auth.authn} (x509, bearer tokens through the TokenReview webhook of
 * {@code io.kubetwin.kubelet.webhook}, anonymous behind fail-on-error) as k8s.io/apiserver's delegating.go does for
 * the kubelet. Errors reach the log only: the wire answer to every failure is the bare 401 {@code Unauthorized}.
 */
package io.kubetwin.kubelet.authn;

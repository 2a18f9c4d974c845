/**
 * The authentication contracts and building blocks both fakes assemble, as k8s.io/apiserver has them:
 * {@link io.kubetwin.auth.authn.Authenticator} (authenticator.Request) with its three answers, token
 * authenticators behind {@link io.kubetwin.auth.authn.BearerTokenAuthenticator}, client certificates
 * ({@link io.kubetwin.auth.authn.X509Authenticator}, verified as Go's crypto/x509 does), the union, the
 * authenticated-group adder and anonymous. The fake apiserver adds its own credential kinds (token file,
 * service accounts) and its chain; the fake kubelet adds the TokenReview webhook.
 */
package io.kubetwin.auth.authn;

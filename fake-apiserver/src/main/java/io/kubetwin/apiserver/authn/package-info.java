/**
 * Authentication: who is calling. The contracts and the generic authenticators (x509, bearer token, union,
 * anonymous, authenticated-group adder) live in the shared {@code io.kubetwin.auth.authn} package (module
 * {@code kubetwin-auth}); this package holds the apiserver's own credential kinds, its chain and its stage. Each credential kind is one {@link io.kubetwin.auth.authn.Authenticator}
 * (client certificates) or {@link io.kubetwin.auth.authn.TokenAuthenticator} (static token file,
 * service-account JWTs in the {@code serviceaccount} subpackage) behind the bearer-token authenticator; they are
 * combined in {@link io.kubetwin.apiserver.authn.AuthenticatorChain} as kube-apiserver combines them (union, then
 * the authenticated-group adder, then anonymous behind fail-on-error) in pkg/kubeapiserver/authenticator/config.go.
 * Error texts are upstream's (Go formatting in {@link io.kubetwin.pki.GoText}); they reach logs and
 * TokenReview {@code status.error}, never a 401 body.
 */
package io.kubetwin.apiserver.authn;

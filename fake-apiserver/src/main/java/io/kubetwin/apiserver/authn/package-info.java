/**
 * Authentication: who is calling. Each credential kind is one {@link io.kubetwin.apiserver.authn.Authenticator}
 * (client certificates) or {@link io.kubetwin.apiserver.authn.TokenAuthenticator} (static token file,
 * service-account JWTs in the {@code serviceaccount} subpackage) behind the bearer-token authenticator; they are
 * combined in {@link io.kubetwin.apiserver.authn.AuthenticatorChain} as kube-apiserver combines them (union, then
 * the authenticated-group adder, then anonymous behind fail-on-error) in pkg/kubeapiserver/authenticator/config.go.
 * Error texts are upstream's (Go formatting in {@link io.kubetwin.apiserver.api.GoText}); they reach logs and
 * TokenReview {@code status.error}, never a 401 body.
 */
package io.kubetwin.apiserver.authn;

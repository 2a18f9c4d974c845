/**
 * Service-account identities and tokens: the username and group conventions of
 * k8s.io/apiserver/pkg/authentication/serviceaccount/util.go, bound-token signing as TokenRequest does it,
 * and the JWT authenticator with the claim validation of pkg/serviceaccount/{jwt.go,claims.go}.
 */
package io.kubetwin.apiserver.authn.serviceaccount;

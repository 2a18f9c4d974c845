/**
 * Service-account identities and tokens: the username and group conventions of
 * k8s.io/apiserver/pkg/authentication/serviceaccount/util.go, bound-token signing as TokenRequest does it,
 * the JWT authenticator with the claim validation of pkg/serviceaccount/{jwt.go,claims.go}, and
 * {@link io.kubetwin.apiserver.authn.serviceaccount.TokenRequestResource}, the {@code serviceaccounts/token}
 * subresource (pkg/registry/core/serviceaccount/storage/token.go).
 */
package io.kubetwin.apiserver.authn.serviceaccount;

/**
 * The two values every stage of the pipeline shares, in a leaf package that {@code request}, {@code authn},
 * {@code authz}, {@code audit} and {@code admission} depend on and that depends on none of them: who is asking
 * ({@link io.kubetwin.apiserver.attributes.UserInfo}, upstream's user.Info in
 * k8s.io/apiserver/pkg/authentication/user) and what they ask for
 * ({@link io.kubetwin.apiserver.attributes.Attributes}, upstream's authorizer.Attributes in
 * k8s.io/apiserver/pkg/authorization/authorizer).
 */
package io.kubetwin.apiserver.attributes;

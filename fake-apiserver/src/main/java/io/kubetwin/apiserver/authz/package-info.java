/**
 * Authorization: may this user do this. Modes are {@link io.kubetwin.auth.authz.Authorizer}s combined
 * by a union that stops at the first Allow or Deny (k8s.io/apiserver/pkg/authorization/union):
 * {@link io.kubetwin.apiserver.authz.UnionAuthorizer}, {@link io.kubetwin.apiserver.authz.PrivilegedGroupAuthorizer}
 * (always first, for {@code system:masters}), {@link io.kubetwin.apiserver.authz.AlwaysAllowAuthorizer},
 * {@link io.kubetwin.apiserver.authz.AlwaysDenyAuthorizer} and RBAC in the {@code rbac} sub-package.
 * {@link io.kubetwin.apiserver.authz.RuleResolver}s answer SelfSubjectRulesReview, and
 * {@link io.kubetwin.apiserver.authz.ForbiddenMessages} builds the exact 403 of a refused request.
 */
package io.kubetwin.apiserver.authz;

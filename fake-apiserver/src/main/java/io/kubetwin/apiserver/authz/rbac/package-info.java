/**
 * Role-based access control, as kube-apiserver's RBAC mode and RBAC registry do it: typed views of Roles,
 * ClusterRoles and their bindings ({@link io.kubetwin.apiserver.authz.rbac.PolicyRule} and friends, read from the
 * stored JSON), an index of them by subject fed by storage watch events
 * ({@link io.kubetwin.apiserver.authz.rbac.RbacPolicyIndex}), rule resolution
 * ({@link io.kubetwin.apiserver.authz.rbac.BindingRuleWalker}), the authorizer
 * ({@link io.kubetwin.apiserver.authz.rbac.RbacAuthorizer}), privilege-escalation prevention for writes of RBAC
 * objects ({@link io.kubetwin.apiserver.authz.rbac.EscalationCheck}), ClusterRole aggregation
 * ({@link io.kubetwin.apiserver.authz.rbac.ClusterRoleAggregator}) and the bootstrap policy
 * ({@link io.kubetwin.apiserver.authz.rbac.BootstrapPolicy}). Pure Java, no Vert.x; everything is thread-safe.
 */
package io.kubetwin.apiserver.authz.rbac;

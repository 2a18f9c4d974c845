package io.kubetwin.apiserver.authz;

import io.kubetwin.apiserver.attributes.Attributes;

/**
 * One authorization mode (AlwaysAllow, AlwaysDeny, the privileged group, Node, RBAC, Webhook).
 * Mirrors authorizer.Authorizer in k8s.io/apiserver/pkg/authorization/authorizer/interfaces.go.
 *
 * <p>Called by the authorization stage, the impersonation stage, the access-review resources and
 * the escalation checks, from any thread and concurrently: implementations must be thread-safe and
 * must not block. An internal failure is thrown as an exception (the request then gets a 500),
 * never returned as a Deny.
 */
public interface Authorizer {
    Decision authorize(Attributes attributes);
}

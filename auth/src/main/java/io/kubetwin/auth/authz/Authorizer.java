package io.kubetwin.auth.authz;

import io.kubetwin.auth.attributes.Attributes;

/**
 * One authorization mode (AlwaysAllow, AlwaysDeny, the privileged group, Node, RBAC, Webhook).
 * Mirrors authorizer.Authorizer in k8s.io/apiserver/pkg/authorization/authorizer/interfaces.go.
 *
 * <p>Synchronous like upstream's. In the fake apiserver it is called by the authorization stage, the
 * impersonation stage, the access-review resources and the escalation checks, on event loops and
 * concurrently: those implementations are thread-safe and never block. The fake kubelet's Webhook mode
 * blocks on a SubjectAccessReview, so the kubelet calls its authorizer on a worker thread. An internal
 * failure is thrown as an exception (a 500), never returned as a Deny.
 */
public interface Authorizer {
    Decision authorize(Attributes attributes);
}

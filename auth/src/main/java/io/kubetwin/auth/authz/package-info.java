/**
 * The authorizer contract ({@link io.kubetwin.auth.authz.Authorizer}, upstream authorizer.Authorizer) and its
 * answer ({@link io.kubetwin.auth.authz.Decision}), shared by the fake apiserver's modes and the fake kubelet's
 * AlwaysAllow and Webhook modes.
 */
package io.kubetwin.auth.authz;

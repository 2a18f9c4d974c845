/**
 * The Node authorizer ({@code --authorization-mode=Node}): kubelets ({@code system:node:<name>} in
 * {@code system:nodes}) read only what the pods bound to them reference and write only what NodeRestriction lets
 * them, as plugin/pkg/auth/authorizer/node does. {@link io.kubetwin.apiserver.authz.node.NodeGraph} keeps the
 * node-to-object relationships from storage watch events; {@link io.kubetwin.apiserver.authz.node.NodeIdentity}
 * is shared with the NodeRestriction admission plugin.
 */
package io.kubetwin.apiserver.authz.node;

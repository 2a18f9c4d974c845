/**
 * Authentication: who is calling. Each credential kind is one {@link io.kubetwin.apiserver.authn.Authenticator};
 * they are combined as kube-apiserver combines them (union, then the authenticated-group adder, then
 * anonymous behind fail-on-error) in pkg/kubeapiserver/authenticator/config.go.
 */
package io.kubetwin.apiserver.authn;

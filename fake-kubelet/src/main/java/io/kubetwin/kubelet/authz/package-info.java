/**
 * Authorization of kubelet API requests: the pure path/method to attributes mapping of pkg/kubelet/server/auth.go
 * ({@link io.kubetwin.kubelet.authz.NodeRequestAttributes}) producing the shared {@code io.kubetwin.auth.attributes}
 * values, and the any-candidate-allows loop over a shared {@code io.kubetwin.auth.authz.Authorizer} (AlwaysAllow, or
 * the SubjectAccessReview webhook of {@code io.kubetwin.kubelet.webhook}) with the exact 403/500 texts of server.go
 * ({@link io.kubetwin.kubelet.authz.KubeletAuthorization}).
 */
package io.kubetwin.kubelet.authz;

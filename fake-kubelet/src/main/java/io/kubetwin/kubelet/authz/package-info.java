/**
 * Authorization of kubelet API requests: the pure path/method to attributes mapping of pkg/kubelet/server/auth.go
 * ({@link io.kubetwin.kubelet.authz.NodeRequestAttributes}), AlwaysAllow or Webhook through the
 * {@link io.kubetwin.kubelet.authz.SubjectAccessReviewer} port, and the any-candidate-allows loop with the exact
 * 403/500 texts of server.go ({@link io.kubetwin.kubelet.authz.KubeletAuthorization}).
 */
package io.kubetwin.kubelet.authz;

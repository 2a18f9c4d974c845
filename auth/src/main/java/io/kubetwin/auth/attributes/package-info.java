/**
 * The two values every authentication and authorization stage shares, in a leaf package that depends on
 * nothing else of kubetwin: who is asking ({@link io.kubetwin.auth.attributes.UserInfo}, upstream's user.Info in
 * k8s.io/apiserver/pkg/authentication/user) and what they ask for ({@link io.kubetwin.auth.attributes.Attributes},
 * upstream's authorizer.Attributes in k8s.io/apiserver/pkg/authorization/authorizer). Used by the fake apiserver's
 * pipeline and by the fake kubelet's auth filter.
 */
package io.kubetwin.auth.attributes;

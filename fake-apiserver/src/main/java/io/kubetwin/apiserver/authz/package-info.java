/**
 * Authorization: may this user do this. Modes are {@link io.kubetwin.apiserver.authz.Authorizer}s combined
 * by a union that stops at the first Allow or Deny (k8s.io/apiserver/pkg/authorization/union).
 */
package io.kubetwin.apiserver.authz;

/**
 * Impersonation: acting as another user, group set, UID or extras through the {@code Impersonate-*} headers,
 * each item authorized with the {@code impersonate} verb for the real caller
 * (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go). Pure cores; the Vert.x stage lives in the server.
 * A refused item gets authorization's own 403 ({@link io.kubetwin.apiserver.authz.ForbiddenMessages}).
 */
package io.kubetwin.apiserver.impersonation;

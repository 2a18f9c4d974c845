/**
 * Auditing, as kube-apiserver does it (k8s.io/apiserver/pkg/audit, pkg/endpoints/filters/audit*.go): the
 * {@link io.kubetwin.apiserver.audit.AuditHandler} stage and the
 * {@link io.kubetwin.apiserver.audit.FailedAuthenticationAuditor} build audit.k8s.io/v1
 * {@link io.kubetwin.apiserver.audit.event.AuditEvent}s for each request the policy selects and hand them to the
 * backends; {@link io.kubetwin.apiserver.audit.AuditSetup} builds everything from the
 * {@code --audit-*} flags ({@link io.kubetwin.apiserver.audit.AuditOptions}). Events are written in exactly
 * kube-apiserver's bytes ({@link io.kubetwin.apiserver.audit.event.AuditEventJson},
 * {@link io.kubetwin.apiserver.audit.event.LegacyFormat}), with the Go text rules every stage shares
 * ({@link io.kubetwin.apiserver.api.GoJson}, {@link io.kubetwin.pki.GoText}).
 *
 * <p>Sub-packages: {@code event} (the event types and their JSON and legacy forms), {@code policy} (the Policy,
 * its loading and the checker), {@code backend} (log and webhook backends and their modes), {@code reader}
 * (reading events back, and a webhook receiver for tests).
 */
package io.kubetwin.apiserver.audit;

/**
 * The audit policy: the {@code audit.k8s.io/v1} Policy model, its loading and validation exactly as
 * kube-apiserver does them at start-up (pkg/audit/policy/reader.go, pkg/apis/audit/validation), and the
 * {@link io.kubetwin.apiserver.audit.policy.PolicyChecker} that picks the level of each request
 * (pkg/audit/policy/checker.go). The policy is read once, at start-up, like kube-apiserver's.
 */
package io.kubetwin.apiserver.audit.policy;

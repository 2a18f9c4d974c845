/**
 * ValidatingAdmissionPolicy (k8s.io/apiserver/pkg/admission/plugin/policy/validating): policies and their
 * bindings, read from storage, matched against each write and evaluated with CEL (dev.cel) plus the
 * Kubernetes CEL library functions (k8s.io/apiserver/pkg/cel/library) that policies use. The same environment
 * ({@code PolicyCel}) evaluates admission webhooks' matchConditions ({@code MatchConditions}).
 */
package io.kubetwin.apiserver.admission.policy;

/**
 * ValidatingAdmissionPolicy (k8s.io/apiserver/pkg/admission/plugin/policy/validating): policies and their
 * bindings, read from storage, matched against each write (matchPolicy Equivalent included) and evaluated with CEL
 * (dev.cel) plus the Kubernetes CEL library functions (k8s.io/apiserver/pkg/cel/library) that policies use, within
 * cel-go's runtime cost limits ({@code CelCost}). The same environment ({@code PolicyCel}) evaluates admission
 * webhooks' matchConditions ({@code MatchConditions}). {@code PolicyTypeChecker} checks a policy's expressions
 * against the OpenAPI schemas of the kinds it matches ({@code SchemaCelTypes}) for the status controller.
 */
package io.kubetwin.apiserver.admission.policy;

/**
 * Audit-policy coverage: a typed audit.k8s.io/v1 Policy with kube-apiserver's policy checker, detection rules over
 * audit fields (a starter set of 20), which rules stay alive under a policy, and the events per request it costs.
 */
package io.kubetwin.scan.audit;

/**
 * The PodSecurity admission plugin (k8s.io/pod-security-admission as kube-apiserver v1.34 runs it through
 * plugin/pkg/admission/security/podsecurity): the Pod Security Standards checks of each level and version
 * ({@link io.kubetwin.apiserver.admission.podsecurity.BaselineChecks},
 * {@link io.kubetwin.apiserver.admission.podsecurity.RestrictedChecks}, ordered per version by
 * {@link io.kubetwin.apiserver.admission.podsecurity.Evaluator}) over a typed view of the pod
 * ({@link io.kubetwin.apiserver.admission.podsecurity.PodView}); the namespace labels and the plugin's
 * configuration ({@link io.kubetwin.apiserver.admission.podsecurity.NamespacePolicy},
 * {@link io.kubetwin.apiserver.admission.podsecurity.PodSecurityConfiguration}); and the plugin itself
 * ({@link io.kubetwin.apiserver.admission.podsecurity.PodSecurityAdmission}): denials, warnings and audit
 * annotations for pods, pod templates and namespaces.
 */
package io.kubetwin.apiserver.admission.podsecurity;

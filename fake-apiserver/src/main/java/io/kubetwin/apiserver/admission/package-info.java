/**
 * Admission: the checks and mutations that run inside the resource handlers after the body is decoded
 * and before storage, mutating plugins first, then validating ones (k8s.io/apiserver/pkg/admission).
 * {@link io.kubetwin.apiserver.admission.AdmissionChain} is what the registry calls;
 * {@link io.kubetwin.apiserver.admission.AdmissionPlugin}s are combined into one by
 * {@link io.kubetwin.apiserver.admission.PluginChain}; one class per plugin. The pod plugins kube-apiserver
 * enables by default are {@link io.kubetwin.apiserver.admission.ServiceAccountAdmission} (with its
 * helpers for the token volume, secret references and mountable secrets),
 * {@link io.kubetwin.apiserver.admission.PodPriority} and
 * {@link io.kubetwin.apiserver.admission.DefaultTolerationSeconds}; the server assembly adds them in
 * upstream's plugin order.
 */
package io.kubetwin.apiserver.admission;

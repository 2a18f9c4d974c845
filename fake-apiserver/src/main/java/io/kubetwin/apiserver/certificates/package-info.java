/**
 * The certificates.k8s.io/v1 CertificateSigningRequest API as kube-apiserver serves it: the kind's
 * strategies for the object and its {@code status} and {@code approval} subresources
 * (pkg/registry/certificates/certificates/strategy.go), their validation
 * (pkg/apis/certificates/validation/validation.go), and the admission plugins CertificateApproval,
 * CertificateSigning and CertificateSubjectRestriction (plugin/pkg/admission/certificates). The
 * kube-controller-manager side (signer, approver) lives in {@code io.kubetwin.apiserver.controllers}.
 */
package io.kubetwin.apiserver.certificates;

/**
 * Certificates, keys and kubeconfigs for kubetwin: a small certificate authority (kubeadm-shaped),
 * PEM reading/writing compatible with what openssl and client-go produce, CSR signing with the
 * kube-controller-manager signer's policy, and kubeconfig files in the exact shape kubectl writes.
 *
 * <p>Everything here is thread-safe and free of global state: no JCA provider is registered;
 * the JDK's providers make keys and signatures, and BouncyCastle is used as a library for
 * ASN.1, certificate building and PEM parsing.
 */
package io.kubetwin.pki;

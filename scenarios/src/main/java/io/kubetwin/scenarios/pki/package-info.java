/**
 * Certificates for scenario runs: a small CA that issues the client, serving and signer certificates a target
 * needs (with the deliberately broken variants authentication suites use: expired, not yet valid, untrusted,
 * without clientAuth), PEM encoding, kubeconfig files and TLS contexts for the runner's HTTP client.
 *
 * <p>It stays local to the runner on purpose: the runner must be able to make certificates that a well-behaved
 * PKI library refuses to make, and must not depend on the code under test to build its fixtures.
 */
package io.kubetwin.scenarios.pki;

/**
 * The one client stack of kubetwin's runner and tests: {@link io.kubetwin.client.ApiClient}, an HTTP client for
 * one identity built from a kubeconfig (or a CA and a certificate or token), over the TLS context of
 * {@link io.kubetwin.pki.KeyStores#clientContext}; and {@link io.kubetwin.client.Kubectl}, the real kubectl run with
 * a kubeconfig. It sits below the fakes and the runner (it depends on {@code pki} only), so the fakes' tests, the
 * scenario runner and the JUnit extension share it.
 */
package io.kubetwin.client;

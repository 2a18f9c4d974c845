/**
 * The kubelet's connection to its apiserver for the webhook modes: TokenReview
 * ({@link io.kubetwin.kubelet.webhook.WebhookTokenAuthenticator}) and SubjectAccessReview
 * ({@link io.kubetwin.kubelet.webhook.WebhookAuthorizer}) posted over HTTPS with the {@code --kubeconfig} identity
 * ({@link io.kubetwin.kubelet.webhook.ApiserverReviewClient}), each behind upstream's answer cache.
 */
package io.kubetwin.kubelet.webhook;

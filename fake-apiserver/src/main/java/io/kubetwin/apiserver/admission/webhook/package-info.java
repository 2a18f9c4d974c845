/**
 * The admission webhooks: {@link io.kubetwin.apiserver.admission.webhook.MutatingAdmissionWebhook} and
 * {@link io.kubetwin.apiserver.admission.webhook.ValidatingAdmissionWebhook}, calling the webhooks of the stored
 * admissionregistration.k8s.io/v1 configurations over TLS as kube-apiserver does
 * (k8s.io/apiserver/pkg/admission/plugin/webhook): matching ({@code WebhookRules}, {@code WebhookSelectors}), the
 * AdmissionReview sent and the answer's checks ({@code AdmissionReview}), the HTTP call and its failure texts
 * ({@code WebhookCaller}, {@code ServiceResolver}), the credentials presented ({@code WebhookCredentials}), the CEL
 * matchConditions (evaluated by the policy package's {@code MatchConditions}), patches ({@code WebhookPatch}) and
 * the Status errors ({@code WebhookErrors}).
 */
package io.kubetwin.apiserver.admission.webhook;

package io.kubetwin.apiserver.admission.webhook;

import io.kubetwin.pki.GoText;

/**
 * A failure to talk to a webhook, as opposed to the webhook refusing (upstream's webhookutil.ErrCallingWebhook,
 * k8s.io/apiserver/pkg/util/webhook/error.go). Only these are subject to {@code failurePolicy}.
 */
final class CallingWebhookException extends RuntimeException {
    private final String webhook;

    CallingWebhookException(String webhook, String reason) {
        super("failed calling webhook " + GoText.quote(webhook) + ": " + reason, null, false, false);
        this.webhook = webhook;
    }

    String webhook() {
        return webhook;
    }
}

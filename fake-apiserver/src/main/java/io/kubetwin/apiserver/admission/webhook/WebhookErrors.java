package io.kubetwin.apiserver.admission.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.List;

/** The Status errors of k8s.io/apiserver/pkg/admission/plugin/webhook/errors/statuserror.go. Pure. */
final class WebhookErrors {
    private WebhookErrors() {}

    /**
     * ToStatusErr: the webhook's own Status, with a code of at least 400, status Failure, and the message prefixed
     * {@code admission webhook "<name>" denied the request}.
     */
    static StatusException denied(String webhook, JsonNode result) {
        JsonNode r = result == null || result.isNull()
                ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                : result;
        String deniedBy = "admission webhook " + GoText.quote(webhook) + " denied the request";
        int code = r.path("code").asInt(0);
        if (code < 400) {
            code = 400;
        }
        String message = r.path("message").asText("");
        String reason = r.path("reason").asText("");
        if (!message.isEmpty()) {
            message = deniedBy + ": " + message;
        } else if (!reason.isEmpty()) {
            message = deniedBy + ": " + reason;
        } else {
            message = deniedBy + " without explanation";
        }
        return new StatusException(Status.failure(code, reason, message, details(r.get("details"))));
    }

    /** A call failure under failurePolicy Fail: apierrors.NewInternalError of the ErrCallingWebhook. */
    static StatusException failedClosed(CallingWebhookException e) {
        return Statuses.internalError(e.getMessage());
    }

    /** NewDryRunUnsupportedErr: a 400 that no failurePolicy softens. */
    static StatusException dryRunUnsupported(String webhook) {
        return Statuses.badRequest("admission webhook " + GoText.quote(webhook) + " does not support dry run");
    }

    private static Status.Details details(JsonNode d) {
        if (d == null || !d.isObject()) {
            return null;
        }
        List<Status.Cause> causes = new ArrayList<>();
        d.path("causes")
                .forEach(c -> causes.add(new Status.Cause(
                        c.path("reason").asText(""),
                        c.path("message").asText(""),
                        c.path("field").asText(""))));
        return new Status.Details(
                text(d, "name"),
                text(d, "group"),
                text(d, "kind"),
                text(d, "uid"),
                causes.isEmpty() ? null : causes,
                d.has("retryAfterSeconds") ? d.path("retryAfterSeconds").asInt() : null);
    }

    private static String text(JsonNode d, String field) {
        String s = d.path(field).asText("");
        return s.isEmpty() ? null : s;
    }
}

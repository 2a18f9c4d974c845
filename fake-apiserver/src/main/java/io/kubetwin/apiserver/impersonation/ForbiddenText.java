package io.kubetwin.apiserver.impersonation;

import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.api.GoText;
import io.kubetwin.apiserver.attributes.Attributes;

/**
 * The 403 of responsewriters.Forbidden (k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go)
 * for resource attributes. A minimal private copy until the shared ForbiddenMessages helper in authz lands.
 */
final class ForbiddenText {
    private ForbiddenText() {}

    static StatusException forbidden(Attributes a, String reason) {
        String resource = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
        String core = "User " + GoText.quote(a.user().name()) + " cannot " + a.verb() + " resource "
                + GoText.quote(resource) + " in API group " + GoText.quote(a.apiGroup())
                + (a.namespace().isEmpty() ? " at the cluster scope" : " in the namespace " + GoText.quote(a.namespace()));
        core = core.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        String detail = reason == null || reason.isEmpty() ? core : core + ": " + reason;
        String qualified = Statuses.groupResource(a.apiGroup(), a.resource());
        String message = qualified + (a.name().isEmpty() ? "" : " " + GoText.quote(a.name())) + " is forbidden: " + detail;
        return Statuses.forbidden(a.apiGroup(), a.resource(), a.name(), message);
    }
}

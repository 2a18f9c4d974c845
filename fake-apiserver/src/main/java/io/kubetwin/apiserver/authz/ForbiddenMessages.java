package io.kubetwin.apiserver.authz;

import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.pki.GoText;

/**
 * The 403 an authorization refusal produces. Mirrors ForbiddenStatusError and forbiddenMessage in
 * k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go, with errors.NewForbidden's prefix
 * ({@link io.kubetwin.apiserver.api.Statuses#forbiddenPrefix}; refusals decided elsewhere use
 * {@link io.kubetwin.apiserver.api.Statuses#forbiddenWithDetail} directly):
 * <pre>
 * &lt;resource&gt;[.&lt;group&gt;] ["&lt;name&gt;" ]is forbidden: User "u" cannot &lt;verb&gt; resource "r[/sub]" in API group "g" (in the namespace "ns"|at the cluster scope)[: &lt;reason&gt;]
 * forbidden: User "u" cannot &lt;verb&gt; path "/p"[: &lt;reason&gt;]
 * </pre>
 * Only the "User ... cannot ..." core is HTML-escaped ({@code & < >}); the prefix and the reason are not.
 * The 403 response writer must also set {@code X-Content-Type-Options: nosniff}. Stateless.
 */
public final class ForbiddenMessages {
    private ForbiddenMessages() {}

    /** The "User ... cannot ..." sentence, before escaping. */
    public static String core(Attributes a) {
        String user = a.user() == null ? "" : a.user().name();
        if (!a.resourceRequest()) {
            return "User " + GoText.quote(user) + " cannot " + a.verb() + " path " + GoText.quote(a.path());
        }
        String resource = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
        String head = "User " + GoText.quote(user) + " cannot " + a.verb() + " resource " + GoText.quote(resource)
                + " in API group " + GoText.quote(a.apiGroup());
        return a.namespace().isEmpty()
                ? head + " at the cluster scope"
                : head + " in the namespace " + GoText.quote(a.namespace());
    }

    /** The full Status message for a refused request with the authorizer's reason ("" for none). */
    public static String message(Attributes a, String reason) {
        String detail = sanitize(core(a));
        if (reason != null && !reason.isEmpty()) {
            detail = detail + ": " + reason;
        }
        return Statuses.forbiddenPrefix(groupOf(a), resourceOf(a), nameOf(a)) + detail;
    }

    /**
     * The 403 Forbidden StatusException: details carry the resource (plural) as kind, the group when not core and
     * the name when named; a non-resource refusal has empty details ({@code {}}).
     */
    public static StatusException forbidden(Attributes a, String reason) {
        return Statuses.forbidden(groupOf(a), resourceOf(a), nameOf(a), message(a, reason));
    }

    /** The response writers' sanitizer: makes text not look like HTML. Quotes are left alone. */
    public static String sanitize(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    // Upstream takes group/resource/name from the attributes whatever the request kind; for non-resource requests
    // they are empty, which yields "forbidden: " and empty details.
    private static String groupOf(Attributes a) {
        return nz(a.apiGroup());
    }

    private static String resourceOf(Attributes a) {
        return nz(a.resource());
    }

    private static String nameOf(Attributes a) {
        return nz(a.name());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}

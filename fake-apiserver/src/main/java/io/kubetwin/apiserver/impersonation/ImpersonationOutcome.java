package io.kubetwin.apiserver.impersonation;

import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.pki.GoText;

/** What the impersonation stage does with a request. */
public sealed interface ImpersonationOutcome {

    /** No impersonation header: continue as the authenticated user. */
    record NotImpersonating() implements ImpersonationOutcome {}

    /** Continue as {@code user}; audit records it as {@code impersonatedUser}; strip the Impersonate-* headers. */
    record Impersonated(UserInfo user) implements ImpersonationOutcome {}

    /**
     * The caller may not impersonate one of the requested items: answer the 403 in {@code error} (written by
     * the normal Forbidden writer, so with {@code X-Content-Type-Options: nosniff}). {@code attributes} are the
     * denied {@code impersonate} check.
     */
    record Forbidden(StatusException error, Attributes attributes) implements ImpersonationOutcome {}

    /**
     * Groups, extras or a UID were requested without {@code Impersonate-User}. kube-apiserver 1.34 answers this
     * through responsewriters.InternalError: HTTP 500, {@code Content-Type: text/plain; charset=utf-8},
     * {@code X-Content-Type-Options: nosniff}, body {@link #body(String)}; it is not a Status object.
     *
     * @param error {@code requested [<refs>] without impersonating a user}
     */
    record MissingUser(String error) implements ImpersonationOutcome {
        /** The plain-text body for a request URI: {@code Internal Server Error: "<uri>": <error>} and a newline, HTML-escaped. */
        public String body(String requestUri) {
            String text = "Internal Server Error: " + GoText.quote(requestUri) + ": " + error;
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "\n";
        }
    }
}

package io.kubetwin.kubelet.authz;

import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The authorization half of the kubelet's auth filter (pkg/kubelet/server/server.go InstallAuthFilter,
 * v1.32+): the candidate attributes are tried in order and the first ALLOW admits the request; an
 * authorizer error stops at once with a 500; otherwise a 403 whose text lists every subresource tried,
 * as Go prints a string slice: {@code Forbidden (user=U, verb=V, resource=nodes, subresource(s)=[pods proxy])}
 * followed by a newline. The text has this form whether KubeletFineGrainedAuthz is on or off (off, it reads
 * {@code subresource(s)=[proxy]}); the older {@code subresource=proxy} form is the ≤1.31 kubelet's.
 * Synchronous, as the authorizer may block (Webhook): callers run it on a worker thread. Thread-safe.
 */
public final class KubeletAuthorization {
    private static final Logger LOG = Logger.getLogger(KubeletAuthorization.class.getName());

    /** The filter's answer. */
    public sealed interface Outcome {
        record Allowed() implements Outcome {}

        /** 403, {@code message} being the exact body. */
        record Forbidden(String message) implements Outcome {}

        /** 500, {@code message} being the exact body. */
        record Error(String message) implements Outcome {}
    }

    private final Authorizer authorizer;

    public KubeletAuthorization(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** @param attributes the candidates of {@link NodeRequestAttributes#attributes}, never empty */
    public Outcome authorize(List<Attributes> attributes) {
        List<String> tried = new ArrayList<>();
        for (Attributes a : attributes) {
            tried.add(a.subresource());
            Decision decision;
            try {
                decision = authorizer.authorize(a);
            } catch (RuntimeException e) {
                LOG.warning("Authorization error: " + e.getMessage());
                return new Outcome.Error(authorizationError(a));
            }
            if (decision.isAllowed()) {
                return new Outcome.Allowed();
            }
        }
        return new Outcome.Forbidden(forbidden(attributes.get(0), tried));
    }

    /** The 403 body; the attributes differ only by subresource, so the first one names the rest. */
    static String forbidden(Attributes first, List<String> subresources) {
        return "Forbidden (user=" + first.user().name() + ", verb=" + first.verb() + ", resource=" + first.resource()
                + ", subresource(s)=[" + String.join(" ", subresources) + "])\n";
    }

    /** The 500 body (no trailing newline, unlike the 403). */
    static String authorizationError(Attributes a) {
        return "Authorization error (user=" + a.user().name() + ", verb=" + a.verb() + ", resource=" + a.resource()
                + ", subresource=" + a.subresource() + ")";
    }
}

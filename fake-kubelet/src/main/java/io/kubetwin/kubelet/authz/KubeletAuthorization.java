package io.kubetwin.kubelet.authz;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The authorization half of the kubelet's auth filter (pkg/kubelet/server/server.go InstallAuthFilter,
 * v1.32+): the candidate attributes are tried in order and the first ALLOW admits the request; an
 * authorizer error stops at once with a 500; otherwise a 403 whose text lists every subresource tried,
 * as Go prints a string slice: {@code Forbidden (user=U, verb=V, resource=nodes, subresource(s)=[pods proxy])}
 * followed by a newline. The text has this form whether KubeletFineGrainedAuthz is on or off (off, it reads
 * {@code subresource(s)=[proxy]}); the older {@code subresource=proxy} form is the ≤1.31 kubelet's.
 * Thread-safe.
 */
public final class KubeletAuthorization {
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

    public Future<Outcome> authorize(List<Attributes> attributes) {
        return next(attributes, 0, new ArrayList<>());
    }

    private Future<Outcome> next(List<Attributes> attributes, int index, List<String> tried) {
        if (index == attributes.size()) {
            return Future.succeededFuture(new Outcome.Forbidden(forbidden(attributes.get(0), tried)));
        }
        Attributes a = attributes.get(index);
        tried.add(a.subresource());
        return call(a).transform(ar -> {
            if (ar.failed()) {
                return Future.succeededFuture(new Outcome.Error(authorizationError(a)));
            }
            if (ar.result() == Decision.ALLOW) {
                return Future.succeededFuture(new Outcome.Allowed());
            }
            return next(attributes, index + 1, tried);
        });
    }

    /** An authorizer that throws instead of failing its future is an authorizer error too. */
    private Future<Decision> call(Attributes a) {
        try {
            return authorizer.authorize(a);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** The 403 body; the attributes differ only by subresource, so the first one names the rest. */
    static String forbidden(Attributes first, List<String> subresources) {
        return "Forbidden (user=" + first.user().name() + ", verb=" + first.verb() + ", resource=" + Attributes.RESOURCE
                + ", subresource(s)=[" + String.join(" ", subresources) + "])\n";
    }

    /** The 500 body (no trailing newline, unlike the 403). */
    static String authorizationError(Attributes a) {
        return "Authorization error (user=" + a.user().name() + ", verb=" + a.verb() + ", resource="
                + Attributes.RESOURCE + ", subresource=" + a.subresource() + ")";
    }
}

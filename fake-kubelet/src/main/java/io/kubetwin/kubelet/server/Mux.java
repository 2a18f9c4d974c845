package io.kubetwin.kubelet.server;

import java.util.ArrayList;
import java.util.List;

/**
 * The kubelet's pattern table with the semantics of Go's http.ServeMux, which routes before any filter
 * runs: a pattern without a trailing slash matches that path only; one with a trailing slash matches its
 * subtree (longest pattern wins); a request for a subtree root without its slash is redirected (301) to it;
 * anything else is {@code 404 page not found}, unauthenticated. go-restful web services register their root
 * both ways ({@code /pods} and {@code /pods/}). Immutable once built; thread-safe.
 */
public final class Mux {
    /** A match: the endpoint, or a redirect target, or neither (404). */
    public record Match(Endpoint endpoint, String redirectTo) {}

    private record Pattern(String pattern, Endpoint endpoint) {}

    private final List<Pattern> patterns = new ArrayList<>();

    /** Registers a pattern; the later of two identical patterns is refused, as ServeMux panics on it. */
    public Mux handle(String pattern, Endpoint endpoint) {
        if (patterns.stream().anyMatch(p -> p.pattern.equals(pattern))) {
            throw new IllegalStateException("http: multiple registrations for " + pattern);
        }
        patterns.add(new Pattern(pattern, endpoint));
        return this;
    }

    /** A go-restful web service at {@code root}: both {@code root} and {@code root/} (or just {@code root/}). */
    public Mux webService(String root, Endpoint endpoint) {
        handle(root, endpoint);
        if (!root.endsWith("/")) {
            handle(root + "/", endpoint);
        }
        return this;
    }

    public Match match(String path) {
        Pattern best = null;
        for (Pattern p : patterns) {
            boolean matches = p.pattern.endsWith("/") ? path.startsWith(p.pattern) : path.equals(p.pattern);
            if (matches && (best == null || p.pattern.length() > best.pattern.length())) {
                best = p;
            }
        }
        if (best != null) {
            return new Match(best.endpoint, null);
        }
        String withSlash = path + "/";
        if (patterns.stream().anyMatch(p -> p.pattern.equals(withSlash))) {
            return new Match(null, withSlash);
        }
        return new Match(null, null);
    }
}

package io.kubetwin.apiserver.request;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The request path as Go's net/http hands it to kube-apiserver (url.ParseRequestURI: every escape decoded,
 * {@code %2F} included; a malformed escape is the server's own 400, before any handler, so no audit ID and no
 * audit event), run before every other stage. Vert.x routes on its own normalisation, which decodes only some
 * escapes and also collapses {@code //} and dot segments; so a path whose Go decoding is a plain path is
 * re-routed as that path, and a path Go would keep with {@code //}, {@code .} or {@code ..} segments is left
 * to the non-canonical route, answered after authorization as kube-apiserver's director answers it.
 *
 * @param rawUri the request-target as sent (audit's requestURI)
 * @param path the decoded path (RequestInfo, authorization and the anonymous condition read this one)
 */
public record GoRequestPath(String rawUri, String path) {
    private static final String KEY = GoRequestPath.class.getName();
    private static final String BAD_REQUEST_BODY = "400 Bad Request";
    /** RST_STREAM's PROTOCOL_ERROR, what Go's HTTP/2 server answers a :path it cannot parse with. */
    private static final long PROTOCOL_ERROR = 1;

    /** The decoded path of this request (its raw path when the first stage did not run, as in unit tests). */
    public static GoRequestPath of(RoutingContext rc) {
        GoRequestPath path = rc.get(KEY);
        return path != null
                ? path
                : new GoRequestPath(rc.request().uri(), rc.request().path());
    }

    /** The first stage of the chain. */
    public static Handler<RoutingContext> handler() {
        return rc -> {
            if (rc.get(KEY) != null) {
                rc.next(); // the second pass of a re-routed request
                return;
            }
            String raw = rc.request().path();
            String decoded = unescape(raw);
            if (decoded == null) {
                badRequest(rc);
                return;
            }
            GoRequestPath path = new GoRequestPath(rc.request().uri(), decoded);
            rc.put(KEY, path);
            if (!decoded.equals(raw) && path.canonical() && decoded.chars().noneMatch(c -> c == '?' || c == '%')) {
                String query = rc.request().query();
                rc.reroute(query == null ? decoded : decoded + "?" + query);
                return;
            }
            rc.next();
        };
    }

    /**
     * Whether Vert.x routes this path as Go does: no empty, {@code .} or {@code ..} segment after the first
     * slash (a trailing slash is fine).
     */
    public boolean canonical() {
        String p = path;
        return !(p.contains("//") || p.contains("/./") || p.contains("/../") || p.endsWith("/.") || p.endsWith("/.."));
    }

    /** url.unescape in encodePath mode: %XX decoded to bytes (read as UTF-8), '+' kept; null when malformed. */
    static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '%') {
                out.write(bytes[i]);
                continue;
            }
            if (i + 2 >= bytes.length) {
                return null;
            }
            int hi = Character.digit(bytes[i + 1], 16);
            int lo = Character.digit(bytes[i + 2], 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out.write(hi << 4 | lo);
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void badRequest(RoutingContext rc) {
        if (rc.request().version() == HttpVersion.HTTP_2) {
            rc.response().reset(PROTOCOL_ERROR);
            return;
        }
        // Go writes no Content-Length and closes; Vert.x adds the length, the rest is byte for byte Go's
        rc.response()
                .setStatusCode(400)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("Connection", "close")
                .end(BAD_REQUEST_BODY)
                .onComplete(done -> rc.request().connection().close());
    }
}

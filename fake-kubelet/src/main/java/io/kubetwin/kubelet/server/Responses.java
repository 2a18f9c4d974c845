package io.kubetwin.kubelet.server;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The one place that writes the kubelet's responses, with the exact bytes and headers of the Go code they
 * mirror. The kubelet writes plain text, not Kubernetes Status objects:
 * <ul>
 *   <li>{@link #restfulText}: go-restful's {@code Response.WriteErrorString} and plain writes (the 401
 *       {@code Unauthorized}, the 403 {@code Forbidden (...)}): no Content-Type set, so net/http sniffs
 *       {@code text/plain; charset=utf-8}; the body exactly as given.</li>
 *   <li>{@link #goError}: net/http's {@code http.Error} (the mux's {@code 404 page not found},
 *       {@code Debug endpoints are disabled.}): {@code text/plain; charset=utf-8},
 *       {@code X-Content-Type-Options: nosniff}, the text plus a newline.</li>
 *   <li>{@link #redirect}: the mux's redirect of a subtree root without its slash (http.Redirect, 301).</li>
 * </ul>
 * Every response carries a {@code Date} header, as net/http adds one. Stateless.
 */
public final class Responses {
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String JSON = "application/json";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private Responses() {}

    public static void restfulText(HttpServerRequest request, int status, String body) {
        write(request, status, TEXT, body);
    }

    public static void goError(HttpServerRequest request, int status, String text) {
        request.response().putHeader("X-Content-Type-Options", "nosniff");
        write(request, status, TEXT, text + "\n");
    }

    /** http.NotFound, as the mux answers a path no pattern matches: before any authentication. */
    public static void goNotFound(HttpServerRequest request) {
        goError(request, 404, "404 page not found");
    }

    /**
     * go-restful's answer when a web service's root matched but none of its routes did (CurlyRouter;
     * the capitalisation is that of go-restful v3 before 3.13, UNVERIFIED against the v1.34.4 vendor tree).
     */
    public static void restfulNotFound(HttpServerRequest request) {
        restfulText(request, 404, "404: Page Not Found");
    }

    /** go-restful's answer when a route's path matched but not its method. */
    public static void restfulMethodNotAllowed(HttpServerRequest request) {
        restfulText(request, 405, "405: Method Not Allowed");
    }

    public static void json(HttpServerRequest request, String body) {
        write(request, 200, JSON, body);
    }

    /** http.Redirect with 301 for GET/HEAD: an HTML body for GET, printed with Fprintln (so two newlines). */
    public static void redirect(HttpServerRequest request, String location) {
        HttpServerResponse response = request.response().putHeader("Location", location);
        String method = request.method().name();
        if (method.equals("GET") || method.equals("HEAD")) {
            response.putHeader("Content-Type", "text/html; charset=utf-8");
        }
        String body = method.equals("GET") ? "<a href=\"" + htmlEscape(location) + "\">Moved Permanently</a>.\n\n" : "";
        finish(response.setStatusCode(301), body);
    }

    public static void write(HttpServerRequest request, int status, String contentType, String body) {
        HttpServerResponse response = request.response().setStatusCode(status);
        if (contentType != null) {
            response.putHeader("Content-Type", contentType);
        }
        finish(response, body);
    }

    private static void finish(HttpServerResponse response, String body) {
        response.putHeader("Date", HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
        response.end(body);
    }

    private static String htmlEscape(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&#34;")
                .replace("'", "&#39;");
    }
}

package io.kubetwin.apiserver.server;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What Go's net/http refuses after reading a request's headers and before any handler runs, so that kube-apiserver
 * neither authenticates nor audits it (net/http/server.go readRequest and serve): an HTTP/1.1 request without a Host
 * header, with several, or with one httpguts.ValidHostHeader refuses get a plain 400 and the connection is closed;
 * an Expect other than 100-continue gets 417 with no body. HTTP/1.0 and HTTP/2 need no Host. A request target
 * url.ParseRequestURI refuses (neither a path, nor {@code *}, nor an absolute URL; or with a control byte) and an
 * empty header name get a plain 400, a Transfer-Encoding other than chunked on HTTP/1.1 a 501, and
 * {@code OPTIONS *} the server's own empty 200. This sits in front of the router.
 */
final class GoRequestChecks implements Handler<HttpServerRequest> {
    private static final Pattern ABSOLUTE_URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");
    private final Handler<HttpServerRequest> next;

    GoRequestChecks(Handler<HttpServerRequest> next) {
        this.next = next;
    }

    @Override
    public void handle(HttpServerRequest request) {
        List<String> hosts = request.headers().getAll("Host");
        if (request.version() != HttpVersion.HTTP_2) {
            if (hosts.size() > 1) {
                badRequest(request, "400 Bad Request");
                return;
            }
            if (hosts.isEmpty() && request.version() == HttpVersion.HTTP_1_1) {
                badRequest(request, "400 Bad Request: missing required Host header");
                return;
            }
            if (hosts.size() == 1 && !validHost(hosts.get(0))) {
                badRequest(request, "400 Bad Request: malformed Host header");
                return;
            }
        }
        String target = request.uri();
        if (!(target.startsWith("/")
                        || target.equals("*")
                        || ABSOLUTE_URL.matcher(target).matches())
                || target.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                || request.headers().names().contains("")) {
            badRequest(request, "400 Bad Request");
            return;
        }
        if (request.version() == HttpVersion.HTTP_1_1) {
            List<String> codings = request.headers().getAll("Transfer-Encoding");
            if (!codings.isEmpty() && (codings.size() > 1 || !codings.get(0).equalsIgnoreCase("chunked"))) {
                // the coding is not echoed (net/http server.go: cross-site scripting)
                request.response()
                        .setStatusCode(501)
                        .putHeader("Content-Type", "text/plain; charset=utf-8")
                        .putHeader("Connection", "close")
                        .end("Unsupported transfer encoding")
                        .onComplete(done -> request.connection().close());
                return;
            }
        }
        if (target.equals("*") && request.method().name().equals("OPTIONS")) {
            // globalOptionsHandler
            request.response().putHeader("Content-Length", "0").end();
            return;
        }
        String expect = request.headers().get("Expect");
        if (expect != null && !expect.isEmpty() && !expect.equalsIgnoreCase("100-continue")) {
            request.response()
                    .setStatusCode(417)
                    .putHeader("Connection", "close")
                    .end()
                    .onComplete(done -> request.connection().close());
            return;
        }
        next.handle(request);
    }

    private static void badRequest(HttpServerRequest request, String text) {
        request.response()
                .setStatusCode(400)
                .setStatusMessage(text.substring("400 ".length()))
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("Connection", "close")
                .end(text)
                .onComplete(done -> request.connection().close());
    }

    /** httpguts.ValidHostHeader: the bytes of a host, IP literal, port and zone, nothing else. */
    static boolean validHost(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= '0' && c <= '9')
                    || (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || "!$%&'()*+,-.:;=[]_~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}

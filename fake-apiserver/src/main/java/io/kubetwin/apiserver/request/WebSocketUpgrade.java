package io.kubetwin.apiserver.request;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A request for a WebSocket upgrade as kube-apiserver recognises one (wsstream.IsWebSocketRequest: {@code Upgrade:
 * websocket} and {@code Connection} naming upgrade), and the checks golang.org/x/net/websocket's handshake makes
 * before it switches protocols, with its answers: these come before Vert.x's own handshake, whose refusals have
 * other texts.
 */
public final class WebSocketUpgrade {
    private WebSocketUpgrade() {}

    /** wsstream.IsWebSocketRequest (httpstream.IsUpgradeRequest looks for "upgrade" in any Connection value). */
    public static boolean requested(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2 || !"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            return false;
        }
        for (String connection : request.headers().getAll("Connection")) {
            if (connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
                return true;
            }
        }
        return false;
    }

    /** A refusal of the handshake: Go writes the status line, its extra header lines, a blank line, the text. */
    public record Refusal(int code, String reason, String extraHeader, String body) {}

    /**
     * What x/net/websocket answers instead of 101 (hybiServerHandshaker.ReadHandshake, then the Handler's
     * checkOrigin, then AcceptHandshake), or null when it would switch protocols.
     */
    public static Refusal refusal(HttpServerRequest request) {
        if (request.method() != HttpMethod.GET) {
            return new Refusal(405, "Method Not Allowed", null, "bad method");
        }
        String key = request.getHeader("Sec-Websocket-Key");
        if (key == null || key.isEmpty()) {
            return new Refusal(400, "Bad Request", null, "mismatch challenge/response");
        }
        if (!"13".equals(request.getHeader("Sec-Websocket-Version"))) {
            return new Refusal(400, "Bad Request", "Sec-WebSocket-Version: 13", "missing or bad WebSocket Version");
        }
        // websocket.Handler accepts browsers only: no Origin is a "null origin", refused without a body
        String origin = request.getHeader("Origin");
        if (origin == null || origin.isEmpty() || !requestUri(origin)) {
            return new Refusal(403, "Forbidden", null, "");
        }
        String protocols = request.getHeader("Sec-Websocket-Protocol");
        if (protocols != null && protocols.trim().contains(",")) {
            // more than one subprotocol offered: the handler chooses none, and the handshake fails
            return new Refusal(400, "Bad Request", null, "");
        }
        return null;
    }

    /** url.ParseRequestURI: an absolute URI, or an absolute path. */
    private static boolean requestUri(String s) {
        try {
            URI uri = new URI(s);
            return uri.isAbsolute() || s.startsWith("/");
        } catch (URISyntaxException e) {
            return false;
        }
    }
}

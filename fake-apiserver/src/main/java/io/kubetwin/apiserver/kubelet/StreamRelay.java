package io.kubetwin.apiserver.kubelet;

import io.kubetwin.apiserver.api.GoJson;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.registry.VirtualResource.Answer;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.RoutingContext;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One WebSocket stream relayed between the client and the kubelet. Upstream has two paths, both reproduced in what
 * the client sees: a {@code v5.channel.k8s.io} offer goes to the StreamTranslator
 * (k8s.io/apiserver/pkg/util/proxy/streamtranslator.go), which switches protocols first and reports a kubelet it
 * cannot reach as an InternalError Status on the error channel, then closes; any other WebSocket goes to the
 * upgrade-aware proxy (apimachinery/pkg/util/proxy/upgradeaware.go), which dials first: an unreachable kubelet is a
 * 500 {@code error dialing backend: ...}, a kubelet's refusal is passed through as it is. Upstream's translator
 * speaks SPDY to the kubelet; the fake speaks the WebSocket subprotocol the client chose (v5 included, which the
 * fake kubelet serves in the translator's place). Audit sees the switch as code 101, as for watches.
 */
final class StreamRelay {
    private static final String V5 = "v5.channel.k8s.io";

    private final WebSocketClient client;
    private final RoutingContext rc;
    private final RequestState state;
    private final NodeConnection at;
    private final String uri;

    StreamRelay(WebSocketClient client, RoutingContext rc, RequestState state, NodeConnection at, String uri) {
        this.client = client;
        this.rc = rc;
        this.state = state;
        this.at = at;
        this.uri = uri;
    }

    /** Null once the client's connection is switched; an answer or a failure when it is not. */
    Future<Answer> start() {
        HttpServerRequest request = rc.request();
        String header = request.getHeader("Sec-WebSocket-Protocol");
        List<String> offered = header == null
                ? List.of()
                : Arrays.stream(header.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
        boolean translated = offered.contains(V5);
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(at.host())
                .setPort(at.port())
                .setSsl(true)
                .setURI(uri)
                .setSubProtocols(translated ? List.of(V5) : offered);
        Promise<Answer> answer = Promise.promise();
        client.connect(options).onComplete(dialled -> {
            if (dialled.succeeded()) {
                // the kubelet may say everything and close before the client's side is switched: held until then
                Relay relay = new Relay(dialled.result());
                switchProtocols()
                        .onSuccess(relay::attach)
                        .onFailure(e -> dialled.result().close());
                answer.complete(null);
            } else if (translated) {
                switchProtocols().onSuccess(ws -> {
                    ws.closeHandler(v -> state.beforeEnd());
                    failOnErrorChannel(ws, translatorError(dialled.cause()));
                });
                answer.complete(null);
            } else if (dialled.cause() instanceof UpgradeRejectedException refused) {
                request.resume();
                String type = refused.getHeaders() == null
                        ? null
                        : refused.getHeaders().get("Content-Type");
                Buffer body = refused.getBody() == null ? Buffer.buffer() : refused.getBody();
                answer.complete(Answer.raw(refused.getStatus(), type, body.getBytes()));
            } else {
                request.resume();
                answer.fail(new StatusException(
                        Status.failure(500, null, "error dialing backend: " + dialError(dialled.cause()), null)));
            }
        });
        return answer.future();
    }

    /** The switch as the Go server makes it: 101, audited as such; headers set so far do not go out. */
    private Future<ServerWebSocket> switchProtocols() {
        rc.response().setStatusCode(101);
        state.protocolSwitched();
        rc.response().headers().clear();
        return rc.request().toWebSocket();
    }

    /** Messages both ways; what the kubelet sends before the client's side exists is kept for it. */
    private final class Relay {
        private final WebSocket kubelet;
        private final List<Buffer> early = new ArrayList<>();
        private ServerWebSocket user;
        private Short kubeletClosed;

        Relay(WebSocket kubelet) {
            this.kubelet = kubelet;
            kubelet.binaryMessageHandler(m -> {
                if (user == null) {
                    early.add(m);
                } else {
                    user.writeBinaryMessage(m);
                }
            });
            kubelet.closeHandler(v -> {
                Short code = kubelet.closeStatusCode();
                kubeletClosed = code == null ? (short) 1000 : code;
                if (user != null && !user.isClosed()) {
                    user.close(kubeletClosed);
                }
            });
        }

        void attach(ServerWebSocket ws) {
            user = ws;
            early.forEach(ws::writeBinaryMessage);
            early.clear();
            ws.binaryMessageHandler(kubelet::writeBinaryMessage);
            ws.textMessageHandler(kubelet::writeTextMessage);
            ws.closeHandler(v -> {
                if (!kubelet.isClosed()) {
                    kubelet.close();
                }
                state.beforeEnd();
            });
            if (kubeletClosed != null) {
                ws.close(kubeletClosed);
            }
        }
    }

    /**
     * The translator's failure: the empty message on the lowest writable channel that opens the streams, the
     * Status on the error channel (json.Marshal'd: no kind or apiVersion), then a normal close.
     */
    private void failOnErrorChannel(ServerWebSocket ws, String message) {
        int first = flag("stdout") ? 1 : flag("stderr") ? 2 : 3;
        ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) first));
        String status = "{\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + GoJson.string("Internal error occurred: " + message)
                + ",\"reason\":\"InternalError\",\"details\":{\"causes\":[{\"message\":" + GoJson.string(message)
                + "}]},\"code\":500}";
        ws.writeBinaryMessage(
                Buffer.buffer().appendByte((byte) 3).appendBytes(status.getBytes(StandardCharsets.UTF_8)));
        ws.close((short) 1000);
    }

    private boolean flag(String name) {
        String v = state.query().first(name);
        return v != null && !v.equalsIgnoreCase("false") && !v.equals("0");
    }

    /** What the translator's SPDY executor reports: a refused upgrade, or the POST it could not send. */
    private String translatorError(Throwable cause) {
        if (cause instanceof UpgradeRejectedException refused) {
            String body = refused.getBody() == null ? "" : refused.getBody().toString(StandardCharsets.UTF_8);
            return "unable to upgrade connection: " + body.strip();
        }
        return "error sending request: Post \"https://" + at.hostPort() + uri + "\": " + dialError(cause);
    }

    /** Go's dial error text for the common case; the Java message otherwise. */
    private String dialError(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (cause instanceof ConnectException || root instanceof ConnectException) {
            return "dial tcp " + at.hostPort() + ": connect: connection refused";
        }
        return String.valueOf(cause.getMessage());
    }
}

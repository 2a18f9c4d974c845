package io.kubetwin.apiserver.kubelet;

import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.registry.VirtualResource.Answer;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.RoutingContext;

/**
 * A SPDY upgrade ({@code Upgrade: SPDY/3.1}, as kubectl sends for port-forward with
 * {@code KUBECTL_PORT_FORWARD_WEBSOCKETS=false}) relayed as upstream's upgrade-aware proxy
 * (apimachinery/pkg/util/proxy/upgradeaware.go) does: the request's upgrade headers are sent to the kubelet first;
 * a 101 switches the client's connection too (audited as 101) and the bytes are copied both ways until either side
 * closes; any other answer is the kubelet's, passed through; a kubelet it cannot reach is a 500
 * {@code error dialing backend: ...}.
 */
final class SpdyUpgradeRelay {
    private static final String PROTOCOL_VERSION = "X-Stream-Protocol-Version";

    private final HttpClient client;
    private final RoutingContext rc;
    private final RequestState state;
    private final NodeConnection at;
    private final String uri;

    SpdyUpgradeRelay(HttpClient client, RoutingContext rc, RequestState state, NodeConnection at, String uri) {
        this.client = client;
        this.rc = rc;
        this.state = state;
        this.at = at;
        this.uri = uri;
    }

    /** Null once the client's connection is switched; the kubelet's answer or a failure when it is not. */
    Future<Answer> start() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Connection", "Upgrade")
                .add("Upgrade", rc.request().getHeader("Upgrade"))
                // as Go's client sends a POST without a body (not chunked: the connection is switched after it)
                .add("Content-Length", "0");
        rc.request().headers().getAll(PROTOCOL_VERSION).forEach(v -> headers.add(PROTOCOL_VERSION, v));
        RequestOptions options = new RequestOptions()
                .setMethod(rc.request().method())
                .setHost(at.host())
                .setPort(at.port())
                .setSsl(true)
                .setURI(uri)
                .setHeaders(headers);
        return client.request(options)
                .compose(request -> request.connect())
                .recover(e -> {
                    rc.request().resume();
                    return Future.failedFuture(new StatusException(
                            Status.failure(500, null, "error dialing backend: " + StreamRelay.dialError(at, e), null)));
                })
                .compose(response -> response.statusCode() == 101 ? switched(response) : passedOn(response));
    }

    private Future<Answer> passedOn(HttpClientResponse response) {
        rc.request().resume();
        String type = response.getHeader("Content-Type");
        return response.body().map(body -> Answer.raw(response.statusCode(), type, body.getBytes()));
    }

    private Future<Answer> switched(HttpClientResponse response) {
        NetSocket kubelet = response.netSocket();
        kubelet.pause();
        rc.response().setStatusCode(101);
        state.protocolSwitched();
        rc.response().headers().clear();
        response.headers()
                .getAll(PROTOCOL_VERSION)
                .forEach(v -> rc.response().headers().add(PROTOCOL_VERSION, v));
        rc.response().headers().add("Connection", "Upgrade").add("Upgrade", response.getHeader("Upgrade"));
        rc.request()
                .toNetSocket()
                .onSuccess(user -> {
                    user.handler(kubelet::write);
                    kubelet.handler(user::write);
                    user.closeHandler(v -> {
                        kubelet.close();
                        state.beforeEnd();
                    });
                    kubelet.closeHandler(v -> user.close());
                    kubelet.resume();
                })
                .onFailure(e -> kubelet.close());
        return Future.succeededFuture(null);
    }
}

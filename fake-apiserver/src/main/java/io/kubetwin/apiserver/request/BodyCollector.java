package io.kubetwin.apiserver.request;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Reads the request body into the {@link RequestState} up to kube-apiserver's limit (3 MiB,
 * MaxRequestBodyBytes in k8s.io/apiserver/pkg/server/config.go). A larger body is not rejected here:
 * the resource handler answers 413 after authentication and authorization have run, as upstream's
 * body reader does, so an unauthenticated oversized request still gets its 401.
 */
public final class BodyCollector implements Handler<RoutingContext> {
    public static final int MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

    private final int limit;

    public BodyCollector(int limit) {
        this.limit = limit;
    }

    private static final Set<String> STREAMS = Set.of("exec", "attach", "portforward");

    @Override
    public void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        RequestState state = RequestState.of(rc);
        if (request.isEnded()) {
            rc.next();
            return;
        }
        RequestInfo info = state.requestInfo();
        if (info != null
                && ("watch".equals(info.verb()) || (info.subresource() != null && STREAMS.contains(info.subresource())))
                && WebSocketUpgrade.requested(request)) {
            request.pause();
            // answered without an upgrade (a 401 or 403 on the way): read the end so the connection carries on
            rc.addEndHandler(ended -> request.resume());
            // a watch (or pods/exec, attach, portforward) over WebSocket has no body, and Vert.x switches protocols
            // only on a request not yet read: kept paused until the handler upgrades it
            state.body(Buffer.buffer(), false);
            rc.next();
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        request.handler(chunk -> {
            if (tooLarge[0]) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                tooLarge[0] = true;
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(rc::fail);
        request.endHandler(v -> {
            state.body(body, tooLarge[0]);
            rc.next();
        });
        request.resume();
    }
}

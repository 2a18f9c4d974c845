package io.kubetwin.apiserver.kubelet;

import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * A followed log ({@code follow=true}) copied from the kubelet to the client as it arrives, as the LocationStreamer
 * of pkg/registry/core/pod/rest/log.go does with Flush on: 200 {@code text/plain}, chunked, each piece written as
 * it comes; it ends when the kubelet ends it, and the kubelet's stream is cancelled when the client goes away.
 */
final class LogFollower implements Flow.Subscriber<List<ByteBuffer>> {
    private final RoutingContext rc;
    private final Context context;
    private volatile Flow.Subscription subscription;
    private volatile boolean gone;

    LogFollower(RoutingContext rc, Context context) {
        this.rc = rc;
        this.context = context;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        context.runOnContext(v -> {
            HttpServerResponse response = rc.response();
            response.setChunked(true).setStatusCode(200).putHeader("Content-Type", "text/plain");
            response.closeHandler(x -> cancel());
            rc.request().connection().closeHandler(x -> cancel());
            // the headers go out at once, as the Go server's flush does
            response.writeHead();
            s.request(1);
        });
    }

    private void cancel() {
        gone = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        context.runOnContext(v -> {
            if (gone) {
                return;
            }
            Buffer chunk = Buffer.buffer();
            for (ByteBuffer b : item) {
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                chunk.appendBytes(bytes);
            }
            rc.response().write(chunk).onComplete(written -> subscription.request(1));
        });
    }

    @Override
    public void onError(Throwable throwable) {
        onComplete();
    }

    @Override
    public void onComplete() {
        context.runOnContext(v -> {
            if (!gone && !rc.response().ended()) {
                RequestState.of(rc).end(rc, Buffer.buffer());
            }
        });
    }
}

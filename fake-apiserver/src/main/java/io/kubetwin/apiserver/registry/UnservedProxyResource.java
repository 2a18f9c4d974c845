package io.kubetwin.apiserver.registry;

import io.kubetwin.apiserver.api.SchemeNamePort;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.pki.GoText;
import io.vertx.core.Future;

/**
 * The {@code proxy} subresource of pods and services, which the fake does not proxy: the URL's id is checked
 * first, as their ResourceLocation does (pkg/registry/core/pod/strategy.go and service/proxy.go: {@code invalid
 * pod request "ID"}, {@code invalid service request "ID"}), then the request is answered as if no handler
 * served it (404). Thread-safe.
 */
public final class UnservedProxyResource implements VirtualResource {
    private final String kind;

    /** @param kind the word of the 400's message: {@code pod} or {@code service} */
    public UnservedProxyResource(String kind) {
        this.kind = kind;
    }

    @Override
    public BodyKind bodyKind() {
        return null;
    }

    @Override
    public Future<Answer> handle(Call call) {
        if (SchemeNamePort.split(call.name()).isEmpty()) {
            return Future.failedFuture(
                    Statuses.badRequest("invalid " + kind + " request " + GoText.quote(call.name())));
        }
        return Future.failedFuture(Statuses.pathNotFound());
    }
}

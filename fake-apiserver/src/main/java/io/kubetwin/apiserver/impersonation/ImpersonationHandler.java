package io.kubetwin.apiserver.impersonation;

import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The impersonation stage (filters/impersonation.go): after audit has seen the real caller, switches
 * the request to the impersonated identity when every requested item is allowed with the
 * {@code impersonate} verb, and strips the Impersonate-* headers.
 */
public final class ImpersonationHandler implements Handler<RoutingContext> {
    private final ImpersonationResolver resolver;

    public ImpersonationHandler(ImpersonationResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public void handle(RoutingContext rc) {
        RequestState state = RequestState.of(rc);
        MultiMap headers = rc.request().headers();
        Map<String, List<String>> impersonation = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : headers) {
            if (ImpersonationResolver.isImpersonationHeader(h.getKey())) {
                impersonation
                        .computeIfAbsent(h.getKey(), k -> new ArrayList<>())
                        // Netty reads header bytes as ISO-8859-1; Go keeps them, and names are UTF-8
                        .add(new String(h.getValue().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            }
        }
        ImpersonationOutcome outcome = resolver.resolve(impersonation, state.user());
        if (outcome instanceof ImpersonationOutcome.Impersonated ok) {
            state.impersonatedUser(ok.user());
            impersonation.keySet().forEach(headers::remove);
            rc.next();
        } else if (outcome instanceof ImpersonationOutcome.Forbidden denied) {
            rc.fail(denied.error());
        } else if (outcome instanceof ImpersonationOutcome.MissingUser missing) {
            rc.response()
                    .setStatusCode(500)
                    .putHeader("Content-Type", "text/plain; charset=utf-8")
                    .putHeader("X-Content-Type-Options", "nosniff");
            state.end(rc, Buffer.buffer(missing.body(rc.request().uri())));
        } else {
            rc.next();
        }
    }
}

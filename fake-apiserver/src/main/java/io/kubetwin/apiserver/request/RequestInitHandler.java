package io.kubetwin.apiserver.request;

import io.kubetwin.apiserver.api.QueryParameters;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * First stage of the chain: attaches the {@link RequestState}, assigns the audit ID (the client's
 * {@code Audit-ID} header when sent, as filters/audit_init.go does), sets the headers every
 * kube-apiserver response carries, and resolves the {@link RequestInfo} (filters/requestinfo.go).
 */
public final class RequestInitHandler implements Handler<RoutingContext> {
    private final Clock clock;
    private final RequestInfoResolver resolver = new RequestInfoResolver();

    public RequestInitHandler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext rc) {
        String sent = rc.request().getHeader("Audit-ID");
        String auditId = sent == null || sent.isEmpty() ? UUID.randomUUID().toString() : sent;
        RequestState state = RequestState.attach(rc, auditId, clock.instant());
        rc.response().putHeader("Audit-Id", auditId);
        rc.response().putHeader("Cache-Control", "no-cache, private");
        // Vert.x's own decoding throws on a malformed escape; Go skips the bad pair and serves the request.
        QueryParameters query = QueryParameters.parse(rc.request().query());
        state.query(query);
        state.requestInfo(resolver.resolve(
                rc.request().method().name(), GoRequestPath.of(rc).path(), firstValues(query)));
        rc.next();
    }

    private static Map<String, String> firstValues(QueryParameters query) {
        Map<String, String> first = new HashMap<>();
        query.values().forEach((name, values) -> first.put(name, values.get(0)));
        return first;
    }
}

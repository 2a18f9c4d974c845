package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.ext.web.RoutingContext;

/** Writes successful JSON answers, recording them for audit; errors go to the routing context's failure handler. */
public final class Responses {
    static final ObjectMapper JSON = io.kubetwin.apiserver.registry.codec.GoJson.mapper();

    private Responses() {}

    /** Records {@code body} as audit's responseObject and writes it with {@code code}, newline-terminated as Go's encoder does. */
    public static void write(RoutingContext rc, int code, JsonNode body) {
        RequestState.of(rc).responseObject(body);
        String text;
        try {
            text = JSON.writeValueAsString(body) + "\n";
        } catch (JsonProcessingException e) {
            rc.fail(Statuses.internalError(e.getMessage()));
            return;
        }
        rc.response().setStatusCode(code).putHeader("Content-Type", "application/json").end(text);
    }

    /** Fails the request with a StatusException when it is one, else as a 500 carrying the message. */
    public static void fail(RoutingContext rc, Throwable error) {
        if (rc.response().ended() || rc.failed()) {
            return;
        }
        if (error instanceof StatusException se) {
            rc.fail(se);
        } else {
            rc.fail(Statuses.internalError(String.valueOf(error.getMessage())));
        }
    }
}

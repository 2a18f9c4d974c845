package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.DeepStack;
import io.kubetwin.apiserver.api.GoJson;
import io.kubetwin.apiserver.api.GoYaml;
import io.kubetwin.apiserver.api.MediaNegotiation;
import io.kubetwin.apiserver.api.ResponseWriter;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.codec.ProtobufDecoder;
import io.kubetwin.apiserver.registry.codec.ProtobufEncoder;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;

/** Writes successful JSON answers, recording them for audit; errors go to the routing context's failure handler. */
public final class Responses {
    static final ObjectMapper JSON = GoJson.mapper();
    /** Go's escapes as GoJson, plus kube-apiserver's pretty-printing for ?pretty and curl. */
    private static final ResponseWriter WRITER = new ResponseWriter(JSON);

    private static final ObjectMapper LENIENT = JSON.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Responses() {}

    /**
     * Records {@code body} as audit's responseObject and writes it with {@code code} as kube-apiserver's response
     * writer does: newline-terminated, Go's HTML-safe escapes, pretty-printed for {@code ?pretty} or curl.
     */
    public static void write(RoutingContext rc, int code, JsonNode body) {
        if (OutputMediaType.prefersYaml(rc)) {
            writeYaml(rc, code, body);
            return;
        }
        RequestState state = record(rc, body);
        Buffer bytes;
        try {
            // the request is read here: the deep-tree thread must not touch it while this thread holds its connection
            boolean pretty = ResponseWriter.isPrettyPrint(rc.request());
            bytes = DeepStack.retryDeep(() -> WRITER.encodeBuffer(pretty, body));
        } catch (UncheckedIOException e) {
            rc.fail(Statuses.internalError(e.getMessage()));
            return;
        }
        rc.response().setStatusCode(code).putHeader("Content-Type", "application/json");
        // through the before-end work: in audit's blocking modes the events are written before the client sees the
        // answer
        state.end(rc, bytes);
    }

    /**
     * Records {@code body} as audit's responseObject and writes it in Kubernetes' protobuf encoding, as
     * kube-apiserver answers a client that prefers {@code application/vnd.kubernetes.protobuf} (a built-in kind).
     */
    public static void writeProtobuf(RoutingContext rc, int code, JsonNode body) {
        RequestState state = RequestState.of(rc);
        state.responseObject(body);
        byte[] bytes;
        try {
            bytes = ProtobufEncoder.encode(body);
        } catch (IllegalArgumentException e) {
            rc.fail(Statuses.internalError(e.getMessage()));
            return;
        }
        rc.response().setStatusCode(code).putHeader("Content-Type", ProtobufDecoder.MEDIA_TYPE);
        state.end(rc, Buffer.buffer(bytes));
    }

    /**
     * Records {@code body} as audit's responseObject and writes it as YAML, as kube-apiserver answers a client that
     * prefers {@code application/yaml} (every resource answer but errors and watches, which {@link #write} routes
     * here): its JSON converted by sigs.k8s.io/yaml ({@link GoYaml}); never pretty-printed.
     */
    public static void writeYaml(RoutingContext rc, int code, JsonNode body) {
        RequestState state = record(rc, body);
        GoYaml.Answer answer = GoYaml.answer(code, body);
        rc.response().setStatusCode(answer.code()).putHeader("Content-Type", MediaNegotiation.YAML);
        state.end(rc, Buffer.buffer(answer.text()));
    }

    /** Records an answer for audit: its responseObject, and a Status answer (delete's Success) as responseStatus. */
    private static RequestState record(RoutingContext rc, JsonNode body) {
        RequestState state = RequestState.of(rc);
        state.responseObject(body);
        if ("Status".equals(body.path("kind").asText())
                && "v1".equals(body.path("apiVersion").asText())) {
            // audit copies a Status answer into responseStatus (LogResponseObject)
            state.responseStatus(status(body));
        }
        return state;
    }

    /** Bytes as they are (a proxied answer such as pods/log's text); no content type with an empty 204. */
    public static void writeRaw(RoutingContext rc, int code, String contentType, byte[] bytes) {
        rc.response().setStatusCode(code);
        if (contentType != null && bytes.length > 0) {
            rc.response().putHeader("Content-Type", contentType);
        }
        RequestState.of(rc).end(rc, Buffer.buffer(bytes));
    }

    private static Status status(JsonNode body) {
        Status.Details details = null;
        if (body.get("details") instanceof ObjectNode d) {
            try {
                details = LENIENT.treeToValue(d, Status.Details.class);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                details = Status.Details.empty();
            }
        }
        return new Status(
                body.path("status").asText(""),
                body.path("message").asText(""),
                body.path("reason").asText(""),
                details,
                body.path("code").asInt(0));
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

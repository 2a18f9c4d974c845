package io.kubetwin.apiserver.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes JSON API responses the way kube-apiserver's responsewriters do: compact JSON terminated by a
 * newline (json.Encoder), or pretty-printed with a two-space indent and no final newline (json.MarshalIndent)
 * for {@code ?pretty=true} or for curl, Wget and browsers
 * (k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/writers.go isPrettyPrint;
 * k8s.io/apimachinery/pkg/runtime/serializer/json/json.go doEncode), strings escaped as
 * Go's encoding/json escapes them ({@link GoJson}).
 */
public final class ResponseWriter {
    private final ObjectMapper compact;
    private final ObjectMapper pretty;

    public ResponseWriter(ObjectMapper mapper) {
        this.compact = GoJson.withGoStrings(mapper).disable(SerializationFeature.INDENT_OUTPUT);
        this.pretty = GoJson.withGoStrings(mapper)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .setDefaultPrettyPrinter(new GoIndentPrettyPrinter());
    }

    public static boolean isPrettyPrint(HttpServerRequest request) {
        String param = QueryParameters.parse(request.query()).first("pretty");
        if (param != null && !param.isEmpty()) {
            return Boolean.parseBoolean(param) || "1".equals(param) || "t".equalsIgnoreCase(param);
        }
        String agent = request.getHeader("User-Agent");
        return agent != null
                && (agent.startsWith("curl") || agent.startsWith("Wget") || agent.startsWith("Mozilla/5.0"));
    }

    /** Serialises a value for this request: compact with a trailing newline, or pretty without one. */
    public String encode(HttpServerRequest request, Object value) {
        return encode(isPrettyPrint(request), value);
    }

    /** Serialises a value: pretty without a trailing newline, or compact with one. */
    public String encode(boolean pretty, Object value) {
        return pretty ? indented(value) : compact(value) + "\n";
    }

    /**
     * {@link #encode(boolean, Object)} as the UTF-8 bytes of a Vert.x buffer: compact answers are written straight to
     * bytes (Jackson's byte generator, whose output {@link GoJson} keeps identical to the char generator's), not to a
     * String that is then encoded again, which was a third of writing a long list.
     */
    public Buffer encodeBuffer(boolean pretty, Object value) {
        if (pretty) {
            return Buffer.buffer(indented(value));
        }
        Buffer buffer = Buffer.buffer(INITIAL_BUFFER);
        try (OutputStream out = new BufferOutput(buffer)) {
            compact.writeValue(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.appendByte((byte) '\n');
    }

    private static final int INITIAL_BUFFER = 4096;

    /** Appends to a Vert.x buffer (Jackson writes it in chunks of a few kilobytes). */
    private static final class BufferOutput extends OutputStream {
        private final Buffer buffer;

        BufferOutput(Buffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public void write(int b) {
            buffer.appendByte((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            buffer.appendBytes(b, off, len);
        }
    }

    /** As json.MarshalIndent with two spaces (responsewriters.WriteRawJSON): no trailing newline. */
    public String indented(Object value) {
        try {
            return pretty.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As json.Marshal: compact, no trailing newline. */
    public String compact(Object value) {
        try {
            return compact.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value as a JSON tree, read back from {@link #compact} so that it holds exactly what JSON clients get. */
    public JsonNode tree(Object value) {
        try {
            return compact.readTree(compact(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Future<Void> writeJson(HttpServerRequest request, HttpServerResponse response, int code, Object value) {
        String body = encode(request, value);
        response.setStatusCode(code).putHeader("Content-Type", "application/json");
        return response.end(body);
    }

    public ObjectMapper mapper() {
        return compact;
    }
}

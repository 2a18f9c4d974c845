package io.kubetwin.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.api.StatusException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads golden files under src/test/resources/golden/ and renders Status bodies for comparison. */
public final class Golden {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Golden() {}

    public static String text(String path) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String path) {
        try {
            return MAPPER.readTree(text(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Status body as our serialiser writes it, parsed back to a tree. */
    public static JsonNode body(StatusException e) {
        try {
            return MAPPER.readTree(MAPPER.writeValueAsString(e.status()));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}

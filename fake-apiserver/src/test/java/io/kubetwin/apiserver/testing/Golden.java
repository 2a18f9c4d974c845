package io.kubetwin.apiserver.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.api.StatusException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads golden files (exact wire output, recorded from the reference) under src/test/resources/golden/, and renders
 * Status bodies for comparison. Names are relative to that folder, e.g. {@code audit/reference/json-events.log}.
 */
public final class Golden {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Golden() {}

    public static byte[] bytes(String path) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    /** The file's lines, without the terminating newlines. */
    public static List<String> lines(String path) {
        String t = text(path);
        if (t.endsWith("\n")) {
            t = t.substring(0, t.length() - 1);
        }
        return Arrays.asList(t.split("\n", -1));
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

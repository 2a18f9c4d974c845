package io.kubetwin.apiserver.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Reads files under src/test/resources/golden/audit/. */
public final class Golden {
    private Golden() {}

    public static byte[] bytes(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/audit/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** The file's lines, without the terminating newlines. */
    public static List<String> lines(String name) {
        String t = text(name);
        if (t.endsWith("\n")) {
            t = t.substring(0, t.length() - 1);
        }
        return Arrays.asList(t.split("\n", -1));
    }
}

package io.kubetwin.apiserver.registry.codec;

import io.kubetwin.pki.GoText;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Checks JSON syntax and reports the first error with the exact text of Go's encoding/json scanner
 * (encoding/json/scanner.go), e.g. {@code invalid character 'x' looking for beginning of value} or
 * {@code unexpected end of JSON input}, because kube-apiserver echoes those texts in its 400s.
 * Pure and thread-safe.
 */
public final class GoJsonSyntax {
    /** encoding/json scanner.go maxNestingDepth. */
    public static final int MAX_DEPTH = 10000;

    private final byte[] data;
    private int pos;

    private GoJsonSyntax(byte[] data) {
        this.data = data;
    }

    /** The Go error text for the first syntax error, or empty when {@code data} is one valid JSON value. */
    public static Optional<String> check(byte[] data) {
        try {
            GoJsonSyntax s = new GoJsonSyntax(data);
            s.skipSpace();
            s.value("looking for beginning of value");
            s.skipSpace();
            if (s.pos < data.length) {
                throw s.invalid("after top-level value");
            }
            return Optional.empty();
        } catch (SyntaxError e) {
            return Optional.of(e.getMessage());
        }
    }

    public static Optional<String> check(String text) {
        return check(text.getBytes(StandardCharsets.UTF_8));
    }

    private static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * One JSON value, walked with an explicit stack rather than recursion, so that hostile nesting cannot overflow
     * the thread's stack. Like Go's scanner, a container opened beyond {@link #MAX_DEPTH} levels is an error
     * ({@code invalid character '[' exceeded max depth}).
     */
    private void value(String context) throws SyntaxError {
        // one entry per open container: true for an object, false for an array
        boolean[] open = new boolean[16];
        int depth = 0;
        String expecting = context;
        while (true) {
            // a value is expected here
            int c = peek();
            if (c == '{' || c == '[') {
                if (depth == MAX_DEPTH) {
                    throw invalid("exceeded max depth");
                }
                if (depth == open.length) {
                    open = Arrays.copyOf(open, depth * 2);
                }
                open[depth++] = c == '{';
                pos++;
                skipSpace();
                if (peek() == (c == '{' ? '}' : ']')) {
                    pos++;
                    depth--;
                } else {
                    if (c == '{') {
                        key();
                    }
                    expecting = "looking for beginning of value";
                    continue;
                }
            } else {
                scalar(c, expecting);
            }
            // after a complete value: close containers or move to the next element
            while (true) {
                if (depth == 0) {
                    return;
                }
                skipSpace();
                int next = peek();
                boolean inObject = open[depth - 1];
                if (next == ',') {
                    pos++;
                    skipSpace();
                    if (inObject) {
                        key();
                    }
                    expecting = "looking for beginning of value";
                    break;
                }
                if (next == (inObject ? '}' : ']')) {
                    pos++;
                    depth--;
                    continue;
                }
                throw invalid(inObject ? "after object key:value pair" : "after array element");
            }
        }
    }

    /** An object key and its colon, leaving the position at the value. */
    private void key() throws SyntaxError {
        if (peek() != '"') {
            throw invalid("looking for beginning of object key string");
        }
        string();
        skipSpace();
        if (peek() != ':') {
            throw invalid("after object key");
        }
        pos++;
        skipSpace();
    }

    private void scalar(int c, String context) throws SyntaxError {
        switch (c) {
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                } else {
                    throw invalid(context);
                }
            }
        }
    }

    private void string() throws SyntaxError {
        pos++;
        while (true) {
            int c = peek();
            if (c == '"') {
                pos++;
                return;
            }
            if (c == '\\') {
                pos++;
                int e = peek();
                switch (e) {
                    case 'b', 'f', 'n', 'r', 't', '\\', '/', '"' -> pos++;
                    case 'u' -> {
                        pos++;
                        for (int i = 0; i < 4; i++) {
                            int h = peek();
                            if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) {
                                throw invalid("in \\u hexadecimal character escape");
                            }
                            pos++;
                        }
                    }
                    default -> throw invalid("in string escape code");
                }
                continue;
            }
            if (c < 0x20) {
                throw invalid("in string literal");
            }
            pos++;
        }
    }

    private void literal(String word) throws SyntaxError {
        pos++;
        for (int i = 1; i < word.length(); i++) {
            if (peek() != word.charAt(i)) {
                throw invalid("in literal " + word + " (expecting '" + word.charAt(i) + "')");
            }
            pos++;
        }
    }

    private void number() throws SyntaxError {
        if (peek() == '-') {
            pos++;
            int c = peek();
            if (!(c >= '0' && c <= '9')) {
                throw invalid("in numeric literal");
            }
        }
        if (peek() == '0') {
            pos++;
        } else {
            while (isDigit(peekOrEnd())) {
                pos++;
            }
        }
        if (peekOrEnd() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw invalid("after decimal point in numeric literal");
            }
            while (isDigit(peekOrEnd())) {
                pos++;
            }
        }
        int e = peekOrEnd();
        if (e == 'e' || e == 'E') {
            pos++;
            int s = peek();
            if (s == '+' || s == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw invalid("in exponent of numeric literal");
            }
            while (isDigit(peekOrEnd())) {
                pos++;
            }
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private void skipSpace() {
        while (pos < data.length && (data[pos] == ' ' || data[pos] == '\t' || data[pos] == '\n' || data[pos] == '\r')) {
            pos++;
        }
    }

    /** The next byte; running out of input inside a value is Go's "unexpected end of JSON input". */
    private int peek() throws SyntaxError {
        if (pos >= data.length) {
            throw new SyntaxError("unexpected end of JSON input");
        }
        return data[pos] & 0xff;
    }

    /** The next byte, or -1 at the end where a value may legally end (numbers at top level). */
    private int peekOrEnd() {
        return pos >= data.length ? -1 : data[pos] & 0xff;
    }

    private SyntaxError invalid(String context) {
        return new SyntaxError("invalid character " + quoteChar(currentChar()) + " " + context);
    }

    /** Go's scanner reports the offending byte as the rune of the same value (string(c) of a byte). */
    private String currentChar() {
        return String.valueOf((char) (data[pos] & 0xff));
    }

    /** encoding/json quoteChar: '\'' and '"' special-cased, else strconv.Quote without the double quotes. */
    static String quoteChar(String c) {
        if (c.equals("'")) {
            return "'\\''";
        }
        if (c.equals("\"")) {
            return "'\"'";
        }
        String quoted = GoText.quote(c);
        return "'" + quoted.substring(1, quoted.length() - 1) + "'";
    }
}

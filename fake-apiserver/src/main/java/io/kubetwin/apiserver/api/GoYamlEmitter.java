package io.kubetwin.apiserver.api;

import static io.kubetwin.apiserver.api.GoYamlAnalysis.analyze;
import static io.kubetwin.apiserver.api.GoYamlAnalysis.isBreak;
import static io.kubetwin.apiserver.api.GoYamlAnalysis.isPrintable;
import static io.kubetwin.apiserver.api.GoYamlScalars.fold;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.api.GoYamlAnalysis.Analysis;
import io.kubetwin.apiserver.api.GoYamlScalars.Scalar;
import io.kubetwin.apiserver.api.GoYamlScalars.Style;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * go-yaml v2's marshalling of a JSON tree: encode.go's walk (mappings with their keys sorted by {@link GoYamlKeys},
 * sequences, scalars as {@link GoYamlScalars} makes them) and emitterc.go's block emitter (indentation, simple keys,
 * the style downgrades {@link GoYamlAnalysis} decides, folding past column 80, the document and stream ends). Not
 * thread-safe; one instance per document ({@link #document}).
 */
final class GoYamlEmitter {
    private static final int BEST_WIDTH = 80;
    private static final int BEST_INDENT = 2;

    private final StringBuilder out = new StringBuilder();
    private int column;
    private boolean whitespace = true;
    private boolean indention = true;
    private boolean openEnded;
    private int indent = -1;
    private final Deque<Integer> indents = new ArrayDeque<>();
    private int flowLevel;
    private boolean rootContext;
    private boolean mappingContext;
    private boolean simpleKeyContext;

    private GoYamlEmitter() {}

    /** The document of a JSON value go-yaml's reader accepts, ending with a line break. */
    static String document(JsonNode json) {
        GoYamlEmitter y = new GoYamlEmitter();
        y.node(json, true, false, false);
        // document end (implicit), then stream end
        y.writeIndent();
        if (y.openEnded) {
            y.writeIndicator("...", true, false, false);
            y.writeIndent();
        }
        return y.out.toString();
    }

    private void node(JsonNode n, boolean root, boolean mapping, boolean simpleKey) {
        rootContext = root;
        mappingContext = mapping;
        simpleKeyContext = simpleKey;
        if (n.isObject()) {
            if (n.isEmpty()) {
                emptyFlow("{", "}");
                return;
            }
            increaseIndent(false, false);
            List<String> keys = new ArrayList<>();
            java.util.Map<String, String> original = new java.util.HashMap<>();
            n.fieldNames().forEachRemaining(k -> {
                keys.add(fold(k));
                original.put(fold(k), k);
            });
            GoYamlKeys.sort(keys);
            for (String folded : keys) {
                String key = original.get(folded);
                writeIndent();
                Scalar k = Scalar.ofString(folded);
                if (simpleKey(k)) {
                    scalar(k, false, true, true);
                    writeIndicator(":", false, false, false);
                } else {
                    writeIndicator("?", true, false, true);
                    scalar(k, false, true, false);
                    writeIndent();
                    writeIndicator(":", true, false, true);
                }
                node(n.get(key), false, true, false);
            }
            popIndent();
        } else if (n.isArray()) {
            if (n.isEmpty()) {
                emptyFlow("[", "]");
                return;
            }
            increaseIndent(false, mappingContext && !indention);
            for (JsonNode item : n) {
                writeIndent();
                writeIndicator("-", true, false, true);
                node(item, false, false, false);
            }
            popIndent();
        } else {
            scalar(Scalar.of(n), root, mapping, simpleKey);
        }
    }

    private void emptyFlow(String open, String close) {
        writeIndicator(open, true, true, false);
        increaseIndent(true, false);
        flowLevel++;
        flowLevel--;
        popIndent();
        writeIndicator(close, false, false, false);
    }

    /** yaml_emitter_check_simple_key for a scalar key: one line of at most 128 bytes. */
    private static boolean simpleKey(Scalar k) {
        Analysis a = analyze(k.value());
        return !a.multiline() && k.value().getBytes(StandardCharsets.UTF_8).length <= 128;
    }

    private void scalar(Scalar s, boolean root, boolean mapping, boolean simpleKey) {
        rootContext = root;
        mappingContext = mapping;
        simpleKeyContext = simpleKey;
        Analysis a = analyze(s.value());
        Style style = s.style();
        if (simpleKeyContext && a.multiline()) {
            style = Style.DOUBLE;
        }
        if (style == Style.PLAIN) {
            if ((flowLevel > 0 && !a.flowPlainAllowed()) || (flowLevel == 0 && !a.blockPlainAllowed())) {
                style = Style.SINGLE;
            }
            if (s.value().isEmpty() && (flowLevel > 0 || simpleKeyContext)) {
                style = Style.SINGLE;
            }
        }
        if (style == Style.SINGLE && !a.singleQuotedAllowed()) {
            style = Style.DOUBLE;
        }
        if (style == Style.LITERAL && (!a.blockAllowed() || flowLevel > 0 || simpleKeyContext)) {
            style = Style.DOUBLE;
        }
        increaseIndent(true, false);
        int[] cps = s.value().codePoints().toArray();
        switch (style) {
            case PLAIN -> writePlain(cps, !simpleKeyContext);
            case SINGLE -> writeSingleQuoted(cps, !simpleKeyContext);
            case DOUBLE -> writeDoubleQuoted(cps, !simpleKeyContext);
            case LITERAL -> writeLiteral(cps);
        }
        popIndent();
    }

    private void increaseIndent(boolean flow, boolean indentless) {
        indents.push(indent);
        if (indent < 0) {
            indent = flow ? BEST_INDENT : 0;
        } else if (!indentless) {
            indent += BEST_INDENT;
        }
    }

    private void popIndent() {
        indent = indents.pop();
    }

    private void put(int c) {
        out.appendCodePoint(c);
        column++;
    }

    private void putBreak() {
        out.append('\n');
        column = 0;
    }

    /** write_break: a line feed as put_break, another break character copied as it is. */
    private void writeBreak(int c) {
        if (c == '\n') {
            putBreak();
        } else {
            out.appendCodePoint(c);
            column = 0;
        }
    }

    private void writeIndent() {
        int at = Math.max(indent, 0);
        if (!indention || column > at || (column == at && !whitespace)) {
            putBreak();
        }
        while (column < at) {
            put(' ');
        }
        whitespace = true;
        indention = true;
    }

    private void writeIndicator(String indicator, boolean needWhitespace, boolean isWhitespace, boolean isIndention) {
        if (needWhitespace && !whitespace) {
            put(' ');
        }
        indicator.codePoints().forEach(this::put);
        whitespace = isWhitespace;
        indention = indention && isIndention;
        openEnded = false;
    }

    private void writePlain(int[] v, boolean allowBreaks) {
        if (!whitespace) {
            put(' ');
        }
        boolean spaces = false;
        boolean breaks = false;
        for (int i = 0; i < v.length; i++) {
            int c = v[i];
            if (c == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && !(i + 1 < v.length && v[i + 1] == ' ')) {
                    writeIndent();
                } else {
                    put(c);
                }
                spaces = true;
            } else if (isBreak(c)) {
                if (!breaks && c == '\n') {
                    putBreak();
                }
                writeBreak(c);
                indention = true;
                breaks = true;
            } else {
                if (breaks) {
                    writeIndent();
                }
                put(c);
                indention = false;
                spaces = false;
                breaks = false;
            }
        }
        whitespace = false;
        indention = false;
        if (rootContext) {
            openEnded = true;
        }
    }

    private void writeSingleQuoted(int[] v, boolean allowBreaks) {
        writeIndicator("'", true, false, false);
        boolean spaces = false;
        boolean breaks = false;
        for (int i = 0; i < v.length; i++) {
            int c = v[i];
            if (c == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < v.length - 1 && v[i + 1] != ' ') {
                    writeIndent();
                } else {
                    put(c);
                }
                spaces = true;
            } else if (isBreak(c)) {
                if (!breaks && c == '\n') {
                    putBreak();
                }
                writeBreak(c);
                indention = true;
                breaks = true;
            } else {
                if (breaks) {
                    writeIndent();
                }
                if (c == '\'') {
                    put('\'');
                }
                put(c);
                indention = false;
                spaces = false;
                breaks = false;
            }
        }
        writeIndicator("'", false, false, false);
        whitespace = false;
        indention = false;
    }

    private void writeDoubleQuoted(int[] v, boolean allowBreaks) {
        boolean spaces = false;
        writeIndicator("\"", true, false, false);
        // is_bom looks at the start of the value whatever the position (emitterc.go), so a value that starts with a
        // byte-order mark has every character escaped
        boolean bom = v.length > 0 && v[0] == 0xFEFF;
        for (int i = 0; i < v.length; i++) {
            int c = v[i];
            if (!isPrintable(c) || bom || isBreak(c) || c == '"' || c == '\\') {
                put('\\');
                switch (c) {
                    case 0x00 -> put('0');
                    case 0x07 -> put('a');
                    case 0x08 -> put('b');
                    case 0x09 -> put('t');
                    case 0x0A -> put('n');
                    case 0x0B -> put('v');
                    case 0x0C -> put('f');
                    case 0x0D -> put('r');
                    case 0x1B -> put('e');
                    case 0x22 -> put('"');
                    case 0x5C -> put('\\');
                    case 0x85 -> put('N');
                    case 0xA0 -> put('_');
                    case 0x2028 -> put('L');
                    case 0x2029 -> put('P');
                    default -> {
                        int width;
                        if (c <= 0xFF) {
                            put('x');
                            width = 2;
                        } else if (c <= 0xFFFF) {
                            put('u');
                            width = 4;
                        } else {
                            put('U');
                            width = 8;
                        }
                        for (int k = (width - 1) * 4; k >= 0; k -= 4) {
                            int digit = (c >> k) & 0x0F;
                            put(digit < 10 ? '0' + digit : 'A' + digit - 10);
                        }
                    }
                }
                spaces = false;
            } else if (c == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < v.length - 1) {
                    writeIndent();
                    if (v[i + 1] == ' ') {
                        put('\\');
                    }
                } else {
                    put(c);
                }
                spaces = true;
            } else {
                put(c);
                spaces = false;
            }
        }
        writeIndicator("\"", false, false, false);
        whitespace = false;
        indention = false;
    }

    private void writeLiteral(int[] v) {
        writeIndicator("|", true, false, false);
        // yaml_emitter_write_block_scalar_hints
        if (v.length > 0 && (v[0] == ' ' || isBreak(v[0]))) {
            writeIndicator(String.valueOf((char) ('0' + BEST_INDENT)), false, false, false);
        }
        openEnded = false;
        String chomp = null;
        if (v.length == 0) {
            chomp = "-";
        } else if (!isBreak(v[v.length - 1])) {
            chomp = "-";
        } else if (v.length == 1) {
            chomp = "+";
            openEnded = true;
        } else if (isBreak(v[v.length - 2])) {
            chomp = "+";
            openEnded = true;
        }
        if (chomp != null) {
            // write_indicator clears open_ended again, so a kept final break never ends the stream with "..."
            writeIndicator(chomp, false, false, false);
        }
        putBreak();
        indention = true;
        whitespace = true;
        boolean breaks = true;
        for (int c : v) {
            if (isBreak(c)) {
                writeBreak(c);
                indention = true;
                breaks = true;
            } else {
                if (breaks) {
                    writeIndent();
                }
                put(c);
                indention = false;
                breaks = false;
            }
        }
    }
}

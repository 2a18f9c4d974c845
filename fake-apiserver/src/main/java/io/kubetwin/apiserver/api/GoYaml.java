package io.kubetwin.apiserver.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The YAML kube-apiserver writes for {@code Accept: application/yaml}: the serializer's JSON converted by
 * sigs.k8s.io/yaml JSONToYAML, that is read back by go.yaml.in/yaml/v2 (numbers as int, uint64 or float64) and
 * marshalled by it (encode.go, sorter.go, resolve.go, emitterc.go): mapping keys in go-yaml's natural order, strings
 * plain unless they would resolve to another type ({@code "true"}, {@code "1"}, timestamps, base-60 floats: double
 * quoted) or contain a line break (literal block), then the emitter's own downgrades (plain to single-quoted to
 * double-quoted), plain and quoted scalars folded past column 80, sequences inside mappings not indented, empty
 * collections in flow style. Not thread-safe; one instance per document ({@link #toYaml}).
 */
public final class GoYaml {
    private static final int BEST_WIDTH = 80;
    private static final int BEST_INDENT = 2;

    private enum Style {
        PLAIN,
        SINGLE,
        DOUBLE,
        LITERAL
    }

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

    private GoYaml() {}

    /** go-yaml's reader refuses the JSON it is given (JSONToYAML reads the JSON back first). */
    public static final class ControlCharacters extends IllegalArgumentException {
        ControlCharacters() {
            super("yaml: control characters are not allowed", null);
        }
    }

    /**
     * The YAML document of a JSON value, as JSONToYAML writes it (ending with a line break); {@link ControlCharacters}
     * when a string holds a character Go's JSON encoder writes as it is and go-yaml's reader refuses (DEL, the C1
     * controls but NEL, U+FFFE and U+FFFF).
     */
    public static String toYaml(JsonNode json) {
        if (hasControlCharacters(json)) {
            throw new ControlCharacters();
        }
        GoYaml y = new GoYaml();
        y.node(json, true, false, false);
        // document end (implicit), then stream end
        y.writeIndent();
        if (y.openEnded) {
            y.writeIndicator("...", true, false, false);
            y.writeIndent();
        }
        return y.out.toString();
    }

    /** readerc.go yaml_parser_update_buffer's allowed set, for the characters JSON carries unescaped. */
    private static boolean hasControlCharacters(JsonNode n) {
        if (n.isTextual()) {
            return refused(n.asText());
        }
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            if (refused(e.getKey()) || hasControlCharacters(e.getValue())) {
                return true;
            }
        }
        if (n.isArray()) {
            for (JsonNode item : n) {
                if (hasControlCharacters(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean refused(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0x7F || (c >= 0x80 && c <= 0x9F && c != 0x85) || c == 0xFFFE || c == 0xFFFF) {
                return true;
            }
        }
        return false;
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
            sortKeys(keys);
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
        return !a.multiline && k.value().getBytes(StandardCharsets.UTF_8).length <= 128;
    }

    private void scalar(Scalar s, boolean root, boolean mapping, boolean simpleKey) {
        rootContext = root;
        mappingContext = mapping;
        simpleKeyContext = simpleKey;
        Analysis a = analyze(s.value());
        Style style = s.style();
        if (simpleKeyContext && a.multiline) {
            style = Style.DOUBLE;
        }
        if (style == Style.PLAIN) {
            if ((flowLevel > 0 && !a.flowPlainAllowed) || (flowLevel == 0 && !a.blockPlainAllowed)) {
                style = Style.SINGLE;
            }
            if (s.value().isEmpty() && (flowLevel > 0 || simpleKeyContext)) {
                style = Style.SINGLE;
            }
        }
        if (style == Style.SINGLE && !a.singleQuotedAllowed) {
            style = Style.DOUBLE;
        }
        if (style == Style.LITERAL && (!a.blockAllowed || flowLevel > 0 || simpleKeyContext)) {
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

    // --- scalars as encode.go makes them ---

    private record Scalar(String value, Style style) {
        static Scalar of(JsonNode n) {
            if (n == null || n.isNull() || n.isMissingNode()) {
                return new Scalar("null", Style.PLAIN);
            }
            if (n.isBoolean()) {
                return new Scalar(n.asBoolean() ? "true" : "false", Style.PLAIN);
            }
            if (n.isIntegralNumber()) {
                BigInteger v = n.bigIntegerValue();
                // int64, then uint64, then float64 (resolve.go)
                boolean fits = v.bitLength() <= 63 || (v.signum() > 0 && v.bitLength() <= 64);
                return new Scalar(fits ? v.toString() : goFloat(new BigDecimal(v).doubleValue()), Style.PLAIN);
            }
            if (n.isNumber()) {
                return new Scalar(goFloat(n.doubleValue()), Style.PLAIN);
            }
            return ofString(n.asText());
        }

        /** encode.go stringv, of the string as go-yaml read it back from the JSON ({@link #fold}). */
        static Scalar ofString(String raw) {
            String s = fold(raw);
            boolean canUsePlain = resolvesToString(s) && !isBase60Float(s);
            Style style = s.contains("\n") ? Style.LITERAL : canUsePlain ? Style.PLAIN : Style.DOUBLE;
            return new Scalar(s, style);
        }
    }

    private static final Pattern NEL_RUN = Pattern.compile("[ \t]*\u0085(?:[ \t]*\u0085)*[ \t]*");

    /**
     * A string as go-yaml's double-quoted scanner reads it from the JSON: Go's encoder writes NEL (U+0085) as it is,
     * and YAML takes it for a line break, so a run of them (with the blanks around) folds to a space, or to one line
     * feed fewer than the breaks. The other breaks reach go-yaml escaped.
     */
    static String fold(String s) {
        if (s.indexOf('\u0085') < 0) {
            return s;
        }
        var m = NEL_RUN.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            long breaks = m.group().chars().filter(c -> c == 0x85).count();
            m.appendReplacement(out, breaks == 1 ? " " : "\n".repeat((int) breaks - 1));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** encode.go floatv: strconv.FormatFloat(f, 'g', -1, 64), infinities and NaN in YAML's words. */
    static String goFloat(double f) {
        String s = GoStrconv.formatFloatG(f);
        return switch (s) {
            case "+Inf" -> ".inf";
            case "-Inf" -> "-.inf";
            case "NaN" -> ".nan";
            default -> s;
        };
    }

    private static final Map<String, Boolean> RESOLVE_MAP = resolveMap();

    private static Map<String, Boolean> resolveMap() {
        Map<String, Boolean> m = new java.util.HashMap<>();
        for (String s : new String[] {
            "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no", "No", "NO",
            "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN",
            ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"
            // "<<" is in go-yaml's map too, but '<' has no resolve hint, so the map is never asked for it
        }) {
            m.put(s, Boolean.TRUE);
        }
        return Map.copyOf(m);
    }

    private static final Pattern YAML_STYLE_FLOAT =
            Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern BASE60_FLOAT = Pattern.compile("[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?");
    private static final Pattern GO_FLOAT_DOT = Pattern.compile("\\.[0-9]+([eE][-+]?[0-9]+)?");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,][0-9]+)?"
                    + "(?:Z|[+-][0-9]{2}:[0-9]{2}))|(?: ([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,][0-9]+)?))?");

    /** resolve.go resolve("", s) answers the str tag: the string would read back as a string if written plain. */
    static boolean resolvesToString(String s) {
        if (RESOLVE_MAP.containsKey(s)) {
            return false;
        }
        char c = s.charAt(0);
        if (c == '.') {
            return !(GO_FLOAT_DOT.matcher(s).matches() && Double.isFinite(Double.parseDouble(s)));
        }
        if (!(c == '+' || c == '-' || (c >= '0' && c <= '9'))) {
            return true;
        }
        if (isTimestamp(s)) {
            return false;
        }
        String plain = s.replace("_", "");
        if (parsesAsGoInt(plain)) {
            return false;
        }
        if (YAML_STYLE_FLOAT.matcher(plain).matches()) {
            double d = Double.parseDouble(plain);
            if (Double.isFinite(d)) {
                return false;
            }
        }
        if (plain.startsWith("0b") && plain.length() > 2 && plain.substring(2).matches("[01]+")) {
            return new BigInteger(plain.substring(2), 2).bitLength() > 64;
        }
        if (plain.startsWith("-0b") && plain.length() > 3 && plain.substring(3).matches("[01]+")) {
            return new BigInteger(plain.substring(3), 2).bitLength() > 63;
        }
        return true;
    }

    /** strconv.ParseInt(s, 0, 64), then ParseUint(s, 0, 64): base prefixes 0x, 0o, 0b and a leading 0 (octal). */
    private static boolean parsesAsGoInt(String s) {
        boolean negative = s.startsWith("-");
        String body = s.startsWith("+") || negative ? s.substring(1) : s;
        int radix = 10;
        String digits = body;
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("0x")) {
            radix = 16;
            digits = body.substring(2);
        } else if (lower.startsWith("0o")) {
            radix = 8;
            digits = body.substring(2);
        } else if (lower.startsWith("0b")) {
            radix = 2;
            digits = body.substring(2);
        } else if (body.length() > 1 && body.startsWith("0")) {
            radix = 8;
            digits = body.substring(1);
        }
        if (digits.isEmpty() || !digits.chars().allMatch(ch -> ch < 128)) {
            return false;
        }
        BigInteger v;
        try {
            v = new BigInteger(digits, radix);
        } catch (NumberFormatException e) {
            return false;
        }
        if (digits.startsWith("-") || digits.startsWith("+")) {
            return false;
        }
        if (negative) {
            return v.negate().bitLength() <= 63;
        }
        // ParseUint does not take a sign
        return v.bitLength() <= 63 || (!s.startsWith("+") && v.bitLength() <= 64);
    }

    /** resolve.go parseTimestamp: four digits, '-', then one of go-yaml's layouts that time.Parse accepts. */
    private static boolean isTimestamp(String s) {
        var m = TIMESTAMP.matcher(s);
        if (!m.matches()) {
            return false;
        }
        int year = Integer.parseInt(m.group(1));
        int month = Integer.parseInt(m.group(2));
        int day = Integer.parseInt(m.group(3));
        if (month < 1
                || month > 12
                || day < 1
                || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return false;
        }
        for (int g : new int[] {4, 7}) {
            if (m.group(g) != null
                    && (Integer.parseInt(m.group(g)) > 23
                            || Integer.parseInt(m.group(g + 1)) > 59
                            || Integer.parseInt(m.group(g + 2)) > 59)) {
                return false;
            }
        }
        return true;
    }

    /** encode.go isBase60Float. */
    static boolean isBase60Float(String s) {
        if (s.isEmpty()) {
            return false;
        }
        char c = s.charAt(0);
        if (!(c == '+' || c == '-' || (c >= '0' && c <= '9')) || s.indexOf(':') < 0) {
            return false;
        }
        return BASE60_FLOAT.matcher(s).matches();
    }

    /**
     * sort.Sort with keyList.Less. Less is not transitive for some mixes of digits and letters ("2" < "10" < "1a" <
     * "01" < "2"), where Go's result depends on the map's random iteration order; for every other set of keys any
     * sort gives Go's order. Such a set is left in the order a stable insertion sort makes.
     */
    private static void sortKeys(List<String> keys) {
        try {
            keys.sort((a, b) -> less(a, b) ? -1 : less(b, a) ? 1 : 0);
        } catch (IllegalArgumentException notTransitive) {
            for (int i = 1; i < keys.size(); i++) {
                for (int j = i; j > 0 && less(keys.get(j), keys.get(j - 1)); j--) {
                    keys.set(j, keys.set(j - 1, keys.get(j)));
                }
            }
        }
    }

    /** sorter.go keyList.Less for two string keys. */
    static boolean less(String a, String b) {
        int[] ar = a.codePoints().toArray();
        int[] br = b.codePoints().toArray();
        for (int i = 0; i < ar.length && i < br.length; i++) {
            if (ar[i] == br[i]) {
                continue;
            }
            boolean al = Character.isLetter(ar[i]);
            boolean bl = Character.isLetter(br[i]);
            if (al && bl) {
                return ar[i] < br[i];
            }
            if (al || bl) {
                return bl;
            }
            long an = 0;
            long bn = 0;
            if (ar[i] == '0' || br[i] == '0') {
                for (int j = i - 1; j >= 0 && Character.isDigit(ar[j]); j--) {
                    if (ar[j] != '0') {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }
            int ai = i;
            for (; ai < ar.length && Character.isDigit(ar[ai]); ai++) {
                an = an * 10 + (ar[ai] - '0');
            }
            int bi = i;
            for (; bi < br.length && Character.isDigit(br[bi]); bi++) {
                bn = bn * 10 + (br[bi] - '0');
            }
            if (an != bn) {
                return an < bn;
            }
            if (ai != bi) {
                return ai < bi;
            }
            return ar[i] < br[i];
        }
        return ar.length < br.length;
    }

    // --- emitterc.go ---

    private record Analysis(
            boolean multiline,
            boolean flowPlainAllowed,
            boolean blockPlainAllowed,
            boolean singleQuotedAllowed,
            boolean blockAllowed) {}

    private static boolean isPrintable(int c) {
        return c == 0x0A
                || (c >= 0x20 && c <= 0x7E)
                || (c >= 0xA0 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF);
    }

    private static boolean isBreak(int c) {
        return c == '\r' || c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
    }

    private static boolean isBlank(int c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isBlankz(int c) {
        return isBlank(c) || isBreak(c) || c == 0;
    }

    /** yaml_emitter_analyze_scalar. */
    private static Analysis analyze(String s) {
        if (s.isEmpty()) {
            return new Analysis(false, false, true, true, false);
        }
        int[] v = s.codePoints().toArray();
        boolean blockIndicators = false;
        boolean flowIndicators = false;
        boolean lineBreaks = false;
        boolean specialCharacters = false;
        boolean leadingSpace = false;
        boolean leadingBreak = false;
        boolean trailingSpace = false;
        boolean trailingBreak = false;
        boolean breakSpace = false;
        boolean spaceBreak = false;
        boolean previousSpace = false;
        boolean previousBreak = false;
        if (s.startsWith("---") || s.startsWith("...")) {
            blockIndicators = true;
            flowIndicators = true;
        }
        boolean precededByWhitespace = true;
        for (int i = 0; i < v.length; i++) {
            int c = v[i];
            boolean followedByWhitespace = i + 1 >= v.length || isBlank(v[i + 1]);
            if (i == 0) {
                switch (c) {
                    case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`' -> {
                        flowIndicators = true;
                        blockIndicators = true;
                    }
                    case '?', ':' -> {
                        flowIndicators = true;
                        if (followedByWhitespace) {
                            blockIndicators = true;
                        }
                    }
                    case '-' -> {
                        if (followedByWhitespace) {
                            flowIndicators = true;
                            blockIndicators = true;
                        }
                    }
                    default -> {}
                }
            } else {
                switch (c) {
                    case ',', '?', '[', ']', '{', '}' -> flowIndicators = true;
                    case ':' -> {
                        flowIndicators = true;
                        if (followedByWhitespace) {
                            blockIndicators = true;
                        }
                    }
                    case '#' -> {
                        if (precededByWhitespace) {
                            flowIndicators = true;
                            blockIndicators = true;
                        }
                    }
                    default -> {}
                }
            }
            if (!isPrintable(c)) {
                specialCharacters = true;
            }
            if (c == ' ') {
                if (i == 0) {
                    leadingSpace = true;
                }
                if (i + 1 == v.length) {
                    trailingSpace = true;
                }
                if (previousBreak) {
                    breakSpace = true;
                }
                previousSpace = true;
                previousBreak = false;
            } else if (isBreak(c)) {
                lineBreaks = true;
                if (i == 0) {
                    leadingBreak = true;
                }
                if (i + 1 == v.length) {
                    trailingBreak = true;
                }
                if (previousSpace) {
                    spaceBreak = true;
                }
                previousSpace = false;
                previousBreak = true;
            } else {
                previousSpace = false;
                previousBreak = false;
            }
            precededByWhitespace = isBlankz(c);
        }
        boolean flowPlain = true;
        boolean blockPlain = true;
        boolean singleQuoted = true;
        boolean block = true;
        if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
            flowPlain = false;
            blockPlain = false;
        }
        if (trailingSpace) {
            block = false;
        }
        if (breakSpace) {
            flowPlain = false;
            blockPlain = false;
            singleQuoted = false;
        }
        if (spaceBreak || specialCharacters) {
            flowPlain = false;
            blockPlain = false;
            singleQuoted = false;
            block = false;
        }
        if (lineBreaks) {
            flowPlain = false;
            blockPlain = false;
        }
        if (flowIndicators) {
            flowPlain = false;
        }
        if (blockIndicators) {
            blockPlain = false;
        }
        return new Analysis(lineBreaks, flowPlain, blockPlain, singleQuoted, block);
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

package io.kubetwin.apiserver.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * go-yaml v2's choice of a scalar's text and style (encode.go stringv, floatv; resolve.go): a string is plain when it
 * would read back as a string, double-quoted when it would resolve to another type ({@code "true"}, {@code "1"},
 * timestamps, base-60 floats), a literal block when it holds a line break; numbers as go-yaml prints the int, uint64
 * or float64 it read from the JSON. The emitter may downgrade the style further ({@link GoYamlAnalysis}).
 */
final class GoYamlScalars {
    private GoYamlScalars() {}

    enum Style {
        PLAIN,
        SINGLE,
        DOUBLE,
        LITERAL
    }

    record Scalar(String value, Style style) {
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
}

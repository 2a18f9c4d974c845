package io.kubetwin.pki;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The few pieces of Go text formatting that kube-apiserver messages depend on: {@code %q} of a string
 * (strconv.Quote), {@code %v} and {@code %q} of a string slice, RFC 3339 times as crypto/x509 prints them,
 * the message of a utilerrors.Aggregate (k8s.io/apimachinery/pkg/util/errors/errors.go) and Go's
 * byte-wise string order. One place for all of it: messages from every stage use the same rules.
 * Stateless and thread-safe.
 */
public final class GoText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoText() {}

    /** Go sorts strings by their UTF-8 bytes, which is the same as ordering by code points. */
    public static final Comparator<String> ORDER = GoText::compare;

    private static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /**
     * {@code fmt.Sprintf("%q", s)}, i.e. strconv.Quote: double-quoted, printable runes (unicode.IsPrint) kept, the
     * rest escaped as {@code \a \b \f \n \r \t \v}, {@code \xNN} (below U+0020 and U+007F), {@code \}{@code uNNNN}
     * or {@code \UNNNNNNNN}, with lower-case hex; a lone surrogate prints as U+FFFD.
     */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(cp -> appendQuoted(out, cp));
        return out.append('"').toString();
    }

    /** {@code %v} of a []string: {@code [a b c]}. */
    public static String list(List<String> values) {
        return "[" + String.join(" ", values) + "]";
    }

    /** A time as crypto/x509 prints it ({@code time.RFC3339} in UTC, whole seconds). */
    public static String rfc3339(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
                .withZone(ZoneOffset.UTC)
                .format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** {@code fmt.Sprintf("%q", []string{...})}: {@code ["a" "b"]}, {@code []} when empty. */
    public static String quoteList(List<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(quote(values.get(i)));
        }
        return out.append(']').toString();
    }

    /**
     * The message of {@code utilerrors.NewAggregate(errs)}: "" for none, the message itself for one, otherwise the
     * de-duplicated messages joined by ", " in brackets (or bare, when de-duplication leaves one). Nested aggregates
     * are flattened by Go before printing, so callers pass flat lists.
     */
    public static String aggregate(List<String> messages) {
        if (messages.isEmpty()) {
            return "";
        }
        if (messages.size() == 1) {
            return messages.get(0);
        }
        Set<String> seen = new LinkedHashSet<>(messages);
        String joined = String.join(", ", seen);
        return seen.size() == 1 ? joined : "[" + joined + "]";
    }

    private static void appendQuoted(StringBuilder out, int cp) {
        switch (cp) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case 0x07 -> out.append("\\a");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case 0x0b -> out.append("\\v");
            default -> {
                if (isPrint(cp)) {
                    out.appendCodePoint(cp);
                } else if (cp < ' ' || cp == 0x7f) {
                    hex(out.append("\\x"), cp, 2);
                } else if (cp <= 0xffff && Character.isSurrogate((char) cp)) {
                    out.append('\ufffd'); // a lone surrogate reaches Go (via JSON) as U+FFFD, which is printable
                } else if (cp <= 0xffff) {
                    hex(out.append("\\u"), cp, 4);
                } else {
                    hex(out.append("\\U"), cp, 8);
                }
            }
        }
    }

    private static void hex(StringBuilder out, int value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            out.append(HEX[(value >> shift) & 0xf]);
        }
    }

    /** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER,
                    Character.LOWERCASE_LETTER,
                    Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER,
                    Character.OTHER_LETTER,
                    Character.NON_SPACING_MARK,
                    Character.ENCLOSING_MARK,
                    Character.COMBINING_SPACING_MARK,
                    Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER,
                    Character.OTHER_NUMBER,
                    Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION,
                    Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION,
                    Character.MATH_SYMBOL,
                    Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL,
                    Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }
}

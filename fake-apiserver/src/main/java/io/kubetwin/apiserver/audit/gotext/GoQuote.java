package io.kubetwin.apiserver.audit.gotext;

import java.util.List;

/**
 * Go's {@code strconv.Quote} ({@code %q} of a string): double-quoted, printable runes kept, the rest
 * escaped as {@code \a \b \f \n \r \t \v}, {@code \xNN} (below U+0020 and U+007F), {@code &#92;uNNNN} or
 * {@code &#92;UNNNNNNNN}, with lower-case hex. "Printable" is Go's {@code unicode.IsPrint}: letters, marks,
 * numbers, punctuation, symbols and the ASCII space.
 */
public final class GoQuote {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoQuote() {}

    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isSurrogate((char) cp)) {
                cp = 0xFFFD; // a lone surrogate is not valid UTF-8; Go would see U+FFFD-like bytes
            }
            appendRune(b, cp);
        }
        return b.append('"').toString();
    }

    /** Each element quoted, joined by commas: the {@code auditStringSlice} of pkg/audit/format.go. */
    public static String quoteEach(List<String> values) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(quote(values.get(i)));
        }
        return b.toString();
    }

    private static void appendRune(StringBuilder b, int cp) {
        if (cp == '"' || cp == '\\') {
            b.append('\\').appendCodePoint(cp);
            return;
        }
        if (isPrint(cp)) {
            b.appendCodePoint(cp);
            return;
        }
        switch (cp) {
            case 0x07 -> b.append("\\a");
            case '\b' -> b.append("\\b");
            case '\f' -> b.append("\\f");
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            case 0x0B -> b.append("\\v");
            default -> {
                if (cp < ' ' || cp == 0x7F) {
                    b.append("\\x").append(HEX[cp >> 4]).append(HEX[cp & 0xF]);
                } else if (cp < 0x10000) {
                    b.append("\\u");
                    hex(b, cp, 4);
                } else {
                    b.append("\\U");
                    hex(b, cp, 8);
                }
            }
        }
    }

    private static void hex(StringBuilder b, int value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            b.append(HEX[(value >> shift) & 0xF]);
        }
    }

    /** Go's unicode.IsPrint: categories L, M, N, P, S and the ASCII space. */
    static boolean isPrint(int cp) {
        if (cp < 0x80) {
            return cp >= 0x20 && cp < 0x7F;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                 Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                 Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
                 Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                 Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION,
                 Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                 Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }
}

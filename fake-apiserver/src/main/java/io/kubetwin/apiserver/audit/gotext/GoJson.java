package io.kubetwin.apiserver.audit.gotext;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Comparator;
import java.util.List;

/**
 * Go's {@code encoding/json} output conventions. Go escapes {@code <}, {@code >} and {@code &} as
 * {@code &#92;u003c}, {@code &#92;u003e}, {@code &#92;u0026}, U+2028/U+2029 as {@code &#92;u2028}/{@code &#92;u2029}, control
 * characters as {@code \n \r \t \b \f} or {@code &#92;u00XX} with lower-case hex, and sorts map keys by their
 * bytes. Jackson escapes differently by default, so every audit JSON writer uses {@link #mapper()}.
 */
public final class GoJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    static {
        MAPPER.getFactory().setCharacterEscapes(new GoEscapes());
    }

    private GoJson() {}

    /**
     * A shared, thread-safe mapper whose generators escape as Go does. Do not reconfigure it;
     * use {@code mapper().copy()} for other settings.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A JSON string literal as Go's json.Marshal writes it. */
    public static String string(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON array of strings as Go's json.Marshal writes a {@code []string} (null prints {@code null}). */
    public static String stringArray(List<String> values) {
        if (values == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(string(values.get(i)));
        }
        return b.append(']').toString();
    }

    /** Go's order of map keys when it encodes a map: by UTF-8 bytes, i.e. by code point. */
    public static final Comparator<String> KEY_ORDER = io.kubetwin.apiserver.api.GoText.ORDER;

    /** Jackson escapes configured to produce Go's bytes. */
    private static final class GoEscapes extends CharacterEscapes {
        private static final char[] HEX = "0123456789abcdef".toCharArray();
        private final int[] ascii;
        private final SerializableString[] asciiEscapes = new SerializableString[128];

        GoEscapes() {
            ascii = standardAsciiEscapesForJSON();
            for (int c = 0; c < 0x20; c++) {
                ascii[c] = ESCAPE_CUSTOM;
                asciiEscapes[c] = new SerializedString(switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    case '\b' -> "\\b";
                    case '\f' -> "\\f";
                    default -> "\\u00" + HEX[c >> 4] + HEX[c & 0xF];
                });
            }
            for (char c : new char[] {'<', '>', '&'}) {
                ascii[c] = ESCAPE_CUSTOM;
                asciiEscapes[c] = new SerializedString("\\u00" + HEX[c >> 4] + HEX[c & 0xF]);
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch < 128) {
                return asciiEscapes[ch];
            }
            if (ch == 0x2028) {
                return new SerializedString("\\u2028");
            }
            if (ch == 0x2029) {
                return new SerializedString("\\u2029");
            }
            return null;
        }
    }
}

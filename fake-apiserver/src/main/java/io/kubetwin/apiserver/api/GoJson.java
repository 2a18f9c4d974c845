package io.kubetwin.apiserver.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * JSON strings written as Go's {@code encoding/json} writes them (encode.go {@code appendString} with
 * {@code escapeHTML}, the default of json.Marshal and json.Encoder), which every body kube-apiserver sends is:
 * Status bodies, served objects and audit events alike. The one place these rules live:
 * <ul>
 *   <li>{@code "} and {@code \} as {@code \"} and {@code \\}; {@code /} and DEL (U+007F) unescaped;</li>
 *   <li>control characters as {@code \b \f \n \r \t} (Go 1.22 and later) or {@code &#92;u00XX} with lower-case
 *       hex;</li>
 *   <li>{@code <}, {@code >}, {@code &} as {@code &#92;u003c}, {@code &#92;u003e}, {@code &#92;u0026};</li>
 *   <li>U+2028 and U+2029 as {@code &#92;u2028} and {@code &#92;u2029}; every other character raw, in UTF-8;</li>
 *   <li>characters outside the BMP as their raw 4-byte UTF-8, never as an escaped surrogate pair;</li>
 *   <li>a lone surrogate as U+FFFD, raw: Go's decoder turns an unpaired {@code &#92;ud800} of a request body into
 *       U+FFFD, where Jackson's keeps the lone char, so the fake replaces it when it writes.</li>
 * </ul>
 * Verified byte for byte against kube-apiserver v1.34.4 (golden/gojson/, recorded by record-go-json.sh).
 * Thread-safe; the shared mapper must not be reconfigured.
 */
public final class GoJson {
    private static final Escapes ESCAPES = new Escapes();
    // a plain ObjectMapper: JsonMapper does not support copyWith, which withGoStrings relies on
    private static final ObjectMapper MAPPER = new ObjectMapper(factory());

    private GoJson() {}

    /**
     * A new factory whose generators write strings as Go does (a new one each call: a factory belongs to one
     * mapper). A NaN is not dressed up as the string "NaN": Go refuses to encode one at all.
     */
    public static JsonFactory factory() {
        return new JsonFactoryBuilder()
                .characterEscapes(ESCAPES)
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                // Go's encoder has no depth limit; a stored object may nest past Jackson's default of 1,000
                // (a custom resource of 10,000 levels plus its managedFields), see DeepStack
                .streamWriteConstraints(StreamWriteConstraints.builder()
                        .maxNestingDepth(Integer.MAX_VALUE)
                        .build())
                .addDecorator((factory, generator) -> new WellFormedStrings(generator))
                .build();
    }

    /** The shared mapper writing Go's bytes; use {@link #withGoStrings} for other settings. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A copy of {@code mapper} (a plain ObjectMapper), keeping its configuration, that writes strings as Go does. */
    public static ObjectMapper withGoStrings(ObjectMapper mapper) {
        return mapper.copyWith(factory());
    }

    /** A JSON string literal as Go's json.Marshal writes it. */
    public static String string(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON array of strings as Go's json.Marshal writes a {@code []string} (null prints {@code null}). */
    public static String stringArray(List<String> values) {
        return values == null ? "null" : values.stream().map(GoJson::string).collect(Collectors.joining(",", "[", "]"));
    }

    /** {@code s} with every unpaired surrogate replaced by U+FFFD (itself when there is none). */
    private static String wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return replaceLoneSurrogates(s, i);
            }
        }
        return s;
    }

    private static String replaceLoneSurrogates(String s, int from) {
        StringBuilder b = null;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                if (b == null) {
                    b = new StringBuilder(s);
                }
                b.setCharAt(i, '\ufffd');
            }
        }
        return b == null ? s : b.toString();
    }

    /** Go's escapes, precomputed; immutable, so one instance serves every generator. */
    private static final class Escapes extends CharacterEscapes {
        private static final char[] HEX = "0123456789abcdef".toCharArray();
        private static final SerializableString LINE_SEPARATOR = new SerializedString("\\u2028");
        private static final SerializableString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");
        private final int[] ascii = standardAsciiEscapesForJSON();
        private final SerializableString[] asciiEscapes = new SerializableString[128];

        Escapes() {
            // custom rather than Jackson's standard escapes, which write upper-case hex (000B, not Go's 000b)
            for (int c = 0; c < 0x20; c++) {
                custom(
                        c,
                        switch (c) {
                            case '\b' -> "\\b";
                            case '\f' -> "\\f";
                            case '\n' -> "\\n";
                            case '\r' -> "\\r";
                            case '\t' -> "\\t";
                            default -> unicodeEscape(c);
                        });
            }
            for (char c : new char[] {'<', '>', '&'}) {
                custom(c, unicodeEscape(c));
            }
        }

        private void custom(int c, String escape) {
            ascii[c] = ESCAPE_CUSTOM;
            asciiEscapes[c] = new SerializedString(escape);
        }

        private static String unicodeEscape(int c) {
            return "\\u00" + HEX[c >> 4] + HEX[c & 0xF];
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
            return switch (ch) {
                case 0x2028 -> LINE_SEPARATOR;
                case 0x2029 -> PARAGRAPH_SEPARATOR;
                default -> null;
            };
        }
    }

    /**
     * Replaces lone surrogates before Jackson sees them: its byte generator would write them as {@code &#92;uD800}
     * escapes and its char generator raw, which UTF-8 encoding then turns into {@code ?}.
     */
    private static final class WellFormedStrings extends JsonGeneratorDelegate {
        WellFormedStrings(JsonGenerator delegate) {
            super(delegate, false);
        }

        @Override
        public void writeString(String text) throws IOException {
            delegate.writeString(text == null ? null : wellFormed(text));
        }

        @Override
        public void writeString(char[] text, int offset, int len) throws IOException {
            for (int i = offset; i < offset + len; i++) {
                if (Character.isSurrogate(text[i])) {
                    writeString(new String(text, offset, len));
                    return;
                }
            }
            delegate.writeString(text, offset, len);
        }

        @Override
        public void writeFieldName(String name) throws IOException {
            delegate.writeFieldName(wellFormed(name));
        }
    }
}

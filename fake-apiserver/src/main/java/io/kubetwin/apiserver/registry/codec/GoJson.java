package io.kubetwin.apiserver.registry.codec;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON written as Go's encoding/json writes it, which kube-apiserver's bodies are byte for byte: '&lt;',
 * '&gt;' and '&amp;' escaped as \u003c, \u003e, \u0026 (HTML-safe escaping is on by default in Go).
 * (Go also escapes U+2028/U+2029; that is not reproduced.) Thread-safe.
 */
public final class GoJson {
    private GoJson() {}

    /** An ObjectMapper whose output escapes like Go's encoder. */
    public static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.getFactory().setCharacterEscapes(new Escapes());
        return mapper;
    }

    private static final class Escapes extends CharacterEscapes {
        private final int[] table;

        Escapes() {
            table = CharacterEscapes.standardAsciiEscapesForJSON();
            table['<'] = ESCAPE_CUSTOM;
            table['>'] = ESCAPE_CUSTOM;
            table['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return switch (ch) {
                case '<' -> new SerializedString("\\u003c");
                case '>' -> new SerializedString("\\u003e");
                case '&' -> new SerializedString("\\u0026");
                default -> null;
            };
        }
    }
}

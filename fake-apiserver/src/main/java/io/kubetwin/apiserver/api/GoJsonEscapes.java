package io.kubetwin.apiserver.api;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Escapes strings as Go's encoding/json does by default (HTML-safe): {@code <}, {@code >} and {@code &}
 * become {@code \u003c}, {@code \u003e}, {@code \u0026}, and U+2028/U+2029 are escaped, so that bodies
 * such as Forbidden messages match kube-apiserver's byte for byte.
 */
public final class GoJsonEscapes extends CharacterEscapes {
    private final int[] asciiEscapes;

    public GoJsonEscapes() {
        asciiEscapes = standardAsciiEscapesForJSON();
        asciiEscapes['<'] = ESCAPE_STANDARD;
        asciiEscapes['>'] = ESCAPE_STANDARD;
        asciiEscapes['&'] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return asciiEscapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        if (ch == 0x2028) {
            return new SerializedString("\\u2028");
        }
        if (ch == 0x2029) {
            return new SerializedString("\\u2029");
        }
        return null;
    }
}

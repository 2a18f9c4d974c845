package io.kubetwin.apiserver.storage.encryption;

import java.util.Base64;

/**
 * Go's {@code base64.StdEncoding.DecodeString}, which differs from {@link Base64#getDecoder()} in two ways that
 * decide whether kube-apiserver accepts a key: padding is required, and CR and LF anywhere are skipped.
 */
final class GoBase64 {
    private GoBase64() {}

    /** The decoded bytes, or null when Go would refuse the text. */
    static byte[] decode(String text) {
        String s = text.replace("\r", "").replace("\n", "");
        if (s.length() % 4 != 0) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

package io.kubetwin.apiserver.api;

import io.kubetwin.pki.GoText;

/**
 * Go's strconv parsing of query parameters as apimachinery's conversions read them, with Go's error texts
 * ({@code strconv.ParseInt: parsing "x": invalid syntax}). Pure.
 */
public final class GoStrconv {
    private GoStrconv() {}

    /** strconv.ParseInt(s, 10, 64); the error's message is Go's. */
    public static long parseInt64(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            String reason = value.matches("[+-]?[0-9]+") ? "value out of range" : "invalid syntax";
            throw new NumberFormatException("strconv.ParseInt: parsing " + GoText.quote(value) + ": " + reason);
        }
    }

    /** strconv.ParseUint(s, 10, 64), as etcd3's resource versions are parsed. */
    public static long parseUint64(String value) {
        if (!value.matches("[0-9]+")) {
            throw new NumberFormatException("strconv.ParseUint: parsing " + GoText.quote(value) + ": invalid syntax");
        }
        try {
            return Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw new NumberFormatException(
                    "strconv.ParseUint: parsing " + GoText.quote(value) + ": value out of range");
        }
    }

    /** runtime.Convert_Slice_string_To_bool: "false" (any case) and "0" are false, anything else true. */
    public static boolean queryBool(String value) {
        return !(value.equalsIgnoreCase("false") || value.equals("0"));
    }
}

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

    /**
     * strconv.FormatFloat(f, 'g', -1, 64), which %v of a float64 prints too: the shortest digits that read back as
     * {@code f}, with an exponent ({@code 1e+06}, {@code 1e-05}) below 1e-4 or from 1e6 on.
     */
    public static String formatFloatG(double f) {
        return formatG(f, Double.isNaN(f) || Double.isInfinite(f) || f == 0 ? null : Double.toString(f));
    }

    /** strconv.FormatFloat(f, 'g', -1, 32): the shortest digits that read back as the float32. */
    public static String formatFloatG32(float f) {
        return formatG(f, Float.isNaN(f) || Float.isInfinite(f) || f == 0 ? null : Float.toString(f));
    }

    private static String formatG(double f, String shortestText) {
        if (Double.isNaN(f)) {
            return "NaN";
        }
        if (Double.isInfinite(f)) {
            return f > 0 ? "+Inf" : "-Inf";
        }
        if (f == 0) {
            return 1 / f < 0 ? "-0" : "0";
        }
        java.math.BigDecimal shortest = new java.math.BigDecimal(shortestText).stripTrailingZeros();
        int exp = shortest.precision() - shortest.scale() - 1;
        if (exp < -4 || exp >= 6) {
            String mantissa = shortest.unscaledValue().abs().toString();
            String m = mantissa.length() > 1 ? mantissa.charAt(0) + "." + mantissa.substring(1) : mantissa;
            return (f < 0 ? "-" : "") + m + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "")
                    + Math.abs(exp);
        }
        return shortest.toPlainString();
    }
}

package io.kubetwin.pki;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;

/**
 * Go's {@code time.ParseDuration} and {@code Duration.String}, so flags such as kubeadm's
 * {@code --validity-period=8760h} read and print exactly as they do in Go. Go durations are signed
 * 64-bit nanosecond counts (about ±292 years); larger values are rejected as Go rejects them. Stateless.
 */
public final class GoDuration {
    private static final Map<String, Long> UNITS = Map.of(
            "ns",
            1L,
            "us",
            1_000L,
            "\u00b5s",
            1_000L,
            "\u03bcs",
            1_000L,
            "ms",
            1_000_000L,
            "s",
            1_000_000_000L,
            "m",
            60_000_000_000L,
            "h",
            3_600_000_000_000L);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private GoDuration() {}

    /**
     * Parses e.g. {@code 8760h}, {@code 1h30m}, {@code 1.5h}, {@code -90s}, {@code 300ms}, {@code 0}.
     *
     * @throws IllegalArgumentException with Go's message: {@code time: invalid duration "x"},
     *         {@code time: missing unit in duration "1"}, {@code time: unknown unit "d" in duration "1d"}
     */
    public static Duration parse(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && isDigit(s.charAt(i))) {
                i++;
            }
            boolean leadingDigits = i > start;
            boolean fraction = false;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int fracStart = i;
                while (i < s.length() && isDigit(s.charAt(i))) {
                    i++;
                }
                fraction = i > fracStart;
            }
            if (!leadingDigits && !fraction) {
                throw invalid(text);
            }
            // "5." and ".5" are valid in Go; BigDecimal wants digits on both sides.
            String digits = s.substring(start, i);
            BigDecimal number = new BigDecimal("0" + digits + (fraction || digits.endsWith(".") ? "0" : ""));
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
                i++;
            }
            if (unitStart == i) {
                throw new IllegalArgumentException("time: missing unit in duration " + quote(text));
            }
            String unit = s.substring(unitStart, i);
            Long nanos = UNITS.get(unit);
            if (nanos == null) {
                throw new IllegalArgumentException("time: unknown unit " + quote(unit) + " in duration " + quote(text));
            }
            total = total.add(number.multiply(BigDecimal.valueOf(nanos)));
        }
        BigInteger nanos = total.toBigInteger(); // Go truncates fractional nanoseconds
        if (nanos.compareTo(MAX) > 0) {
            throw invalid(text);
        }
        long n = nanos.longValueExact();
        return Duration.ofNanos(negative ? -n : n);
    }

    /** Go's {@code Duration.String}: {@code 8760h0m0s}, {@code 1m30s}, {@code 1.5s}, {@code 300ms}, {@code 0s}. */
    public static String format(Duration duration) {
        long total;
        try {
            total = duration.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration out of Go's range: " + duration, e);
        }
        if (total == 0) {
            return "0s";
        }
        String sign = total < 0 ? "-" : "";
        BigInteger u = BigInteger.valueOf(total).abs();
        long v = u.longValue(); // |Long.MIN_VALUE| does not fit; Go prints it via uint64, so use unsigned math
        if (Long.compareUnsigned(v, 1_000_000_000L) < 0) {
            if (v < 1_000L) {
                return sign + v + "ns";
            }
            if (v < 1_000_000L) {
                return sign + fraction(v, 3) + "\u00b5s";
            }
            return sign + fraction(v, 6) + "ms";
        }
        String seconds = fraction(Long.remainderUnsigned(v, 1_000_000_000L), 9);
        String frac = seconds.startsWith("0") ? seconds.substring(1) : seconds; // ".5" or ""
        long whole = Long.divideUnsigned(v, 1_000_000_000L);
        StringBuilder out = new StringBuilder();
        out.append(whole % 60).append(frac).append('s');
        whole /= 60;
        if (whole > 0) {
            out.insert(0, (whole % 60) + "m");
            whole /= 60;
            if (whole > 0) {
                out.insert(0, whole + "h");
            }
        }
        return sign + out;
    }

    // value / 10^digits with the fraction's trailing zeros (and a bare '.') dropped, as Go's fmtFrac does.
    private static String fraction(long value, int digits) {
        BigDecimal d = BigDecimal.valueOf(value).movePointLeft(digits).stripTrailingZeros();
        return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration " + quote(text));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

package io.kubetwin.apiserver.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource quantity ("500m", "1Gi", "2e3") as k8s.io/apimachinery/pkg/api/resource/quantity.go reads,
 * compares, adds and prints it: precision beyond nano units is rounded up, and {@link #toString()} is Go's
 * canonical form (the one error messages and stored objects show: "0.5" prints as "500m", "1536Mi" stays,
 * "2048Mi" becomes "2Gi", "1000m" becomes "1").
 *
 * @param value the exact value
 * @param format the suffix family the value was written in, which the canonical form keeps
 */
public record Quantity(BigDecimal value, Format format) implements Comparable<Quantity> {

    /** The three suffix families of quantity.go. */
    public enum Format {
        BINARY_SI,
        DECIMAL_SI,
        DECIMAL_EXPONENT
    }

    public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI);

    /** resource.MaxMilliValue: beyond it comparisons use whole units, as upstream's overflow guard does. */
    public static final long MAX_MILLI_VALUE = Long.MAX_VALUE / 1000;

    private static final Pattern SYNTAX = Pattern.compile(
            "([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?");
    private static final String[] BINARY = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final BigInteger KI = BigInteger.valueOf(1024);

    public Quantity {
        // quantity.go keeps nano precision at most and rounds the rest away from zero
        if (value.scale() > 9) {
            value = value.setScale(9, RoundingMode.UP);
        }
    }

    public static Quantity of(long value) {
        return new Quantity(BigDecimal.valueOf(value), Format.DECIMAL_SI);
    }

    /** resource.ParseQuantity; empty when the text is not a quantity. */
    public static Optional<Quantity> tryParse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal number = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
        String suffix = m.group(2) == null ? "" : m.group(2);
        return Optional.of(
                switch (suffix) {
                    case "" -> new Quantity(number, Format.DECIMAL_SI);
                    case "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" ->
                        new Quantity(number.multiply(new BigDecimal(KI.pow(binaryPower(suffix)))), Format.BINARY_SI);
                    case "n" -> new Quantity(number.scaleByPowerOfTen(-9), Format.DECIMAL_SI);
                    case "u" -> new Quantity(number.scaleByPowerOfTen(-6), Format.DECIMAL_SI);
                    case "m" -> new Quantity(number.scaleByPowerOfTen(-3), Format.DECIMAL_SI);
                    case "k" -> new Quantity(number.scaleByPowerOfTen(3), Format.DECIMAL_SI);
                    case "M" -> new Quantity(number.scaleByPowerOfTen(6), Format.DECIMAL_SI);
                    case "G" -> new Quantity(number.scaleByPowerOfTen(9), Format.DECIMAL_SI);
                    case "T" -> new Quantity(number.scaleByPowerOfTen(12), Format.DECIMAL_SI);
                    case "P" -> new Quantity(number.scaleByPowerOfTen(15), Format.DECIMAL_SI);
                    case "E" -> new Quantity(number.scaleByPowerOfTen(18), Format.DECIMAL_SI);
                    default ->
                        new Quantity(
                                number.scaleByPowerOfTen(
                                        Integer.parseInt(suffix.substring(1).replace("+", ""))),
                                Format.DECIMAL_EXPONENT);
                });
    }

    /** Parses a quantity the API already validated; a malformed one counts as zero. */
    public static Quantity parse(String text) {
        return tryParse(text).orElse(ZERO);
    }

    private static int binaryPower(String suffix) {
        for (int i = 1; i < BINARY.length; i++) {
            if (BINARY[i].equals(suffix)) {
                return i;
            }
        }
        throw new IllegalArgumentException(suffix);
    }

    /** Quantity.Value: whole units, rounded up. */
    public long longValue() {
        return clamp(value.setScale(0, RoundingMode.CEILING));
    }

    /** Quantity.MilliValue: thousandths, rounded up. */
    public long milliValue() {
        return clamp(value.scaleByPowerOfTen(3).setScale(0, RoundingMode.CEILING));
    }

    private static long clamp(BigDecimal d) {
        BigInteger i = d.toBigInteger();
        if (i.bitLength() > 63) {
            return i.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return i.longValue();
    }

    public boolean isZero() {
        return value.signum() == 0;
    }

    public int signum() {
        return value.signum();
    }

    /** Quantity.Add: a zero receiver takes the other's format, as upstream's does. */
    public Quantity add(Quantity other) {
        return new Quantity(value.add(other.value), isZero() ? other.format : format);
    }

    public Quantity subtract(Quantity other) {
        return new Quantity(value.subtract(other.value), isZero() ? other.format : format);
    }

    @Override
    public int compareTo(Quantity o) {
        return value.compareTo(o.value);
    }

    /** Equal values, whatever the format (Quantity.Cmp == 0). */
    public boolean sameValue(Quantity o) {
        return value.compareTo(o.value) == 0;
    }

    /** Go's canonical form (Quantity.String). */
    @Override
    public String toString() {
        if (isZero()) {
            return "0";
        }
        Format f = format;
        if (f == Format.BINARY_SI) {
            boolean small = value.abs().compareTo(BigDecimal.valueOf(1024)) < 0;
            boolean whole = value.stripTrailingZeros().scale() <= 0;
            if (small || !whole) {
                f = Format.DECIMAL_SI;
            } else {
                BigInteger amount = value.toBigIntegerExact();
                int power = 0;
                while (power < BINARY.length - 1 && amount.mod(KI).signum() == 0) {
                    amount = amount.divide(KI);
                    power++;
                }
                return amount + BINARY[power];
            }
        }
        BigDecimal stripped = value.stripTrailingZeros();
        BigInteger mantissa = stripped.unscaledValue();
        int exponent = -stripped.scale();
        // the exponent goes down to a multiple of three, the mantissa up
        int extra = Math.floorMod(exponent, 3);
        mantissa = mantissa.multiply(BigInteger.TEN.pow(extra));
        exponent -= extra;
        if (f == Format.DECIMAL_EXPONENT) {
            return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
        }
        String suffix =
                switch (exponent) {
                    case -9 -> "n";
                    case -6 -> "u";
                    case -3 -> "m";
                    case 0 -> "";
                    case 3 -> "k";
                    case 6 -> "M";
                    case 9 -> "G";
                    case 12 -> "T";
                    case 15 -> "P";
                    case 18 -> "E";
                    default -> null;
                };
        if (suffix == null) {
            // beyond exa: quantity.go falls back to the exponent form
            return mantissa + "e" + exponent;
        }
        return mantissa + suffix;
    }
}

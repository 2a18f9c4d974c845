package io.kubetwin.apiserver.admission.policy;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource.Quantity value for CEL's {@code quantity()} (k8s.io/apimachinery/pkg/api/resource): a decimal
 * number with a binary (Ki..Ei), decimal (n, u, m, k, M..E) or exponent suffix, compared by value.
 */
record Quantity(BigDecimal value) {

    private static final Pattern SYNTAX = Pattern.compile("^([+-]?[0-9]*\\.?[0-9]*)([eEinumkKMGTP]*[-+]?[0-9]*)$");
    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("n", new BigDecimal("1e-9")),
            Map.entry("u", new BigDecimal("1e-6")),
            Map.entry("m", new BigDecimal("1e-3")),
            Map.entry("k", new BigDecimal("1e3")),
            Map.entry("M", new BigDecimal("1e6")),
            Map.entry("G", new BigDecimal("1e9")),
            Map.entry("T", new BigDecimal("1e12")),
            Map.entry("P", new BigDecimal("1e15")),
            Map.entry("E", new BigDecimal("1e18")),
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
            Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
            Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
            Map.entry("Ei", BigDecimal.valueOf(1L << 60)));

    /** The quantity, or null when {@code text} is not one (resource.ParseQuantity fails). */
    static Quantity parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            return null;
        }
        String number = m.group(1);
        String suffix = m.group(2);
        if (number.isEmpty() || number.equals("+") || number.equals("-") || number.equals(".")) {
            return null;
        }
        BigDecimal base;
        try {
            base = new BigDecimal(number.startsWith("+") ? number.substring(1) : number);
        } catch (NumberFormatException e) {
            return null;
        }
        BigDecimal multiplier = SUFFIXES.get(suffix);
        if (multiplier == null) {
            if (!suffix.matches("[eE][-+]?[0-9]+")) {
                return null;
            }
            multiplier = BigDecimal.ONE.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
        }
        return new Quantity(base.multiply(multiplier));
    }

    boolean isInteger() {
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    Quantity plus(BigDecimal other) {
        return new Quantity(value.add(other));
    }
}

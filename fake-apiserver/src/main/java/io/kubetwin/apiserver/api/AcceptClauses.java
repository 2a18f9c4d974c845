package io.kubetwin.apiserver.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Accept header read as kube-apiserver reads it (github.com/munnerz/goautoneg ParseAccept): clauses
 * split on ',' and ';', a clause without a subtype dropped unless it is '*', parameters other than
 * {@code q} kept, then ordered by that library's comparison (quality, then concrete type and subtype
 * first) with Go's insertion sort, which is what sort.Sort does for headers of up to twelve clauses.
 */
public final class AcceptClauses {
    private AcceptClauses() {}

    /** One media range of the header. */
    public record Clause(String type, String subType, double q, Map<String, String> params) {
        public Clause {
            params = Collections.unmodifiableMap(params);
        }
    }

    public static List<Clause> parse(String header) {
        List<Clause> clauses = new ArrayList<>();
        for (String rawPart : split(header, ',')) {
            String part = trimSpaces(rawPart);
            List<String> pieces = split(part, ';');
            String range = pieces.get(0);
            int slash = range.indexOf('/');
            String type = trimSpaces(slash < 0 ? range : range.substring(0, slash));
            String subType;
            if (slash < 0 || slash == range.length() - 1) {
                if (!type.equals("*")) {
                    continue;
                }
                subType = "*";
            } else {
                String rest = range.substring(slash + 1);
                if (rest.indexOf('/') >= 0) {
                    continue;
                }
                subType = trimSpaces(rest);
            }
            double q = 1.0;
            Map<String, String> params = new LinkedHashMap<>();
            for (String param : pieces.subList(1, pieces.size())) {
                int eq = param.indexOf('=');
                if (eq < 0 || param.indexOf('=', eq + 1) >= 0) {
                    continue;
                }
                String token = trimSpaces(param.substring(0, eq));
                String value = param.substring(eq + 1);
                if (token.equals("q")) {
                    q = parseQuality(value);
                } else {
                    params.put(token, trimSpaces(value));
                }
            }
            clauses.add(new Clause(type, subType, q, params));
        }
        insertionSort(clauses);
        return clauses;
    }

    /** strconv.ParseFloat(v, 32) with the error ignored: an unparsable quality is 0. */
    private static double parseQuality(String value) {
        try {
            return value.isEmpty() || !value.strip().equals(value) ? 0 : (float) Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** goautoneg's Less: not a strict order, so the sort algorithm matters; this is the one Go uses here. */
    private static boolean less(Clause a, Clause b) {
        if (a.q() > b.q()) {
            return true;
        }
        if (!a.type().equals("*") && b.type().equals("*")) {
            return true;
        }
        return !a.subType().equals("*") && b.subType().equals("*");
    }

    private static void insertionSort(List<Clause> clauses) {
        for (int i = 1; i < clauses.size(); i++) {
            for (int j = i; j > 0 && less(clauses.get(j), clauses.get(j - 1)); j--) {
                Collections.swap(clauses, j, j - 1);
            }
        }
    }

    /** Go's split as goautoneg does it: an empty header has no parts; a trailing separator adds none. */
    private static List<String> split(String s, char separator) {
        List<String> parts = new ArrayList<>();
        String remaining = s == null ? "" : s;
        while (!remaining.isEmpty()) {
            int index = remaining.indexOf(separator);
            if (index < 0) {
                parts.add(remaining);
                remaining = "";
            } else {
                parts.add(remaining.substring(0, index));
                remaining = remaining.substring(index + 1);
            }
        }
        if (parts.isEmpty()) {
            parts.add("");
        }
        return parts;
    }

    /** strings.TrimFunc with the space rune only. */
    static String trimSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(start, end);
    }
}

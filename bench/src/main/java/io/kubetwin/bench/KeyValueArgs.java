package io.kubetwin.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The benchmarks' {@code key=value} arguments (Maven's exec plugin passes them as one string split on spaces). */
public final class KeyValueArgs {
    private KeyValueArgs() {}

    /**
     * The arguments as a map; a bare {@code key} gets {@code bareValue}. An unknown key stops the run with the
     * known ones listed, as a typo would otherwise silently fall back to a default.
     */
    public static Map<String, String> parse(String[] args, Set<String> keys, String bareValue) {
        Map<String, String> values = new HashMap<>();
        for (String arg : args) {
            if (arg.isBlank()) {
                continue;
            }
            int eq = arg.indexOf('=');
            String key = eq < 0 ? arg : arg.substring(0, eq);
            if (!keys.contains(key)) {
                throw new IllegalArgumentException("unknown option " + key + " (known: " + new TreeSet<>(keys) + ")");
            }
            values.put(key, eq < 0 ? bareValue : arg.substring(eq + 1));
        }
        return values;
    }
}

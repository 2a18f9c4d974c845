package io.kubetwin.kubelet.config;

/** Go's strconv.ParseBool, which pflag uses for boolean flags. */
final class GoBool {
    private GoBool() {}

    static boolean parse(String value, String what) {
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default ->
                throw new IllegalArgumentException("invalid value \"" + value + "\" for " + what
                        + ": strconv.ParseBool: parsing \"" + value + "\": invalid syntax");
        };
    }
}

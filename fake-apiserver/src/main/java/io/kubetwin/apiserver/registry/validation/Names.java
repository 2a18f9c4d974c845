package io.kubetwin.apiserver.registry.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Name rules with upstream's messages: k8s.io/apimachinery/pkg/util/validation/validation.go
 * (IsDNS1123Subdomain, IsDNS1123Label, IsConfigMapKey), api/validation/generic.go (prefix masking for
 * generateName) and api/validation/path/name.go (IsValidPathSegmentName, used for RBAC names).
 */
public final class Names {
    private Names() {}

    /** Validates a name (or, with {@code prefix}, a generateName); answers the messages, empty when valid. */
    @FunctionalInterface
    public interface NameRule {
        List<String> validate(String name, boolean prefix);
    }

    static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    private static final Pattern DNS1123_LABEL = Pattern.compile("^" + DNS1123_LABEL_FMT + "$");
    static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS1035_LABEL = Pattern.compile("^" + DNS1035_LABEL_FMT + "$");
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("^" + DNS1123_SUBDOMAIN_FMT + "$");
    private static final String CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+";
    private static final Pattern CONFIG_MAP_KEY = Pattern.compile("^" + CONFIG_MAP_KEY_FMT + "$");

    public static final NameRule DNS_SUBDOMAIN =
            (name, prefix) -> isDns1123Subdomain(prefix ? maskTrailingDash(name) : name);
    public static final NameRule DNS_LABEL = (name, prefix) -> isDns1123Label(prefix ? maskTrailingDash(name) : name);
    public static final NameRule PATH_SEGMENT = (name, prefix) -> prefix ? pathSegmentPrefix(name) : pathSegment(name);

    public static List<String> isDns1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 253) {
            errs.add(maxLenError(253));
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            errs.add(regexError(
                    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                            + "and must start and end with an alphanumeric character",
                    DNS1123_SUBDOMAIN_FMT,
                    "example.com"));
        }
        return errs;
    }

    public static List<String> isDns1123Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) {
            errs.add(maxLenError(63));
        }
        if (!DNS1123_LABEL.matcher(value).matches()) {
            if (DNS1123_SUBDOMAIN.matcher(value).matches()) {
                errs.add("must not contain dots");
            } else {
                errs.add(regexError(
                        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                                + "and must start and end with an alphanumeric character",
                        DNS1123_LABEL_FMT,
                        "my-name",
                        "123-abc"));
            }
        }
        return errs;
    }

    /** validation.IsDNS1035Label: CRD plural, singular and version names. */
    public static List<String> isDns1035Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) {
            errs.add(maxLenError(63));
        }
        if (!DNS1035_LABEL.matcher(value).matches()) {
            errs.add(regexError(
                    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                            + "alphabetic character, and end with an alphanumeric character",
                    DNS1035_LABEL_FMT,
                    "my-name",
                    "abc-123"));
        }
        return errs;
    }

    public static List<String> isConfigMapKey(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 253) {
            errs.add(maxLenError(253));
        }
        if (!CONFIG_MAP_KEY.matcher(value).matches()) {
            errs.add(regexError(
                    "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                    CONFIG_MAP_KEY_FMT,
                    "key.name",
                    "KEY_NAME",
                    "key-name"));
        }
        if (value.equals(".")) {
            errs.add("must not be '.'");
        } else if (value.equals("..")) {
            errs.add("must not be '..'");
        } else if (value.startsWith("..")) {
            errs.add("must not start with '..'");
        }
        return errs;
    }

    public static List<String> pathSegment(String name) {
        if (name.equals(".") || name.equals("..")) {
            return List.of("may not be '" + name + "'");
        }
        return pathSegmentPrefix(name);
    }

    public static List<String> pathSegmentPrefix(String name) {
        List<String> errs = new ArrayList<>();
        for (String bad : new String[] {"/", "%"}) {
            if (name.contains(bad)) {
                errs.add("may not contain '" + bad + "'");
            }
        }
        return errs;
    }

    public static String maxLenError(int length) {
        return "must be no more than " + length + " characters";
    }

    /** validation.RegexError: the message, examples joined by " or ", then the regex. */
    public static String regexError(String msg, String fmt, String... examples) {
        if (examples.length == 0) {
            return msg + " (regex used for validation is '" + fmt + "')";
        }
        StringBuilder b = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                b.append(" or ");
            }
            b.append('\'').append(examples[i]).append("', ");
        }
        return b.append("regex used for validation is '")
                .append(fmt)
                .append("')")
                .toString();
    }

    /** generateName may end with '-': the suffix appended later makes it valid (generic.go maskTrailingDash). */
    static String maskTrailingDash(String name) {
        if (name.length() > 1 && name.endsWith("-")) {
            return name.substring(0, name.length() - 2) + "a";
        }
        return name;
    }
}

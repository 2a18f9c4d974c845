package io.kubetwin.apiserver.admission.podsecurity;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A policy version: {@code latest} or {@code v1.<minor>} (pod-security-admission api/helpers.go Version).
 * Latest is newer than every numbered version.
 */
public record PolicyVersion(int minor, boolean latest) implements Comparable<PolicyVersion> {

    public static final PolicyVersion LATEST = new PolicyVersion(0, true);

    /** ParseVersion's error text. */
    static final String INVALID = "must be \"latest\" or \"v1.x\"";

    private static final Pattern VERSION = Pattern.compile("v1\\.([0-9]|[1-9][0-9]*)");

    public static PolicyVersion of(int minor) {
        return new PolicyVersion(minor, false);
    }

    public static Optional<PolicyVersion> parse(String text) {
        if ("latest".equals(text)) {
            return Optional.of(LATEST);
        }
        Matcher m = VERSION.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(of(Integer.parseInt(m.group(1))));
        } catch (NumberFormatException e) {
            // a minor beyond int is what Go's Atoi refuses too
            return Optional.empty();
        }
    }

    @Override
    public int compareTo(PolicyVersion o) {
        if (latest || o.latest) {
            return Boolean.compare(latest, o.latest);
        }
        return Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return latest ? "latest" : "v1." + minor;
    }
}

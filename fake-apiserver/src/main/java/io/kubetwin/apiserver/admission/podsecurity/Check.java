package io.kubetwin.apiserver.admission.podsecurity;

import io.kubetwin.pki.GoText;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One Pod Security Standards check (policy/checks.go Check): its ID, its level, and its revisions, each
 * applying from a minimum policy version on. A restricted revision may override (replace) baseline checks.
 */
record Check(String id, Level level, List<Versioned> versions) {

    /** A revision of a check, applying from {@code minimumVersion} (a v1 minor) until the next revision. */
    record Versioned(int minimumVersion, Function<PodView, CheckResult> check, Set<String> overrides) {}

    static Check of(String id, Level level, Versioned... versions) {
        return new Check(id, level, List.of(versions));
    }

    static Versioned since(int minor, Function<PodView, CheckResult> check, String... overrides) {
        return new Versioned(minor, check, Set.of(overrides));
    }

    /** The revision in force at a version, null when the check does not exist yet there. */
    Versioned at(int minor) {
        Versioned found = null;
        for (Versioned v : versions) {
            if (v.minimumVersion() <= minor) {
                found = v;
            }
        }
        return found;
    }

    /** policy/helpers.go pluralize. */
    static String plural(String singular, String plural, int count) {
        return count == 1 ? singular : plural;
    }

    /** policy/helpers.go joinQuote: each item in double quotes (not escaped), {@code ", "}-joined. */
    static String joinQuote(Iterable<String> items) {
        StringBuilder b = new StringBuilder();
        for (String s : items) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append('"').append(s).append('"');
        }
        return b.toString();
    }

    /** {@code container "a"} / {@code containers "a", "b"}: the subject of most details. */
    static String containers(List<String> names) {
        return plural("container", "containers", names.size()) + " " + joinQuote(names);
    }

    /** A sorted set, as Go's sets.String List(). */
    static TreeSet<String> sortedSet() {
        return new TreeSet<>(GoText.ORDER);
    }
}

package io.kubetwin.apiserver.admission.podsecurity;

import java.util.Optional;

/** A Pod Security Standards level, in increasing strictness (pod-security-admission api/helpers.go). */
public enum Level {
    PRIVILEGED("privileged"),
    BASELINE("baseline"),
    RESTRICTED("restricted");

    /** ParseLevel's error text. */
    static final String INVALID = "must be one of privileged, baseline, restricted";

    private final String text;

    Level(String text) {
        this.text = text;
    }

    public static Optional<Level> parse(String text) {
        for (Level l : values()) {
            if (l.text.equals(text)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /** CompareLevels: negative, zero or positive as this level is less, as or more strict than {@code other}. */
    int compare(Level other) {
        return Integer.compare(ordinal(), other.ordinal());
    }

    @Override
    public String toString() {
        return text;
    }
}

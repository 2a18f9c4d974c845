package io.kubetwin.apiserver.admission.podsecurity;

/** A level at a version, printed {@code restricted:latest} as in the denial and warning texts. */
public record LevelVersion(Level level, PolicyVersion version) {

    public static final LevelVersion PRIVILEGED_LATEST = new LevelVersion(Level.PRIVILEGED, PolicyVersion.LATEST);

    /** Equivalent: both privileged (at any version), or the same level and version. */
    boolean equivalent(LevelVersion other) {
        return (level == Level.PRIVILEGED && other.level == Level.PRIVILEGED) || equals(other);
    }

    @Override
    public String toString() {
        return level + ":" + version;
    }
}

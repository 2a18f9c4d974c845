package io.kubetwin.apiserver.features;

/**
 * One entry of a gate's versioned specs (featuregate.FeatureSpec): from {@code version} on, until the next entry.
 *
 * @param preRelease {@code ALPHA}, {@code BETA}, {@code ""} (GA), {@code DEPRECATED} or {@code PRE-ALPHA}
 */
public record FeatureSpec(GoVersion version, boolean defaultValue, String preRelease, boolean lockToDefault) {
    /** What featureSpecAtEmulationVersion answers for a gate not yet introduced at the emulated version. */
    static final FeatureSpec PRE_ALPHA = new FeatureSpec(GoVersion.majorMinor(0, 0), false, "PRE-ALPHA", false);
}

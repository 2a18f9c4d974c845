package io.kubetwin.apiserver.features;

import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kube component's feature gates after {@code --emulated-version} and {@code --feature-gates}, parsed as
 * kube-apiserver v1.34.4 does (component-base/compatibility registry.go {@code Set} and {@code Validate},
 * featuregate/feature_gate.go {@code Set} and {@code SetFromMap}), with upstream's error texts. Immutable.
 *
 * <p>Where upstream's answer depends on Go's random map order (which of several unknown gates is named, the order of
 * several errors), this class takes the order of the command line.
 */
public final class FeatureGates {
    private static final String KUBE = "kube";

    private final KnownFeatures known;
    private final GoVersion emulationVersion;
    private final GoVersion minCompatibilityVersion;
    /** Every gate set, explicitly or through AllAlpha/AllBeta; the rest have the default at the emulated version. */
    private final Map<String, Boolean> enabled;
    /** What the command line named, in its order (last value wins). */
    private final Map<String, Boolean> explicit;

    private FeatureGates(
            KnownFeatures known,
            GoVersion emulationVersion,
            GoVersion minCompatibilityVersion,
            Map<String, Boolean> enabled,
            Map<String, Boolean> explicit) {
        this.known = known;
        this.emulationVersion = emulationVersion;
        this.minCompatibilityVersion = minCompatibilityVersion;
        this.enabled = Map.copyOf(enabled);
        this.explicit = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(explicit));
    }

    /** kube-apiserver v1.34.4 without either flag. */
    public static FeatureGates defaults() {
        return parse(List.of(), List.of());
    }

    /**
     * Parses the flags' values.
     *
     * @param featureGates each {@code --feature-gates} value, in order (the flag may be repeated)
     * @param emulatedVersions each {@code --emulated-version} value, in order (a string slice: comma-separated)
     * @throws IllegalArgumentException with kube-apiserver's message
     */
    public static FeatureGates parse(List<String> featureGates, List<String> emulatedVersions) {
        KnownFeatures known = KnownFeatures.v134();
        GoVersion binary = known.binaryVersion().toMajorMinor();
        GoVersion emulation = emulationVersion(emulatedVersions).orElse(binary);
        GoVersion minCompatibility = emulation.previousMinor();
        if (minCompatibility.compareTo(known.emulationFloor()) < 0) {
            minCompatibility = known.emulationFloor();
        }
        Map<String, Boolean> explicit = gateValues(featureGates);
        Map<String, Boolean> enabled = setFromMap(known, explicit, emulation);
        // componentGlobalsRegistry.Validate: effectiveVersion.Validate (the binary version with patch 0)
        List<String> errors = new ArrayList<>();
        GoVersion binaryPatch0 = new GoVersion(List.of(binary.major(), binary.minor(), 0L), true, "", "");
        if (emulation.compareTo(binaryPatch0) > 0 || emulation.compareTo(known.emulationFloor()) < 0) {
            errors.add("emulation version " + emulation + " is not between [" + known.emulationFloor() + ", "
                    + binaryPatch0 + "]");
        }
        if (minCompatibility.compareTo(emulation) > 0 || minCompatibility.compareTo(known.emulationFloor()) < 0) {
            errors.add("minCompatibilityVersion version " + minCompatibility + " is not between ["
                    + known.emulationFloor() + ", " + emulation + "]");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(GoText.aggregate(errors));
        }
        return new FeatureGates(known, emulation, minCompatibility, enabled, explicit);
    }

    /** toVersionMap and the registry's component check: only {@code kube} is registered in kube-apiserver. */
    private static Optional<GoVersion> emulationVersion(List<String> flags) {
        Map<String, GoVersion> versions = new LinkedHashMap<>();
        for (String flag : flags) {
            for (String compVer : flag.split(",", -1)) {
                String component = KUBE;
                String v = compVer;
                int eq = compVer.indexOf('=');
                if (eq >= 0) {
                    component = compVer.substring(0, eq).strip();
                    v = compVer.substring(eq + 1).strip();
                }
                GoVersion version = GoVersion.parse(v);
                if (version.patch() != 0) {
                    throw new IllegalArgumentException("patch version not allowed, got: " + component + "=" + version);
                }
                GoVersion existing = versions.get(component);
                if (existing != null) {
                    throw new IllegalArgumentException("duplicate version flag, " + component + "=" + existing + " and "
                            + component + "=" + version);
                }
                versions.put(component, version);
            }
        }
        for (String component : versions.keySet()) {
            if (!component.equals(KUBE)) {
                throw new IllegalArgumentException("component not registered: " + component);
            }
        }
        return Optional.ofNullable(versions.get(KUBE)).map(GoVersion::toMajorMinor);
    }

    /**
     * ColonSeparatedMultimapStringString (a missing component is "", meaning kube), the registry's component checks,
     * then featureGate.Set's parsing of the joined values.
     */
    private static Map<String, Boolean> gateValues(List<String> flags) {
        Map<String, List<String>> byComponent = new LinkedHashMap<>();
        for (String flag : flags) {
            for (String pair : flag.split(",", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int colon = pair.indexOf(':');
                String component = colon < 0 ? "" : pair.substring(0, colon).strip();
                String value = (colon < 0 ? pair : pair.substring(colon + 1)).strip();
                byComponent.computeIfAbsent(component, k -> new ArrayList<>()).add(value);
            }
        }
        if (byComponent.containsKey("") && byComponent.containsKey(KUBE)) {
            throw new IllegalArgumentException(
                    "set kube feature gates with default empty prefix or kube: prefix consistently, do not mix use");
        }
        Map<String, Boolean> values = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> component : byComponent.entrySet()) {
            if (!component.getKey().isEmpty() && !component.getKey().equals(KUBE)) {
                throw new IllegalArgumentException("component not registered: " + component.getKey());
            }
            for (String s : String.join(",", component.getValue()).split(",", -1)) {
                if (s.isEmpty()) {
                    continue;
                }
                int eq = s.indexOf('=');
                String k = (eq < 0 ? s : s.substring(0, eq)).strip();
                if (eq < 0) {
                    throw new IllegalArgumentException("missing bool value for " + k);
                }
                String v = s.substring(eq + 1).strip();
                values.remove(k);
                values.put(k, parseBool(k, v));
            }
        }
        return values;
    }

    /** strconv.ParseBool. */
    private static boolean parseBool(String k, String v) {
        return switch (v) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default ->
                throw new IllegalArgumentException("invalid value of " + k + "=" + v
                        + ", err: strconv.ParseBool: parsing " + GoText.quote(v) + ": invalid syntax");
        };
    }

    /** unsafeSetFromMap at the emulation version: unknown gates stop at once, the other errors are collected. */
    private static Map<String, Boolean> setFromMap(
            KnownFeatures known, Map<String, Boolean> values, GoVersion emulation) {
        Map<String, Boolean> enabled = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (Map.Entry<String, Boolean> e : values.entrySet()) {
            String k = e.getKey();
            boolean v = e.getValue();
            if (!known.known(k)) {
                errors.add("unrecognized feature gate: " + k);
                throw new IllegalArgumentException(GoText.aggregate(errors));
            }
            FeatureSpec spec = known.specAt(k, emulation);
            if (spec.lockToDefault() && spec.defaultValue() != v) {
                errors.add(
                        "cannot set feature gate " + k + " to " + v + ", feature is locked to " + spec.defaultValue());
                continue;
            }
            if (k.equals("AllAlpha") || k.equals("AllBeta")) {
                String stage = k.equals("AllAlpha") ? "ALPHA" : "BETA";
                for (String other : known.names()) {
                    if (!other.equals("AllAlpha")
                            && !other.equals("AllBeta")
                            && known.specAt(other, emulation).preRelease().equals(stage)) {
                        enabled.putIfAbsent(other, v);
                    }
                }
                enabled.put(k, v);
                continue;
            }
            if (spec.preRelease().equals("PRE-ALPHA")) {
                errors.add("cannot set feature gate " + k + " to " + v + ", feature is PreAlpha at emulated version "
                        + emulation);
                continue;
            }
            enabled.put(k, v);
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(GoText.aggregate(errors));
        }
        return enabled;
    }

    /** Whether the gate is on (featureEnabled: the value set, else the default at the emulated version). */
    public boolean enabled(String gate) {
        Boolean set = enabled.get(gate);
        if (set != null) {
            return set;
        }
        if (!known.known(gate)) {
            throw new IllegalArgumentException("feature \"" + gate + "\" is not registered in FeatureGate \"\"");
        }
        return known.specAt(gate, emulationVersion).defaultValue();
    }

    /** The gate's default at the emulated version. */
    public boolean defaultValue(String gate) {
        return known.specAt(gate, emulationVersion).defaultValue();
    }

    /** The gate's default at the binary's own release (v1.34), the behaviour the fake has for most gates. */
    public boolean binaryDefault(String gate) {
        return known.specAt(gate, known.binaryVersion().toMajorMinor()).defaultValue();
    }

    /** The gates whose value differs from their default at the emulated version, sorted by name. */
    public Map<String, Boolean> changed() {
        Map<String, Boolean> changed = new java.util.TreeMap<>();
        enabled.forEach((gate, on) -> {
            if (on != defaultValue(gate)) {
                changed.put(gate, on);
            }
        });
        return changed;
    }

    /** The gates the command line named, in its order. */
    public Map<String, Boolean> explicit() {
        return explicit;
    }

    /** The emulated release, major.minor ({@code 1.34} by default). */
    public String emulationVersion() {
        return emulationVersion.toString();
    }

    /** The emulated release's major version, as /version prints it. */
    public String emulationMajor() {
        return Long.toString(emulationVersion.major());
    }

    /** The emulated release's minor version, as /version prints it. */
    public String emulationMinor() {
        return Long.toString(emulationVersion.minor());
    }

    /** The minimum compatibility version's major: the emulated release's previous minor, not below the floor. */
    public String minCompatibilityMajor() {
        return Long.toString(minCompatibilityVersion.major());
    }

    /** The minimum compatibility version's minor. */
    public String minCompatibilityMinor() {
        return Long.toString(minCompatibilityVersion.minor());
    }

    /** Whether the emulated release is the binary's own (v1.34). */
    public boolean emulatesBinaryVersion() {
        return emulationVersion.compareTo(known.binaryVersion().toMajorMinor()) == 0;
    }
}

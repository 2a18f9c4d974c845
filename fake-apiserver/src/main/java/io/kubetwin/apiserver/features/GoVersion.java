package io.kubetwin.apiserver.features;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version as k8s.io/apimachinery/pkg/util/version parses it with {@code Parse} (semantic first, then generic),
 * for {@code --emulated-version}: the same errors, and {@code String()} as Go prints it.
 */
record GoVersion(List<Long> components, boolean semver, String preRelease, String buildMetadata)
        implements Comparable<GoVersion> {
    private static final Pattern VERSION = Pattern.compile("^\\s*v?([0-9]+(?:\\.[0-9]+)*)(.*)*$", Pattern.DOTALL);
    private static final Pattern EXTRA = Pattern.compile(
            "^(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?\\s*$");

    GoVersion {
        components = List.copyOf(components);
    }

    static GoVersion majorMinor(long major, long minor) {
        return new GoVersion(List.of(major, minor), false, "", "");
    }

    /** version.Parse: ParseSemantic, and ParseGeneric's error when that fails too. */
    static GoVersion parse(String s) {
        try {
            return parse(s, true);
        } catch (IllegalArgumentException e) {
            return parse(s, false);
        }
    }

    private static GoVersion parse(String s, boolean semver) {
        Matcher m = VERSION.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("could not parse " + io.kubetwin.pki.GoText.quote(s) + " as version");
        }
        String numbers = m.group(1);
        String extra = m.group(2) == null ? "" : m.group(2);
        String[] parts = numbers.split("\\.", -1);
        if ((semver && parts.length != 3) || (!semver && parts.length < 2)) {
            throw new IllegalArgumentException("illegal version string " + io.kubetwin.pki.GoText.quote(s));
        }
        List<Long> components = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String comp = parts[i];
            if ((i == 0 || semver) && comp.startsWith("0") && !comp.equals("0")) {
                throw new IllegalArgumentException("illegal zero-prefixed version component "
                        + io.kubetwin.pki.GoText.quote(comp) + " in " + io.kubetwin.pki.GoText.quote(s));
            }
            try {
                components.add(Long.parseUnsignedLong(comp));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("illegal non-numeric version component "
                        + io.kubetwin.pki.GoText.quote(comp) + " in " + io.kubetwin.pki.GoText.quote(s)
                        + ": strconv.ParseUint: parsing " + io.kubetwin.pki.GoText.quote(comp)
                        + ": value out of range");
            }
        }
        String pre = "";
        String meta = "";
        if (semver && !extra.isEmpty()) {
            Matcher e = EXTRA.matcher(extra);
            if (!e.matches()) {
                throw new IllegalArgumentException("could not parse pre-release/metadata (" + extra + ") in version "
                        + io.kubetwin.pki.GoText.quote(s));
            }
            pre = e.group(1) == null ? "" : e.group(1);
            meta = e.group(2) == null ? "" : e.group(2);
            for (String comp : pre.split("\\.")) {
                if (comp.matches("[0-9]+") && comp.startsWith("0") && !comp.equals("0")) {
                    throw new IllegalArgumentException("illegal zero-prefixed version component "
                            + io.kubetwin.pki.GoText.quote(comp) + " in " + io.kubetwin.pki.GoText.quote(s));
                }
            }
        }
        return new GoVersion(components, semver, pre, meta);
    }

    long major() {
        return components.get(0);
    }

    long minor() {
        return components.size() > 1 ? components.get(1) : 0;
    }

    long patch() {
        return components.size() > 2 ? components.get(2) : 0;
    }

    GoVersion toMajorMinor() {
        return majorMinor(major(), minor());
    }

    /** OffsetMinor(-1) of a major.minor: Go clamps at minor 0 (a uint cannot go below it). */
    GoVersion previousMinor() {
        return majorMinor(major(), Math.max(0, minor() - 1));
    }

    /** Compares the numeric components as Go's compareInternal does (missing ones are 0); pre-releases last. */
    @Override
    public int compareTo(GoVersion o) {
        int n = Math.max(components.size(), o.components.size());
        for (int i = 0; i < n; i++) {
            long a = i < components.size() ? components.get(i) : 0;
            long b = i < o.components.size() ? o.components.get(i) : 0;
            if (a != b) {
                return Long.compare(a, b);
            }
        }
        if (preRelease.isEmpty() != o.preRelease.isEmpty()) {
            return preRelease.isEmpty() ? 1 : -1;
        }
        return 0;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < components.size(); i++) {
            if (i > 0) {
                out.append('.');
            }
            out.append(components.get(i));
        }
        if (!preRelease.isEmpty()) {
            out.append('-').append(preRelease);
        }
        if (!buildMetadata.isEmpty()) {
            out.append('+').append(buildMetadata);
        }
        return out.toString();
    }
}

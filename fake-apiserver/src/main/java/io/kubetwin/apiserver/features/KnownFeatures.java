package io.kubetwin.apiserver.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * kube-apiserver v1.34.4's gates and their versioned specs, as {@code ci/reference/record-feature-gates.sh}
 * recorded them from the pinned modules ({@code feature-gates.json}), and its {@code --emulated-version} range.
 * Immutable; one shared table.
 */
public final class KnownFeatures {
    private static final KnownFeatures V1_34 = load();

    private final Map<String, List<FeatureSpec>> gates;
    private final Set<String> readByApiserver;
    private final GoVersion binaryVersion;
    private final GoVersion emulationFloor;

    private KnownFeatures(
            Map<String, List<FeatureSpec>> gates,
            Set<String> readByApiserver,
            GoVersion binaryVersion,
            GoVersion emulationFloor) {
        this.gates = Collections.unmodifiableMap(gates);
        this.readByApiserver = Set.copyOf(readByApiserver);
        this.binaryVersion = binaryVersion;
        this.emulationFloor = emulationFloor;
    }

    /** The recorded table. */
    public static KnownFeatures v134() {
        return V1_34;
    }

    /** Every gate's name, sorted. */
    public List<String> names() {
        return List.copyOf(gates.keySet());
    }

    boolean known(String name) {
        return gates.containsKey(name);
    }

    /** featureSpecAtEmulationVersion: the last spec not after {@code at}, or PRE-ALPHA. */
    public FeatureSpec specAt(String name, GoVersion at) {
        List<FeatureSpec> specs = gates.get(name);
        for (int i = specs.size() - 1; i >= 0; i--) {
            if (specs.get(i).version().compareTo(at) <= 0) {
                return specs.get(i);
            }
        }
        return FeatureSpec.PRE_ALPHA;
    }

    /** Whether a package of kube-apiserver's import graph reads the gate (recorded with the table). */
    boolean readByApiserver(String name) {
        return readByApiserver.contains(name);
    }

    GoVersion binaryVersion() {
        return binaryVersion;
    }

    GoVersion emulationFloor() {
        return emulationFloor;
    }

    private static KnownFeatures load() {
        try (InputStream in = KnownFeatures.class.getResourceAsStream("feature-gates.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, List<FeatureSpec>> gates = new TreeMap<>();
            root.path("gates").fields().forEachRemaining(e -> {
                List<FeatureSpec> specs = new ArrayList<>();
                for (JsonNode s : e.getValue()) {
                    specs.add(new FeatureSpec(
                            GoVersion.parse(s.path("version").asText()),
                            s.path("default").asBoolean(),
                            s.path("preRelease").asText(),
                            s.path("lockToDefault").asBoolean()));
                }
                gates.put(e.getKey(), List.copyOf(specs));
            });
            Set<String> read = new TreeSet<>();
            root.path("readByApiserver").fields().forEachRemaining(e -> {
                if (e.getValue().asBoolean()) {
                    read.add(e.getKey());
                }
            });
            return new KnownFeatures(
                    gates,
                    read,
                    GoVersion.parse(root.path("binaryVersion").asText()),
                    GoVersion.parse(root.path("emulationFloor").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

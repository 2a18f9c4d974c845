package io.kubetwin.apiserver.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** store.go deletionFinalizersForGarbageCollection and the kinds' DefaultGarbageCollectionPolicy. */
class GarbageCollectionPolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ResourceCatalog CATALOG = ResourceCatalog.withBuiltIns();

    static Stream<Arguments> finalizers() {
        GarbageCollectionPolicy dd = GarbageCollectionPolicy.DELETE_DEPENDENTS;
        GarbageCollectionPolicy od = GarbageCollectionPolicy.ORPHAN_DEPENDENTS;
        GarbageCollectionPolicy un = GarbageCollectionPolicy.UNSUPPORTED;
        return Stream.of(
                // policy, existing finalizers, propagationPolicy, orphanDependents, expected (null: unchanged)
                Arguments.of(dd, "[]", null, null, null),
                Arguments.of(dd, "[]", "Background", null, null),
                Arguments.of(dd, "[]", "Foreground", null, "[\"foregroundDeletion\"]"),
                Arguments.of(dd, "[]", "Orphan", null, "[\"orphan\"]"),
                Arguments.of(od, "[]", null, null, "[\"orphan\"]"),
                Arguments.of(od, "[]", "Background", null, null),
                // the legacy field: true orphans, false is neither orphan nor foreground
                Arguments.of(dd, "[]", null, true, "[\"orphan\"]"),
                Arguments.of(od, "[]", null, false, null),
                Arguments.of(dd, "[\"a.io/x\"]", "Foreground", null, "[\"a.io/x\",\"foregroundDeletion\"]"),
                // a second DELETE switches the policy
                Arguments.of(dd, "[\"orphan\"]", "Foreground", null, "[\"foregroundDeletion\"]"),
                // without options, the finalizer already there decides
                Arguments.of(od, "[\"foregroundDeletion\"]", null, null, null),
                Arguments.of(un, "[]", "Orphan", null, null));
    }

    @ParameterizedTest
    @MethodSource
    void finalizers(
            GarbageCollectionPolicy policy, String existing, String propagation, Boolean orphan, String expected)
            throws Exception {
        Optional<List<String>> updated = policy.deletionFinalizers(JSON.readTree(existing), propagation, orphan);
        assertEquals(expected == null ? Optional.empty() : Optional.of(JSON.readValue(expected, List.class)), updated);
    }

    @Test
    void defaultsPerKindAndVersion() {
        assertEquals(
                GarbageCollectionPolicy.ORPHAN_DEPENDENTS,
                GarbageCollectionPolicy.defaultFor(
                        CATALOG.lookup("batch", "v1", "jobs").orElseThrow()));
        assertEquals(
                GarbageCollectionPolicy.ORPHAN_DEPENDENTS,
                GarbageCollectionPolicy.defaultFor(
                        CATALOG.lookup("", "v1", "replicationcontrollers").orElseThrow()));
        assertEquals(
                GarbageCollectionPolicy.DELETE_DEPENDENTS,
                GarbageCollectionPolicy.defaultFor(
                        CATALOG.lookup("apps", "v1", "deployments").orElseThrow()));
        assertEquals(
                GarbageCollectionPolicy.DELETE_DEPENDENTS,
                GarbageCollectionPolicy.defaultFor(
                        CATALOG.lookup("batch", "v1", "cronjobs").orElseThrow()));
        assertEquals(
                GarbageCollectionPolicy.UNSUPPORTED,
                GarbageCollectionPolicy.defaultFor(
                        CATALOG.lookup("", "v1", "events").orElseThrow()));
    }
}

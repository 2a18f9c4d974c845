package io.kubetwin.apiserver.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The start-up's bootstrap writes of a fresh in-memory store, as the first start of a configuration in this JVM
 * computed them (defaults, managedFields, admission, validation: most of a later in-JVM start), kept so that later
 * starts of the same configuration only stamp each object's per-start values (uid, creationTimestamp, the
 * managedFields' and conditions' times) and store them. The store still assigns the resourceVersions, in the same
 * order, with a watch event each, and the same writes happen in the same order as on the first start.
 *
 * <p>What those writes depend on besides the clock, and so what {@link Key} holds: the bootstrap policy and the
 * strategies' gated fields (the feature gates at the emulated version), the served group versions (the emulated
 * API surface: one APIService each), the admission chain (the plugins enabled, their configuration file, the
 * authorizer the RBAC escalation check asks) and the strategies' other inputs (the service network, privileged
 * containers). The store's own contents matter too (webhook configurations, quotas), which is why only a fresh
 * in-memory store, empty at each start, takes the memo.
 *
 * <p>Process-wide (one per JVM) on purpose: a memo of a pure function of the configuration, holding private trees
 * only copied out, so that servers in one JVM still share nothing mutable and tests may run in parallel.
 * Thread-safe.
 */
final class BootstrapMemo {
    /** The JVM's memo, used by {@link FakeApiServer}'s public start methods. */
    static final BootstrapMemo JVM = new BootstrapMemo(true);

    private final boolean enabled;
    private final Map<Key, Templates> templates = new ConcurrentHashMap<>();

    private BootstrapMemo(boolean enabled) {
        this.enabled = enabled;
    }

    /** A memo of its own (a test's); {@code enabled} false: one that never keeps anything (every start computes). */
    static BootstrapMemo create(boolean enabled) {
        return new BootstrapMemo(enabled);
    }

    /** The configuration the bootstrap writes depend on; empty when the store is not a fresh in-memory one. */
    static Optional<Key> key(ApiServerConfig config) {
        if (!config.storage().inMemoryOnly()) {
            return Optional.empty();
        }
        String admissionConfig = null;
        if (config.admission().configFile() != null) {
            try {
                admissionConfig = Files.readString(config.admission().configFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.of(new Key(
                config.featureGates().emulationVersion(),
                Map.copyOf(config.featureGates().changed()),
                config.apiSurface().release(),
                config.admission().enabledPlugins(),
                String.valueOf(config.admission().configFile()),
                admissionConfig,
                List.copyOf(config.authorizationModes()),
                config.serviceClusterIpRange(),
                config.serviceNodePortRange(),
                config.allowPrivileged()));
    }

    /** See the class comment. */
    record Key(
            String emulationVersion,
            Map<String, Boolean> changedGates,
            String apiSurface,
            List<String> admissionPlugins,
            String admissionConfigFile,
            String admissionConfig,
            List<String> authorizationModes,
            String serviceClusterIpRange,
            String serviceNodePortRange,
            boolean allowPrivileged) {}

    /**
     * The writes of one configuration's start, in order: the system namespaces, the bootstrap objects (one {@link
     * Storage#createAll} each), then the aggregated ClusterRoles as their rules were applied (updates).
     */
    record Templates(
            List<Storage.Creation> namespaces, List<Storage.Creation> objects, List<Storage.Creation> updates) {
        Templates {
            namespaces = frozenCopy(namespaces);
            objects = frozenCopy(objects);
            updates = frozenCopy(updates);
        }

        /** Copies of the writes' objects, never handed out (only copied again). */
        static List<Storage.Creation> frozenCopy(List<Storage.Creation> writes) {
            return writes.stream()
                    .map(c -> new Storage.Creation(c.key(), c.object().deepCopy()))
                    .toList();
        }
    }

    Optional<Templates> get(Key key) {
        return Optional.ofNullable(templates.get(key));
    }

    /** Keeps the first start's writes (copied); a later put for the same key keeps the first. */
    void put(Key key, Templates writes) {
        if (enabled) {
            templates.putIfAbsent(key, writes);
        }
    }

    /**
     * A stored object of this start from its template: a copy with this start's uid, creationTimestamp and times
     * (managedFields' time, conditions' lastTransitionTime) where the template has them.
     */
    static Storage.Creation stamp(Storage.Creation template, String uid, String creationTimestamp, String now) {
        ObjectNode object = template.object().deepCopy();
        ObjectNode meta = (ObjectNode) object.get("metadata");
        if (meta.has("uid")) {
            meta.put("uid", uid);
        }
        if (meta.has("creationTimestamp")) {
            meta.put("creationTimestamp", creationTimestamp);
        }
        for (JsonNode entry : meta.path("managedFields")) {
            if (entry.has("time")) {
                ((ObjectNode) entry).put("time", now);
            }
        }
        for (JsonNode condition : object.path("status").path("conditions")) {
            if (condition.has("lastTransitionTime")) {
                ((ObjectNode) condition).put("lastTransitionTime", now);
            }
        }
        return new Storage.Creation(template.key(), object);
    }
}

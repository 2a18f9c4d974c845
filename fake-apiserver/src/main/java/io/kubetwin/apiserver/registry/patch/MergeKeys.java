package io.kubetwin.apiserver.registry.patch;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The strategic-merge-patch schema of one kind: for list fields (paths of field names from the
 * object root, list positions omitted, e.g. {@code spec.containers.ports}) the merge key of lists
 * merged element-wise, and the lists of scalars merged as sets. Every other list is replaced whole,
 * as Go struct fields without a patchStrategy tag are.
 *
 * @param keyed path to merge key ("spec.containers" to "name")
 * @param scalarSets paths of scalar lists with patchStrategy merge ("metadata.finalizers")
 */
public record MergeKeys(Map<String, String> keyed, Set<String> scalarSets) {
    public MergeKeys {
        keyed = Map.copyOf(keyed);
        scalarSets = Set.copyOf(scalarSets);
    }

    /** Metadata-level merge keys every built-in kind shares. */
    public static final MergeKeys NONE =
            new MergeKeys(Map.of("metadata.ownerReferences", "uid"), Set.of("metadata.finalizers"));

    public String keyFor(String path) {
        return keyed.get(path);
    }

    public boolean isScalarSet(String path) {
        return scalarSets.contains(path);
    }

    /** This schema plus more keyed lists. */
    public MergeKeys with(Map<String, String> more) {
        HashMap<String, String> all = new HashMap<>(keyed);
        all.putAll(more);
        return new MergeKeys(all, scalarSets);
    }

    /** The pod spec merge keys (core/v1 types.go patchMergeKey tags) under a prefix ("spec" for pods). */
    public static Map<String, String> podSpec(String prefix) {
        HashMap<String, String> m = new HashMap<>();
        for (String containers : new String[] {"containers", "initContainers", "ephemeralContainers"}) {
            String c = prefix + "." + containers;
            m.put(c, "name");
            m.put(c + ".ports", "containerPort");
            m.put(c + ".env", "name");
            m.put(c + ".volumeMounts", "mountPath");
            m.put(c + ".volumeDevices", "devicePath");
        }
        m.put(prefix + ".volumes", "name");
        m.put(prefix + ".imagePullSecrets", "name");
        m.put(prefix + ".hostAliases", "ip");
        m.put(prefix + ".topologySpreadConstraints", "topologyKey");
        m.put(prefix + ".resourceClaims", "name");
        m.put(prefix + ".schedulingGates", "name");
        return m;
    }
}

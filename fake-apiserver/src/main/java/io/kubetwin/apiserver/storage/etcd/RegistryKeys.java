package io.kubetwin.apiserver.storage.etcd;

import io.kubetwin.apiserver.storage.ObjectKey;
import io.kubetwin.apiserver.storage.ResourceKey;
import java.util.Map;
import java.util.Set;

/**
 * The etcd keys kube-apiserver v1.34 writes: {@code <prefix>/<resource>/<namespace>/<name>} (cluster-scoped
 * objects without the namespace) for the built-in groups, with the historical renames of the core and
 * networking registries ({@code services/specs}, {@code services/endpoints}, {@code minions},
 * {@code controllers}, {@code ingress}), and {@code <prefix>/<group>/<resource>/...} for the aggregator's
 * APIServices, the CRDs and every custom resource. The table is upstream's
 * test/integration/etcd/data.go (ExpectedEtcdPath), checked against the reference's etcd.
 *
 * <p>Immutable and thread-safe.
 */
public final class RegistryKeys {
    /** kube-apiserver's --etcd-prefix default. */
    public static final String DEFAULT_PREFIX = "/registry";

    /** Groups whose resources are stored without the group in the key (the legacy RESTOptionsGetter's). */
    private static final Set<String> UNGROUPED = Set.of(
            "",
            "admissionregistration.k8s.io",
            "apps",
            "authentication.k8s.io",
            "authorization.k8s.io",
            "autoscaling",
            "batch",
            "certificates.k8s.io",
            "coordination.k8s.io",
            "discovery.k8s.io",
            "events.k8s.io",
            "extensions",
            "flowcontrol.apiserver.k8s.io",
            "internal.apiserver.k8s.io",
            "networking.k8s.io",
            "node.k8s.io",
            "policy",
            "rbac.authorization.k8s.io",
            "resource.k8s.io",
            "scheduling.k8s.io",
            "storage.k8s.io",
            "storagemigration.k8s.io");

    /** Registries whose key segment is not the resource's plural (pkg/registry/.../storage/storage.go). */
    private static final Map<ResourceKey, String> RENAMED = Map.of(
            new ResourceKey("", "services"), "services/specs",
            new ResourceKey("", "endpoints"), "services/endpoints",
            new ResourceKey("", "nodes"), "minions",
            new ResourceKey("", "replicationcontrollers"), "controllers",
            new ResourceKey("networking.k8s.io", "ingresses"), "ingress");

    private final String prefix;

    /** @param prefix {@code --etcd-prefix}; a trailing slash is ignored, as Go's path.Join ignores it */
    public RegistryKeys(String prefix) {
        String p = prefix == null || prefix.isEmpty() ? DEFAULT_PREFIX : prefix;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        this.prefix = p.equals("/") ? "" : p;
    }

    /** The key prefix of everything this server stores (the store-wide watch covers it). */
    public String root() {
        return prefix + "/";
    }

    /** The prefix of one resource's objects in all namespaces, ending with '/'. */
    public String resourcePrefix(ResourceKey resource) {
        String renamed = RENAMED.get(resource);
        String path = renamed != null
                ? renamed
                : UNGROUPED.contains(resource.group())
                        ? resource.resource()
                        : resource.group() + "/" + resource.resource();
        return prefix + "/" + path + "/";
    }

    /** The prefix of one resource's objects in one namespace, ending with '/'. */
    public String namespacePrefix(ResourceKey resource, String namespace) {
        return resourcePrefix(resource) + namespace + "/";
    }

    /** The key of one object. */
    public String key(ObjectKey key) {
        String resource = resourcePrefix(key.resourceKey());
        return key.namespace().isEmpty() ? resource + key.name() : resource + key.namespace() + "/" + key.name();
    }

    /**
     * The object a key under {@code resourcePrefix(resource)} names, or null when the rest of the key is not
     * {@code name} or {@code namespace/name}.
     */
    static ObjectKey parse(ResourceKey resource, String resourcePrefix, String key) {
        if (!key.startsWith(resourcePrefix)) {
            return null;
        }
        String rest = key.substring(resourcePrefix.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return rest.isEmpty() ? null : resource.object("", rest);
        }
        if (rest.indexOf('/', slash + 1) >= 0 || slash == 0 || slash == rest.length() - 1) {
            return null;
        }
        return resource.object(rest.substring(0, slash), rest.substring(slash + 1));
    }
}

package io.kubetwin.apiserver.server;

import io.kubetwin.apiserver.registry.ResourceCatalog;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.ValueTransformer;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfig;
import io.kubetwin.apiserver.storage.etcd.RegistryKeys;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encryption at rest for a store that sees only etcd keys: finds the resource a key belongs to and applies
 * that resource's transformer, as kube-apiserver gives each resource's storage its own. Built-in resources
 * are found by their key prefix (several groups share the ungrouped layout, so the key alone does not name
 * the group); custom resources and APIServices by their {@code <group>/<resource>/} layout.
 */
final class ResourceTransformers implements ValueTransformer {
    private final EncryptionConfig encryption;
    private final String root;
    /** A built-in resource's key prefix, without the root ("secrets/", "services/specs/"), to its resource. */
    private final Map<String, ResourceKey> builtIns = new HashMap<>();

    private final Map<ResourceKey, ValueTransformer> byResource = new ConcurrentHashMap<>();

    ResourceTransformers(EncryptionConfig encryption, RegistryKeys keys, ResourceCatalog catalog) {
        this.encryption = encryption;
        this.root = keys.root();
        for (ServedResource served : catalog.all()) {
            ResourceKey resource = served.storageKey();
            String prefix = keys.resourcePrefix(resource).substring(root.length());
            // the core group's resource wins a shared prefix (events and events.k8s.io's Events are one store)
            if (resource.group().isEmpty() || !builtIns.containsKey(prefix)) {
                builtIns.put(prefix, resource);
            }
        }
    }

    @Override
    public byte[] toStorage(byte[] plain, String storageKey) {
        return transformer(storageKey).toStorage(plain, storageKey);
    }

    @Override
    public Transformed fromStorage(byte[] stored, String storageKey) {
        return transformer(storageKey).fromStorage(stored, storageKey);
    }

    private ValueTransformer transformer(String storageKey) {
        ResourceKey resource = resourceOf(storageKey);
        return resource == null
                ? ValueTransformer.IDENTITY
                : byResource.computeIfAbsent(resource, r -> encryption.forResource(r.group(), r.resource()));
    }

    /** The resource of {@code <root><resource prefix>[<namespace>/]<name>}, or null for a key outside them. */
    ResourceKey resourceOf(String storageKey) {
        if (!storageKey.startsWith(root)) {
            return null;
        }
        String rest = storageKey.substring(root.length());
        int last = rest.lastIndexOf('/');
        if (last < 0) {
            return null;
        }
        // cluster-scoped: "<prefix><name>"; namespaced: "<prefix><namespace>/<name>"
        ResourceKey found = builtIns.get(rest.substring(0, last + 1));
        if (found == null) {
            int previous = rest.lastIndexOf('/', last - 1);
            if (previous >= 0) {
                found = builtIns.get(rest.substring(0, previous + 1));
            }
        }
        if (found != null) {
            return found;
        }
        String[] segments = rest.split("/", 3);
        return segments.length == 3 && segments[0].contains(".") ? new ResourceKey(segments[0], segments[1]) : null;
    }
}

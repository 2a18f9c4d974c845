package io.kubetwin.apiserver.registry;

import io.kubetwin.apiserver.storage.ResourceKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A resource as the catalog serves it: its {@link ResourceType}, its subresources with their discovery
 * data, and where and as what it is stored.
 *
 * @param type the resource
 * @param subresources subresources, in discovery order
 * @param storageGroup group of the storage version (events.k8s.io events are stored as core events)
 * @param storageVersion version objects are stored in; empty for resources computed on read
 * @param storageKind Kind objects are stored as
 */
public record ServedResource(
        ResourceType type,
        List<SubresourceType> subresources,
        String storageGroup,
        String storageVersion,
        String storageKind) {
    public ServedResource {
        subresources = List.copyOf(subresources);
    }

    /** Served and stored as itself. */
    public static ServedResource of(ResourceType type, List<SubresourceType> subresources) {
        return new ServedResource(type, subresources, type.group(), type.version(), type.kind());
    }

    /** Where objects live in storage; shared by every version and group alias of the same stored kind. */
    public ResourceKey storageKey() {
        return new ResourceKey(storageGroup, type.plural());
    }

    /** Whether objects are stored as another group or kind than served (a version difference alone needs no conversion here). */
    public boolean storedAsOtherKind() {
        return !(storageGroup.equals(type.group()) && storageKind.equals(type.kind()));
    }

    public Optional<SubresourceType> subresource(String name) {
        return subresources.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Whether objects persist: the create-only review APIs have no storage and no hash in discovery, nor have
     * resources computed on read (componentstatuses, marked by an empty storage version).
     */
    public boolean persisted() {
        return !storageVersion.isEmpty()
                && (type.verbs().contains("get") || type.verbs().contains("list"));
    }

    /**
     * discovery's storageVersionHash: base64 of the first 8 bytes of SHA-256 over
     * {@code group/version/kind} of the storage version (k8s.io/apiserver/pkg/endpoints/discovery/storageversionhash.go).
     * Empty for resources without storage.
     */
    public String storageVersionHash() {
        if (!persisted()) {
            return "";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((storageGroup + "/" + storageVersion + "/" + storageKind).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(Arrays.copyOf(digest, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

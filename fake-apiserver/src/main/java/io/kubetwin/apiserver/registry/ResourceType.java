package io.kubetwin.apiserver.registry;

import io.kubetwin.apiserver.storage.ResourceKey;
import java.util.List;

/**
 * One served resource of one API version, as discovery lists it (metav1.APIResource) and as the
 * per-verb handlers need it.
 *
 * @param group API group, "" for the core group
 * @param version API version, e.g. "v1"
 * @param plural the resource name in URLs ("pods")
 * @param singular the singular name ("pod")
 * @param kind the Kind ("Pod")
 * @param namespaced whether objects live in namespaces
 * @param verbs the verbs discovery advertises
 * @param shortNames kubectl short names ("po")
 * @param categories discovery categories ("all")
 * @param subresources subresource names served for this resource ("status", "log", "token", ...)
 */
public record ResourceType(
        String group,
        String version,
        String plural,
        String singular,
        String kind,
        boolean namespaced,
        List<String> verbs,
        List<String> shortNames,
        List<String> categories,
        List<String> subresources) {

    public ResourceType {
        group = group == null ? "" : group;
        verbs = List.copyOf(verbs);
        shortNames = List.copyOf(shortNames);
        categories = List.copyOf(categories);
        subresources = List.copyOf(subresources);
    }

    /** "v1" for the core group, "GROUP/VERSION" otherwise. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public ResourceKey storageKey() {
        return new ResourceKey(group, plural);
    }
}

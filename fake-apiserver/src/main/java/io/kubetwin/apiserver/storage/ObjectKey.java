package io.kubetwin.apiserver.storage;

/**
 * Where one object lives: its group and resource (plural), its namespace ("" when cluster-scoped) and name.
 * Storage keys are independent of API version: all versions of a resource share one key space.
 */
public record ObjectKey(String group, String resource, String namespace, String name) {
    public ObjectKey {
        group = group == null ? "" : group;
        namespace = namespace == null ? "" : namespace;
    }

    public ResourceKey resourceKey() {
        return new ResourceKey(group, resource);
    }
}

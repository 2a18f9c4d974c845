package io.kubetwin.apiserver.storage;

/** A group and resource (plural): the key space of one kind of object in storage. */
public record ResourceKey(String group, String resource) {
    public ResourceKey {
        group = group == null ? "" : group;
    }

    public ObjectKey object(String namespace, String name) {
        return new ObjectKey(group, resource, namespace, name);
    }
}

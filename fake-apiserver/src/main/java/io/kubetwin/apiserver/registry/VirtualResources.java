package io.kubetwin.apiserver.registry;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Custom handlers by (group, resource, subresource); subresource "" addresses the resource itself
 * (e.g. ("authentication.k8s.io", "tokenreviews", "")). A registered handler takes precedence over
 * storage. Thread-safe.
 */
public final class VirtualResources {
    private final Map<String, VirtualResource> handlers = new ConcurrentHashMap<>();

    public void register(String group, String resource, String subresource, VirtualResource handler) {
        handlers.put(key(group, resource, subresource), handler);
    }

    public Optional<VirtualResource> lookup(String group, String resource, String subresource) {
        return Optional.ofNullable(handlers.get(key(group, resource, subresource)));
    }

    private static String key(String group, String resource, String subresource) {
        return (group == null ? "" : group) + "/" + resource + "/" + (subresource == null ? "" : subresource);
    }
}

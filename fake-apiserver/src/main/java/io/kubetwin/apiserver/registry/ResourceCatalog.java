package io.kubetwin.apiserver.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The resources this server serves, by (group, version, plural): what the handlers route to and what
 * discovery lists. Built-in types are loaded by {@link #withBuiltIns()}; CRDs add and remove theirs at
 * run time.
 *
 * <p>Thread-safe. Listeners are called synchronously on the registering thread after the change is
 * visible, in registration order; they must be quick and must not register or remove resources.
 */
public final class ResourceCatalog {

    /** A change of the catalog, as discovery hears it. */
    public sealed interface Change {
        ServedResource resource();

        record Added(ServedResource resource) implements Change {}

        record Removed(ServedResource resource) implements Change {}
    }

    private final Map<Gvr, ServedResource> resources = new ConcurrentHashMap<>();
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private final Object writeLock = new Object();

    /** An empty catalog. */
    public ResourceCatalog() {}

    /** A new catalog holding the built-in resources kube-apiserver v1.34 serves for the kubetwin surface. */
    public static ResourceCatalog withBuiltIns() {
        return withBuiltIns(ApiSurface.BINARY);
    }

    /** A new catalog holding the built-in resources kube-apiserver v1.34 serves at an emulated release. */
    public static ResourceCatalog withBuiltIns(ApiSurface surface) {
        ResourceCatalog catalog = new ResourceCatalog();
        BuiltInResources.all(surface).forEach(catalog::register);
        return catalog;
    }

    /** Adds or replaces a resource; listeners hear {@link Change.Added}. */
    public void register(ServedResource resource) {
        synchronized (writeLock) {
            ResourceType t = resource.type();
            resources.put(new Gvr(t.group(), t.version(), t.plural()), resource);
        }
        listeners.forEach(l -> l.accept(new Change.Added(resource)));
    }

    /** Adds a resource stored as itself with the given subresources. */
    public void register(ResourceType type, List<SubresourceType> subresources) {
        register(ServedResource.of(type, subresources));
    }

    /** Removes a resource if served; listeners hear {@link Change.Removed}. Returns whether it was served. */
    public boolean remove(String group, String version, String plural) {
        ServedResource removed;
        synchronized (writeLock) {
            removed = resources.remove(new Gvr(group == null ? "" : group, version, plural));
        }
        if (removed != null) {
            ServedResource r = removed;
            listeners.forEach(l -> l.accept(new Change.Removed(r)));
        }
        return removed != null;
    }

    /** The resource served at (group, version, plural). */
    public Optional<ServedResource> lookup(String group, String version, String plural) {
        return Optional.ofNullable(resources.get(new Gvr(group == null ? "" : group, version, plural)));
    }

    /** The first served version of (group, plural) found, e.g. to resolve what a storage key holds. */
    public Optional<ServedResource> lookupAnyVersion(String group, String plural) {
        String g = group == null ? "" : group;
        return resources.entrySet().stream()
                .filter(e -> e.getKey().group().equals(g) && e.getKey().plural().equals(plural))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** The resource whose Kind is {@code kind} in (group, version), used to name kinds in decode errors. */
    public Optional<ServedResource> lookupKind(String group, String version, String kind) {
        String g = group == null ? "" : group;
        return resources.values().stream()
                .filter(r -> r.type().group().equals(g)
                        && r.type().version().equals(version)
                        && r.type().kind().equals(kind))
                .findFirst();
    }

    /** All served resources of one group/version, sorted by plural as discovery lists them. */
    public List<ServedResource> resources(String group, String version) {
        String g = group == null ? "" : group;
        List<ServedResource> out = new ArrayList<>();
        for (ServedResource r : resources.values()) {
            if (r.type().group().equals(g) && r.type().version().equals(version)) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparing(r -> r.type().plural()));
        return out;
    }

    /** Every served resource, sorted by group, version, plural. */
    public List<ServedResource> all() {
        List<ServedResource> out = new ArrayList<>(resources.values());
        out.sort(Comparator.<ServedResource, String>comparing(r -> r.type().group())
                .thenComparing(r -> r.type().version())
                .thenComparing(r -> r.type().plural()));
        return out;
    }

    /** The served group/versions as "v1" or "group/version", sorted. */
    public Set<String> groupVersions() {
        Set<String> out = new LinkedHashSet<>();
        all().forEach(r -> out.add(r.type().apiVersion()));
        return out;
    }

    /** Subscribes to changes; returns a handle that unsubscribes. */
    public AutoCloseable addListener(Consumer<Change> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private record Gvr(String group, String version, String plural) {}
}

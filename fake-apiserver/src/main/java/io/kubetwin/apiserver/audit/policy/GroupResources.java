package io.kubetwin.apiserver.audit.policy;

import java.util.List;

/**
 * One {@code resources} entry of a policy rule: an API group ({@code ""} is core) and, optionally, the
 * resources of that group ({@code pods}, {@code pods/log}, {@code *}, {@code &#42;/status},
 * {@code pods/*}) and resource names. An empty {@code resources} list means every resource of the group.
 */
public record GroupResources(String group, List<String> resources, List<String> resourceNames) {
    public GroupResources {
        group = group == null ? "" : group;
        resources = resources == null ? List.of() : List.copyOf(resources);
        resourceNames = resourceNames == null ? List.of() : List.copyOf(resourceNames);
    }

    /** {@code group} with the given resources ({@code group("")} alone is the whole core group). */
    public static GroupResources group(String group, String... resources) {
        return new GroupResources(group, List.of(resources), List.of());
    }

    public GroupResources withNames(String... names) {
        return new GroupResources(group, resources, List.of(names));
    }
}

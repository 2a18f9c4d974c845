package io.kubetwin.apiserver.registry;

import java.util.List;

/**
 * One subresource of a served resource as discovery lists it ({@code pods/log}): its name after the
 * slash, the Kind it speaks, the verbs it serves, and the group/version of that Kind when it differs
 * from the parent's (e.g. {@code pods/eviction} speaks policy/v1 Eviction).
 *
 * @param name subresource name without the parent ("status")
 * @param group group of {@code kind} when it differs from the parent's, else null
 * @param version version of {@code kind} when it differs from the parent's, else null
 * @param kind the Kind
 * @param verbs the verbs discovery advertises
 */
public record SubresourceType(String name, String group, String version, String kind, List<String> verbs) {
    public SubresourceType {
        verbs = List.copyOf(verbs);
    }

    public static SubresourceType of(String name, String kind, String... verbs) {
        return new SubresourceType(name, null, null, kind, List.of(verbs));
    }

    public static SubresourceType crossGroup(String name, String group, String version, String kind, String... verbs) {
        return new SubresourceType(name, group, version, kind, List.of(verbs));
    }
}

package io.kubetwin.apiserver.api;

import java.util.Optional;
import java.util.Set;

/**
 * The {@code [scheme:]name[:port]} id of a proxy subresource's URL (utilnet.SplitSchemeNamePort in
 * k8s.io/apimachinery/pkg/util/net/port_split.go): the scheme, when given, is http or https; the name is not
 * empty. Pure.
 */
public record SchemeNamePort(String scheme, String name, String port) {
    private static final Set<String> SCHEMES = Set.of("", "http", "https");

    /** The id's parts, or empty when the id is not valid (the caller answers {@code invalid <kind> request "ID"}). */
    public static Optional<SchemeNamePort> split(String id) {
        String[] parts = id.split(":", -1);
        SchemeNamePort split =
                switch (parts.length) {
                    case 1 -> new SchemeNamePort("", parts[0], "");
                    case 2 -> new SchemeNamePort("", parts[0], parts[1]);
                    case 3 -> new SchemeNamePort(parts[0], parts[1], parts[2]);
                    default -> null;
                };
        return split == null || split.name.isEmpty() || !SCHEMES.contains(split.scheme)
                ? Optional.empty()
                : Optional.of(split);
    }
}

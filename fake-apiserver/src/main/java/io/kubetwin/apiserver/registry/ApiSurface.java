package io.kubetwin.apiserver.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The API surface of the release kube-apiserver emulates ({@code --emulated-version}): which recorded
 * discovery, OpenAPI and storage versions the fake serves. kube-apiserver v1.34.4 at emulation version N serves
 * only the APIs introduced at or before N, with the storage versions N's minimum compatibility version can read
 * (k8s.io/apiserver pkg/server/resourceconfig, pkg/server/storage/resource_encoding_config.go); the fake does not
 * compute that, it serves what {@code ci/reference/record-api-surface.sh KUBECONFIG RELEASE} recorded from a
 * reference started with that flag, in {@code discovery/emulated-RELEASE/}. A recording there replaces the
 * binary's own; what is not recorded there is the same as the binary's (the script keeps only what differs).
 *
 * @param release major.minor, e.g. {@code 1.33}
 */
public record ApiSurface(String release) {
    /** The binary's own release, recorded in {@code discovery/} itself. */
    public static final ApiSurface BINARY = new ApiSurface("1.34");

    /** The emulated releases with a recorded surface. */
    static final Set<String> RECORDED = Set.of("1.34", "1.33", "1.32", "1.31");

    private static final String DISCOVERY = "/io/kubetwin/apiserver/discovery/";

    /** The recorded surface of a release, if the fake has one. */
    public static Optional<ApiSurface> of(String release) {
        return RECORDED.contains(release) ? Optional.of(new ApiSurface(release)) : Optional.empty();
    }

    /** Whether this is the binary's own surface. */
    public boolean binary() {
        return equals(BINARY);
    }

    /**
     * A file of the recorded surface, relative to {@code discovery/} ({@code reference-discovery.json},
     * {@code openapi-v3/index.json}): the emulated release's recording when there is one, else the binary's.
     *
     * @return the classpath resource name
     */
    public String resource(String name) {
        if (!binary()) {
            String emulated = DISCOVERY + "emulated-" + release + "/" + name;
            if (ApiSurface.class.getResource(emulated) != null) {
                return emulated;
            }
        }
        return DISCOVERY + name;
    }

    /** Whether the emulated release has its own recording of the file (else the binary's is served). */
    public boolean recordsOwn(String name) {
        return !binary() && ApiSurface.class.getResource(DISCOVERY + "emulated-" + release + "/" + name) != null;
    }

    /** The API groups served ({@code /apis}), read from the recorded discovery. */
    public Set<String> servedGroups() {
        try (InputStream in = open("reference-discovery.json")) {
            Set<String> groups = new TreeSet<>();
            new ObjectMapper()
                    .readTree(in)
                    .path("groupList")
                    .path("groups")
                    .forEach(g -> groups.add(g.path("name").asText()));
            return groups;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens {@link #resource(String)}; null when neither recording has the file. */
    public InputStream open(String name) {
        return ApiSurface.class.getResourceAsStream(resource(name));
    }
}

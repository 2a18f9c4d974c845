package io.kubetwin.apiserver.admission.webhook.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.api.ImageReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which images a cluster may run: only from the listed registries (an entry is a registry, {@code myregistry.io} or
 * {@code myregistry.io:5000}, optionally with a repository prefix, {@code myregistry.io/team}; Docker Hub is
 * {@code docker.io}), and, when {@code requireDigest}, only pinned by digest. Images are parsed as the container
 * runtime parses them ({@link ImageReference}), so a name that merely starts with a trusted registry
 * ({@code myregistry.io.evil.com/app}) or is no valid reference ({@code myregistry.io@evil/app}) is refused.
 * Every container of a pod counts: init, regular and ephemeral containers, and so do the pod templates of
 * workload kinds (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController,
 * PodTemplate). Pure and thread-safe.
 */
public record TrustedRegistryPolicy(List<String> registries, boolean requireDigest) {

    public TrustedRegistryPolicy {
        registries = registries.stream()
                .map(r -> r.trim().toLowerCase(Locale.ROOT))
                .filter(r -> !r.isEmpty())
                .toList();
    }

    /** An image the policy refuses, and why. */
    public record Violation(String image, String reason) {}

    /** The first refused image of the object (a Pod or a workload), in the order the kubelet starts them. */
    public Optional<Violation> check(String kind, JsonNode object) {
        for (String image : images(kind, object)) {
            Optional<String> why = refuse(image);
            if (why.isPresent()) {
                return Optional.of(new Violation(image, why.get()));
            }
        }
        return Optional.empty();
    }

    /** Why {@code image} is refused, or empty when it is allowed. */
    public Optional<String> refuse(String image) {
        ImageReference ref;
        try {
            ref = ImageReference.parse(image);
        } catch (IllegalArgumentException e) {
            return Optional.of("not a valid image reference: " + e.getMessage());
        }
        if (!trusted(ref)) {
            return Optional.of("registry " + ref.domain().toLowerCase(Locale.ROOT) + " is not trusted");
        }
        if (requireDigest && !ref.pinned()) {
            return Optional.of("not pinned by digest");
        }
        return Optional.empty();
    }

    private boolean trusted(ImageReference ref) {
        String domain = ref.domain().toLowerCase(Locale.ROOT);
        for (String entry : registries) {
            int slash = entry.indexOf('/');
            String registry = slash < 0 ? entry : entry.substring(0, slash);
            String prefix = slash < 0 ? "" : entry.substring(slash + 1);
            if (!registry.equals(domain)) {
                continue;
            }
            if (prefix.isEmpty() || ref.path().equals(prefix) || ref.path().startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    /** The images of a Pod or of a workload's pod template. */
    public static List<String> images(String kind, JsonNode object) {
        JsonNode podSpec =
                switch (kind) {
                    case "Pod" -> object.path("spec");
                    case "PodTemplate" -> object.path("template").path("spec");
                    case "CronJob" ->
                        object.path("spec")
                                .path("jobTemplate")
                                .path("spec")
                                .path("template")
                                .path("spec");
                    default -> object.path("spec").path("template").path("spec");
                };
        List<String> images = new ArrayList<>();
        for (String field : List.of("initContainers", "containers", "ephemeralContainers")) {
            for (JsonNode c : podSpec.path(field)) {
                images.add(c.path("image").asText(""));
            }
        }
        return images;
    }
}

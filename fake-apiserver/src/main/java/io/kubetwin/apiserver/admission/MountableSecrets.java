package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The ServiceAccount plugin's check for accounts annotated {@code kubernetes.io/enforce-mountable-secrets:
 * "true"} (limitSecretReferences and limitEphemeralContainerSecretReferences in
 * plugin/pkg/admission/serviceaccount/admission.go): a pod may only use the secrets listed in the
 * account's {@code secrets} and pull with those in its {@code imagePullSecrets}. Answers the first
 * violation in upstream's order, worded as upstream words it.
 */
final class MountableSecrets {
    private MountableSecrets() {}

    /** Secret volumes, then init containers' and containers' env and envFrom, then image pull secrets. */
    static Optional<String> violation(ServiceAccountInfo sa, JsonNode pod) {
        Set<String> mountable = new HashSet<>(sa.secrets());
        JsonNode spec = pod.path("spec");
        for (JsonNode v : spec.path("volumes")) {
            JsonNode secret = v.get("secret");
            if (secret == null || secret.isNull()) {
                continue;
            }
            String name = secret.path("secretName").asText("");
            if (!mountable.contains(name)) {
                return Optional.of("volume with secret.secretName=\"" + name
                        + "\" is not allowed because service account " + sa.name() + " does not reference that secret");
            }
        }
        Optional<String> containers = containers(sa, mountable, spec.path("initContainers"), "init container ");
        if (containers.isPresent()) {
            return containers;
        }
        containers = containers(sa, mountable, spec.path("containers"), "container ");
        if (containers.isPresent()) {
            return containers;
        }
        Set<String> pullable = new HashSet<>(sa.imagePullSecrets());
        JsonNode pulls = spec.path("imagePullSecrets");
        for (int i = 0; i < pulls.size(); i++) {
            String name = pulls.get(i).path("name").asText("");
            if (!pullable.contains(name)) {
                return Optional.of(
                        "imagePullSecrets[" + i + "].name=\"" + name + "\" is not allowed because service account "
                                + sa.name() + " does not reference that imagePullSecret");
            }
        }
        return Optional.empty();
    }

    /** The check of a pods/ephemeralcontainers update: only the ephemeral containers' env and envFrom. */
    static Optional<String> ephemeralViolation(ServiceAccountInfo sa, JsonNode pod) {
        return containers(
                sa, new HashSet<>(sa.secrets()), pod.path("spec").path("ephemeralContainers"), "ephemeral container ");
    }

    private static Optional<String> containers(
            ServiceAccountInfo sa, Set<String> mountable, JsonNode containers, String what) {
        String tail = " is not allowed because service account " + sa.name() + " does not reference that secret";
        for (JsonNode c : containers) {
            String container = what + c.path("name").asText("");
            for (JsonNode e : c.path("env")) {
                JsonNode ref = e.path("valueFrom").get("secretKeyRef");
                if (ref != null
                        && !ref.isNull()
                        && !mountable.contains(ref.path("name").asText(""))) {
                    return Optional.of(container + " with envVar "
                            + e.path("name").asText("") + " referencing secret.secretName=\""
                            + ref.path("name").asText("") + "\"" + tail);
                }
            }
            for (JsonNode e : c.path("envFrom")) {
                JsonNode ref = e.get("secretRef");
                if (ref != null
                        && !ref.isNull()
                        && !mountable.contains(ref.path("name").asText(""))) {
                    return Optional.of(container + " with envFrom referencing secret.secretName=\""
                            + ref.path("name").asText("") + "\"" + tail);
                }
            }
        }
        return Optional.empty();
    }
}

package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.Meta;
import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes through pods/ephemeralcontainers (podEphemeralContainersStrategy in pkg/registry/core/pod/strategy.go, as
 * {@code kubectl debug} patches it): after mutating admission only {@code spec.ephemeralContainers} is taken from the
 * object sent, the rest of the pod stays as stored (dropNonEphemeralContainerUpdates, ResetObjectMetaForStatus), the
 * generation goes up when the spec changed, and ValidatePodEphemeralContainersUpdate checks the result.
 */
final class EphemeralContainersStrategy implements ResourceStrategy {
    private final PodStrategy pods;

    EphemeralContainersStrategy(PodStrategy pods) {
        this.pods = pods;
    }

    @Override
    public boolean preparesAfterMutation() {
        return true;
    }

    @Override
    public void prepareForUpdate(ObjectNode pod, ObjectNode old) {
        JsonNode ephemeral = pod.path("spec").get("ephemeralContainers");
        ObjectNode merged = old.deepCopy();
        ObjectNode spec = merged.get("spec") instanceof ObjectNode s ? s : merged.putObject("spec");
        if (ephemeral == null || ephemeral.isNull()) {
            spec.remove("ephemeralContainers");
        } else {
            spec.set("ephemeralContainers", ephemeral.deepCopy());
        }
        // the managed fields already track this write
        JsonNode managed = Meta.meta(pod).get("managedFields");
        if (managed != null) {
            Meta.meta(merged).set("managedFields", managed.deepCopy());
        } else {
            Meta.meta(merged).remove("managedFields");
        }
        // updatePodGeneration
        if (!spec.equals(old.path("spec"))) {
            Meta.meta(merged)
                    .put("generation", old.path("metadata").path("generation").asInt(1) + 1);
        }
        pod.removeAll();
        pod.setAll(merged);
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode pod, ObjectNode old) {
        List<FieldError> errs = pods.validateMetadataAndSpec(pod);
        PodStrategy.validateMirrorAnnotationUpdate(errs, pod, old);
        if (old.path("metadata").path("annotations").has(PodStrategy.MIRROR_POD_ANNOTATION)) {
            // static pods don't support ephemeral containers: this error alone
            return List.of(FieldError.forbidden("", "static pods do not support ephemeral containers"));
        }
        // existing ephemeral containers may be neither removed nor changed (looked up by name: patches reorder)
        Map<String, JsonNode> now = new HashMap<>();
        for (JsonNode c : pod.path("spec").path("ephemeralContainers")) {
            now.put(c.path("name").asText(""), c);
        }
        List<FieldError> changes = new ArrayList<>();
        for (JsonNode before : old.path("spec").path("ephemeralContainers")) {
            String name = before.path("name").asText("");
            JsonNode after = now.get(name);
            if (after == null) {
                changes.add(FieldError.forbidden(
                        "spec.ephemeralContainers",
                        "existing ephemeral containers " + GoText.quote(name) + " may not be removed\n"));
            } else if (!after.equals(before)) {
                // upstream appends a diff of the internal Go structs, which the fake cannot render (known-divergences)
                changes.add(FieldError.forbidden(
                        "spec.ephemeralContainers",
                        "existing ephemeral containers " + GoText.quote(name) + " may not be changed\n"));
            }
        }
        errs.addAll(changes);
        return errs;
    }
}

package io.kubetwin.apiserver.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.validation.FieldError;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * CustomResourceDefinitions (apiextensions-apiserver pkg/registry/customresourcedefinition/strategy.go and
 * etcd.go, v1 defaults from pkg/apis/apiextensions/v1/defaults.go): names and conversion defaulted, status
 * reset on create (conditions null, empty accepted names, the storage version recorded as stored), kept on
 * updates that add new storage versions to it, generation bumped by spec changes. A {@code status} write
 * keeps spec but may change metadata, as upstream's (self-)reset of ObjectMeta allows; the finalizer
 * controller relies on it. DELETE first adds the cleanup finalizer and a Terminating condition.
 */
public final class CrdStrategy implements ResourceStrategy {
    private final Clock clock;
    private final ResourceStrategy status = new StatusStrategy();

    public CrdStrategy(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public void applyDefaults(ObjectNode crd) {
        if (!(crd.get("spec") instanceof ObjectNode spec)) {
            return;
        }
        if (spec.get("names") instanceof ObjectNode names) {
            String kind = CrdObject.text(names, "kind");
            if (CrdObject.text(names, "singular").isEmpty()) {
                names.put("singular", kind.toLowerCase(Locale.ROOT));
            }
            if (CrdObject.text(names, "listKind").isEmpty() && !kind.isEmpty()) {
                names.put("listKind", kind + "List");
            }
        }
        if (!spec.path("conversion").isObject()) {
            spec.putObject("conversion").put("strategy", "None");
        }
        ObjectNode status = crd.get("status") instanceof ObjectNode s ? s : null;
        if (status == null || status.path("storedVersions").size() == 0) {
            storageVersion(spec).ifPresent(v -> {
                ObjectNode st = status != null ? status : crd.putObject("status");
                st.putArray("storedVersions").add(v);
            });
        }
    }

    @Override
    public void prepareForCreate(ObjectNode crd) {
        ObjectNode status = crd.putObject("status");
        status.putNull("conditions");
        status.putObject("acceptedNames").put("plural", "").put("kind", "");
        storageVersion(crd.path("spec"))
                .ifPresent(v -> status.putArray("storedVersions").add(v));
    }

    @Override
    public void prepareForUpdate(ObjectNode crd, ObjectNode old) {
        crd.set("status", old.has("status") ? old.get("status").deepCopy() : crd.objectNode());
        storageVersion(crd.path("spec")).ifPresent(v -> {
            ObjectNode status = (ObjectNode) crd.get("status");
            ArrayNode stored =
                    status.get("storedVersions") instanceof ArrayNode a ? a : status.putArray("storedVersions");
            boolean present = false;
            for (JsonNode s : stored) {
                present |= s.asText().equals(v);
            }
            if (!present) {
                stored.add(v);
            }
        });
    }

    @Override
    public List<FieldError> validate(ObjectNode crd) {
        return CrdValidation.validateCreate(crd);
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode crd, ObjectNode old) {
        return CrdValidation.validateUpdate(crd, old);
    }

    @Override
    public ResourceStrategy forSubresource(String subresource) {
        return "status".equals(subresource) ? status : this;
    }

    @Override
    public boolean changesGeneration(ObjectNode crd, ObjectNode old) {
        return !crd.path("spec").equals(old.path("spec"));
    }

    @Override
    public void canonicalize(ObjectNode crd) {
        JsonOrder.crd(crd);
    }

    @Override
    public boolean prepareForDelete(ObjectNode crd, String now) {
        ObjectNode meta = (ObjectNode) crd.get("metadata");
        if (meta.hasNonNull("deletionTimestamp")) {
            return false;
        }
        meta.put("deletionTimestamp", now);
        ArrayNode finalizers = meta.get("finalizers") instanceof ArrayNode a ? a : meta.putArray("finalizers");
        boolean has = false;
        for (JsonNode f : finalizers) {
            has |= CrdObject.CLEANUP_FINALIZER.equals(f.asText());
        }
        if (!has) {
            finalizers.add(CrdObject.CLEANUP_FINALIZER);
        }
        setCondition(
                crd,
                "Terminating",
                "True",
                "InstanceDeletionPending",
                "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon",
                now);
        return true;
    }

    /** SetCRDCondition: replaces the condition of that type (keeping its transition time when the status stays) or appends it. */
    static void setCondition(
            ObjectNode crd, String type, String statusValue, String reason, String message, String now) {
        ObjectNode status = crd.get("status") instanceof ObjectNode s ? s : crd.putObject("status");
        ArrayNode conditions = status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
        for (JsonNode c : conditions) {
            if (type.equals(c.path("type").asText())) {
                ObjectNode existing = (ObjectNode) c;
                if (!statusValue.equals(existing.path("status").asText())
                        || existing.path("lastTransitionTime").asText("").isEmpty()) {
                    existing.put("lastTransitionTime", now);
                }
                existing.put("status", statusValue).put("reason", reason).put("message", message);
                JsonOrder.reorder(existing, JsonOrder.CONDITION);
                return;
            }
        }
        conditions
                .addObject()
                .put("type", type)
                .put("status", statusValue)
                .put("lastTransitionTime", now)
                .put("reason", reason)
                .put("message", message);
    }

    String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static Optional<String> storageVersion(JsonNode spec) {
        for (JsonNode v : spec.path("versions")) {
            if (v.path("storage").asBoolean(false)) {
                return Optional.of(v.path("name").asText());
            }
        }
        return Optional.empty();
    }

    /** customresourcedefinition statusStrategy: spec from the stored object, everything else from the request. */
    private static final class StatusStrategy implements ResourceStrategy {
        @Override
        public void prepareForUpdate(ObjectNode crd, ObjectNode old) {
            if (old.has("spec")) {
                crd.set("spec", old.get("spec").deepCopy());
            }
        }

        @Override
        public List<FieldError> validateUpdate(ObjectNode crd, ObjectNode old) {
            return CrdValidation.names(CrdObject.of(crd).acceptedNames(), "status.acceptedNames");
        }
    }
}

package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.Quantity;
import io.kubetwin.apiserver.api.ResourceLists;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The RuntimeClass plugin (plugin/pkg/admission/runtimeclass/admission.go), enabled by default, on pod
 * creation: a pod naming a missing RuntimeClass is refused; one naming a class gets the class's
 * {@code overhead.podFixed} as {@code spec.overhead} (a different overhead of its own is refused), the
 * class's {@code scheduling.nodeSelector} merged into its node selector (a conflicting value is refused)
 * and the class's tolerations merged into its own. The validating phase checks the overhead again.
 */
public final class RuntimeClassAdmission implements AdmissionPlugin {
    private static final ResourceKey CLASSES = new ResourceKey("node.k8s.io", "runtimeclasses");
    private static final String MISMATCH = "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead";

    private final Storage storage;

    public RuntimeClassAdmission(Storage storage) {
        this.storage = storage;
    }

    @Override
    public String name() {
        return "RuntimeClass";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE;
    }

    private static boolean ignored(AdmissionAttributes a) {
        return !a.subresource().isEmpty()
                || !a.resourceGroup().isEmpty()
                || !"pods".equals(a.resource())
                || a.object() == null;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        if (ignored(a)) {
            return Future.succeededFuture();
        }
        return runtimeClass(a).compose(rc -> {
            if (rc == null) {
                return Future.succeededFuture();
            }
            ObjectNode spec = a.object().get("spec") instanceof ObjectNode s
                    ? s
                    : a.object().putObject("spec");
            JsonNode podFixed = rc.path("overhead").path("podFixed");
            if (rc.path("overhead").isObject()) {
                if (spec.path("overhead").size() > 0 && !sameResources(spec.path("overhead"), podFixed)) {
                    return Future.failedFuture(AdmissionErrors.forbidden(a, MISMATCH));
                }
                if (podFixed.isObject()) {
                    spec.set("overhead", podFixed.deepCopy());
                } else {
                    spec.remove("overhead");
                }
            }
            JsonNode scheduling = rc.path("scheduling");
            if (scheduling.isObject()) {
                JsonNode runtimeSelector = scheduling.path("nodeSelector");
                if (!(spec.get("nodeSelector") instanceof ObjectNode podSelector)) {
                    if (runtimeSelector.isObject()) {
                        spec.set("nodeSelector", runtimeSelector.deepCopy());
                    }
                } else {
                    for (Iterator<Map.Entry<String, JsonNode>> it = runtimeSelector.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        JsonNode podValue = podSelector.get(e.getKey());
                        if (podValue != null
                                && !podValue.asText().equals(e.getValue().asText())) {
                            return Future.failedFuture(AdmissionErrors.forbidden(
                                    a,
                                    "conflict: runtimeClass.scheduling.nodeSelector[" + e.getKey() + "] = "
                                            + e.getValue().asText() + "; pod.spec.nodeSelector[" + e.getKey()
                                            + "] = " + podValue.asText()));
                        }
                        podSelector.set(e.getKey(), e.getValue());
                    }
                    // a Go map: written sorted by key
                    ObjectNode sorted = podSelector.objectNode();
                    new TreeMap<>(toMap(podSelector)).forEach(sorted::set);
                    spec.set("nodeSelector", sorted);
                }
                var merged = Tolerations.merge(spec.path("tolerations"), scheduling.path("tolerations"));
                if (merged.isEmpty()) {
                    spec.remove("tolerations");
                } else {
                    spec.set("tolerations", merged);
                }
            }
            return Future.succeededFuture();
        });
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        if (ignored(a)) {
            return Future.succeededFuture();
        }
        return runtimeClass(a).compose(rc -> {
            JsonNode overhead = a.object().path("spec").path("overhead");
            if (rc != null && rc.path("overhead").isObject()) {
                if (!sameResources(rc.path("overhead").path("podFixed"), overhead)) {
                    return Future.failedFuture(AdmissionErrors.forbidden(a, MISMATCH));
                }
            } else if (overhead.isObject()) {
                return Future.failedFuture(AdmissionErrors.forbidden(
                        a, "pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead"));
            }
            return Future.succeededFuture();
        });
    }

    /** The pod's RuntimeClass; null when it names none; "not found" refuses the pod. */
    private Future<JsonNode> runtimeClass(AdmissionAttributes a) {
        JsonNode name = a.object().path("spec").path("runtimeClassName");
        if (!name.isTextual()) {
            return Future.succeededFuture(null);
        }
        return storage.get(CLASSES.object("", name.asText()))
                .<JsonNode>map(rc -> rc)
                .recover(e -> e instanceof StorageException se && se.reason() == StorageException.Reason.NOT_FOUND
                        ? Future.failedFuture(AdmissionErrors.forbidden(
                                a, "pod rejected: RuntimeClass \"" + name.asText() + "\" not found"))
                        : Future.failedFuture(e));
    }

    private static Map<String, JsonNode> toMap(ObjectNode node) {
        Map<String, JsonNode> out = new HashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Semantic.DeepEqual of two resource lists: the same names with equal quantities. */
    private static boolean sameResources(JsonNode x, JsonNode y) {
        Map<String, Quantity> a = ResourceLists.read(x);
        Map<String, Quantity> b = ResourceLists.read(y);
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.entrySet().stream().allMatch(e -> e.getValue().sameValue(b.get(e.getKey())));
    }
}

package io.kubetwin.apiserver.admission.limitranger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionErrors;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Quantity;
import io.kubetwin.apiserver.api.ResourceLists;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * The LimitRanger plugin (plugin/pkg/admission/limitranger/admission.go), enabled by default. For every
 * LimitRange of the namespace: the mutating phase gives each container of a new pod the Container
 * {@code default} limits and {@code defaultRequest} requests it lacks, and records what it set in the
 * {@code kubernetes.io/limit-ranger} annotation; the validating phase enforces {@code min}, {@code max} and
 * {@code maxLimitRequestRatio} per Container and per Pod, and {@code min}/{@code max} on a
 * PersistentVolumeClaim's storage request. Pod updates are not looked at (only the resize subresource),
 * nor objects being deleted.
 */
public final class LimitRanger implements AdmissionPlugin {
    static final String ANNOTATION = "kubernetes.io/limit-ranger";
    private static final ResourceKey LIMIT_RANGES = new ResourceKey("", "limitranges");

    private final Storage storage;
    private final boolean podLevel;

    /** @param podLevel the PodLevelResources gate: whether a pod's spec.resources counts for Pod limits */
    public LimitRanger(Storage storage, boolean podLevel) {
        this.storage = storage;
        this.podLevel = podLevel;
    }

    @Override
    public String name() {
        return "LimitRanger";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        return run(a, (limitRange, object) -> {
            if ("pods".equals(a.resource())) {
                LimitRangeChecks.applyDefaults(limitRange, object);
            }
            return List.of();
        });
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        return run(a, (limitRange, object) -> switch (a.resource()) {
            case "pods" -> LimitRangeChecks.validatePod(limitRange, object, podLevel);
            case "persistentvolumeclaims" -> LimitRangeChecks.validateClaim(limitRange, object);
            default -> List.of();
        });
    }

    /** DefaultLimitRangerActions.SupportsAttributes. */
    static boolean supports(AdmissionAttributes a) {
        if (!a.group().isEmpty() || a.object() == null) {
            return false;
        }
        boolean pod = "Pod".equals(a.kind());
        if (pod && "resize".equals(a.subresource()) && a.operation() == Operation.UPDATE) {
            return true;
        }
        if (!a.subresource().isEmpty() || (pod && a.operation() == Operation.UPDATE)) {
            return false;
        }
        return pod || "PersistentVolumeClaim".equals(a.kind());
    }

    private Future<Void> run(AdmissionAttributes a, BiFunction<JsonNode, ObjectNode, List<String>> limitFn) {
        if (!supports(a)) {
            return Future.succeededFuture();
        }
        if (a.oldObject() != null
                && !a.oldObject().path("metadata").path("deletionTimestamp").isMissingNode()
                && !a.oldObject().path("metadata").path("deletionTimestamp").isNull()) {
            return Future.succeededFuture();
        }
        return storage.list(LIMIT_RANGES, a.namespace()).compose(list -> {
            for (ObjectNode limitRange : list.items()) {
                // utilerrors.NewAggregate: repeated messages once, one alone, several in brackets
                Set<String> errors = new LinkedHashSet<>(limitFn.apply(limitRange, a.object()));
                if (!errors.isEmpty()) {
                    String detail =
                            errors.size() == 1 ? errors.iterator().next() : "[" + String.join(", ", errors) + "]";
                    return Future.failedFuture(AdmissionErrors.forbidden(a, detail));
                }
            }
            return Future.succeededFuture();
        });
    }

    /** The limits of one type ("Container", "Pod", "PersistentVolumeClaim") of a LimitRange, in order. */
    static List<JsonNode> limits(JsonNode limitRange, String type) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode item : limitRange.path("spec").path("limits")) {
            if (type.equals(item.path("type").asText())) {
                out.add(item);
            }
        }
        return out;
    }

    static TreeMap<String, Quantity> list(JsonNode node, String field) {
        return ResourceLists.read(node.path(field));
    }

    static Map<String, Quantity> resources(JsonNode container, String field) {
        return ResourceLists.read(container.path("resources").path(field));
    }
}

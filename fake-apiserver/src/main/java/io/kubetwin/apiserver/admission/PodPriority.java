package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;

/**
 * The Priority plugin (plugin/pkg/admission/priority/admission.go), enabled by default: a new pod's
 * {@code spec.priority} and {@code spec.preemptionPolicy} come from its PriorityClass (or the global
 * default class, or 0 and PreemptLowerPriority when there is none); a pod naming a class that does not
 * exist, or setting a priority or preemption policy other than the computed one, is refused. Updates
 * keep the stored values when the new object leaves them out.
 */
public final class PodPriority implements AdmissionPlugin {

    /** What the plugin reads of a scheduling.k8s.io/v1 PriorityClass; preemptionPolicy null when unset. */
    public record PriorityClass(String name, int value, String preemptionPolicy, boolean globalDefault) {}

    /** Where priority classes are read. */
    public interface PriorityClasses {
        /** The class of that name, empty when it does not exist. */
        Future<Optional<PriorityClass>> find(String name);

        /** The global default class (the lowest-valued one when several claim it), empty when none does. */
        Future<Optional<PriorityClass>> globalDefault();

        /**
         * Only the two classes kube-apiserver creates at start-up (pkg/apis/scheduling SystemPriorityClasses):
         * the fake serves no scheduling.k8s.io API, so nothing else can exist and there is no global default.
         */
        static PriorityClasses systemOnly() {
            Map<String, PriorityClass> system = Map.of(
                    "system-node-critical",
                            new PriorityClass("system-node-critical", 2000001000, PREEMPT_LOWER_PRIORITY, false),
                    "system-cluster-critical",
                            new PriorityClass("system-cluster-critical", 2000000000, PREEMPT_LOWER_PRIORITY, false));
            return new PriorityClasses() {
                @Override
                public Future<Optional<PriorityClass>> find(String name) {
                    return Future.succeededFuture(Optional.ofNullable(system.get(name)));
                }

                @Override
                public Future<Optional<PriorityClass>> globalDefault() {
                    return Future.succeededFuture(Optional.empty());
                }
            };
        }
    }

    static final String PREEMPT_LOWER_PRIORITY = "PreemptLowerPriority";

    private final PriorityClasses classes;

    public PodPriority(PriorityClasses classes) {
        this.classes = classes;
    }

    @Override
    public String name() {
        return "Priority";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE || operation == Operation.DELETE;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        if (!a.subresource().isEmpty()
                || !a.resourceGroup().isEmpty()
                || !"pods".equals(a.resource())
                || a.object() == null) {
            return Future.succeededFuture();
        }
        ObjectNode spec =
                a.object().get("spec") instanceof ObjectNode s ? s : a.object().putObject("spec");
        if (a.operation() == Operation.UPDATE) {
            JsonNode old = a.oldObject() == null ? null : a.oldObject().path("spec");
            for (String field : new String[] {"priority", "preemptionPolicy"}) {
                if (!set(spec, field) && old != null && set(old, field)) {
                    spec.set(field, old.get(field).deepCopy());
                }
            }
            return Future.succeededFuture();
        }
        if (a.operation() != Operation.CREATE) {
            return Future.succeededFuture();
        }
        String className = spec.path("priorityClassName").asText("");
        Future<PriorityClass> resolved = className.isEmpty()
                ? classes.globalDefault().map(d -> d.orElse(new PriorityClass("", 0, PREEMPT_LOWER_PRIORITY, false)))
                : classes.find(className)
                        .compose(c -> c.map(Future::succeededFuture)
                                .orElseGet(() -> Future.failedFuture(AdmissionErrors.forbidden(
                                        a, "no PriorityClass with name " + className + " was found"))));
        return resolved.compose(pc -> {
            if (className.isEmpty() && !pc.name().isEmpty()) {
                spec.put("priorityClassName", pc.name());
            }
            if (set(spec, "priority") && spec.get("priority").asLong() != pc.value()) {
                return Future.failedFuture(AdmissionErrors.forbidden(
                        a,
                        "the integer value of priority ("
                                + spec.get("priority").asLong()
                                + ") must not be provided in pod spec; priority admission controller computed "
                                + pc.value() + " from the given PriorityClass name"));
            }
            spec.put("priority", pc.value());
            if (pc.preemptionPolicy() != null) {
                if (set(spec, "preemptionPolicy")
                        && !spec.get("preemptionPolicy").asText().equals(pc.preemptionPolicy())) {
                    return Future.failedFuture(AdmissionErrors.forbidden(
                            a,
                            "the string value of PreemptionPolicy ("
                                    + spec.get("preemptionPolicy").asText()
                                    + ") must not be provided in pod spec; priority admission "
                                    + "controller computed " + pc.preemptionPolicy()
                                    + " from the given PriorityClass name"));
                }
                spec.put("preemptionPolicy", pc.preemptionPolicy());
            }
            return Future.<Void>succeededFuture();
        });
    }

    private static boolean set(JsonNode spec, String field) {
        JsonNode f = spec.get(field);
        return f != null && !f.isNull();
    }
}

package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.policy.PolicyValidation;
import io.kubetwin.apiserver.registry.validation.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The required-field and value checks of the built-in kinds, in upstream's order and words
 * (pkg/apis/{apps,batch,core,networking,coordination,admissionregistration,autoscaling}/validation), for
 * the cases recorded from the reference. Not every rule of those packages is here: what is missing is
 * listed in known-divergences.yaml.
 */
final class KindValidation {
    private KindValidation() {}

    /** ValidateDeploymentSpec / ValidateStatefulSetSpec / ValidateReplicaSetSpec: selector, template labels, containers. */
    static List<FieldError> selectorAndTemplate(ObjectNode o, boolean selectorRequired) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode spec = o.path("spec");
        JsonNode selector = spec.get("selector");
        boolean nil = selector == null || selector.isNull();
        if (nil && selectorRequired) {
            errs.add(FieldError.required("spec.selector", ""));
        }
        JsonNode labels = spec.path("template").path("metadata").get("labels");
        if (nil || !empty(selector) && !matches(selector, labels)) {
            errs.add(FieldError.invalid(
                    "spec.template.metadata.labels",
                    labels == null || labels.isNull() ? null : labels,
                    "`selector` does not match template `labels`"));
        }
        if (spec.path("template").path("spec").path("containers").size() == 0) {
            errs.add(FieldError.required("spec.template.spec.containers", ""));
        }
        return errs;
    }

    /** ValidateJob: the generated selector (unless manualSelector), template labels matching it, the template. */
    static List<FieldError> job(ObjectNode o) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode spec = o.path("spec");
        JsonNode selector = spec.get("selector");
        if (!spec.path("manualSelector").asBoolean(false) && selector != null && !selector.isNull()) {
            String uid = o.path("metadata").path("uid").asText("");
            JsonNode generated = JsonNodeFactory.instance
                    .objectNode()
                    .set(
                            "matchLabels",
                            JsonNodeFactory.instance.objectNode().put("batch.kubernetes.io/controller-uid", uid));
            if (!generated.equals(selector)) {
                errs.add(FieldError.invalid("spec.selector", selector, "`selector` not auto-generated"));
            }
        }
        JsonNode labels = spec.path("template").path("metadata").get("labels");
        if (selector != null && !selector.isNull() && !empty(selector) && !matches(selector, labels)) {
            errs.add(FieldError.invalid(
                    "spec.template.metadata.labels",
                    labels == null || labels.isNull() ? null : labels,
                    "`selector` does not match template `labels`"));
        }
        jobTemplate(errs, spec, "spec");
        return errs;
    }

    /**
     * ValidateServiceUpdate: an allocated cluster IP may not change (patchAllocatedValues has already put a changed
     * clusterIP into clusterIPs[0]).
     */
    static List<FieldError> serviceUpdate(ObjectNode o, ObjectNode old) {
        JsonNode before = old.path("spec").path("clusterIPs");
        JsonNode now = o.path("spec").path("clusterIPs");
        if (before.size() > 0 && now.size() > 0 && !before.get(0).equals(now.get(0))) {
            return List.of(FieldError.invalid("spec.clusterIPs[0]", now, "may not change once set"));
        }
        return List.of();
    }

    static List<FieldError> cronJob(ObjectNode o) {
        List<FieldError> errs = new ArrayList<>();
        if (o.path("spec").path("schedule").asText("").isEmpty()) {
            errs.add(FieldError.required("spec.schedule", ""));
        }
        jobTemplate(errs, o.path("spec").path("jobTemplate").path("spec"), "spec.jobTemplate.spec");
        return errs;
    }

    private static void jobTemplate(List<FieldError> errs, JsonNode jobSpec, String path) {
        JsonNode podSpec = jobSpec.path("template").path("spec");
        String restartPolicy = podSpec.path("restartPolicy").asText("");
        if (restartPolicy.isEmpty()) {
            errs.add(FieldError.required(
                    path + ".template.spec.restartPolicy", "valid values: \"OnFailure\", \"Never\""));
        } else if (!restartPolicy.equals("OnFailure") && !restartPolicy.equals("Never")) {
            errs.add(FieldError.notSupported(
                    path + ".template.spec.restartPolicy", restartPolicy, List.of("OnFailure", "Never")));
        }
        if (podSpec.path("containers").size() == 0) {
            errs.add(FieldError.required(path + ".template.spec.containers", ""));
        }
    }

    /**
     * validateServiceTrafficDistribution (core validation.go, last of ValidateService): PreferClose, and with
     * {@code PreferSameTrafficDistribution} on PreferSameZone and PreferSameNode.
     */
    static List<FieldError> serviceTrafficDistribution(ObjectNode o, boolean preferSame) {
        JsonNode value = o.path("spec").get("trafficDistribution");
        if (value == null || value.isNull()) {
            return List.of();
        }
        List<String> supported =
                preferSame ? List.of("PreferClose", "PreferSameZone", "PreferSameNode") : List.of("PreferClose");
        return supported.contains(value.asText())
                ? List.of()
                : List.of(FieldError.notSupported("spec.trafficDistribution", value.asText(), supported));
    }

    static List<FieldError> service(ObjectNode o) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode spec = o.path("spec");
        boolean headless = "None".equals(spec.path("clusterIP").asText(""));
        if (spec.path("ports").size() == 0
                && !headless
                && !"ExternalName".equals(spec.path("type").asText(""))) {
            errs.add(FieldError.required("spec.ports", ""));
        }
        String type = spec.path("type").asText("");
        List<String> types = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
        if (!types.contains(type)) {
            errs.add(FieldError.notSupported("spec.type", type, types));
        }
        return errs;
    }

    static List<FieldError> ingress(ObjectNode o) {
        JsonNode spec = o.path("spec");
        if (!spec.hasNonNull("defaultBackend") && spec.path("rules").size() == 0) {
            return List.of(FieldError.invalid("spec", null, "either `defaultBackend` or `rules` must be specified"));
        }
        return List.of();
    }

    static List<FieldError> networkPolicy(ObjectNode o) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode types = o.path("spec").path("policyTypes");
        for (int i = 0; i < types.size(); i++) {
            String t = types.get(i).asText("");
            if (!t.equals("Ingress") && !t.equals("Egress")) {
                errs.add(FieldError.notSupported("spec.policyTypes[" + i + "]", t, List.of("Ingress", "Egress")));
            }
        }
        return errs;
    }

    static List<FieldError> lease(ObjectNode o) {
        JsonNode d = o.path("spec").get("leaseDurationSeconds");
        if (d != null && d.isNumber() && d.asLong() <= 0) {
            return List.of(FieldError.invalid("spec.leaseDurationSeconds", d.asLong(), "must be greater than 0"));
        }
        return List.of();
    }

    /** ValidateValidatingWebhookConfiguration / ValidateMutatingWebhookConfiguration, per webhook in order. */
    static List<FieldError> webhooks(ObjectNode o, PolicyValidation cel) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode hooks = o.path("webhooks");
        for (int i = 0; i < hooks.size(); i++) {
            JsonNode hook = hooks.get(i);
            String p = "webhooks[" + i + "]";
            if (hook.path("sideEffects").asText("").isEmpty()) {
                errs.add(FieldError.required(p + ".sideEffects", "must specify one of None, NoneOnDryRun"));
            }
            if (hook.path("admissionReviewVersions").size() == 0) {
                errs.add(FieldError.required(p + ".admissionReviewVersions", "must specify one of v1, v1beta1"));
            }
            errs.addAll(cel.validateWebhookMatchConditions(hook.path("matchConditions"), p + ".matchConditions"));
        }
        return errs;
    }

    static List<FieldError> horizontalPodAutoscaler(ObjectNode o) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode spec = o.path("spec");
        long max = spec.path("maxReplicas").asLong(0);
        long min = spec.path("minReplicas").asLong(1);
        if (max <= 0) {
            errs.add(FieldError.invalid("spec.maxReplicas", max, "must be greater than 0"));
        }
        if (max < min) {
            errs.add(FieldError.invalid("spec.maxReplicas", max, "must be greater than or equal to `minReplicas`"));
        }
        JsonNode ref = spec.path("scaleTargetRef");
        if (ref.path("kind").asText("").isEmpty()) {
            errs.add(FieldError.required("spec.scaleTargetRef.kind", ""));
        }
        if (ref.path("name").asText("").isEmpty()) {
            errs.add(FieldError.required("spec.scaleTargetRef.name", ""));
        }
        String apiVersion = ref.path("apiVersion").asText("");
        if (!apiVersion.contains("/")) {
            errs.add(FieldError.invalid(
                    "spec.scaleTargetRef.apiVersion", apiVersion, "apiVersion must specify API group"));
        }
        return errs;
    }

    /** A field that may not change once set ("field is immutable"), as ValidateImmutableField words it. */
    static List<FieldError> immutable(ObjectNode o, ObjectNode old, String path) {
        JsonNode now = at(o, path);
        JsonNode before = at(old, path);
        if (now == null ? before != null : !now.equals(before)) {
            return List.of(FieldError.invalid(path, now, "field is immutable"));
        }
        return List.of();
    }

    private static JsonNode at(JsonNode o, String path) {
        JsonNode n = o;
        for (String f : path.split("\\.")) {
            n = n == null ? null : n.get(f);
        }
        return n == null || n.isNull() ? null : n;
    }

    private static boolean empty(JsonNode selector) {
        return selector.path("matchLabels").size() == 0
                && selector.path("matchExpressions").size() == 0;
    }

    /** Whether the labels satisfy the selector's matchLabels and matchExpressions. */
    private static boolean matches(JsonNode selector, JsonNode labels) {
        JsonNode l = labels == null ? NullNode.instance : labels;
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        selector.path("matchLabels").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().asText().equals(l.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        for (JsonNode expr : selector.path("matchExpressions")) {
            String key = expr.path("key").asText("");
            boolean has = l.has(key);
            List<String> values = new ArrayList<>();
            expr.path("values").forEach(v -> values.add(v.asText()));
            boolean ok =
                    switch (expr.path("operator").asText("")) {
                        case "In" -> has && values.contains(l.path(key).asText());
                        case "NotIn" -> !has || !values.contains(l.path(key).asText());
                        case "Exists" -> has;
                        case "DoesNotExist" -> !has;
                        default -> false;
                    };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}

package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.Meta;
import java.util.List;

/**
 * The versioned defaults of the workload kinds (k8s.io/kubernetes pkg/apis/apps/v1/defaults.go,
 * batch/v1/defaults.go, core/v1/defaults.go for ReplicationControllers and PodTemplates), checked against
 * objects created on the reference.
 */
final class WorkloadDefaults {
    private WorkloadDefaults() {}

    static void deployment(ObjectNode o) {
        ObjectNode spec = BuiltInStrategy.object(o, "spec");
        putIfAbsent(spec, "replicas", 1);
        ObjectNode strategy = BuiltInStrategy.object(spec, "strategy");
        if (!strategy.has("type")) {
            strategy.put("type", "RollingUpdate");
        }
        if ("RollingUpdate".equals(strategy.path("type").asText())) {
            ObjectNode rolling = BuiltInStrategy.object(strategy, "rollingUpdate");
            if (!rolling.has("maxUnavailable")) {
                rolling.put("maxUnavailable", "25%");
            }
            if (!rolling.has("maxSurge")) {
                rolling.put("maxSurge", "25%");
            }
        }
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        putIfAbsent(spec, "progressDeadlineSeconds", 600);
        template(spec, "template", false);
    }

    static void replicaSet(ObjectNode o) {
        ObjectNode spec = BuiltInStrategy.object(o, "spec");
        putIfAbsent(spec, "replicas", 1);
        template(spec, "template", false);
    }

    static void statefulSet(ObjectNode o) {
        ObjectNode spec = BuiltInStrategy.object(o, "spec");
        if (!spec.has("persistentVolumeClaimRetentionPolicy")) {
            spec.putObject("persistentVolumeClaimRetentionPolicy");
        }
        ObjectNode retention = (ObjectNode) spec.get("persistentVolumeClaimRetentionPolicy");
        if (!retention.has("whenDeleted")) {
            retention.put("whenDeleted", "Retain");
        }
        if (!retention.has("whenScaled")) {
            retention.put("whenScaled", "Retain");
        }
        if (!spec.has("podManagementPolicy")) {
            spec.put("podManagementPolicy", "OrderedReady");
        }
        putIfAbsent(spec, "replicas", 1);
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        ObjectNode update = BuiltInStrategy.object(spec, "updateStrategy");
        if (!update.has("type")) {
            update.put("type", "RollingUpdate");
        }
        if ("RollingUpdate".equals(update.path("type").asText())) {
            ObjectNode rolling = BuiltInStrategy.object(update, "rollingUpdate");
            putIfAbsent(rolling, "partition", 0);
        }
        template(spec, "template", false);
        // the claim templates get the PersistentVolumeClaim defaults, and their TypeMeta (SetDefaults_StatefulSet)
        JsonNode claims = spec.path("volumeClaimTemplates");
        for (int i = 0; i < claims.size(); i++) {
            if (claims.get(i) instanceof ObjectNode claim) {
                ObjectNode defaulted = claim.objectNode();
                defaulted.put(
                        "apiVersion",
                        claim.path("apiVersion").asText("").isEmpty()
                                ? "v1"
                                : claim.get("apiVersion").asText());
                defaulted.put(
                        "kind",
                        claim.path("kind").asText("").isEmpty()
                                ? "PersistentVolumeClaim"
                                : claim.get("kind").asText());
                claim.remove(List.of("apiVersion", "kind"));
                defaulted.setAll(claim);
                ObjectNode claimSpec = BuiltInStrategy.object(defaulted, "spec");
                if (!claimSpec.has("volumeMode")) {
                    claimSpec.put("volumeMode", "Filesystem");
                }
                ObjectNode status = BuiltInStrategy.object(defaulted, "status");
                if (!status.has("phase")) {
                    status.put("phase", "Pending");
                }
                ((ArrayNode) claims).set(i, defaulted);
            }
        }
    }

    static void daemonSet(ObjectNode o) {
        ObjectNode spec = BuiltInStrategy.object(o, "spec");
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        ObjectNode update = BuiltInStrategy.object(spec, "updateStrategy");
        if (!update.has("type")) {
            update.put("type", "RollingUpdate");
        }
        if ("RollingUpdate".equals(update.path("type").asText())) {
            ObjectNode rolling = BuiltInStrategy.object(update, "rollingUpdate");
            if (!rolling.has("maxUnavailable")) {
                rolling.put("maxUnavailable", 1);
            }
            if (!rolling.has("maxSurge")) {
                rolling.put("maxSurge", 0);
            }
        }
        template(spec, "template", false);
    }

    static void replicationController(ObjectNode o) {
        ObjectNode spec = BuiltInStrategy.object(o, "spec");
        // SetDefaults_ReplicationController: the selector and the labels default to the template's labels
        JsonNode templateLabels = spec.path("template").path("metadata").get("labels");
        if (templateLabels != null && templateLabels.size() > 0) {
            if (spec.path("selector").size() == 0) {
                spec.set("selector", templateLabels.deepCopy());
            }
            ObjectNode meta = Meta.meta(o);
            if (meta.path("labels").size() == 0) {
                meta.set("labels", templateLabels.deepCopy());
            }
        }
        putIfAbsent(spec, "replicas", 1);
        template(spec, "template", false);
    }

    static void podTemplate(ObjectNode o) {
        template(o, "template", false);
    }

    static void job(ObjectNode o) {
        jobSpec(BuiltInStrategy.object(o, "spec"));
    }

    static void cronJob(ObjectNode o) {
        ObjectNode spec = BuiltInStrategy.object(o, "spec");
        if (!spec.has("concurrencyPolicy")) {
            spec.put("concurrencyPolicy", "Allow");
        }
        putIfAbsent(spec, "failedJobsHistoryLimit", 1);
        putIfAbsent(spec, "successfulJobsHistoryLimit", 3);
        if (!spec.has("suspend")) {
            spec.put("suspend", false);
        }
        ObjectNode jobTemplate = BuiltInStrategy.object(spec, "jobTemplate");
        BuiltInStrategy.object(jobTemplate, "metadata");
        ObjectNode jobSpec = BuiltInStrategy.object(jobTemplate, "spec");
        podFailurePolicy(jobSpec);
        template(jobSpec, "template", true);
    }

    /** SetDefaults_PodFailurePolicyOnPodConditionsPattern: a pattern without status means True. */
    private static void podFailurePolicy(ObjectNode jobSpec) {
        for (JsonNode rule : jobSpec.path("podFailurePolicy").path("rules")) {
            for (JsonNode pattern : rule.path("onPodConditions")) {
                if (pattern instanceof ObjectNode o
                        && o.path("status").asText("").isEmpty()) {
                    o.put("status", "True");
                }
            }
        }
    }

    /** SetDefaults_Job; the selector and template labels are set by the strategy on create. */
    private static void jobSpec(ObjectNode spec) {
        boolean completionsUnset = !spec.hasNonNull("completions");
        boolean parallelismUnset = !spec.hasNonNull("parallelism");
        if (completionsUnset && parallelismUnset) {
            spec.put("completions", 1);
            spec.put("parallelism", 1);
        } else if (parallelismUnset) {
            spec.put("parallelism", 1);
        }
        putIfAbsent(spec, "backoffLimit", spec.hasNonNull("backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
        podFailurePolicy(spec);
        if (!spec.has("completionMode")) {
            spec.put("completionMode", "NonIndexed");
        }
        if (!spec.has("suspend")) {
            spec.put("suspend", false);
        }
        if (!spec.has("podReplacementPolicy")) {
            boolean podFailurePolicy = spec.hasNonNull("podFailurePolicy");
            spec.put("podReplacementPolicy", podFailurePolicy ? "Failed" : "TerminatingOrFailed");
        }
        if (!spec.has("manualSelector")) {
            spec.put("manualSelector", false);
        }
        template(spec, "template", true);
    }

    /**
     * The pod template's defaults. Jobs' templates keep an empty restartPolicy (their validation asks for
     * OnFailure or Never), as the reference shows.
     */
    private static void template(ObjectNode parent, String field, boolean job) {
        ObjectNode template = BuiltInStrategy.object(parent, field);
        ObjectNode meta = BuiltInStrategy.object(template, "metadata");
        // a zero metav1.Time decodes from null and is left out (omitzero): kubectl rollout undo sends the
        // ReplicaSet's template with "creationTimestamp": null
        if (meta.has("creationTimestamp") && meta.get("creationTimestamp").isNull()) {
            meta.remove("creationTimestamp");
        }
        ObjectNode spec = BuiltInStrategy.object(template, "spec");
        boolean restartPolicyUnset = !spec.has("restartPolicy");
        PodStrategy.defaultPodSpec(spec);
        if (job && restartPolicyUnset) {
            spec.remove("restartPolicy");
        }
    }

    /** Ints, as JSON decoding makes them: an update sending the same number is then no change. */
    private static void putIfAbsent(ObjectNode o, String field, int value) {
        if (!o.hasNonNull(field)) {
            o.put(field, value);
        }
    }
}

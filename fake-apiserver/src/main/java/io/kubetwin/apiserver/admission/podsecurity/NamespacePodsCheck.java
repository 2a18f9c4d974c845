package io.kubetwin.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EvaluatePodsInNamespace (admission/admission.go): when a namespace's enforce level is raised, its existing
 * pods are checked against the new level and the violations come back as warnings: a header line, then one
 * line per distinct set of reasons, prefixed by the lexically first pod with it and how many others share it,
 * sorted. Pods of the same controller are checked after one of each controller, up to 3000 pods.
 */
final class NamespacePodsCheck {
    private NamespacePodsCheck() {}

    static List<String> warnings(
            Evaluator evaluator,
            PodSecurityConfiguration config,
            String namespace,
            LevelVersion enforce,
            List<ObjectNode> pods) {
        List<ObjectNode> prioritized = prioritize(config, pods);
        int total = prioritized.size();
        if (prioritized.size() > PodSecurityAdmission.NAMESPACE_MAX_PODS_TO_CHECK) {
            prioritized = prioritized.subList(0, PodSecurityAdmission.NAMESPACE_MAX_PODS_TO_CHECK);
        }
        List<String> reasons = new ArrayList<>();
        Map<String, String> firstPod = new HashMap<>();
        Map<String, Integer> count = new HashMap<>();
        for (ObjectNode pod : prioritized) {
            AggregateResult r = evaluator.evaluate(enforce, PodView.of(pod.path("metadata"), pod.path("spec")));
            if (r.allowed()) {
                continue;
            }
            String reason = r.forbiddenReason();
            String name = pod.path("metadata").path("name").asText("");
            if (!firstPod.containsKey(reason)) {
                reasons.add(reason);
                firstPod.put(reason, name);
            } else if (GoText.ORDER.compare(name, firstPod.get(reason)) < 0) {
                firstPod.put(reason, name);
            }
            count.merge(reason, 1, Integer::sum);
        }
        List<String> warnings = new ArrayList<>();
        if (prioritized.size() < total) {
            warnings.add("new PodSecurity enforce level only checked against the first " + prioritized.size() + " of "
                    + total + " existing pods");
        }
        if (!reasons.isEmpty()) {
            warnings.add("existing pods in namespace " + GoText.quote(namespace)
                    + " violate the new PodSecurity enforce level " + GoText.quote(enforce.toString()));
        }
        List<String> podWarnings = new ArrayList<>();
        for (String reason : reasons) {
            int n = count.get(reason);
            String pod = firstPod.get(reason);
            podWarnings.add(
                    switch (n) {
                        case 1 -> pod + ": " + reason;
                        case 2 -> pod + " (and 1 other pod): " + reason;
                        default -> pod + " (and " + (n - 1) + " other pods): " + reason;
                    });
        }
        podWarnings.sort(GoText.ORDER);
        warnings.addAll(podWarnings);
        return warnings;
    }

    /** prioritizePods: exempt runtime classes left out; one pod per controller first, the other replicas after. */
    private static List<ObjectNode> prioritize(PodSecurityConfiguration config, List<ObjectNode> pods) {
        List<ObjectNode> first = new ArrayList<>();
        List<ObjectNode> duplicates = new ArrayList<>();
        Set<String> controllers = new HashSet<>();
        for (ObjectNode pod : pods) {
            JsonNode rc = pod.path("spec").get("runtimeClassName");
            if (config.exemptRuntimeClass(rc == null || rc.isNull() ? null : rc.asText(""))) {
                continue;
            }
            String controller = controllerUid(pod);
            if (controller == null) {
                first.add(pod);
            } else if (controllers.add(controller)) {
                first.add(pod);
            } else {
                duplicates.add(pod);
            }
        }
        first.addAll(duplicates);
        return first;
    }

    private static String controllerUid(JsonNode pod) {
        for (JsonNode ref : pod.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                return ref.path("uid").asText("");
            }
        }
        return null;
    }
}

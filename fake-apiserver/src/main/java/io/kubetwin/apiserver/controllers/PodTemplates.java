package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.authz.rbac.LabelSelector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pods and dependents as the workload controllers make them (pkg/controller/controller_utils.go): a pod from a
 * template (GetPodFromTemplate: the template's labels, annotations and finalizers, generateName {@code <owner>-},
 * the controller reference), controller references (NewControllerRef: controller and blockOwnerDeletion true), and
 * the filters the controllers apply to what they list. Shared by the workload controllers.
 */
final class PodTemplates {
    private PodTemplates() {}

    /** metav1.NewControllerRef. */
    static ObjectNode controllerRef(ObjectNode owner) {
        return controllerRef(
                owner.path("apiVersion").asText(), owner.path("kind").asText(), owner);
    }

    /** metav1.NewControllerRef with the owner's group version and kind given (a stored object may lack them). */
    static ObjectNode controllerRef(String apiVersion, String kind, ObjectNode owner) {
        ObjectNode ref = JsonNodeFactory.instance.objectNode();
        ref.put("apiVersion", apiVersion);
        ref.put("kind", kind);
        ref.put("name", name(owner));
        ref.put("uid", uid(owner));
        ref.put("controller", true);
        ref.put("blockOwnerDeletion", true);
        return ref;
    }

    /** GetPodFromTemplate: a pod to create in the owner's namespace with generateName {@code <owner>-}. */
    static ObjectNode pod(JsonNode template, ObjectNode owner) {
        return pod(template, name(owner) + "-", controllerRef(owner));
    }

    /** GetPodFromTemplate with the generateName and controller reference given (Jobs' indexed names, ...). */
    static ObjectNode pod(JsonNode template, String generateName, ObjectNode controllerRef) {
        ObjectNode pod = JsonNodeFactory.instance.objectNode();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata");
        meta.put("generateName", generateName);
        JsonNode tm = template.path("metadata");
        for (String f : new String[] {"labels", "annotations", "finalizers"}) {
            if (tm.has(f) && !tm.get(f).isEmpty()) {
                meta.set(f, tm.get(f).deepCopy());
            }
        }
        meta.putArray("ownerReferences").add(controllerRef);
        pod.set("spec", template.path("spec").deepCopy());
        return pod;
    }

    /** The controller reference among an object's owner references, or null. */
    static JsonNode controllerOf(JsonNode object) {
        for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                return ref;
            }
        }
        return null;
    }

    /** Those of {@code objects} whose controller reference has the owner's uid (one entry per such reference). */
    static List<ObjectNode> controlledBy(List<ObjectNode> objects, String ownerUid) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode o : objects) {
            for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
                if (ref.path("controller").asBoolean()
                        && ownerUid.equals(ref.path("uid").asText())) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    /** controller.IsPodActive: not succeeded, not failed, not being deleted. */
    static boolean isActive(JsonNode pod) {
        String phase = pod.path("status").path("phase").asText();
        return !phase.equals("Succeeded")
                && !phase.equals("Failed")
                && !pod.path("metadata").has("deletionTimestamp");
    }

    /** podutil.IsPodReady: the Ready condition is True. */
    static boolean isReady(JsonNode pod) {
        JsonNode c = readyCondition(pod);
        return c != null && c.path("status").asText().equals("True");
    }

    /** podutil.GetPodReadyCondition: the pod's Ready condition, or null. */
    static JsonNode readyCondition(JsonNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                return c;
            }
        }
        return null;
    }

    /** podutil.IsPodAvailable: ready for at least minReadySeconds (since the Ready condition's transition). */
    static boolean isAvailable(JsonNode pod, long minReadySeconds, Instant now) {
        if (!isReady(pod)) {
            return false;
        }
        if (minReadySeconds == 0) {
            return true;
        }
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready") && c.hasNonNull("lastTransitionTime")) {
                Instant since = Instant.parse(c.get("lastTransitionTime").asText());
                return !since.plusSeconds(minReadySeconds).isAfter(now);
            }
        }
        return false;
    }

    static Map<String, String> labels(JsonNode object) {
        Map<String, String> out = new TreeMap<>();
        object.path("metadata")
                .path("labels")
                .fields()
                .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** A LabelSelector's JSON, or a ReplicationController's plain map selector. */
    static LabelSelector selector(JsonNode selector) {
        if (selector.has("matchLabels") || selector.has("matchExpressions")) {
            return LabelSelector.fromJson(selector);
        }
        Map<String, String> plain = new TreeMap<>();
        selector.fields()
                .forEachRemaining(e -> plain.put(e.getKey(), e.getValue().asText()));
        return LabelSelector.matchLabels(plain);
    }

    /** metav1.Time's JSON: RFC 3339 in UTC, second precision. */
    static String rfc3339(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /** The workqueue key of a namespaced object (cache.MetaNamespaceKeyFunc): {@code namespace/name}. */
    static String key(JsonNode object) {
        return namespace(object) + "/" + name(object);
    }

    /** The key of the object's controller if it is of {@code kind} (an owner reference with controller true). */
    static List<String> controllerKey(JsonNode object, String kind) {
        for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean()
                    && kind.equals(ref.path("kind").asText())) {
                return List.of(namespace(object) + "/" + ref.path("name").asText());
            }
        }
        return List.of();
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    static String namespace(JsonNode object) {
        return object.path("metadata").path("namespace").asText();
    }

    static String uid(JsonNode object) {
        return object.path("metadata").path("uid").asText();
    }
}

package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.patch.MergeKeys;
import io.kubetwin.apiserver.registry.table.Printers;
import io.kubetwin.apiserver.registry.table.TableConvertor;
import io.kubetwin.apiserver.registry.validation.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Pods (pkg/registry/core/pod/strategy.go, core/v1 defaults, core validation's container checks).
 * Defaults cover what the reference server fills for a bare pod without the ServiceAccount and
 * DefaultTolerationSeconds admission plugins (those belong to admission).
 */
public final class PodStrategy implements ResourceStrategy {

    static final List<String> POD_SPEC = List.of("volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy",
            "terminationGracePeriodSeconds", "activeDeadlineSeconds", "dnsPolicy", "nodeSelector", "serviceAccountName",
            "serviceAccount", "automountServiceAccountToken", "nodeName", "hostNetwork", "hostPID", "hostIPC",
            "shareProcessNamespace", "securityContext", "imagePullSecrets", "hostname", "subdomain", "affinity", "schedulerName",
            "tolerations", "hostAliases", "priorityClassName", "priority", "dnsConfig", "readinessGates", "runtimeClassName",
            "enableServiceLinks", "preemptionPolicy", "overhead", "topologySpreadConstraints", "setHostnameAsFQDN", "os",
            "hostUsers", "schedulingGates", "resourceClaims", "resources", "hostnameOverride");
    static final List<String> CONTAINER = List.of("name", "image", "command", "args", "workingDir", "ports", "envFrom", "env",
            "resources", "resizePolicy", "restartPolicy", "restartPolicyRules", "volumeMounts", "volumeDevices", "livenessProbe",
            "readinessProbe", "startupProbe", "lifecycle", "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy",
            "securityContext", "stdin", "stdinOnce", "tty");
    static final List<String> POD_STATUS = List.of("observedGeneration", "phase", "conditions", "message", "reason",
            "nominatedNodeName", "hostIP", "hostIPs", "podIP", "podIPs", "startTime", "initContainerStatuses", "containerStatuses",
            "qosClass", "ephemeralContainerStatuses", "resize", "resourceClaimStatuses", "extendedResourceClaimStatus");

    /** core/v1 types.go field order of PodSpec, Container and their common parts. */
    @Override
    public Map<String, List<String>> nestedFieldOrder() {
        Map<String, List<String>> m = new java.util.HashMap<>();
        m.put("spec", POD_SPEC);
        m.put("status", POD_STATUS);
        for (String c : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
            m.put("spec." + c, CONTAINER);
            m.put("spec." + c + ".ports", List.of("name", "hostPort", "containerPort", "protocol", "hostIP"));
            m.put("spec." + c + ".env", List.of("name", "value", "valueFrom"));
            m.put("spec." + c + ".volumeMounts", List.of("name", "readOnly", "recursiveReadOnly", "mountPath", "subPath",
                    "mountPropagation", "subPathExpr"));
        }
        return m;
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public void prepareForCreate(ObjectNode pod) {
        ObjectNode status = pod.putObject("status");
        status.put("phase", "Pending");
        status.put("qosClass", qosClass(pod.path("spec")));
    }

    @Override
    public void prepareForUpdate(ObjectNode pod, ObjectNode old) {
        if (old.has("status")) {
            pod.set("status", old.get("status").deepCopy());
        } else {
            pod.remove("status");
        }
    }

    @Override
    public void applyDefaults(ObjectNode pod) {
        JsonNode specNode = pod.get("spec");
        if (specNode == null || !specNode.isObject()) {
            return;
        }
        ObjectNode spec = (ObjectNode) specNode;
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode c : spec.path(list)) {
                if (c.isObject()) {
                    defaultContainer((ObjectNode) c);
                }
            }
        }
        putIfAbsent(spec, "restartPolicy", "Always");
        if (!spec.has("terminationGracePeriodSeconds")) {
            spec.put("terminationGracePeriodSeconds", 30);
        }
        putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
        if (!spec.has("securityContext")) {
            spec.putObject("securityContext");
        }
        putIfAbsent(spec, "schedulerName", "default-scheduler");
        if (!spec.has("enableServiceLinks")) {
            spec.put("enableServiceLinks", true);
        }
        putIfAbsent(spec, "preemptionPolicy", "PreemptLowerPriority");
        if (!spec.has("priority")) {
            spec.put("priority", 0);
        }
        if (spec.has("serviceAccountName") && !spec.has("serviceAccount")) {
            spec.put("serviceAccount", spec.get("serviceAccountName").asText());
        }
    }

    private static void defaultContainer(ObjectNode c) {
        if (!c.has("resources")) {
            c.putObject("resources");
        }
        putIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
        putIfAbsent(c, "terminationMessagePolicy", "File");
        if (!c.has("imagePullPolicy")) {
            String image = c.path("image").asText("");
            String tail = image.substring(image.lastIndexOf('/') + 1);
            boolean latest = !tail.contains(":") || tail.endsWith(":latest");
            if (image.contains("@")) {
                latest = false;
            }
            c.put("imagePullPolicy", latest ? "Always" : "IfNotPresent");
        }
        for (JsonNode p : c.path("ports")) {
            if (p.isObject()) {
                putIfAbsent((ObjectNode) p, "protocol", "TCP");
            }
        }
    }

    private static void putIfAbsent(ObjectNode o, String field, String value) {
        if (!o.has(field)) {
            o.put(field, value);
        }
    }

    /** The QoS class: BestEffort with no requests or limits at all, Guaranteed when limits equal requests for all, else Burstable. */
    static String qosClass(JsonNode spec) {
        boolean any = false;
        boolean guaranteed = true;
        for (JsonNode c : spec.path("containers")) {
            JsonNode requests = c.path("resources").path("requests");
            JsonNode limits = c.path("resources").path("limits");
            if (requests.size() > 0 || limits.size() > 0) {
                any = true;
            }
            for (String r : new String[] {"cpu", "memory"}) {
                if (!limits.has(r) || (requests.has(r) && !requests.get(r).equals(limits.get(r)))) {
                    guaranteed = false;
                }
            }
        }
        if (!any) {
            return "BestEffort";
        }
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    /** ValidatePodSpec's checks in its order: containers, then initContainers, then the pod-level policies. */
    @Override
    public List<FieldError> validate(ObjectNode pod) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode spec = pod.path("spec");
        JsonNode containers = spec.path("containers");
        Set<String> names = new HashSet<>();
        if (containers.size() == 0) {
            errs.add(FieldError.required("spec.containers", ""));
        }
        validateContainers(errs, containers, "spec.containers", names);
        validateContainers(errs, spec.path("initContainers"), "spec.initContainers", names);
        oneOf(errs, spec, "restartPolicy", "spec.restartPolicy", List.of("Always", "OnFailure", "Never"));
        oneOf(errs, spec, "dnsPolicy", "spec.dnsPolicy", List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"));
        return errs;
    }

    private static void oneOf(List<FieldError> errs, JsonNode node, String field, String path, List<String> supported) {
        String value = node.path(field).asText("");
        if (value.isEmpty()) {
            errs.add(FieldError.required(path, ""));
        } else if (!supported.contains(value)) {
            errs.add(FieldError.notSupported(path, value, supported));
        }
    }

    private static void validateContainers(List<FieldError> errs, JsonNode containers, String path, Set<String> names) {
        for (int i = 0; i < containers.size(); i++) {
            JsonNode c = containers.get(i);
            String p = path + "[" + i + "]";
            String name = c.path("name").asText("");
            if (name.isEmpty()) {
                errs.add(FieldError.required(p + ".name", ""));
            } else {
                for (String msg : io.kubetwin.apiserver.registry.validation.Names.isDns1123Label(name)) {
                    errs.add(FieldError.invalid(p + ".name", name, msg));
                }
                if (!names.add(name)) {
                    errs.add(FieldError.duplicate(p + ".name", name));
                }
            }
            if (c.path("image").asText("").isEmpty()) {
                errs.add(FieldError.required(p + ".image", ""));
            }
            oneOf(errs, c, "terminationMessagePolicy", p + ".terminationMessagePolicy", List.of("File", "FallbackToLogsOnError"));
            oneOf(errs, c, "imagePullPolicy", p + ".imagePullPolicy", List.of("Always", "IfNotPresent", "Never"));
        }
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode pod, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(validate(pod));
        // pod updates may only change container images and a few scheduling fields (ValidatePodUpdate)
        ObjectNode newSpec = pod.path("spec").isObject() ? ((ObjectNode) pod.get("spec")).deepCopy() : null;
        ObjectNode oldSpec = old.path("spec").isObject() ? ((ObjectNode) old.get("spec")).deepCopy() : null;
        if (newSpec != null && oldSpec != null) {
            for (String list : new String[] {"containers", "initContainers"}) {
                JsonNode a = newSpec.path(list);
                JsonNode b = oldSpec.path(list);
                for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                    if (a.get(i).isObject() && b.get(i).has("image")) {
                        ((ObjectNode) a.get(i)).set("image", b.get(i).get("image"));
                    }
                }
            }
            for (String mutable : new String[] {"activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds", "schedulingGates"}) {
                newSpec.remove(mutable);
                oldSpec.remove(mutable);
            }
            if (!newSpec.equals(oldSpec)) {
                errs.add(new FieldError(FieldError.Type.FORBIDDEN, "spec", null,
                        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,"
                                + "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),"
                                + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"));
            }
        }
        return errs;
    }

    @Override
    public boolean returnDeletedObject() {
        return true;
    }

    @Override
    public Map<String, Function<ObjectNode, String>> selectableFields() {
        Map<String, Function<ObjectNode, String>> m = new LinkedHashMap<>();
        m.put("spec.nodeName", o -> o.path("spec").path("nodeName").asText(""));
        m.put("spec.restartPolicy", o -> o.path("spec").path("restartPolicy").asText(""));
        m.put("spec.schedulerName", o -> o.path("spec").path("schedulerName").asText(""));
        m.put("spec.serviceAccountName", o -> o.path("spec").path("serviceAccountName").asText(""));
        m.put("spec.hostNetwork", o -> Boolean.toString(o.path("spec").path("hostNetwork").asBoolean(false)));
        m.put("status.phase", o -> o.path("status").path("phase").asText(""));
        m.put("status.podIP", o -> o.path("status").path("podIPs").path(0).path("ip").asText(""));
        m.put("status.podIPs", o -> o.path("status").path("podIPs").path(0).path("ip").asText(""));
        m.put("status.nominatedNodeName", o -> o.path("status").path("nominatedNodeName").asText(""));
        return m;
    }

    @Override
    public List<String> fieldLabels() {
        return List.of("metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
                "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs",
                "status.nominatedNodeName", "spec.host");
    }

    @Override
    public TableConvertor table() {
        return Printers.PODS;
    }

    @Override
    public MergeKeys mergeKeys() {
        return MergeKeys.NONE.with(MergeKeys.podSpec("spec")).with(Map.of("status.conditions", "type",
                "status.podIPs", "ip", "spec.readinessGates", "conditionType"));
    }
}

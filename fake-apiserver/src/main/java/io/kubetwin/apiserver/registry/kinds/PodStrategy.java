package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.GoFieldOrder;
import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.patch.MergeKeys;
import io.kubetwin.apiserver.registry.table.Printers;
import io.kubetwin.apiserver.registry.table.TableConvertor;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.validation.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Pods (pkg/registry/core/pod/strategy.go, core/v1 defaults, core validation's container checks).
 * Defaults cover what the reference server fills for a bare pod without the ServiceAccount,
 * DefaultTolerationSeconds and Priority admission plugins (those belong to admission, see
 * io.kubetwin.apiserver.admission). The deprecated {@code spec.serviceAccount} mirrors
 * {@code spec.serviceAccountName} as core/v1 conversion makes it: read as the name when the name is
 * empty, always written from the name.
 */
public final class PodStrategy implements ResourceStrategy {
    private final PrivilegeValidation privileges;
    private final GatedFields gatedFields;
    private final EphemeralContainersStrategy ephemeralContainers = new EphemeralContainersStrategy(this);

    /** @param capabilities what {@code --allow-privileged} lets pods ask for */
    public PodStrategy(Capabilities capabilities) {
        this(capabilities, GatedFields.V134);
    }

    /**
     * @param capabilities what {@code --allow-privileged} lets pods ask for
     * @param gatedFields the fields dropped because their gate is off (DropDisabledPodFields)
     */
    public PodStrategy(Capabilities capabilities, GatedFields gatedFields) {
        this.privileges = new PrivilegeValidation(capabilities);
        this.gatedFields = gatedFields;
    }

    @Override
    public ResourceStrategy forSubresource(String subresource) {
        return "ephemeralcontainers".equals(subresource) ? ephemeralContainers : this;
    }

    static final List<String> POD_SPEC = List.of(
            "volumes",
            "initContainers",
            "containers",
            "ephemeralContainers",
            "restartPolicy",
            "terminationGracePeriodSeconds",
            "activeDeadlineSeconds",
            "dnsPolicy",
            "nodeSelector",
            "serviceAccountName",
            "serviceAccount",
            "automountServiceAccountToken",
            "nodeName",
            "hostNetwork",
            "hostPID",
            "hostIPC",
            "shareProcessNamespace",
            "securityContext",
            "imagePullSecrets",
            "hostname",
            "subdomain",
            "affinity",
            "schedulerName",
            "tolerations",
            "hostAliases",
            "priorityClassName",
            "priority",
            "dnsConfig",
            "readinessGates",
            "runtimeClassName",
            "enableServiceLinks",
            "preemptionPolicy",
            "overhead",
            "topologySpreadConstraints",
            "setHostnameAsFQDN",
            "os",
            "hostUsers",
            "schedulingGates",
            "resourceClaims",
            "resources",
            "hostnameOverride");
    static final List<String> CONTAINER = List.of(
            "name",
            "image",
            "command",
            "args",
            "workingDir",
            "ports",
            "envFrom",
            "env",
            "resources",
            "resizePolicy",
            "restartPolicy",
            "restartPolicyRules",
            "volumeMounts",
            "volumeDevices",
            "livenessProbe",
            "readinessProbe",
            "startupProbe",
            "lifecycle",
            "terminationMessagePath",
            "terminationMessagePolicy",
            "imagePullPolicy",
            "securityContext",
            "stdin",
            "stdinOnce",
            "tty");
    /** EphemeralContainer: the common fields, then targetContainerName. */
    static final List<String> EPHEMERAL_CONTAINER = java.util.stream.Stream.concat(
                    CONTAINER.stream(), java.util.stream.Stream.of("targetContainerName"))
            .toList();

    static final List<String> POD_STATUS = List.of(
            "observedGeneration",
            "phase",
            "conditions",
            "message",
            "reason",
            "nominatedNodeName",
            "hostIP",
            "hostIPs",
            "podIP",
            "podIPs",
            "startTime",
            "initContainerStatuses",
            "containerStatuses",
            "qosClass",
            "ephemeralContainerStatuses",
            "resize",
            "resourceClaimStatuses",
            "extendedResourceClaimStatus");

    /** core/v1 types.go field order of PodSpec, Container and their common parts. */
    @Override
    public Map<String, List<String>> nestedFieldOrder() {
        Map<String, List<String>> m = new HashMap<>();
        m.put("spec", POD_SPEC);
        m.put("status", POD_STATUS);
        m.putAll(PodVolumeDefaults.fieldOrder());
        for (String c : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
            m.put("spec." + c, c.equals("ephemeralContainers") ? EPHEMERAL_CONTAINER : CONTAINER);
            m.put("spec." + c + ".ports", List.of("name", "hostPort", "containerPort", "protocol", "hostIP"));
            m.put("spec." + c + ".env", List.of("name", "value", "valueFrom"));
            m.put(
                    "spec." + c + ".volumeMounts",
                    List.of(
                            "name",
                            "readOnly",
                            "recursiveReadOnly",
                            "mountPath",
                            "subPath",
                            "mountPropagation",
                            "subPathExpr"));
        }
        return m;
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    /**
     * The container statuses as Go writes them: ContainerStatus's fields without omitempty (name, state, lastState,
     * ready, restartCount, image, imageID) always present, in the type's field order (a kubelet or a client writing
     * pods/status may send them partly or in another order).
     */
    @Override
    public void canonicalize(ObjectNode pod) {
        if (!(pod.get("status") instanceof ObjectNode status)) {
            return;
        }
        for (String list : new String[] {"initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"}) {
            for (JsonNode item : status.path(list)) {
                if (item instanceof ObjectNode cs) {
                    if (!cs.has("name")) {
                        cs.put("name", "");
                    }
                    for (String state : new String[] {"state", "lastState"}) {
                        if (!cs.has(state)) {
                            cs.putObject(state);
                        }
                    }
                    if (!cs.has("ready")) {
                        cs.put("ready", false);
                    }
                    if (!cs.has("restartCount")) {
                        cs.put("restartCount", 0);
                    }
                    for (String image : new String[] {"image", "imageID"}) {
                        if (!cs.has(image)) {
                            cs.put(image, "");
                        }
                    }
                    GoFieldOrder.applyType(cs, "io.k8s.api.core.v1.ContainerStatus");
                }
            }
        }
    }

    @Override
    public void prepareForCreate(ObjectNode pod) {
        // after mutating admission, which may have set spec.serviceAccountName
        if (pod.get("spec") instanceof ObjectNode spec) {
            writeDeprecatedServiceAccount(spec);
        }
        ObjectNode status = pod.putObject("status");
        status.put("phase", "Pending");
        // upstream computes the QoS class before the drops, but with PodLevelResources off it ignores spec.resources,
        // which is all that gate drops
        gatedFields.dropFromPod(pod, null);
        status.put("qosClass", qosClass(pod.path("spec")));
    }

    @Override
    public void prepareForUpdate(ObjectNode pod, ObjectNode old) {
        if (old.has("status")) {
            pod.set("status", old.get("status").deepCopy());
        } else {
            pod.remove("status");
        }
        gatedFields.dropFromPod(pod, old);
    }

    /** podStatusStrategy.PrepareForUpdate's DropDisabledPodFields. */
    @Override
    public void prepareForStatusUpdate(ObjectNode pod, ObjectNode old) {
        gatedFields.dropFromPod(pod, old);
    }

    @Override
    public void applyDefaults(ObjectNode pod) {
        JsonNode specNode = pod.get("spec");
        if (specNode == null || !specNode.isObject()) {
            return;
        }
        ObjectNode spec = (ObjectNode) specNode;
        defaultPodSpec(spec);
        // SetDefaults_Pod, not SetDefaults_PodSpec: pod templates do not get it
        if (!spec.has("enableServiceLinks")) {
            spec.put("enableServiceLinks", true);
        }
        if (spec.path("hostNetwork").asBoolean(false)) {
            // defaultHostNetworkPorts: with host networking every container port is a host port
            for (String list : new String[] {"containers", "initContainers"}) {
                for (JsonNode c : spec.path(list)) {
                    for (JsonNode p : c.path("ports")) {
                        if (p instanceof ObjectNode port
                                && port.path("hostPort").asInt(0) == 0) {
                            port.put("hostPort", port.path("containerPort").asInt(0));
                        }
                    }
                }
            }
        }
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode c : spec.path(list)) {
                defaultRequestsToLimits(c.path("resources"));
            }
        }
    }

    /** SetDefaults_Pod: a container with a limit but no request for a resource requests its limit (LimitRanger and quota see it so). */
    private static void defaultRequestsToLimits(JsonNode resources) {
        if (!(resources instanceof ObjectNode r) || !(r.get("limits") instanceof ObjectNode limits)) {
            return;
        }
        ObjectNode requests = r.get("requests") instanceof ObjectNode q ? q : r.putObject("requests");
        limits.fields().forEachRemaining(e -> {
            if (!requests.has(e.getKey())) {
                requests.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        if (requests.isEmpty()) {
            r.remove("requests");
        }
    }

    /**
     * SetDefaults_PodSpec and its containers' and volumes' defaults, plus the v1 conversion of
     * serviceAccount: what a pod and every pod template (Deployments, Jobs, ...) get.
     */
    public static void defaultPodSpec(ObjectNode spec) {
        for (String list : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
            for (JsonNode c : spec.path(list)) {
                if (c.isObject()) {
                    defaultContainer((ObjectNode) c);
                }
            }
        }
        PodVolumeDefaults.apply(spec);
        putIfAbsent(spec, "restartPolicy", "Always");
        if (!spec.has("terminationGracePeriodSeconds")) {
            spec.put("terminationGracePeriodSeconds", 30);
        }
        putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
        if (!spec.has("securityContext")) {
            spec.putObject("securityContext");
        }
        putIfAbsent(spec, "schedulerName", "default-scheduler");
        // Convert_v1_PodSpec_To_core_PodSpec: the deprecated alias names the account when the name is empty
        if (spec.path("serviceAccountName").asText("").isEmpty()
                && !spec.path("serviceAccount").asText("").isEmpty()) {
            spec.put("serviceAccountName", spec.get("serviceAccount").asText());
        }
        writeDeprecatedServiceAccount(spec);
    }

    /** Convert_core_PodSpec_To_v1_PodSpec: serviceAccount is always written from serviceAccountName (omitted when empty). */
    private static void writeDeprecatedServiceAccount(ObjectNode spec) {
        String name = spec.path("serviceAccountName").asText("");
        if (name.isEmpty()) {
            spec.remove("serviceAccount");
        } else {
            spec.put("serviceAccount", name);
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

    /** The annotation the kubelet puts on the API copies of static pods (core.MirrorPodAnnotationKey). */
    static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";

    private static final String MIRROR_POD_FIELD = "metadata.annotations[" + MIRROR_POD_ANNOTATION + "]";

    /** ValidatePodCreate: the pod's metadata and spec; ephemeral containers only come through their subresource. */
    @Override
    public List<FieldError> validate(ObjectNode pod) {
        List<FieldError> errs = validateMetadataAndSpec(pod);
        if (pod.path("spec").path("ephemeralContainers").size() > 0) {
            errs.add(FieldError.forbidden("spec.ephemeralContainers", "cannot be set on create"));
        }
        return errs;
    }

    /**
     * validatePodMetadataAndSpec: the pod-specific annotations, ValidatePodSpec's checks in its order
     * (containers, then initContainers, then the pod-level policies), then the pod-only checks.
     */
    List<FieldError> validateMetadataAndSpec(ObjectNode pod) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode spec = pod.path("spec");
        validatePodAnnotations(errs, pod);
        JsonNode containers = spec.path("containers");
        Set<String> names = new HashSet<>();
        if (containers.size() == 0) {
            errs.add(FieldError.required("spec.containers", ""));
        }
        validateContainers(errs, containers, "spec.containers", names);
        validateContainers(errs, spec.path("initContainers"), "spec.initContainers", names);
        validateEphemeralContainers(errs, spec, names);
        oneOf(errs, spec, "restartPolicy", "spec.restartPolicy", List.of("Always", "OnFailure", "Never"));
        oneOf(
                errs,
                spec,
                "dnsPolicy",
                "spec.dnsPolicy",
                List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"));
        privileges.hostProcess(errs, spec, "spec");
        // a token projection needs an account to issue the token for
        if (spec.path("serviceAccountName").asText("").isEmpty()) {
            JsonNode volumes = spec.path("volumes");
            for (int v = 0; v < volumes.size(); v++) {
                JsonNode sources = volumes.get(v).path("projected").path("sources");
                for (int i = 0; i < sources.size(); i++) {
                    JsonNode token = sources.get(i).get("serviceAccountToken");
                    if (token != null && !token.isNull()) {
                        errs.add(FieldError.forbidden(
                                "spec.volumes[" + v + "].projected.sources[" + i + "].serviceAccountToken",
                                "must not be specified when serviceAccountName is not set"));
                    }
                }
            }
        }
        return errs;
    }

    /** ValidatePodSpecificAnnotations: a mirror pod names its node. */
    private static void validatePodAnnotations(List<FieldError> errs, ObjectNode pod) {
        JsonNode mirror = pod.path("metadata").path("annotations").get(MIRROR_POD_ANNOTATION);
        if (mirror != null && pod.path("spec").path("nodeName").asText("").isEmpty()) {
            errs.add(FieldError.invalid(
                    MIRROR_POD_FIELD, mirror.asText(""), "must set spec.nodeName if mirror pod annotation is set"));
        }
    }

    /**
     * ValidatePodSpecificAnnotationUpdates: the mirror-pod annotation can be neither added, changed nor
     * removed; upstream then runs ValidatePodSpecificAnnotations a second time, so its errors appear twice
     * among the causes (the message lists each once).
     */
    /** Ephemeral containers' fields that validateFieldAllowList refuses, in the Go struct's order. */
    private static final List<String> NOT_FOR_EPHEMERAL = List.of(
            "ports", "resources", "resizePolicy", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle");

    /**
     * validateEphemeralContainers: the checks common to containers, the image's whitespace
     * (validateContainerOnlyForPod), a name unique among all containers, a target that is a regular or init
     * container, and none of the fields an ephemeral container may not set.
     */
    private void validateEphemeralContainers(List<FieldError> errs, JsonNode spec, Set<String> otherNames) {
        JsonNode containers = spec.path("ephemeralContainers");
        Set<String> all = new HashSet<>(otherNames);
        for (int i = 0; i < containers.size(); i++) {
            JsonNode c = containers.get(i);
            String p = "spec.ephemeralContainers[" + i + "]";
            String name = c.path("name").asText("");
            validateContainerCommon(errs, c, p);
            String image = c.path("image").asText("");
            if (image.length() != image.strip().length()) {
                errs.add(FieldError.invalid(p + ".image", image, "must not have leading or trailing whitespace"));
            }
            if (!all.add(name)) {
                errs.add(FieldError.duplicate(p + ".name", name));
            }
            String target = c.path("targetContainerName").asText("");
            if (!target.isEmpty() && !otherNames.contains(target)) {
                errs.add(new FieldError(FieldError.Type.NOT_FOUND, p + ".targetContainerName", target, ""));
            }
            for (String field : NOT_FOR_EPHEMERAL) {
                JsonNode v = c.get(field);
                if (v != null && !v.isNull() && !(v.isContainerNode() && isZero(v))) {
                    errs.add(FieldError.forbidden(p + "." + field, "cannot be set for an Ephemeral Container"));
                }
            }
            JsonNode mounts = c.path("volumeMounts");
            for (int m = 0; m < mounts.size(); m++) {
                for (String sub : new String[] {"subPath", "subPathExpr"}) {
                    if (!mounts.get(m).path(sub).asText("").isEmpty()) {
                        errs.add(FieldError.forbidden(
                                p + ".volumeMounts[" + m + "]." + sub, "cannot be set for an Ephemeral Container"));
                    }
                }
            }
        }
    }

    /** Whether a JSON value decodes to its Go zero value (an empty list, or an object of empty values). */
    private static boolean isZero(JsonNode v) {
        if (v.isArray()) {
            return v.isEmpty();
        }
        if (v.isObject()) {
            for (JsonNode child : v) {
                if (!child.isNull() && !(child.isContainerNode() && isZero(child))) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    static void validateMirrorAnnotationUpdate(List<FieldError> errs, ObjectNode pod, ObjectNode old) {
        JsonNode now = pod.path("metadata").path("annotations").get(MIRROR_POD_ANNOTATION);
        JsonNode before = old.path("metadata").path("annotations").get(MIRROR_POD_ANNOTATION);
        if (before != null && (now == null || !now.asText("").equals(before.asText("")))) {
            errs.add(FieldError.forbidden(MIRROR_POD_FIELD, "may not remove or update mirror pod annotation"));
        } else if (before == null && now != null) {
            errs.add(FieldError.forbidden(MIRROR_POD_FIELD, "may not add mirror pod annotation"));
        }
        validatePodAnnotations(errs, pod);
    }

    private static void oneOf(List<FieldError> errs, JsonNode node, String field, String path, List<String> supported) {
        String value = node.path(field).asText("");
        if (value.isEmpty()) {
            errs.add(FieldError.required(path, ""));
        } else if (!supported.contains(value)) {
            errs.add(FieldError.notSupported(path, value, supported));
        }
    }

    /** validateContainerCommon's checks the fake makes, then the name's uniqueness, as validateContainers orders them. */
    private void validateContainers(List<FieldError> errs, JsonNode containers, String path, Set<String> names) {
        for (int i = 0; i < containers.size(); i++) {
            JsonNode c = containers.get(i);
            String p = path + "[" + i + "]";
            String name = c.path("name").asText("");
            validateContainerCommon(errs, c, p);
            if (!name.isEmpty() && !names.add(name)) {
                errs.add(FieldError.duplicate(p + ".name", name));
            }
        }
    }

    /** validateContainerCommon: the checks the fake makes, in upstream's order. */
    private void validateContainerCommon(List<FieldError> errs, JsonNode c, String p) {
        String name = c.path("name").asText("");
        if (name.isEmpty()) {
            errs.add(FieldError.required(p + ".name", ""));
        } else {
            for (String msg : Names.isDns1123Label(name)) {
                errs.add(FieldError.invalid(p + ".name", name, msg));
            }
        }
        if (c.path("image").asText("").isEmpty()) {
            errs.add(FieldError.required(p + ".image", ""));
        }
        oneOf(
                errs,
                c,
                "terminationMessagePolicy",
                p + ".terminationMessagePolicy",
                List.of("File", "FallbackToLogsOnError"));
        oneOf(errs, c, "imagePullPolicy", p + ".imagePullPolicy", List.of("Always", "IfNotPresent", "Never"));
        privileges.container(errs, c, p);
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode pod, ObjectNode old) {
        List<FieldError> errs = validateMetadataAndSpec(pod);
        validateMirrorAnnotationUpdate(errs, pod, old);
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
            for (String mutable : new String[] {
                "activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds", "schedulingGates"
            }) {
                newSpec.remove(mutable);
                oldSpec.remove(mutable);
            }
            if (!newSpec.equals(oldSpec)) {
                errs.add(
                        new FieldError(
                                FieldError.Type.FORBIDDEN,
                                "spec",
                                null,
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
        m.put(
                "spec.serviceAccountName",
                o -> o.path("spec").path("serviceAccountName").asText(""));
        m.put(
                "spec.hostNetwork",
                o -> Boolean.toString(o.path("spec").path("hostNetwork").asBoolean(false)));
        m.put("status.phase", o -> o.path("status").path("phase").asText(""));
        m.put(
                "status.podIP",
                o -> o.path("status").path("podIPs").path(0).path("ip").asText(""));
        m.put(
                "status.podIPs",
                o -> o.path("status").path("podIPs").path(0).path("ip").asText(""));
        m.put(
                "status.nominatedNodeName",
                o -> o.path("status").path("nominatedNodeName").asText(""));
        return m;
    }

    @Override
    public List<String> fieldLabels() {
        return List.of(
                "metadata.name",
                "metadata.namespace",
                "spec.nodeName",
                "spec.restartPolicy",
                "spec.schedulerName",
                "spec.serviceAccountName",
                "spec.hostNetwork",
                "status.phase",
                "status.podIP",
                "status.podIPs",
                "status.nominatedNodeName",
                "spec.host");
    }

    @Override
    public TableConvertor table() {
        return Printers.PODS;
    }

    @Override
    public MergeKeys mergeKeys() {
        return MergeKeys.NONE
                .with(MergeKeys.podSpec("spec"))
                .with(Map.of(
                        "status.conditions", "type", "status.podIPs", "ip", "spec.readinessGates", "conditionType"));
    }
}

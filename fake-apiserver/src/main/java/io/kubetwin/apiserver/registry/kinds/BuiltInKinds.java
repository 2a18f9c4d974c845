package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.policy.PolicyCel;
import io.kubetwin.apiserver.admission.policy.PolicyValidation;
import io.kubetwin.apiserver.registry.Meta;
import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.patch.MergeKeys;
import io.kubetwin.apiserver.registry.table.Printers;
import io.kubetwin.apiserver.registry.table.TableConvertor;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.validation.Names;
import io.kubetwin.pki.GoText;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The strategies of the built-in kinds beyond the security surface, one {@link BuiltInStrategy} each:
 * generation, status subresource and its zero status on create, defaults, validation, immutable fields,
 * merge keys and printers, each checked against objects the reference created. A built-in resource not
 * named here gets {@link #generic(String, String)}: the recorded printer if there is one, else upstream's
 * default table.
 */
public final class BuiltInKinds {
    private BuiltInKinds() {}

    /**
     * Registers a strategy for every built-in kind named here through {@code register(group, plural, strategy)};
     * pod templates are validated against {@code capabilities}.
     */
    public static void register(TriConsumer register, ServiceNetwork network, Capabilities capabilities) {
        register(register, network, capabilities, GatedFields.V134);
    }

    /**
     * As {@link #register(TriConsumer, ServiceNetwork, Capabilities)}, dropping the fields of the gates that are off
     * ({@code gated}) from pod templates, claims, volumes and EndpointSlices, and validating Services' traffic
     * distribution against {@code PreferSameTrafficDistribution}.
     */
    public static void register(
            TriConsumer register, ServiceNetwork network, Capabilities capabilities, GatedFields gated) {
        Map<String, String> podTemplate = MergeKeys.podSpec("spec.template.spec");
        PrivilegeValidation privileges = new PrivilegeValidation(capabilities);
        // ValidatePodTemplateSpec's privilege checks, after the kind's own (the selector, then the template)
        Function<ObjectNode, List<FieldError>> template =
                o -> privileges.template(o.path("spec").path("template"), "spec.template");
        BiConsumer<String, BuiltInStrategy.Builder> apps = (plural, b) -> register.accept(
                "apps",
                plural,
                b.generation()
                        .dropDisabled((o, old) -> gated.dropFromTemplate(o, old, "spec.template"))
                        .validation(template)
                        .mergeKeys(podTemplate)
                        .table(printer(plural + ".apps"))
                        .updateValidation((o, old) -> KindValidation.immutable(o, old, "spec.selector"))
                        .build());
        apps.accept(
                "deployments",
                BuiltInStrategy.builder()
                        .status("{}")
                        .annotationsLikeSpec()
                        .defaults(WorkloadDefaults::deployment)
                        .validation(o -> KindValidation.selectorAndTemplate(o, true)));
        apps.accept(
                "replicasets",
                BuiltInStrategy.builder()
                        .status("{\"replicas\":0}")
                        .defaults(WorkloadDefaults::replicaSet)
                        .validation(o -> KindValidation.selectorAndTemplate(o, true)));
        apps.accept(
                "statefulsets",
                BuiltInStrategy.builder()
                        .status("{\"replicas\":0,\"availableReplicas\":0}")
                        .defaults(WorkloadDefaults::statefulSet)
                        .validation(o -> KindValidation.selectorAndTemplate(o, true)));
        apps.accept(
                "daemonsets",
                BuiltInStrategy.builder()
                        .status("{\"currentNumberScheduled\":0,\"numberMisscheduled\":0,"
                                + "\"desiredNumberScheduled\":0,\"numberReady\":0}")
                        .defaults(WorkloadDefaults::daemonSet)
                        .onCreate(o -> templateGeneration(o, 1))
                        .onUpdate((o, old) -> {
                            long before = old.path("metadata")
                                    .path("annotations")
                                    .path(TEMPLATE_GENERATION)
                                    .asLong(1);
                            boolean changed = !o.path("spec")
                                    .path("template")
                                    .equals(old.path("spec").path("template"));
                            templateGeneration(o, changed ? before + 1 : before);
                        })
                        .validation(o -> KindValidation.selectorAndTemplate(o, false)));
        register.accept(
                "",
                "replicationcontrollers",
                BuiltInStrategy.builder()
                        .dropDisabled((o, old) -> gated.dropFromTemplate(o, old, "spec.template"))
                        .generation()
                        .status("{\"replicas\":0}")
                        .defaults(WorkloadDefaults::replicationController)
                        .validation(template)
                        .mergeKeys(podTemplate)
                        .table(printer("replicationcontrollers"))
                        .build());
        register.accept(
                "",
                "podtemplates",
                BuiltInStrategy.builder()
                        .dropDisabled((o, old) -> gated.dropFromTemplate(o, old, "template"))
                        .generation()
                        .defaults(WorkloadDefaults::podTemplate)
                        .validation(o -> privileges.template(o.path("template"), "template"))
                        .returnsDeletedObject()
                        .mergeKeys(MergeKeys.podSpec("template.spec"))
                        .table(printer("podtemplates"))
                        .build());
        register.accept(
                "batch",
                "jobs",
                BuiltInStrategy.builder()
                        .dropDisabled((o, old) -> gated.dropFromTemplate(o, old, "spec.template"))
                        .generation()
                        .status("{}")
                        .defaults(WorkloadDefaults::job)
                        .onCreate(BuiltInKinds::generateJobSelector)
                        .validation(KindValidation::job)
                        .validation(template)
                        .mergeKeys(podTemplate)
                        .table(printer("jobs.batch"))
                        .build());
        register.accept(
                "batch",
                "cronjobs",
                BuiltInStrategy.builder()
                        .dropDisabled((o, old) -> gated.dropFromTemplate(o, old, "spec.jobTemplate.spec.template"))
                        .generation()
                        .status("{}")
                        .defaults(WorkloadDefaults::cronJob)
                        .validation(KindValidation::cronJob)
                        .validation(o -> privileges.template(
                                o.path("spec").path("jobTemplate").path("spec").path("template"),
                                "spec.jobTemplate.spec.template"))
                        .mergeKeys(MergeKeys.podSpec("spec.jobTemplate.spec.template.spec"))
                        .table(printer("cronjobs.batch"))
                        .build());
        register.accept(
                "",
                "services",
                BuiltInStrategy.builder()
                        .status("{\"loadBalancer\":{}}")
                        .defaults(ServiceDefaults::defaults)
                        .onCreate(o -> ServiceDefaults.allocate(o, network))
                        .onUpdate(ServiceDefaults::keepAllocated)
                        .returnsDeletedObject()
                        .validation(KindValidation::service)
                        .validation(o ->
                                KindValidation.serviceTrafficDistribution(o, gated.preferSameTrafficDistribution()))
                        .updateValidation(KindValidation::serviceUpdate)
                        .mergeKeys(Map.of("spec.ports", "port"))
                        .table(printer("services"))
                        .build());
        register.accept(
                "networking.k8s.io",
                "ingresses",
                BuiltInStrategy.builder()
                        .generation()
                        .status("{\"loadBalancer\":{}}")
                        .validation(KindValidation::ingress)
                        .table(printer("ingresses.networking.k8s.io"))
                        .build());
        register.accept(
                "networking.k8s.io",
                "networkpolicies",
                BuiltInStrategy.builder()
                        .generation()
                        .defaults(BuiltInKinds::networkPolicyTypes)
                        .validation(KindValidation::networkPolicy)
                        .table(printer("networkpolicies.networking.k8s.io"))
                        .build());
        register.accept(
                "policy",
                "poddisruptionbudgets",
                BuiltInStrategy.builder()
                        .generation()
                        .status("{\"disruptionsAllowed\":0,\"currentHealthy\":0,\"desiredHealthy\":0,"
                                + "\"expectedPods\":0}")
                        .table(printer("poddisruptionbudgets.policy"))
                        .build());
        for (String version : List.of("autoscaling")) {
            register.accept(
                    version,
                    "horizontalpodautoscalers",
                    BuiltInStrategy.builder()
                            .status("{\"desiredReplicas\":0,\"currentMetrics\":null}")
                            .defaults(HpaConversion::defaultsV2)
                            .validation(KindValidation::horizontalPodAutoscaler)
                            .table(printer("horizontalpodautoscalers.autoscaling"))
                            .build());
        }
        register.accept(
                "coordination.k8s.io",
                "leases",
                BuiltInStrategy.builder()
                        .validation(KindValidation::lease)
                        .table(printer("leases.coordination.k8s.io"))
                        .build());
        // admission CEL (policies' expressions, webhooks' matchConditions) must compile (admission/policy owns the
        // rules)
        PolicyValidation policies = new PolicyValidation(new PolicyCel());
        for (String plural : List.of("validatingwebhookconfigurations", "mutatingwebhookconfigurations")) {
            boolean mutating = plural.startsWith("mutating");
            register.accept(
                    "admissionregistration.k8s.io",
                    plural,
                    BuiltInStrategy.builder()
                            .generation()
                            .defaults(o -> webhookDefaults(o, mutating))
                            .validation(o -> KindValidation.webhooks(o, policies))
                            .mergeKeys(Map.of("webhooks", "name"))
                            .table(printer(plural + ".admissionregistration.k8s.io"))
                            .build());
        }
        // ValidatingAdmissionPolicy: its CEL expressions must compile (admission/policy owns the rules)
        register.accept(
                "admissionregistration.k8s.io",
                "validatingadmissionpolicies",
                BuiltInStrategy.builder()
                        .generation()
                        // written by the status controller (controllers/PolicyStatusController)
                        .status("{}")
                        .defaults(PolicyValidation::defaultPolicy)
                        .validation(policies::validatePolicy)
                        .table(printer("validatingadmissionpolicies.admissionregistration.k8s.io"))
                        .build());
        register.accept(
                "admissionregistration.k8s.io",
                "validatingadmissionpolicybindings",
                BuiltInStrategy.builder()
                        .generation()
                        .defaults(PolicyValidation::defaultBinding)
                        .table(printer("validatingadmissionpolicybindings.admissionregistration.k8s.io"))
                        .build());
        register.accept(
                "apiregistration.k8s.io",
                "apiservices",
                BuiltInStrategy.builder()
                        // ValidateAPIService: a path segment, and version.group of its spec
                        .nameRule(Names.PATH_SEGMENT)
                        .validation(o -> {
                            String required = o.path("spec").path("version").asText("") + "."
                                    + o.path("spec").path("group").asText("");
                            return Meta.name(o).equals(required)
                                    ? List.of()
                                    : List.of(FieldError.invalid(
                                            "metadata.name",
                                            Meta.name(o),
                                            "must be `spec.version+\".\"+spec.group`: " + GoText.quote(required)));
                        })
                        .table(printer("apiservices.apiregistration.k8s.io"))
                        .build());
        for (String plural : List.of("flowschemas", "prioritylevelconfigurations")) {
            register.accept(
                    "flowcontrol.apiserver.k8s.io",
                    plural,
                    BuiltInStrategy.builder()
                            .generation()
                            .table(printer(plural + ".flowcontrol.apiserver.k8s.io"))
                            .build());
        }
        register.accept(
                "scheduling.k8s.io",
                "priorityclasses",
                BuiltInStrategy.builder()
                        .generation()
                        .defaults(o -> {
                            if (!o.has("preemptionPolicy")) {
                                o.put("preemptionPolicy", "PreemptLowerPriority");
                            }
                        })
                        .table(printer("priorityclasses.scheduling.k8s.io"))
                        .build());
        register.accept(
                "storage.k8s.io",
                "storageclasses",
                BuiltInStrategy.builder()
                        .defaults(o -> {
                            if (!o.has("reclaimPolicy")) {
                                o.put("reclaimPolicy", "Delete");
                            }
                            if (!o.has("volumeBindingMode")) {
                                o.put("volumeBindingMode", "Immediate");
                            }
                        })
                        .table(printer("storageclasses.storage.k8s.io"))
                        .returnsDeletedObject()
                        .build());
        register.accept(
                "networking.k8s.io",
                "ingressclasses",
                BuiltInStrategy.builder()
                        .generation()
                        .table(printer("ingressclasses.networking.k8s.io"))
                        .build());
        register.accept(
                "node.k8s.io",
                "runtimeclasses",
                BuiltInStrategy.builder()
                        .table(printer("runtimeclasses.node.k8s.io"))
                        .build());
        register.accept(
                "discovery.k8s.io",
                "endpointslices",
                BuiltInStrategy.builder()
                        .dropDisabled(gated::dropFromEndpointSlice)
                        .generation()
                        .defaults(BuiltInKinds::endpointSliceDefaults)
                        .table(printer("endpointslices.discovery.k8s.io"))
                        .build());
        register.accept(
                "",
                "endpoints",
                BuiltInStrategy.builder()
                        .defaults(BuiltInKinds::endpointsDefaults)
                        .table(printer("endpoints"))
                        .build());
        register.accept(
                "",
                "persistentvolumeclaims",
                BuiltInStrategy.builder()
                        .dropDisabled(gated::dropFromClaimSpec)
                        .dropDisabledFromStatus(gated::dropFromClaimStatus)
                        .status("{\"phase\":\"Pending\"}")
                        .defaults(o -> {
                            ObjectNode spec = BuiltInStrategy.object(o, "spec");
                            if (!spec.has("volumeMode")) {
                                spec.put("volumeMode", "Filesystem");
                            }
                        })
                        .onCreate(o -> protect(o, "kubernetes.io/pvc-protection"))
                        .table(printer("persistentvolumeclaims"))
                        .build());
        register.accept(
                "",
                "persistentvolumes",
                BuiltInStrategy.builder()
                        .dropDisabled(gated::dropFromVolumeSpec)
                        .status("{\"phase\":\"Pending\"}")
                        .defaults(BuiltInKinds::persistentVolumeDefaults)
                        .onCreate(o -> {
                            protect(o, "kubernetes.io/pv-protection");
                            // PrepareForCreate stamps the phase's transition time
                            ((ObjectNode) o.get("status"))
                                    .put("lastPhaseTransitionTime", Meta.text(Meta.meta(o), "creationTimestamp"));
                        })
                        .table(printer("persistentvolumes"))
                        .build());
        register.accept(
                "",
                "resourcequotas",
                BuiltInStrategy.builder()
                        .status("{}")
                        .table(printer("resourcequotas"))
                        .returnsDeletedObject()
                        .build());
        register.accept(
                "",
                "limitranges",
                BuiltInStrategy.builder()
                        .defaults(BuiltInKinds::limitRangeDefaults)
                        .build());
    }

    /** Where {@link #register} puts each strategy (Strategies::register). */
    @FunctionalInterface
    public interface TriConsumer {
        void accept(String group, String plural, ResourceStrategy strategy);
    }

    /** The strategy of a built-in resource not configured here: generic, with its printer if it has one. */
    public static ResourceStrategy generic(String group, String plural) {
        String key = group.isEmpty() ? plural : plural + "." + group;
        return BuiltInStrategy.builder().table(printer(key)).build();
    }

    private static TableConvertor printer(String groupResource) {
        return Printers.forResource(groupResource).orElse(TableConvertor.DEFAULT);
    }

    /** generateSelector of job/strategy.go, then SetDefaults_Job's labels (the template's, when the Job has none). */
    private static void generateJobSelector(ObjectNode job) {
        ObjectNode spec = BuiltInStrategy.object(job, "spec");
        if (spec.path("manualSelector").asBoolean(false)) {
            return;
        }
        String uid = Meta.text(Meta.meta(job), "uid");
        String name = Meta.name(job);
        ObjectNode templateMeta = BuiltInStrategy.object(BuiltInStrategy.object(spec, "template"), "metadata");
        ObjectNode labels = BuiltInStrategy.object(templateMeta, "labels");
        for (String l : List.of("job-name", "batch.kubernetes.io/job-name")) {
            if (!labels.has(l)) {
                labels.put(l, name);
            }
        }
        for (String l : List.of("controller-uid", "batch.kubernetes.io/controller-uid")) {
            if (!labels.has(l)) {
                labels.put(l, uid);
            }
        }
        ObjectNode matchLabels = BuiltInStrategy.object(BuiltInStrategy.object(spec, "selector"), "matchLabels");
        if (!matchLabels.has("batch.kubernetes.io/controller-uid")) {
            matchLabels.put("batch.kubernetes.io/controller-uid", uid);
        }
        ObjectNode meta = Meta.meta(job);
        if (meta.path("labels").size() == 0) {
            meta.set("labels", labels.deepCopy());
        }
    }

    private static final String TEMPLATE_GENERATION = "deprecated.daemonset.template.generation";

    /** daemonset/strategy.go: the template generation, 1 on create and bumped when the template changes. */
    private static void templateGeneration(ObjectNode o, long generation) {
        BuiltInStrategy.object(Meta.meta(o), "annotations").put(TEMPLATE_GENERATION, Long.toString(generation));
    }

    /**
     * The StorageObjectInUseProtection admission plugin's finalizer (plugin/pkg/admission/storage/
     * storageobjectinuseprotection), applied at create as the plugin does.
     */
    private static void protect(ObjectNode o, String finalizer) {
        ObjectNode meta = Meta.meta(o);
        for (JsonNode f : meta.path("finalizers")) {
            if (finalizer.equals(f.asText())) {
                return;
            }
        }
        (meta.get("finalizers") instanceof ArrayNode a ? a : meta.putArray("finalizers")).add(finalizer);
    }

    private static void persistentVolumeDefaults(ObjectNode o) {
        ObjectNode spec = BuiltInStrategy.object(o, "spec");
        if (!spec.has("persistentVolumeReclaimPolicy")) {
            spec.put("persistentVolumeReclaimPolicy", "Retain");
        }
        if (!spec.has("volumeMode")) {
            spec.put("volumeMode", "Filesystem");
        }
        if (spec.get("hostPath") instanceof ObjectNode hostPath && !hostPath.has("type")) {
            hostPath.put("type", "");
        }
    }

    /** SetDefaults_LimitRangeItem: container defaults from max, default requests from the defaults, then min. */
    private static void limitRangeDefaults(ObjectNode o) {
        for (JsonNode l : o.path("spec").path("limits")) {
            if (!(l instanceof ObjectNode item)
                    || !"Container".equals(item.path("type").asText())) {
                continue;
            }
            ObjectNode max = item.get("max") instanceof ObjectNode m ? m : null;
            ObjectNode min = item.get("min") instanceof ObjectNode m ? m : null;
            if (max != null) {
                ObjectNode defaults = BuiltInStrategy.object(item, "default");
                max.fields().forEachRemaining(e -> {
                    if (!defaults.has(e.getKey())) {
                        defaults.set(e.getKey(), e.getValue());
                    }
                });
            }
            if (item.get("default") instanceof ObjectNode defaults && defaults.size() > 0 || min != null) {
                ObjectNode requests = BuiltInStrategy.object(item, "defaultRequest");
                if (item.get("default") instanceof ObjectNode defaults) {
                    defaults.fields().forEachRemaining(e -> {
                        if (!requests.has(e.getKey())) {
                            requests.set(e.getKey(), e.getValue());
                        }
                    });
                }
                if (min != null) {
                    min.fields().forEachRemaining(e -> {
                        if (!requests.has(e.getKey())) {
                            requests.set(e.getKey(), e.getValue());
                        }
                    });
                }
            }
        }
    }

    /** SetDefaults_NetworkPolicy: Ingress always, Egress when egress rules are given. */
    private static void networkPolicyTypes(ObjectNode o) {
        ObjectNode spec = BuiltInStrategy.object(o, "spec");
        if (spec.path("policyTypes").size() == 0) {
            var types = spec.putArray("policyTypes");
            types.add("Ingress");
            if (spec.path("egress").size() > 0) {
                types.add("Egress");
            }
        }
    }

    private static void webhookDefaults(ObjectNode o, boolean mutating) {
        for (JsonNode h : o.path("webhooks")) {
            if (!(h instanceof ObjectNode hook)) {
                continue;
            }
            if (!hook.has("failurePolicy")) {
                hook.put("failurePolicy", "Fail");
            }
            if (!hook.has("matchPolicy")) {
                hook.put("matchPolicy", "Equivalent");
            }
            if (!hook.has("namespaceSelector")) {
                hook.putObject("namespaceSelector");
            }
            if (!hook.has("objectSelector")) {
                hook.putObject("objectSelector");
            }
            if (mutating && !hook.has("reinvocationPolicy")) {
                hook.put("reinvocationPolicy", "Never");
            }
            if (!hook.has("timeoutSeconds")) {
                hook.put("timeoutSeconds", 10);
            }
            for (JsonNode r : hook.path("rules")) {
                if (r instanceof ObjectNode rule && !rule.has("scope")) {
                    rule.put("scope", "*");
                }
            }
            JsonNode service = hook.path("clientConfig").get("service");
            if (service instanceof ObjectNode s && !s.has("port")) {
                s.put("port", 443);
            }
        }
    }

    private static void endpointSliceDefaults(ObjectNode o) {
        for (JsonNode e : o.path("endpoints")) {
            if (e instanceof ObjectNode endpoint && !endpoint.has("conditions")) {
                endpoint.putObject("conditions");
            }
        }
        for (JsonNode p : o.path("ports")) {
            if (p instanceof ObjectNode port && !port.has("protocol")) {
                port.put("protocol", "TCP");
            }
        }
    }

    private static void endpointsDefaults(ObjectNode o) {
        for (JsonNode s : o.path("subsets")) {
            for (JsonNode p : s.path("ports")) {
                if (p instanceof ObjectNode port && !port.has("protocol")) {
                    port.put("protocol", "TCP");
                }
            }
        }
    }
}

package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.features.FeatureGates;

/**
 * The fields kube-apiserver v1.34.4 drops from what a client writes when the gate that introduced them is off and the
 * stored object does not use them yet ("in use by the old object" keeps them), as its strategies' PrepareForCreate and
 * PrepareForUpdate do: pods and pod templates (pkg/api/pod/util.go {@code dropDisabledFields} and
 * {@code dropDisabledPodStatusFields}), PersistentVolumeClaims (pkg/api/persistentvolumeclaim/util.go), PersistentVolumes
 * (pkg/api/persistentvolume/util.go), EndpointSlices (pkg/registry/discovery/endpointslice/strategy.go). Only the gates
 * whose default differs between 1.33 and 1.34 are modelled; the other gates guarding a drop have the same default at
 * both releases, and the fake behaves as that default. Immutable; thread-safe.
 *
 * @param dynamicResourceAllocation {@code DynamicResourceAllocation}: a pod's resourceClaims, its containers'
 *     resources.claims and status.resourceClaimStatuses
 * @param podLevelResources {@code PodLevelResources}: a pod's spec.resources
 * @param podObservedGenerationTracking {@code PodObservedGenerationTracking}: status.observedGeneration and the
 *     conditions' observedGeneration
 * @param volumeAttributesClass {@code VolumeAttributesClass}: spec.volumeAttributesClassName of claims and volumes, a
 *     claim's status.currentVolumeAttributesClassName and status.modifyVolumeStatus
 * @param preferSameTrafficDistribution {@code PreferSameTrafficDistribution}: an EndpointSlice's hints.forNodes
 */
public record GatedFields(
        boolean dynamicResourceAllocation,
        boolean podLevelResources,
        boolean podObservedGenerationTracking,
        boolean volumeAttributesClass,
        boolean preferSameTrafficDistribution) {

    /** kube-apiserver v1.34's defaults: every one of these gates on, nothing dropped. */
    public static final GatedFields V134 = new GatedFields(true, true, true, true, true);

    /** The gates as parsed from {@code --feature-gates} and {@code --emulated-version}. */
    public static GatedFields of(FeatureGates gates) {
        return new GatedFields(
                gates.enabled("DynamicResourceAllocation"),
                gates.enabled("PodLevelResources"),
                gates.enabled("PodObservedGenerationTracking"),
                gates.enabled("VolumeAttributesClass"),
                gates.enabled("PreferSameTrafficDistribution"));
    }

    /** DropDisabledPodFields: the spec's and the status's drops of a pod; {@code old} null on create. */
    public void dropFromPod(ObjectNode pod, JsonNode old) {
        JsonNode oldSpec = old == null ? null : old.get("spec");
        if (pod.get("spec") instanceof ObjectNode spec) {
            dropFromPodSpec(spec, oldSpec);
        }
        if (pod.get("status") instanceof ObjectNode status) {
            JsonNode oldStatus = old == null ? null : old.get("status");
            if (!dynamicResourceAllocation && !resourceClaimsInUse(oldSpec)) {
                status.remove("resourceClaimStatuses");
            }
            if (!podObservedGenerationTracking && !observedGenerationInUse(oldStatus)) {
                status.remove("observedGeneration");
                for (JsonNode condition : status.path("conditions")) {
                    if (condition instanceof ObjectNode c) {
                        c.remove("observedGeneration");
                    }
                }
            }
        }
    }

    /**
     * DropDisabledTemplateFields: the spec's drops of the pod template at {@code path} (dot-separated) of a workload
     * or PodTemplate; {@code old} null on create.
     */
    public void dropFromTemplate(ObjectNode object, JsonNode old, String path) {
        JsonNode template = object;
        JsonNode oldTemplate = old;
        for (String step : path.split("\\.")) {
            template = template.path(step);
            oldTemplate = oldTemplate == null ? null : oldTemplate.get(step);
        }
        if (template.get("spec") instanceof ObjectNode spec) {
            dropFromPodSpec(spec, oldTemplate == null ? null : oldTemplate.get("spec"));
        }
    }

    /** dropDisabledPodLevelResources and dropDisabledDynamicResourceAllocationFields. */
    private void dropFromPodSpec(ObjectNode spec, JsonNode oldSpec) {
        if (!podLevelResources && !podLevelResourcesInUse(oldSpec)) {
            spec.remove("resources");
        }
        if (!dynamicResourceAllocation && !resourceClaimsInUse(oldSpec)) {
            for (String list : new String[] {"containers", "initContainers", "ephemeralContainers"}) {
                for (JsonNode c : spec.path(list)) {
                    if (c.get("resources") instanceof ObjectNode resources) {
                        resources.remove("claims");
                    }
                }
            }
            spec.remove("resourceClaims");
        }
    }

    /** dynamicResourceAllocationInUse: the old spec has pod-level claims (containers can only name those). */
    private static boolean resourceClaimsInUse(JsonNode oldSpec) {
        return oldSpec != null && oldSpec.path("resourceClaims").size() > 0;
    }

    /** podLevelResourcesInUse: the old spec has pod-level requests or limits. */
    private static boolean podLevelResourcesInUse(JsonNode oldSpec) {
        if (oldSpec == null) {
            return false;
        }
        JsonNode resources = oldSpec.path("resources");
        return resources.path("requests").size() > 0 || resources.path("limits").size() > 0;
    }

    /** podObservedGenerationTrackingInUse: a non-zero observedGeneration in the old status or one of its conditions. */
    private static boolean observedGenerationInUse(JsonNode oldStatus) {
        if (oldStatus == null) {
            return false;
        }
        if (oldStatus.path("observedGeneration").asLong(0) != 0) {
            return true;
        }
        for (JsonNode condition : oldStatus.path("conditions")) {
            if (condition.path("observedGeneration").asLong(0) != 0) {
                return true;
            }
        }
        return false;
    }

    /** persistentvolumeclaim.DropDisabledFields: spec.volumeAttributesClassName unless the old claim has one. */
    public void dropFromClaimSpec(ObjectNode claim, JsonNode old) {
        if (!volumeAttributesClass
                && claim.get("spec") instanceof ObjectNode spec
                && !set(old, "spec", "volumeAttributesClassName")) {
            spec.remove("volumeAttributesClassName");
        }
    }

    /** persistentvolumeclaim.DropDisabledFieldsFromStatus: the status's volume attributes class fields, one by one. */
    public void dropFromClaimStatus(ObjectNode claim, JsonNode old) {
        if (!volumeAttributesClass && claim.get("status") instanceof ObjectNode status) {
            for (String f : new String[] {"currentVolumeAttributesClassName", "modifyVolumeStatus"}) {
                if (!set(old, "status", f)) {
                    status.remove(f);
                }
            }
        }
    }

    /** persistentvolume.DropDisabledSpecFields: spec.volumeAttributesClassName unless the old volume has one. */
    public void dropFromVolumeSpec(ObjectNode volume, JsonNode old) {
        if (!volumeAttributesClass
                && volume.get("spec") instanceof ObjectNode spec
                && !set(old, "spec", "volumeAttributesClassName")) {
            spec.remove("volumeAttributesClassName");
        }
    }

    /**
     * endpointslice dropDisabledFieldsOnCreate/OnUpdate with TopologyAwareHints on (GA): the endpoints' hints.forNodes,
     * unless one of the old slice's endpoints has them.
     */
    public void dropFromEndpointSlice(ObjectNode slice, JsonNode old) {
        if (preferSameTrafficDistribution) {
            return;
        }
        if (old != null) {
            for (JsonNode endpoint : old.path("endpoints")) {
                JsonNode hints = endpoint.get("hints");
                if (hints != null
                        && !hints.isNull()
                        && hints.has("forNodes")
                        && !hints.get("forNodes").isNull()) {
                    return;
                }
            }
        }
        for (JsonNode endpoint : slice.path("endpoints")) {
            if (endpoint.get("hints") instanceof ObjectNode hints) {
                hints.remove("forNodes");
            }
        }
    }

    /** A pointer field of the old object that is set (present and not null). */
    private static boolean set(JsonNode old, String parent, String field) {
        if (old == null) {
            return false;
        }
        JsonNode value = old.path(parent).get(field);
        return value != null && !value.isNull();
    }
}

package io.kubetwin.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in resources kube-apiserver v1.34 serves by default, read from the discovery documents recorded
 * from the reference server (every /api/v1 and /apis/GROUP/VERSION resource list, in
 * {@code discovery/reference-discovery.json}): names, kinds, scope, verbs, short names, categories and
 * subresources are upstream's. What discovery does not say is here: where a resource is stored when
 * its storage version differs from the served one (the storageVersionHash says which, and
 * ResourceCatalogTest checks it).
 */
final class BuiltInResources {
    private BuiltInResources() {}

    static final List<String> CRUD =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    static final List<String> CREATE_ONLY = List.of("create");

    static final String RECORDED = "/io/kubetwin/apiserver/discovery/reference-discovery.json";

    /** group/plural to the storage version {group, version, kind} when it is not the served one. */
    private static final Map<String, String[]> STORAGE = Map.of(
            // events.k8s.io/v1 events share core events' storage
            "events.k8s.io/events", new String[] {"", "v1", "Event"},
            // still stored as their beta versions upstream
            "apiextensions.k8s.io/customresourcedefinitions",
                    new String[] {"apiextensions.k8s.io", "v1beta1", "CustomResourceDefinition"},
            "storage.k8s.io/volumeattributesclasses",
                    new String[] {"storage.k8s.io", "v1beta1", "VolumeAttributesClass"},
            "resource.k8s.io/deviceclasses", new String[] {"resource.k8s.io", "v1beta2", "DeviceClass"},
            "resource.k8s.io/resourceclaims", new String[] {"resource.k8s.io", "v1beta2", "ResourceClaim"},
            "resource.k8s.io/resourceclaimtemplates",
                    new String[] {"resource.k8s.io", "v1beta2", "ResourceClaimTemplate"},
            "resource.k8s.io/resourceslices", new String[] {"resource.k8s.io", "v1beta2", "ResourceSlice"},
            // autoscaling/v1 and v2 share the v2 storage
            "autoscaling/horizontalpodautoscalers", new String[] {"autoscaling", "v2", "HorizontalPodAutoscaler"});

    /**
     * Versions a storage version of an emulated release may have: at emulation version N kube-apiserver stores a
     * resource as the newest version its minimum compatibility version (N-1) already had, often a beta one that N
     * does not serve (networking.k8s.io/v1beta1 IPAddress at 1.33).
     */
    private static final List<String> STORAGE_CANDIDATES = List.of(
            "v1", "v1beta3", "v1beta2", "v1beta1", "v2", "v2beta2", "v2beta1", "v1alpha3", "v1alpha2", "v1alpha1");

    static List<ServedResource> all() {
        return all(ApiSurface.BINARY);
    }

    /** The built-in resources of a recorded surface. */
    static List<ServedResource> all(ApiSurface surface) {
        JsonNode recorded;
        try (InputStream in = surface.open("reference-discovery.json")) {
            recorded = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<ServedResource> out = new ArrayList<>();
        recorded.path("resourceLists").fields().forEachRemaining(e -> out.addAll(resources(e.getKey(), e.getValue())));
        return out;
    }

    private static List<ServedResource> resources(String groupVersion, JsonNode list) {
        int slash = groupVersion.indexOf('/');
        String group = slash < 0 ? "" : groupVersion.substring(0, slash);
        String version = groupVersion.substring(slash + 1);
        Map<String, JsonNode> mains = new LinkedHashMap<>();
        Map<String, List<SubresourceType>> subs = new LinkedHashMap<>();
        for (JsonNode entry : list.path("resources")) {
            String name = entry.path("name").asText();
            int s = name.indexOf('/');
            if (s < 0) {
                mains.put(name, entry);
                continue;
            }
            subs.computeIfAbsent(name.substring(0, s), k -> new ArrayList<>())
                    .add(new SubresourceType(
                            name.substring(s + 1),
                            entry.has("group") ? entry.path("group").asText() : null,
                            entry.has("version") ? entry.path("version").asText() : null,
                            entry.path("kind").asText(),
                            strings(entry.path("verbs"))));
        }
        List<ServedResource> out = new ArrayList<>();
        mains.forEach((plural, entry) -> {
            List<SubresourceType> subresources = subs.getOrDefault(plural, List.of());
            ResourceType type = new ResourceType(
                    group,
                    version,
                    plural,
                    entry.path("singularName").asText(),
                    entry.path("kind").asText(),
                    entry.path("namespaced").asBoolean(),
                    strings(entry.path("verbs")),
                    strings(entry.path("shortNames")),
                    strings(entry.path("categories")),
                    subresources.stream().map(SubresourceType::name).toList());
            String[] storage = STORAGE.get(group + "/" + plural);
            ServedResource served;
            if (storage != null) {
                served = new ServedResource(type, subresources, storage[0], storage[1], storage[2]);
            } else if (!entry.has("storageVersionHash") && type.verbs().contains("list")) {
                // computed on read (componentstatuses): served, never stored
                served = new ServedResource(type, subresources, group, "", type.kind());
            } else {
                served = ServedResource.of(type, subresources);
            }
            out.add(storedAsRecorded(served, entry.path("storageVersionHash").asText("")));
        });
        return out;
    }

    /**
     * The resource with the storage version the recorded storageVersionHash names, when that is not the one
     * above: an emulated release stores some resources as an older version of the same kind.
     */
    private static ServedResource storedAsRecorded(ServedResource served, String recordedHash) {
        if (recordedHash.isEmpty() || recordedHash.equals(served.storageVersionHash())) {
            return served;
        }
        for (String version : STORAGE_CANDIDATES) {
            ServedResource candidate = new ServedResource(
                    served.type(), served.subresources(), served.storageGroup(), version, served.storageKind());
            if (recordedHash.equals(candidate.storageVersionHash())) {
                return candidate;
            }
        }
        throw new IllegalStateException("no storage version of " + served.storageGroup() + " " + served.storageKind()
                + " has the recorded storageVersionHash " + recordedHash);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}

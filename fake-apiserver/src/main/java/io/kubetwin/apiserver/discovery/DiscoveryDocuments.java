package io.kubetwin.apiserver.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.ApiSurface;
import io.kubetwin.apiserver.registry.ResourceType;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.registry.SubresourceType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the discovery documents kube-apiserver serves (metav1.APIVersions, APIGroupList, APIGroup,
 * APIResourceList and apidiscovery.k8s.io/v2 APIGroupDiscoveryList) for the resources the fake serves.
 * Entries of built-in resources are taken verbatim from the recorded reference discovery
 * ({@code reference-discovery.json}), so they are upstream's; resources unknown to the reference
 * (custom resources) get entries built the way the apiextensions-apiserver builds them.
 *
 * <p>Immutable once built; rebuilt when the set of served resources changes.
 */
public final class DiscoveryDocuments {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ObjectNode reference;
    private final Map<String, List<ResourceType>> servedByGroupVersion;
    private final List<String> groupOrder;

    /** Per "group/version/plural": what generated entries add beyond the ResourceType (hash, subresource kinds). */
    private final Map<String, ServedResource> details = new HashMap<>();

    private DiscoveryDocuments(ObjectNode reference, Collection<ResourceType> served) {
        this.reference = reference;
        this.servedByGroupVersion = new LinkedHashMap<>();
        for (ResourceType type : served) {
            servedByGroupVersion
                    .computeIfAbsent(type.apiVersion(), k -> new ArrayList<>())
                    .add(type);
        }
        List<String> order = new ArrayList<>();
        for (JsonNode group : reference.path("groupList").path("groups")) {
            order.add(group.path("name").asText());
        }
        for (ResourceType type : served) {
            if (!type.group().isEmpty() && !order.contains(type.group())) {
                order.add(type.group());
            }
        }
        this.groupOrder = order;
    }

    public static ObjectNode loadReference(ObjectMapper mapper) {
        return loadReference(mapper, ApiSurface.BINARY);
    }

    /** The recorded discovery of an emulated release (its group order and built-in entries). */
    public static ObjectNode loadReference(ObjectMapper mapper, ApiSurface surface) {
        try (InputStream in = surface.open("reference-discovery.json")) {
            return (ObjectNode) mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DiscoveryDocuments of(ObjectNode reference, Collection<ResourceType> served) {
        return new DiscoveryDocuments(reference, served);
    }

    /**
     * As {@link #of(ObjectNode, Collection)} from the catalog's served resources, so that entries generated
     * for custom resources carry their storageVersionHash and the Kind of each subresource (scale speaks
     * autoscaling/v1 Scale).
     */
    public static DiscoveryDocuments ofServed(ObjectNode reference, Collection<ServedResource> served) {
        List<ResourceType> types = new ArrayList<>();
        for (ServedResource r : served) {
            ResourceType t = r.type();
            types.add(new ResourceType(
                    t.group(),
                    t.version(),
                    t.plural(),
                    t.singular(),
                    t.kind(),
                    t.namespaced(),
                    t.verbs(),
                    t.shortNames(),
                    t.categories(),
                    r.subresources().stream().map(SubresourceType::name).toList()));
        }
        DiscoveryDocuments docs = new DiscoveryDocuments(reference, types);
        served.forEach(
                r -> docs.details.put(r.type().apiVersion() + "/" + r.type().plural(), r));
        return docs;
    }

    /** GET /api. */
    public ObjectNode apiVersions(String serverAddress) {
        ObjectNode doc = JSON.objectNode().put("kind", "APIVersions");
        doc.putArray("versions").add("v1");
        doc.putArray("serverAddressByClientCIDRs")
                .addObject()
                .put("clientCIDR", "0.0.0.0/0")
                .put("serverAddress", serverAddress);
        return doc;
    }

    /** GET /apis. */
    public ObjectNode groupList() {
        ObjectNode doc = JSON.objectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = doc.putArray("groups");
        for (String group : groupOrder) {
            ObjectNode g = group(group);
            if (g != null) {
                g.remove("kind");
                g.remove("apiVersion");
                groups.add(g);
            }
        }
        return doc;
    }

    /** GET /apis/GROUP, or null when no version of the group is served. */
    public ObjectNode group(String group) {
        List<String> versions = servedVersions(group);
        if (versions.isEmpty()) {
            return null;
        }
        ObjectNode doc = JSON.objectNode()
                .put("kind", "APIGroup")
                .put("apiVersion", "v1")
                .put("name", group);
        ArrayNode list = doc.putArray("versions");
        for (String v : versions) {
            list.addObject().put("groupVersion", group + "/" + v).put("version", v);
        }
        doc.putObject("preferredVersion")
                .put("groupVersion", group + "/" + versions.get(0))
                .put("version", versions.get(0));
        return doc;
    }

    /**
     * Whether kube-apiserver itself serves this group version (through go-restful), as opposed to a custom
     * resource's group version, which the apiextensions server's plain handler serves.
     */
    public boolean builtIn(String groupVersion) {
        return reference.path("resourceLists").has(groupVersion);
    }

    /** GET /api/v1 or /apis/GROUP/VERSION, or null when nothing is served there. */
    public ObjectNode resourceList(String groupVersion) {
        List<ResourceType> served = servedByGroupVersion.get(groupVersion);
        if (served == null || served.isEmpty()) {
            return null;
        }
        ObjectNode doc = JSON.objectNode().put("kind", "APIResourceList");
        if (groupVersion.contains("/")) {
            doc.put("apiVersion", "v1");
        }
        doc.put("groupVersion", groupVersion);
        ArrayNode resources = doc.putArray("resources");
        JsonNode recorded = reference.path("resourceLists").path(groupVersion).path("resources");
        Set<String> done = new HashSet<>();
        for (JsonNode entry : recorded) {
            String name = entry.path("name").asText();
            String base = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
            String sub = name.contains("/") ? name.substring(name.indexOf('/') + 1) : null;
            ResourceType type = find(served, base);
            if (type != null && (sub == null || type.subresources().contains(sub))) {
                resources.add(entry.deepCopy());
                done.add(base);
            }
        }
        for (ResourceType type : served) {
            if (!done.contains(type.plural())) {
                var detail = details.get(type.apiVersion() + "/" + type.plural());
                ObjectNode entry = generatedEntry(type);
                if (detail != null && !detail.storageVersionHash().isEmpty()) {
                    entry.put("storageVersionHash", detail.storageVersionHash());
                }
                resources.add(entry);
                for (String sub : type.subresources()) {
                    ObjectNode s = resources
                            .addObject()
                            .put("name", type.plural() + "/" + sub)
                            .put("singularName", "")
                            .put("namespaced", type.namespaced());
                    var subType =
                            detail == null ? null : detail.subresource(sub).orElse(null);
                    if (subType != null && subType.group() != null) {
                        s.put("group", subType.group()).put("version", subType.version());
                    }
                    s.put("kind", subType != null ? subType.kind() : type.kind());
                    ArrayNode verbs = s.putArray("verbs");
                    (subType != null ? subType.verbs() : List.of("get", "patch", "update")).forEach(verbs::add);
                }
            }
        }
        return doc;
    }

    /** The apidiscovery.k8s.io/v2 document for /api (core) or /apis (named groups). */
    public ObjectNode aggregated(boolean core) {
        ObjectNode doc =
                JSON.objectNode().put("kind", "APIGroupDiscoveryList").put("apiVersion", "apidiscovery.k8s.io/v2");
        doc.putObject("metadata");
        ArrayNode items = doc.putArray("items");
        List<String> groups = core
                ? List.of("")
                : groupOrder.stream().filter(g -> !g.isEmpty()).toList();
        for (String group : groups) {
            List<String> versions = group.isEmpty()
                    ? (servedByGroupVersion.containsKey("v1") ? List.of("v1") : List.of())
                    : servedVersions(group);
            if (versions.isEmpty()) {
                continue;
            }
            ObjectNode item = items.addObject();
            ObjectNode meta = item.putObject("metadata");
            if (!group.isEmpty()) {
                meta.put("name", group);
            }
            ArrayNode versionList = item.putArray("versions");
            for (String version : versions) {
                ObjectNode v = versionList.addObject().put("version", version);
                v.set(
                        "resources",
                        aggregatedResources(resourceList(group.isEmpty() ? version : group + "/" + version)));
                v.put("freshness", "Current");
            }
        }
        return doc;
    }

    private ArrayNode aggregatedResources(ObjectNode list) {
        ArrayNode out = JSON.arrayNode();
        Map<String, ObjectNode> byName = new LinkedHashMap<>();
        for (JsonNode entry : list.path("resources")) {
            String name = entry.path("name").asText();
            int slash = name.indexOf('/');
            ObjectNode responseKind = JSON.objectNode()
                    .put("group", entry.path("group").asText(""))
                    .put("version", entry.path("version").asText(""))
                    .put("kind", entry.path("kind").asText());
            if (slash < 0) {
                ObjectNode r = JSON.objectNode().put("resource", name);
                r.set("responseKind", responseKind);
                r.put("scope", entry.path("namespaced").asBoolean() ? "Namespaced" : "Cluster");
                r.put("singularResource", entry.path("singularName").asText());
                r.set("verbs", entry.path("verbs").deepCopy());
                copyIfPresent(entry, r, "shortNames");
                copyIfPresent(entry, r, "categories");
                byName.put(name, r);
                out.add(r);
            } else {
                ObjectNode parent = byName.get(name.substring(0, slash));
                if (parent == null) {
                    continue;
                }
                ArrayNode subs = parent.has("subresources")
                        ? (ArrayNode) parent.get("subresources")
                        : parent.putArray("subresources");
                ObjectNode s = subs.addObject().put("subresource", name.substring(slash + 1));
                s.set("responseKind", responseKind);
                s.set("verbs", entry.path("verbs").deepCopy());
            }
        }
        return out;
    }

    private static void copyIfPresent(JsonNode from, ObjectNode to, String field) {
        if (from.has(field)) {
            to.set(field, from.get(field).deepCopy());
        }
    }

    private List<String> servedVersions(String group) {
        List<String> versions = new ArrayList<>();
        for (JsonNode g : reference.path("groupList").path("groups")) {
            if (g.path("name").asText().equals(group)) {
                for (JsonNode v : g.path("versions")) {
                    if (servedByGroupVersion.containsKey(v.path("groupVersion").asText())) {
                        versions.add(v.path("version").asText());
                    }
                }
            }
        }
        List<String> generated = new ArrayList<>();
        for (String gv : servedByGroupVersion.keySet()) {
            if (gv.startsWith(group + "/")) {
                String v = gv.substring(group.length() + 1);
                if (!versions.contains(v)) {
                    generated.add(v);
                }
            }
        }
        // groups unknown to the reference (CRDs) list versions by Kubernetes version priority, the first preferred
        generated.sort(DiscoveryDocuments::compareKubeAwareVersions);
        versions.addAll(generated);
        return versions;
    }

    private static final Pattern KUBE_VERSION = Pattern.compile("^v(\\d+)(?:(alpha|beta)(\\d+))?$");

    /**
     * version.CompareKubeAwareVersionStrings, as a sort order (highest priority first): GA before beta before
     * alpha, higher numbers first, then versions that do not look like Kubernetes versions, alphabetically.
     */
    public static int compareKubeAwareVersions(String a, String b) {
        Matcher ma = KUBE_VERSION.matcher(a);
        Matcher mb = KUBE_VERSION.matcher(b);
        boolean ka = ma.matches();
        boolean kb = mb.matches();
        if (!ka || !kb) {
            return ka == kb ? a.compareTo(b) : ka ? -1 : 1;
        }
        int stageA = ma.group(2) == null ? 2 : "beta".equals(ma.group(2)) ? 1 : 0;
        int stageB = mb.group(2) == null ? 2 : "beta".equals(mb.group(2)) ? 1 : 0;
        if (stageA != stageB) {
            return Integer.compare(stageB, stageA);
        }
        int major = Long.compare(Long.parseLong(mb.group(1)), Long.parseLong(ma.group(1)));
        if (major != 0) {
            return major;
        }
        return ma.group(3) == null ? 0 : Long.compare(Long.parseLong(mb.group(3)), Long.parseLong(ma.group(3)));
    }

    private static ResourceType find(List<ResourceType> served, String plural) {
        for (ResourceType t : served) {
            if (t.plural().equals(plural)) {
                return t;
            }
        }
        return null;
    }

    private static ObjectNode generatedEntry(ResourceType type) {
        ObjectNode e = JSON.objectNode()
                .put("name", type.plural())
                .put("singularName", type.singular())
                .put("namespaced", type.namespaced())
                .put("kind", type.kind());
        ArrayNode verbs = e.putArray("verbs");
        type.verbs().forEach(verbs::add);
        if (!type.shortNames().isEmpty()) {
            ArrayNode s = e.putArray("shortNames");
            type.shortNames().forEach(s::add);
        }
        if (!type.categories().isEmpty()) {
            ArrayNode c = e.putArray("categories");
            type.categories().forEach(c::add);
        }
        return e;
    }
}

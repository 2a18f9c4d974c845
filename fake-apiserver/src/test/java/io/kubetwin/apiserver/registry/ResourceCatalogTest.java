package io.kubetwin.apiserver.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The catalog's data against the discovery documents recorded from kube-apiserver v1.34.4. */
class ResourceCatalogTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Every group-version the reference serves, from the recorded discovery. */
    static List<String> groupVersions() throws Exception {
        List<String> out = new ArrayList<>();
        try (InputStream in = ResourceCatalogTest.class.getResourceAsStream(BuiltInResources.RECORDED)) {
            JSON.readTree(in).path("resourceLists").fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("groupVersions")
    void servesEveryRecordedResourceAsRecorded(String groupVersion) throws Exception {
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream(BuiltInResources.RECORDED)) {
            doc = JSON.readTree(in).path("resourceLists").path(groupVersion);
        }
        String gv = doc.get("groupVersion").asText();
        String group = gv.contains("/") ? gv.substring(0, gv.indexOf('/')) : "";
        String version = gv.contains("/") ? gv.substring(gv.indexOf('/') + 1) : gv;
        ResourceCatalog catalog = ResourceCatalog.withBuiltIns();
        List<ServedResource> served = catalog.resources(group, version);
        List<String> expected = new ArrayList<>();
        for (JsonNode r : doc.get("resources")) {
            expected.add(r.toString());
        }
        List<String> actual = new ArrayList<>();
        for (ServedResource s : served) {
            actual.add(render(s, null));
            for (SubresourceType sub : s.subresources()) {
                actual.add(render(s, sub));
            }
        }
        expected.sort(null);
        actual.sort(null);
        assertEquals(expected, actual);
    }

    /** metav1.APIResource as discovery serialises it. */
    static String render(ServedResource s, SubresourceType sub) {
        var o = JSON.createObjectNode();
        ResourceType t = s.type();
        o.put("name", sub == null ? t.plural() : t.plural() + "/" + sub.name());
        o.put("singularName", sub == null ? t.singular() : "");
        o.put("namespaced", t.namespaced());
        if (sub != null && sub.group() != null) {
            o.put("group", sub.group());
            o.put("version", sub.version());
        }
        o.put("kind", sub == null ? t.kind() : sub.kind());
        var verbs = o.putArray("verbs");
        (sub == null ? t.verbs() : sub.verbs()).forEach(verbs::add);
        if (sub == null && !t.shortNames().isEmpty()) {
            var a = o.putArray("shortNames");
            t.shortNames().forEach(a::add);
        }
        if (sub == null && !t.categories().isEmpty()) {
            var a = o.putArray("categories");
            t.categories().forEach(a::add);
        }
        if (sub == null && !s.storageVersionHash().isEmpty()) {
            o.put("storageVersionHash", s.storageVersionHash());
        }
        return o.toString();
    }
}

package io.kubetwin.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubetwin.client.ApiClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates Kubernetes objects from YAML or JSON text over the API, as the admin, the way {@code kubectl create -f}
 * does: several documents per text, the items of {@code List} kinds, each POSTed to its collection as discovery
 * names it (so custom resources work once their CRD is established). Not thread-safe: one per server start.
 */
final class ObjectLoader {
    /** How long a kind may be missing from discovery (a CRD created just before is being established). */
    private static final long DISCOVERY_WAIT_NANOS = 10_000_000_000L;

    private static final YAMLMapper YAML = new YAMLMapper();

    private final ApiClient admin;
    private final boolean keepExisting;
    private final Map<String, Map<String, JsonNode>> discovery = new HashMap<>();

    /** {@code keepExisting}: an object that exists already (409 AlreadyExists) is left as it is, not an error. */
    ObjectLoader(ApiClient admin, boolean keepExisting) {
        this.admin = admin;
        this.keepExisting = keepExisting;
    }

    /** Creates every object of {@code text}, in order; {@code source} names it in error messages. */
    void create(String text, String source) {
        for (JsonNode object : objects(text, source)) {
            createOne(object, source);
        }
    }

    static List<JsonNode> objects(String text, String source) {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
                    continue;
                }
                if (doc.path("kind").asText().endsWith("List") && doc.has("items")) {
                    doc.path("items").forEach(out::add);
                } else {
                    out.add(doc);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not YAML or JSON: " + e.getMessage(), e);
        }
        return out;
    }

    private void createOne(JsonNode object, String source) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        String name = object.path("metadata").path("name").asText();
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            throw new IllegalArgumentException(source + ": an object without apiVersion or kind: " + object);
        }
        JsonNode resource = resourceFor(apiVersion, kind, source);
        String base = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
        String path;
        if (resource.path("namespaced").asBoolean()) {
            String ns = object.path("metadata").path("namespace").asText("");
            ns = ns.isEmpty() ? "default" : ns;
            ((ObjectNode) object.path("metadata")).put("namespace", ns);
            path = base + "/namespaces/" + ns + "/" + resource.path("name").asText();
        } else {
            path = base + "/" + resource.path("name").asText();
        }
        ApiClient.Response r = admin.post(path, object.toString());
        if (r.code() >= 300 && !(keepExisting && r.code() == 409)) {
            throw new IllegalStateException(source + ": creating " + kind + " " + name + " failed: " + r.code() + " "
                    + r.statusMessage().orElse(r.body()));
        }
    }

    /** The discovery entry of {@code kind} in {@code apiVersion}, waiting a little for a new CRD's kinds. */
    private JsonNode resourceFor(String apiVersion, String kind, String source) {
        long deadline = System.nanoTime() + DISCOVERY_WAIT_NANOS;
        while (true) {
            JsonNode found =
                    discovery.computeIfAbsent(apiVersion, this::discover).get(kind);
            if (found != null) {
                return found;
            }
            discovery.remove(apiVersion);
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalArgumentException(
                        source + ": the server serves no kind " + kind + " in " + apiVersion);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + kind + " in discovery", e);
            }
        }
    }

    private Map<String, JsonNode> discover(String apiVersion) {
        ApiClient.Response r = admin.get(apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion);
        Map<String, JsonNode> byKind = new HashMap<>();
        if (r.code() == 200) {
            for (JsonNode resource : r.json().path("resources")) {
                if (!resource.path("name").asText().contains("/")) {
                    byKind.put(resource.path("kind").asText(), resource);
                }
            }
        }
        return byKind;
    }
}

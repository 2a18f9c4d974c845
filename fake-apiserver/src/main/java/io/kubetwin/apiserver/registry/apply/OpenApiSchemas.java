package io.kubetwin.apiserver.registry.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * The schemas of built-in kinds, from the reference's recorded OpenAPI v3 documents
 * ({@code discovery/openapi-v3/api_v1.json.gz}, {@code apis_GROUP_VERSION.json.gz}): a document is read the first
 * time a kind of its group version is written, and its kinds are found by their
 * {@code x-kubernetes-group-version-kind}, so a document added to the folder needs no code. Server-side apply reads
 * them as structured-merge-diff types, ValidatingAdmissionPolicy's type checking as raw schemas ({@link #raw}), the
 * typed body decoder ({@code codec/TypedSchemas}) by definition name. One instance per server
 * ({@link FieldManagers#schemas()}); thread-safe.
 */
public final class OpenApiSchemas {
    private static final String FOLDER = "/io/kubetwin/apiserver/discovery/openapi-v3/";
    private static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Optional<Document>> documents = new ConcurrentHashMap<>();

    /**
     * A built-in kind's schema as recorded, and its document's {@code #/components/schemas/NAME} references.
     *
     * @param refs the schema a reference names, null for none
     */
    public record Raw(JsonNode schema, Function<String, JsonNode> refs) {}

    /** The raw schema of a built-in kind, empty when no recorded document declares it. */
    public Optional<Raw> raw(String group, String version, String kind) {
        return document(group, version).flatMap(d -> d.raw(group, version, kind));
    }

    /** The root type of a built-in kind, empty when no recorded document declares it. */
    Optional<SchemaType> kind(String group, String version, String kind) {
        return document(group, version).flatMap(d -> d.kind(group, version, kind));
    }

    /** The definition name of a built-in kind ({@code io.k8s.api.apps.v1.Deployment}), empty when none declares it. */
    public Optional<String> kindDefinition(String group, String version, String kind) {
        return document(group, version).map(d -> d.byKind.get(group + "/" + version + "/" + kind));
    }

    /** The raw OpenAPI v3 schema of a definition of the group version's document, a missing node when absent. */
    public JsonNode definition(String group, String version, String name) {
        return document(group, version).map(d -> d.schemas.path(name)).orElse(JSON.missingNode());
    }

    /** metav1.ObjectMeta, which custom resources' metadata is typed as. */
    SchemaType objectMeta() {
        return document("", "v1").orElseThrow().named("#/components/schemas/" + OBJECT_META);
    }

    private Optional<Document> document(String group, String version) {
        String file = group.isEmpty() ? "api_" + version : "apis_" + group + "_" + version;
        return documents.computeIfAbsent(file, OpenApiSchemas::load);
    }

    private static Optional<Document> load(String file) {
        try (InputStream in = OpenApiSchemas.class.getResourceAsStream(FOLDER + file + ".json.gz")) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new Document(JSON.readTree(new GZIPInputStream(in))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One OpenAPI v3 document: named types built on first use. */
    private static final class Document {
        private final JsonNode schemas;
        private final Map<String, SchemaType> named = new ConcurrentHashMap<>();
        private final Map<String, String> byKind = new ConcurrentHashMap<>();

        Document(JsonNode root) {
            this.schemas = root.path("components").path("schemas");
            for (Iterator<Map.Entry<String, JsonNode>> it = schemas.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                for (JsonNode gvk : e.getValue().path("x-kubernetes-group-version-kind")) {
                    byKind.putIfAbsent(
                            gvk.path("group").asText("") + "/"
                                    + gvk.path("version").asText() + "/"
                                    + gvk.path("kind").asText(),
                            e.getKey());
                }
            }
        }

        Optional<SchemaType> kind(String group, String version, String kind) {
            String name = byKind.get(group + "/" + version + "/" + kind);
            return name == null ? Optional.empty() : Optional.of(named("#/components/schemas/" + name));
        }

        Optional<Raw> raw(String group, String version, String kind) {
            String name = byKind.get(group + "/" + version + "/" + kind);
            return name == null
                    ? Optional.empty()
                    : Optional.of(new Raw(schemas.path(name), ref -> {
                        JsonNode s = schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
                        return ref.startsWith("#/components/schemas/") ? s : null;
                    }));
        }

        SchemaType named(String ref) {
            SchemaType t = named.get(ref);
            if (t != null) {
                return t;
            }
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            // computeIfAbsent cannot recurse into the same map: build, then publish (a race builds twice, harmlessly)
            t = SchemaType.of(schemas.path(name), this::named);
            SchemaType prior = named.putIfAbsent(ref, t);
            return prior != null ? prior : t;
        }
    }

    /** {@code $ref}, directly or as the single member of an allOf (OpenAPI v3 wraps refs carrying a default). */
    public static String ref(JsonNode s) {
        if (s.has("$ref")) {
            return s.get("$ref").asText();
        }
        JsonNode allOf = s.get("allOf");
        if (allOf != null
                && allOf.isArray()
                && allOf.size() == 1
                && allOf.get(0).has("$ref")) {
            return allOf.get(0).get("$ref").asText();
        }
        return null;
    }
}

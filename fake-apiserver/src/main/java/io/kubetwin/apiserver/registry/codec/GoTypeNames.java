package io.kubetwin.apiserver.registry.codec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The Go type names of the built-in kinds' fields ({@code go-types.json.gz}, recorded from the pinned Go types by
 * {@code ci/reference/record-go-types.sh}): what the OpenAPI documents do not say (named strings such as
 * {@code v1.ServiceType}, named maps such as {@code v1.ResourceList}). Per OpenAPI definition name and JSON field,
 * the names met descending through slices and maps; "@" marks a type with its own UnmarshalJSON. Immutable.
 */
final class GoTypeNames {
    private static final String RESOURCE = "/io/kubetwin/apiserver/registry/codec/go-types.json.gz";
    private final Map<String, Map<String, List<String>>> structs;

    private GoTypeNames(Map<String, Map<String, List<String>>> structs) {
        this.structs = structs;
    }

    static GoTypeNames load() {
        try (InputStream in = GoTypeNames.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing");
            }
            return new GoTypeNames(new ObjectMapper().readValue(new GZIPInputStream(in), new TypeReference<>() {}));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of one field of a definition, outermost first; empty when not recorded. */
    List<String> field(String definition, String json) {
        Map<String, List<String>> fields = structs.get(definition);
        List<String> chain = fields == null ? null : fields.get(json);
        return chain == null ? List.of() : chain;
    }
}

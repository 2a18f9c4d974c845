package io.kubetwin.apiserver.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The YAML kube-apiserver writes for {@code Accept: application/yaml}: the serializer's JSON converted by
 * sigs.k8s.io/yaml JSONToYAML, that is read back by go.yaml.in/yaml/v2 (numbers as int, uint64 or float64) and
 * marshalled by it. The pieces, each after its go-yaml file: {@link GoYamlEmitter} (encode.go's walk and emitterc.go's
 * writer: block style, sequences inside mappings not indented, empty collections in flow style, scalars folded past
 * column 80), {@link GoYamlScalars} (encode.go and resolve.go: a string is plain unless it would read back as another
 * type, {@code "true"}, {@code "1"}, timestamps, base-60 floats, then double-quoted; with a line break, a literal
 * block), {@link GoYamlAnalysis} (emitterc.go's analysis of a scalar, behind the emitter's downgrades from plain to
 * single-quoted to double-quoted) and {@link GoYamlKeys} (sorter.go: mapping keys in go-yaml's natural order).
 */
public final class GoYaml {
    private GoYaml() {}

    /** go-yaml's reader refuses the JSON it is given (JSONToYAML reads the JSON back first). */
    public static final class ControlCharacters extends IllegalArgumentException {
        ControlCharacters() {
            super("yaml: control characters are not allowed", null);
        }
    }

    /** What the YAML serializer sends: the status code and the document. */
    public record Answer(int code, String text) {}

    /**
     * responsewriters.SerializeObject with the YAML serializer, for an answer of {@code code}: the document, or, when
     * go-yaml's reader refuses the JSON ({@link ControlCharacters}), the encoder's error as a Status without a reason,
     * in YAML, whose 500 replaces a success code only (an error keeps its code, with the 500 Status as its body).
     */
    public static Answer answer(int code, JsonNode body) {
        try {
            return new Answer(code, DeepStack.retryDeep(() -> toYaml(body)));
        } catch (ControlCharacters e) {
            ObjectNode status = JsonNodeFactory.instance.objectNode();
            status.put("kind", "Status").put("apiVersion", "v1").putObject("metadata");
            status.put("status", "Failure").put("message", e.getMessage()).put("code", 500);
            return new Answer(code >= 200 && code < 400 ? 500 : code, toYaml(status));
        }
    }

    /**
     * The YAML document of a JSON value, as JSONToYAML writes it (ending with a line break); {@link ControlCharacters}
     * when a string holds a character Go's JSON encoder writes as it is and go-yaml's reader refuses (DEL, the C1
     * controls but NEL, U+FFFE and U+FFFF).
     */
    public static String toYaml(JsonNode json) {
        if (hasControlCharacters(json)) {
            throw new ControlCharacters();
        }
        return GoYamlEmitter.document(json);
    }

    /** readerc.go yaml_parser_update_buffer's allowed set, for the characters JSON carries unescaped. */
    private static boolean hasControlCharacters(JsonNode n) {
        if (n.isTextual()) {
            return refused(n.asText());
        }
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            if (refused(e.getKey()) || hasControlCharacters(e.getValue())) {
                return true;
            }
        }
        if (n.isArray()) {
            for (JsonNode item : n) {
                if (hasControlCharacters(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean refused(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0x7F || (c >= 0x80 && c <= 0x9F && c != 0x85) || c == 0xFFFE || c == 0xFFFF) {
                return true;
            }
        }
        return false;
    }
}

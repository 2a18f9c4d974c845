package io.kubetwin.apiserver.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * YAML bodies as sigs.k8s.io/yaml reads them with go-yaml v2: error texts, merge keys, tags and map keys; every
 * expected text as kube-apiserver v1.34.4 answered it (conformance suite hostile-bodies, recorded from the reference).
 */
class YamlTreeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{{{ | yaml: line 1: did not find expected node content",
                "a: *nothing\\n | yaml: unknown anchor 'nothing' referenced",
                "a: v1\\nb: c\\nm: {name: y\\n | yaml: line 3: did not find expected ',' or '}'",
                "a: v1\\nb: c\\nm:\\n  name: y\\n d: {}\\n | yaml: line 4: did not find expected key",
                "a: v1\\nm: &m\\n  name: y\\n  labels: *m\\n | yaml: anchor 'm' value contains itself",
                "data:\\n  ~: x\\n | unsupported map key of type: %!s(<nil>), key: <nil>, value: \"x\"",
                "data:\\n  ? [a, b]\\n  : x\\n | yaml: invalid map key: []interface {}{\"a\", \"b\"}",
                "m:\\n  <<: 1\\n | yaml: map merge requires map or sequence of maps as the value"
            })
    void failsAsGoYaml(String text, String message) {
        YamlTree.SyntaxError e =
                assertThrows(YamlTree.SyntaxError.class, () -> YamlTree.parseYaml(text.replace("\\n", "\n")));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "m:\\n  <<: {name: yy}\\n | {\"m\":{\"name\":\"yy\"}}",
                "m:\\n  a: 1\\n  <<: [{a: 2, b: 2}, {b: 3, c: 3}]\\n | {\"m\":{\"a\":2,\"b\":2,\"c\":3}}",
                "nn: !!python/object:os.system yy\\n | {\"nn\":\"yy\"}",
                "d:\\n  1: x1\\n  yes: x2\\n  0x10: x3\\n  1.5: x4\\n  1.1: x5\\n  y: x6\\n | {\"d\":{\"1\":\"x1\",\"true\":\"x6\",\"16\":\"x3\",\"1.5\":\"x4\",\"1.1\":\"x5\"}}",
                "d:\\n  a: y\\n  b: N\\n | {\"d\":{\"a\":true,\"b\":false}}"
            })
    void decodesAsGoYaml(String text, String json) throws Exception {
        assertEquals(JSON.readTree(json), YamlTree.toJsonNode(YamlTree.parseYaml(text.replace("\\n", "\n"))));
    }

    @org.junit.jupiter.api.Test
    void flowNestingPastTenThousandIsGoYamlsDepthError() {
        String text = "a: 1\nb: 2\nc: 3\nd: 4\ndata: " + "[".repeat(100000) + "]".repeat(100000) + "\n";
        YamlTree.SyntaxError e = assertThrows(YamlTree.SyntaxError.class, () -> YamlTree.parseYaml(text));
        assertEquals("yaml: line 5: exceeded max depth of 10000", e.getMessage());
    }
}

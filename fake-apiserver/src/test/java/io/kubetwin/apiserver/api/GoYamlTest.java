package io.kubetwin.apiserver.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Go's YAML output: every pair of golden/goyaml (an object as kube-apiserver v1.34.4 wrote it for Accept
 * application/json and for Accept application/yaml, recorded by src/test/scripts/record-go-yaml.sh) must convert
 * byte for byte; and a table of single strings whose YAML go-yaml v2 writes as shown.
 */
class GoYamlTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GOLDEN = Path.of("src/test/resources/golden/goyaml");

    static Stream<String> recorded() throws Exception {
        try (Stream<Path> files = Files.list(GOLDEN)) {
            return files
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recorded")
    void convertsAsTheReference(String name) throws Exception {
        String json = Files.readString(GOLDEN.resolve(name + ".json"), StandardCharsets.UTF_8);
        String yaml = Files.readString(GOLDEN.resolve(name + ".yaml"), StandardCharsets.UTF_8);
        assertTrue(yaml.length() > 0, name);
        if (yaml.startsWith("apiVersion: v1\ncode: 500\nkind: Status\n")) {
            // go-yaml's reader refused the JSON: the reference answered the 500 as YAML
            GoYaml.ControlCharacters e =
                    assertThrows(GoYaml.ControlCharacters.class, () -> GoYaml.toYaml(JSON.readTree(json)));
            assertTrue(yaml.contains("message: '" + e.getMessage() + "'\n"), yaml);
            return;
        }
        assertEquals(yaml, GoYaml.toYaml(JSON.readTree(json)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "hello | v: hello",
                "true | v: \"true\"",
                "'' | v: \"\"",
                "0755 | v: \"0755\"",
                "1e400 | v: 1e400",
                "2001-12-14 | v: \"2001-12-14\"",
                "a: b | v: 'a: b'",
                "it's | v: it's",
                "'#x' | v: '#x'",
                "1:20 | v: \"1:20\""
            })
    void quotesAStringAsGoYaml(String value, String line) throws Exception {
        String v = value.equals("''") ? "" : value.equals("'#x'") ? "#x" : value;
        assertEquals(line + "\n", GoYaml.toYaml(JSON.createObjectNode().put("v", v)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {"a9 | a10", "a1 | a01", "B | a", "1 | a", "a | ab", "x9y | x10y", "_x | 1"})
    void ordersKeysAsGoYamlsSorter(String first, String second) {
        assertTrue(GoYamlKeys.less(first, second), first + " < " + second);
        assertTrue(!GoYamlKeys.less(second, first), second + " !< " + first);
    }
}

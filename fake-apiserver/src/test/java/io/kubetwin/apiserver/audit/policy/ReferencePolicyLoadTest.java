package io.kubetwin.apiserver.audit.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every policy file of golden/audit/reference/policy-load.txt, as the v1.34.4 reference kube-apiserver
 * judged it: refused with exactly its start-up error, or accepted (with exactly its lenient-decoding
 * warning, when it logged one).
 */
class ReferencePolicyLoadTest {
    private static final String GOLDEN = "/golden/audit/reference/policy-load.txt";
    /** Our reference binary is a module-mode build; release builds name the audit scheme's file. */
    private static final String REFERENCE_SCHEME = "pkg/runtime/scheme.go:110";

    record Case(String name, String document, String error, String warning) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        String name = null;
        StringBuilder doc = new StringBuilder();
        List<String> result = new ArrayList<>();
        try (InputStream in = ReferencePolicyLoadTest.class.getResourceAsStream(GOLDEN)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("=== ") || line.isEmpty() && name != null && !result.isEmpty()) {
                    if (name != null) {
                        cases.add(toCase(name, doc.toString(), result));
                    }
                    name = line.startsWith("=== ") ? line.substring(4) : null;
                    doc.setLength(0);
                    result.clear();
                } else if (line.startsWith("| ") || line.equals("|")) {
                    doc.append(line.length() > 2 ? line.substring(2) : "").append('\n');
                } else if (!line.isEmpty()) {
                    result.add(line);
                }
            }
        }
        if (name != null) {
            cases.add(toCase(name, doc.toString(), result));
        }
        return cases.stream();
    }

    private static Case toCase(String name, String doc, List<String> result) {
        String error = null;
        String warning = null;
        StringBuilder w = null;
        for (String line : result) {
            if (line.contains("\"command failed\" err=\"")) {
                String quoted = line.substring(line.indexOf("err=\"") + 5, line.length() - 1);
                error = unquote(quoted).replace(REFERENCE_SCHEME, PolicyDecoder.SCHEME);
            } else if (line.startsWith("reader.go:81] ")) {
                w = new StringBuilder(line.substring("reader.go:81] ".length()));
            } else if (line.startsWith("  line ") && w != null) {
                w.append('\n').append(line);
            }
        }
        if (w != null) {
            warning = w.toString();
        }
        return new Case(name, doc, error, warning);
    }

    /** Undoes klog's quoting of the err value. */
    private static String unquote(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void judgesLikeTheReference(Case c, @TempDir Path dir) throws Exception {
        // The reference read the files from /tmp/policies/<name>.
        Path file = dir.resolve(c.name());
        Files.writeString(file, c.document());
        if (c.error() != null) {
            PolicyLoadException e = assertThrows(PolicyLoadException.class, () -> PolicyLoader.load(file));
            assertEquals(c.error(), e.getMessage().replace(file.toString(), "/tmp/policies/" + c.name()));
        } else {
            try {
                LoadedPolicy loaded = PolicyLoader.load(file);
                assertEquals(c.warning() == null ? List.of() : List.of(c.warning()), loaded.warnings());
            } catch (PolicyLoadException e) {
                fail("the reference accepted " + c.name() + " but we refused it: " + e.getMessage());
            }
        }
    }
}

package io.kubetwin.scenarios.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads suites from YAML. Unknown fields are errors, so that a typo never silently weakens a suite. */
public final class SuiteLoader {

    private final ObjectMapper yaml = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .build();

    public Suite load(Path file) {
        try {
            return parse(Files.readString(file)).withFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read suite " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a suite. SnakeYAML reads the document first so that anchors and aliases ({@code &unauthorized},
     * {@code *unauthorized}) work, which Jackson's YAML parser does not resolve on its own.
     */
    public Suite parse(String text) throws IOException {
        var options = new LoaderOptions();
        Object tree = new Yaml(new SafeConstructor(options)).load(text);
        try {
            return yaml.convertValue(tree, Suite.class);
        } catch (IllegalArgumentException e) {
            var cause = e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
            throw cause;
        }
    }

    /** Every {@code *.yaml} file of a directory, sorted by file name. */
    public List<Suite> loadAll(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .sorted()
                    .map(this::load)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The audit policy of a suite as JSON (inline or read from the file next to the suite), or null. */
    public JsonNode auditPolicy(Suite suite) {
        var server = suite.server();
        if (server.auditPolicy() != null && !server.auditPolicy().isNull()) {
            return server.auditPolicy();
        }
        if (server.auditPolicyFile() == null) {
            return null;
        }
        var base = suite.file() == null
                ? Path.of(".")
                : suite.file().toAbsolutePath().getParent();
        try {
            return yaml.readTree(base.resolve(server.auditPolicyFile()).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON mapper for wire bodies. */
    public static ObjectMapper json() {
        return JsonMapper.builder().build();
    }
}

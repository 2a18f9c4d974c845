package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code --admission-control-config-file}: an AdmissionConfiguration (apiserver.config.k8s.io/v1, or
 * v1alpha1 and apiserver.k8s.io/v1alpha1 as upstream still reads) listing, per plugin, either an inline
 * {@code configuration} or a {@code path} to a file (relative paths are relative to the config file, as
 * k8s.io/apiserver/pkg/admission/config.go resolves them). YAML or JSON.
 */
public final class AdmissionConfigFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> API_VERSIONS =
            Set.of("apiserver.config.k8s.io/v1", "apiserver.config.k8s.io/v1alpha1", "apiserver.k8s.io/v1alpha1");

    private final Map<String, JsonNode> configurations;

    private AdmissionConfigFile(Map<String, JsonNode> configurations) {
        this.configurations = Map.copyOf(configurations);
    }

    public static AdmissionConfigFile empty() {
        return new AdmissionConfigFile(Map.of());
    }

    /** Reads the file and every plugin file it points at; a start-up error when any is unreadable or malformed. */
    public static AdmissionConfigFile load(Path file) {
        if (file == null) {
            return empty();
        }
        JsonNode root = read(file, "failed to read admission control configuration from ");
        String apiVersion = root.path("apiVersion").asText("");
        if (!"AdmissionConfiguration".equals(root.path("kind").asText("")) || !API_VERSIONS.contains(apiVersion)) {
            throw new IllegalArgumentException("failed to read admission control configuration from \"" + file
                    + "\": not an AdmissionConfiguration (apiVersion apiserver.config.k8s.io/v1, kind "
                    + "AdmissionConfiguration)");
        }
        Map<String, JsonNode> configurations = new LinkedHashMap<>();
        for (JsonNode plugin : root.path("plugins")) {
            String name = plugin.path("name").asText("");
            JsonNode configuration = plugin.get("configuration");
            String path = plugin.path("path").asText("");
            if (!path.isEmpty()) {
                Path resolved = file.toAbsolutePath().getParent().resolve(path);
                configuration = read(resolved, "unable to read plugin config for " + name + " from ");
            }
            if (configuration != null && !configuration.isNull()) {
                configurations.put(name, configuration);
            }
        }
        return new AdmissionConfigFile(configurations);
    }

    /** The named plugin's configuration object, if the file gives one. */
    public Optional<JsonNode> configuration(String plugin) {
        return Optional.ofNullable(configurations.get(plugin));
    }

    private static JsonNode read(Path file, String failure) {
        try {
            JsonNode node = YAML.readTree(Files.readString(file));
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(failure + "\"" + file + "\": not a YAML or JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException(failure + "\"" + file + "\": " + e.getMessage(), e);
        }
    }
}

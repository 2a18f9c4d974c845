package io.kubetwin.kubelet.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubetwin.pki.GoDuration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Reads a {@code --config} file: a {@code kubelet.config.k8s.io/v1beta1 KubeletConfiguration} in YAML or JSON,
 * for the fields the fake implements, over {@link KubeletConfig#configFileDefaults()}. As upstream
 * (cmd/kubelet/app/server.go loadConfigFile), relative paths are resolved against the file's directory.
 * Fields the fake does not read are logged, not refused: they configure parts of the kubelet (runtime,
 * eviction, ...) that the fake does not have. Stateless.
 */
public final class KubeletConfigurationFile {
    private static final Logger LOG = Logger.getLogger(KubeletConfigurationFile.class.getName());
    static final String API_VERSION = "kubelet.config.k8s.io/v1beta1";
    static final String KIND = "KubeletConfiguration";
    private static final Set<String> READ = Set.of(
            "apiVersion",
            "kind",
            "address",
            "port",
            "readOnlyPort",
            "tlsCertFile",
            "tlsPrivateKeyFile",
            "tlsCipherSuites",
            "tlsMinVersion",
            "authentication",
            "authorization",
            "featureGates",
            "enableDebuggingHandlers",
            "enableSystemLogHandler");

    private KubeletConfigurationFile() {}

    public static KubeletConfig.Builder load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "failed to load Kubelet config file " + file + ", error: " + e.getMessage(), e);
        }
        return parse(text, file.toAbsolutePath().getParent());
    }

    static KubeletConfig.Builder parse(String text, Path baseDir) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("failed to decode KubeletConfiguration: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("failed to decode KubeletConfiguration: not an object");
        }
        String apiVersion = root.path("apiVersion").asText("");
        String kind = root.path("kind").asText("");
        if (!API_VERSION.equals(apiVersion) || !KIND.equals(kind)) {
            throw new IllegalArgumentException("failed to decode KubeletConfiguration: expected apiVersion "
                    + API_VERSION + " and kind " + KIND + ", got \"" + apiVersion + "\" / \"" + kind + "\"");
        }
        root.fieldNames().forEachRemaining(name -> {
            if (!READ.contains(name)) {
                LOG.info("KubeletConfiguration field " + name + " is not used by the fake kubelet");
            }
        });
        KubeletConfig.Builder b = KubeletConfig.configFileDefaults();
        text(root, "address").ifPresent(b::address);
        integer(root, "port").ifPresent(b::port);
        integer(root, "readOnlyPort").ifPresent(b::readOnlyPort);
        text(root, "tlsCertFile").map(p -> resolve(baseDir, p)).ifPresent(b::tlsCertFile);
        text(root, "tlsPrivateKeyFile").map(p -> resolve(baseDir, p)).ifPresent(b::tlsPrivateKeyFile);
        text(root, "tlsMinVersion").ifPresent(b::tlsMinVersion);
        JsonNode suites = root.path("tlsCipherSuites");
        if (suites.isArray()) {
            List<String> names = new ArrayList<>();
            suites.forEach(n -> names.add(n.asText()));
            b.tlsCipherSuites(names);
        }
        JsonNode authn = root.path("authentication");
        bool(authn.path("anonymous"), "enabled").ifPresent(b::anonymousEnabled);
        bool(authn.path("webhook"), "enabled").ifPresent(b::webhookAuthnEnabled);
        text(authn.path("webhook"), "cacheTTL")
                .map(KubeletConfigurationFile::duration)
                .ifPresent(b::webhookAuthnCacheTtl);
        JsonNode authzWebhook = root.path("authorization").path("webhook");
        text(authzWebhook, "cacheAuthorizedTTL")
                .map(KubeletConfigurationFile::duration)
                .ifPresent(b::webhookAuthorizedTtl);
        text(authzWebhook, "cacheUnauthorizedTTL")
                .map(KubeletConfigurationFile::duration)
                .ifPresent(b::webhookUnauthorizedTtl);
        text(authn.path("x509"), "clientCAFile")
                .filter(s -> !s.isEmpty())
                .map(p -> resolve(baseDir, p))
                .ifPresent(b::clientCaFile);
        text(root.path("authorization"), "mode")
                .filter(s -> !s.isEmpty())
                .map(AuthorizationMode::parse)
                .ifPresent(b::authorizationMode);
        bool(root, "enableDebuggingHandlers").ifPresent(b::enableDebuggingHandlers);
        bool(root, "enableSystemLogHandler").ifPresent(b::enableSystemLogHandler);
        JsonNode gates = root.path("featureGates");
        if (gates.isObject()) {
            Map<String, Boolean> map = new LinkedHashMap<>();
            gates.fields()
                    .forEachRemaining(e -> map.put(e.getKey(), e.getValue().asBoolean()));
            b.featureGates(map);
        }
        return b;
    }

    /** metav1.Duration: a Go duration string. */
    private static Duration duration(String text) {
        try {
            return GoDuration.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("failed to decode KubeletConfiguration: " + e.getMessage(), e);
        }
    }

    private static Path resolve(Path baseDir, String path) {
        Path p = Path.of(path);
        return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    private static Optional<Integer> integer(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException(
                    "failed to decode KubeletConfiguration: " + field + " must be an integer");
        }
        return Optional.of(v.asInt());
    }

    private static Optional<Boolean> bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(
                    "failed to decode KubeletConfiguration: " + field + " must be a boolean");
        }
        return Optional.of(v.asBoolean());
    }
}

package io.kubetwin.pki;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Kubeconfig YAML in client-go's shape. clientcmd writes JSON field names through sigs.k8s.io/yaml, which
 * sorts keys alphabetically, and its v1 conversion turns the name-keyed maps into lists sorted by name;
 * both are reproduced here so files diff cleanly against kubectl's. Field names are those of
 * client-go {@code tools/clientcmd/api/v1/types.go} (note {@code tokenFile} is camel case there).
 */
final class KubeconfigYaml {
    // YAMLMapper is thread-safe once configured.
    private static final YAMLMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .disable(YAMLGenerator.Feature.SPLIT_LINES)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .build())
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private KubeconfigYaml() {}

    static String write(Kubeconfig config) {
        ObjectNode root = NODES.objectNode();
        root.put("apiVersion", "v1");
        ArrayNode clusters = root.putArray("clusters");
        for (Kubeconfig.Cluster c : sorted(config.clusters(), Kubeconfig.Cluster::name)) {
            ObjectNode entry = clusters.addObject();
            ObjectNode body = entry.putObject("cluster");
            putIfSet(body, "certificate-authority", c.certificateAuthority());
            putIfSet(body, "certificate-authority-data", base64(c.certificateAuthorityData()));
            if (c.insecureSkipTlsVerify()) {
                body.put("insecure-skip-tls-verify", true);
            }
            putIfSet(body, "server", c.server());
            putIfSet(body, "tls-server-name", c.tlsServerName());
            entry.put("name", c.name());
        }
        ArrayNode contexts = root.putArray("contexts");
        for (Kubeconfig.Context c : sorted(config.contexts(), Kubeconfig.Context::name)) {
            ObjectNode entry = contexts.addObject();
            ObjectNode body = entry.putObject("context");
            putIfSet(body, "cluster", c.cluster());
            putIfSet(body, "namespace", c.namespace());
            putIfSet(body, "user", c.user());
            entry.put("name", c.name());
        }
        root.put("current-context", config.currentContextName().orElse(""));
        root.put("kind", "Config");
        root.putObject("preferences");
        ArrayNode users = root.putArray("users");
        for (Kubeconfig.User u : sorted(config.users(), Kubeconfig.User::name)) {
            ObjectNode entry = users.addObject();
            entry.put("name", u.name());
            ObjectNode body = entry.putObject("user");
            putIfSet(body, "client-certificate", u.clientCertificate());
            putIfSet(body, "client-certificate-data", base64(u.clientCertificateData()));
            putIfSet(body, "client-key", u.clientKey());
            putIfSet(body, "client-key-data", base64(u.clientKeyData()));
            putIfSet(body, "password", u.password());
            putIfSet(body, "token", u.token());
            putIfSet(body, "tokenFile", u.tokenFile());
            putIfSet(body, "username", u.username());
        }
        // Go marshals an empty list as null, so kubectl prints "clusters: null" for an empty config.
        for (String list : new String[] {"clusters", "contexts", "users"}) {
            if (root.get(list).isEmpty()) {
                root.putNull(list);
            }
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new PkiException("cannot write kubeconfig: " + e.getMessage(), e);
        }
    }

    static Kubeconfig parse(String yaml, Path baseDirectory) {
        JsonNode root;
        try {
            root = MAPPER.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new PkiException("cannot parse kubeconfig: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = NODES.objectNode(); // an empty file is an empty config, as for kubectl
        }
        if (!root.isObject()) {
            throw new PkiException("cannot parse kubeconfig: top level is not a mapping");
        }
        List<Kubeconfig.Cluster> clusters = new ArrayList<>();
        for (JsonNode entry : root.path("clusters")) {
            JsonNode c = entry.path("cluster");
            clusters.add(new Kubeconfig.Cluster(
                    text(entry, "name"),
                    text(c, "server"),
                    unbase64(text(c, "certificate-authority-data")),
                    text(c, "certificate-authority"),
                    c.path("insecure-skip-tls-verify").asBoolean(false),
                    text(c, "tls-server-name")));
        }
        List<Kubeconfig.Context> contexts = new ArrayList<>();
        for (JsonNode entry : root.path("contexts")) {
            JsonNode c = entry.path("context");
            contexts.add(new Kubeconfig.Context(
                    text(entry, "name"), text(c, "cluster"), text(c, "user"), text(c, "namespace")));
        }
        List<Kubeconfig.User> users = new ArrayList<>();
        for (JsonNode entry : root.path("users")) {
            JsonNode u = entry.path("user");
            users.add(new Kubeconfig.User(
                    text(entry, "name"),
                    unbase64(text(u, "client-certificate-data")),
                    unbase64(text(u, "client-key-data")),
                    text(u, "client-certificate"),
                    text(u, "client-key"),
                    text(u, "token"),
                    text(u, "tokenFile"),
                    text(u, "username"),
                    text(u, "password")));
        }
        return new Kubeconfig(clusters, contexts, users, text(root, "current-context"), baseDirectory);
    }

    private static <T> List<T> sorted(List<T> items, Function<T, String> name) {
        return items.stream().sorted(Comparator.comparing(name)).toList();
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? (field.equals("name") ? "" : null) : v.asText();
    }

    private static String base64(String text) {
        return text == null ? null : Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String unbase64(String encoded) {
        if (encoded == null) {
            return null;
        }
        try {
            // Go's decoder skips line breaks (hand-edited files have them) but rejects anything else.
            return new String(Base64.getDecoder().decode(encoded.replaceAll("[\\r\\n]", "")), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new PkiException("cannot parse kubeconfig: invalid base64 data: " + e.getMessage(), e);
        }
    }
}

package io.kubetwin.scenarios.pki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The part of a kubeconfig the runner uses: one cluster (server URL and CA), one user (client certificate,
 * bearer token, or nothing for anonymous), an optional namespace. Written with the {@code -data} fields so
 * that the file stands alone.
 */
public record Kubeconfig(String userName, String server, String caPem, PemCredential clientCertificate,
                         String token, String namespace) {

    private static final YAMLMapper YAML = new YAMLMapper();

    public static Kubeconfig anonymous(String server, String caPem) {
        return new Kubeconfig("anonymous", server, caPem, null, null, null);
    }

    public Kubeconfig withNamespace(String ns) {
        return new Kubeconfig(userName, server, caPem, clientCertificate, token, ns);
    }

    public String toYaml() {
        var f = JsonNodeFactory.instance;
        var root = f.objectNode();
        root.put("apiVersion", "v1");
        root.put("kind", "Config");
        var cluster = f.objectNode();
        cluster.put("server", server);
        if (caPem != null) {
            cluster.put("certificate-authority-data", b64(caPem));
        }
        root.putArray("clusters").addObject().put("name", "kubernetes").set("cluster", cluster);
        var user = f.objectNode();
        if (clientCertificate != null) {
            user.put("client-certificate-data", b64(clientCertificate.certificatePem()));
            user.put("client-key-data", b64(clientCertificate.privateKeyPem()));
        }
        if (token != null) {
            user.put("token", token);
        }
        if (clientCertificate == null && token == null) {
            // kubectl prompts for a user name when a user entry has no credentials at all. A user name without
            // password makes client-go send "Authorization: Basic YW5vbnltb3VzOg==", which kube-apiserver (no
            // basic-auth authenticator since 1.19) ignores: the request stays anonymous.
            user.put("username", "anonymous");
        }
        root.putArray("users").addObject().put("name", userName).set("user", user);
        var context = f.objectNode();
        context.put("cluster", "kubernetes");
        context.put("user", userName);
        if (namespace != null) {
            context.put("namespace", namespace);
        }
        var contextName = userName + "@kubernetes";
        root.putArray("contexts").addObject().put("name", contextName).set("context", context);
        root.put("current-context", contextName);
        root.putObject("preferences");
        try {
            return YAML.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path write(Path file) {
        try {
            Files.writeString(file, toYaml());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the current context of a kubeconfig; file references are resolved against {@code baseDir}.
     * Exec and auth-provider plugins are not supported (the runner needs raw credentials).
     */
    public static Kubeconfig parse(String yaml, Path baseDir) {
        try {
            var root = YAML.readTree(yaml);
            var contextName = root.path("current-context").asText();
            var context = named(root.path("contexts"), contextName).path("context");
            var userName = context.path("user").asText();
            var cluster = named(root.path("clusters"), context.path("cluster").asText()).path("cluster");
            var user = named(root.path("users"), userName).path("user");
            var ca = data(cluster, "certificate-authority", baseDir);
            var cert = data(user, "client-certificate", baseDir);
            var key = data(user, "client-key", baseDir);
            String token = user.hasNonNull("token") ? user.get("token").asText() : null;
            if (token == null && user.hasNonNull("tokenFile")) {
                token = Files.readString(baseDir.resolve(user.get("tokenFile").asText())).trim();
            }
            return new Kubeconfig(userName, cluster.path("server").asText(), ca,
                    cert == null ? null : new PemCredential(cert, key), token,
                    context.hasNonNull("namespace") ? context.get("namespace").asText() : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode named(JsonNode list, String name) {
        for (var item : list) {
            if (name.equals(item.path("name").asText())) {
                return item;
            }
        }
        throw new IllegalArgumentException("kubeconfig: no entry named '" + name + "'");
    }

    private static String data(JsonNode node, String field, Path baseDir) throws IOException {
        if (node.hasNonNull(field + "-data")) {
            return new String(Base64.getDecoder().decode(node.get(field + "-data").asText()), StandardCharsets.UTF_8);
        }
        if (node.hasNonNull(field)) {
            return Files.readString(baseDir.resolve(node.get(field).asText()));
        }
        return null;
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** For callers that need the tree (tests). */
    public ObjectNode toTree() {
        try {
            return (ObjectNode) YAML.readTree(toYaml());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

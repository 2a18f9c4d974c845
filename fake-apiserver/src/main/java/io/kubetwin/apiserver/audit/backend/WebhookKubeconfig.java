package io.kubetwin.apiserver.audit.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The receiver named by {@code --audit-webhook-config-file}: the current context's cluster (server URL, CA,
 * {@code insecure-skip-tls-verify}) and user (client certificate and key, bearer token or token file, basic
 * auth) of a kubeconfig, as client-go reads them for the webhook. {@code *-data} fields hold base64 PEM;
 * relative file paths are relative to the kubeconfig's directory. Read by the audit webhook backend and by the
 * ImagePolicyWebhook admission plugin, which both load it as util/webhook's LoadKubeconfig does.
 *
 * @param caPem null to trust the JVM's default CAs
 * @param clientCertPem null when no client certificate is presented
 * @param bearerToken null when none
 */
public record WebhookKubeconfig(
        URI server,
        byte[] caPem,
        boolean insecureSkipTlsVerify,
        byte[] clientCertPem,
        byte[] clientKeyPem,
        String bearerToken,
        String basicUser,
        String basicPassword) {

    /** Reading failed; the message is client-go's ({@code stat <file>: no such file or directory}, ...). */
    public static final class InvalidKubeconfig extends Exception {
        public InvalidKubeconfig(String message) {
            super(message, null, false, false);
        }
    }

    public static WebhookKubeconfig load(Path file) throws InvalidKubeconfig {
        if (!Files.exists(file)) {
            throw new InvalidKubeconfig("stat " + file + ": no such file or directory");
        }
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidKubeconfig("error loading config file \"" + file + "\": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidKubeconfig(noConfiguration());
        }
        String current = root.path("current-context").asText("");
        if (current.isEmpty()) {
            throw new InvalidKubeconfig(noConfiguration());
        }
        JsonNode context = named(root, "contexts", current).path("context");
        if (context.isMissingNode()) {
            throw new InvalidKubeconfig(
                    "invalid configuration: context was not found for specified context: " + current);
        }
        JsonNode cluster =
                named(root, "clusters", context.path("cluster").asText()).path("cluster");
        JsonNode user = named(root, "users", context.path("user").asText()).path("user");
        String server = cluster.path("server").asText("");
        if (server.isEmpty()) {
            throw new InvalidKubeconfig("invalid configuration: cluster has no server defined");
        }
        Path dir = file.toAbsolutePath().getParent();
        try {
            String token = user.path("token").asText("");
            if (token.isEmpty() && !user.path("tokenFile").asText("").isEmpty()) {
                token = Files.readString(dir.resolve(user.path("tokenFile").asText()))
                        .strip();
            }
            return new WebhookKubeconfig(
                    URI.create(server),
                    pem(cluster, "certificate-authority", dir),
                    cluster.path("insecure-skip-tls-verify").asBoolean(false),
                    pem(user, "client-certificate", dir),
                    pem(user, "client-key", dir),
                    token.isEmpty() ? null : token,
                    user.path("username").asText("").isEmpty()
                            ? null
                            : user.path("username").asText(),
                    user.path("password").asText("").isEmpty()
                            ? null
                            : user.path("password").asText());
        } catch (NoSuchFileException e) {
            throw new InvalidKubeconfig("open " + e.getFile() + ": no such file or directory");
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidKubeconfig(String.valueOf(e.getMessage()));
        }
    }

    private static String noConfiguration() {
        return "invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable";
    }

    private static JsonNode named(JsonNode root, String list, String name) {
        for (JsonNode item : root.path(list)) {
            if (name.equals(item.path("name").asText())) {
                return item;
            }
        }
        return MissingNode.getInstance();
    }

    private static byte[] pem(JsonNode node, String field, Path dir) throws IOException {
        String data = node.path(field + "-data").asText("");
        if (!data.isEmpty()) {
            return Base64.getDecoder().decode(data.strip());
        }
        String path = node.path(field).asText("");
        return path.isEmpty() ? null : Files.readAllBytes(dir.resolve(path));
    }

    /**
     * The options of a Vert.x client that talks to {@link #server()} as client-go's transport does: TLS trusting
     * only the CA when one is given (the JVM's roots otherwise), none of it with {@code insecure-skip-tls-verify},
     * and the client certificate when the user has one.
     */
    public HttpClientOptions httpClientOptions() {
        HttpClientOptions options = new HttpClientOptions();
        if ("https".equals(server.getScheme())) {
            options.setSsl(true).setVerifyHost(!insecureSkipTlsVerify);
            if (insecureSkipTlsVerify) {
                options.setTrustAll(true);
            } else if (caPem != null) {
                options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(caPem)));
            }
            if (clientCertPem != null && clientKeyPem != null) {
                options.setKeyCertOptions(new PemKeyCertOptions()
                        .setCertValue(Buffer.buffer(clientCertPem))
                        .setKeyValue(Buffer.buffer(clientKeyPem)));
            }
        }
        return options;
    }

    /** The Authorization header the user's token or basic credentials make; null when there are none. */
    public String authorizationHeader() {
        if (bearerToken != null) {
            return "Bearer " + bearerToken;
        }
        if (basicUser != null) {
            String pair = basicUser + ":" + (basicPassword == null ? "" : basicPassword);
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }
}

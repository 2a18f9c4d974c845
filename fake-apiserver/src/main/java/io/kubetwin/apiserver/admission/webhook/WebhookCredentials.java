package io.kubetwin.apiserver.admission.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubetwin.pki.GoText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What kube-apiserver presents to admission webhooks: the users of the kubeconfig named by the plugin's
 * WebhookAdmissionConfiguration in {@code --admission-control-config-file} (webhook/config/kubeconfig.go LoadConfig),
 * chosen per webhook host as util/webhook/authentication.go's defaultAuthenticationInfoResolver does: the user named
 * {@code host:port}, then {@code *.<domain>} wildcards, then (for port 443) the same without the port, then
 * {@code *}, then the current context's user; none otherwise. A Service webhook's host is
 * {@code <name>.<namespace>.svc:<port>}. Immutable and thread-safe.
 */
public final class WebhookCredentials {
    /** No configuration: webhooks are called without credentials. */
    public static final WebhookCredentials NONE = new WebhookCredentials(Map.of(), null);

    /**
     * One kubeconfig user (restConfigFromKubeconfig): a bearer token (or a token file's content), a client
     * certificate and key (PEM), basic credentials; {@code unsupported} when it uses an auth provider, which
     * upstream refuses when the webhook is called.
     */
    public record User(
            String bearerToken,
            byte[] clientCertPem,
            byte[] clientKeyPem,
            String username,
            String password,
            String unsupported) {
        static final User ANONYMOUS = new User(null, null, null, null, null, null);

        /** The Authorization header these credentials send, or null. */
        String authorization() {
            if (bearerToken != null) {
                return "Bearer " + bearerToken;
            }
            if (username != null || password != null) {
                String pair = (username == null ? "" : username) + ":" + (password == null ? "" : password);
                return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
            }
            return null;
        }

        /** Identifies the TLS client identity, for one HTTP client per (trust, identity). */
        String clientKey() {
            return clientCertPem == null ? "" : Base64.getEncoder().encodeToString(clientCertPem);
        }
    }

    private final Map<String, User> users;
    private final String currentUser;

    private WebhookCredentials(Map<String, User> users, String currentUser) {
        this.users = Map.copyOf(users);
        this.currentUser = currentUser;
    }

    /**
     * From the plugin's entry of the admission configuration (null: none). A start-up error, worded as upstream's,
     * when the kubeconfig path is not absolute or the kubeconfig cannot be read.
     */
    public static WebhookCredentials load(JsonNode configuration) {
        if (configuration == null) {
            return NONE;
        }
        String file = configuration.path("kubeConfigFile").asText("");
        if (!file.startsWith("/")) {
            throw new IllegalArgumentException(
                    "kubeConfigFile: Invalid value: " + GoText.quote(file) + ": must be an absolute file path");
        }
        Path path = Path.of(file);
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(Files.readString(path));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("stat " + file + ": no such file or directory", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("error loading config file \"" + file + "\": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            return new WebhookCredentials(Map.of(), null);
        }
        Path dir = path.getParent();
        Map<String, User> users = new LinkedHashMap<>();
        for (JsonNode u : root.path("users")) {
            users.put(u.path("name").asText(""), user(u.path("user"), dir));
        }
        String context = root.path("current-context").asText("");
        String current = null;
        for (JsonNode c : root.path("contexts")) {
            if (c.path("name").asText("").equals(context)) {
                current = c.path("context").path("user").asText("");
            }
        }
        return new WebhookCredentials(users, current);
    }

    private static User user(JsonNode u, Path dir) {
        if (u.has("auth-provider")) {
            return new User(null, null, null, null, null, "auth provider not supported");
        }
        try {
            String token = u.path("token").asText("");
            if (token.isEmpty() && !u.path("tokenFile").asText("").isEmpty()) {
                // restConfigFromKubeconfig takes the file's bytes as they are
                token = Files.readString(dir.resolve(u.path("tokenFile").asText()));
            }
            return new User(
                    token.isEmpty() ? null : token,
                    pem(u, "client-certificate", dir),
                    pem(u, "client-key", dir),
                    u.path("username").asText("").isEmpty()
                            ? null
                            : u.path("username").asText(),
                    u.path("password").asText("").isEmpty()
                            ? null
                            : u.path("password").asText(),
                    null);
        } catch (IOException e) {
            return new User(null, null, null, null, null, String.valueOf(e.getMessage()));
        }
    }

    private static byte[] pem(JsonNode node, String field, Path dir) throws IOException {
        String data = node.path(field + "-data").asText("");
        if (!data.isEmpty()) {
            return Base64.getDecoder().decode(data.strip());
        }
        String file = node.path(field).asText("");
        return file.isEmpty() ? null : Files.readAllBytes(dir.resolve(file));
    }

    /** The credentials for a webhook at {@code hostPort} ("hook.example.com:443", "127.0.0.1:8443"). */
    public User resolve(String hostPort) {
        User found = byName(hostPort);
        if (found != null) {
            return found;
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon > 0 && hostPort.substring(colon + 1).equals("443")) {
            found = byName(hostPort.substring(0, colon));
            if (found != null) {
                return found;
            }
        }
        if (users.containsKey("*")) {
            return users.get("*");
        }
        if (currentUser != null && users.containsKey(currentUser)) {
            return users.get(currentUser);
        }
        return User.ANONYMOUS;
    }

    /** The user named {@code target}, else the longest {@code *.<suffix>} wildcard of it. */
    private User byName(String target) {
        if (users.containsKey(target)) {
            return users.get(target);
        }
        String[] steps = target.split("\\.", -1);
        for (int i = 1; i < steps.length; i++) {
            String nick = "*." + String.join(".", java.util.Arrays.copyOfRange(steps, i, steps.length));
            if (users.containsKey(nick)) {
                return users.get(nick);
            }
        }
        return null;
    }
}

package io.kubetwin.apiserver.admission.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.api.ClientGoErrors;
import io.kubetwin.apiserver.registry.codec.GoJsonSyntax;
import io.kubetwin.pki.GoText;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * POSTs an AdmissionReview to a webhook the way kube-apiserver's REST client does (webhook/util/client_config.go,
 * client-go's rest.Request): TLS trusting only the configuration's {@code caBundle} (the system's roots when it has
 * none), the deadline as {@code ?timeout=Ns}, user agent {@code kube-apiserver-admission}; and decodes the answer
 * as that client does. Every failure is a {@link CallingWebhookException} whose reason reads as upstream's
 * ({@code failed to call webhook: Post "https://...": context deadline exceeded}). The credentials presented
 * (client certificate, token, basic) are those {@link WebhookCredentials} picks for the webhook's host.
 *
 * <p>Thread-safe. Call it on the request's context: the answer completes there.
 */
final class WebhookCaller {
    private static final String USER_AGENT = "kube-apiserver-admission";
    /** What encoding/json says when the answer is not an object (TypeMeta's anonymous struct in the serializer). */
    private static String unmarshal(String type) {
        return "json: cannot unmarshal " + type + " into Go value of type struct"
                + " { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }";
    }

    private final Vertx vertx;
    private final ServiceResolver services;
    private final WebhookCredentials credentials;
    private final ObjectMapper json = new ObjectMapper();
    /** One client per trust (caBundle), as upstream's ClientManager caches one per client config. */
    private final Map<String, HttpClientAgent> clients = new ConcurrentHashMap<>();

    WebhookCaller(Vertx vertx, ServiceResolver services, WebhookCredentials credentials) {
        this.vertx = vertx;
        this.services = services;
        this.credentials = credentials;
    }

    /** The decoded AdmissionReview the webhook answered for {@code review} (of version {@code version}). */
    Future<JsonNode> call(Webhook hook, String version, JsonNode review) {
        Webhook.ClientConfig cc = hook.clientConfig();
        String timeout = hook.timeoutSeconds() + "s";
        Future<Endpoint> endpoint;
        if (cc.isService()) {
            String path = cc.servicePath().isEmpty() ? "/" : cc.servicePath();
            String url = "https://" + cc.serviceName() + "." + cc.serviceNamespace() + ".svc:" + cc.servicePort() + path
                    + "?timeout=" + timeout;
            endpoint = services.resolve(cc.serviceNamespace(), cc.serviceName(), cc.servicePort())
                    .map(t -> new Endpoint(
                            url,
                            t.serverName(),
                            cc.servicePort(),
                            t.connectHost(),
                            t.connectPort(),
                            cc.serviceName() + "." + cc.serviceNamespace() + ".svc:" + cc.servicePort()))
                    .recover(e -> Future.failedFuture(failure(hook, url, e.getMessage())));
        } else {
            URI u = URI.create(cc.url());
            int port = u.getPort() > 0 ? u.getPort() : 443;
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            String url = "https://" + u.getRawAuthority() + path + "?timeout=" + timeout;
            // ClientManager.HookClient: the URL's host, with 443 when it names no port
            String hostPort = u.getRawAuthority().contains("@")
                    ? u.getRawAuthority().substring(u.getRawAuthority().indexOf('@') + 1)
                    : u.getRawAuthority();
            endpoint = Future.succeededFuture(new Endpoint(
                    url, u.getHost(), port, u.getHost(), port, u.getPort() > 0 ? hostPort : hostPort + ":443"));
        }
        return endpoint.compose(e -> post(hook, e, version, review));
    }

    /** The URL shown in errors, the name TLS verifies, and the address really connected to. */
    private record Endpoint(
            String url, String host, int port, String connectHost, int connectPort, String credentialsHost) {
        String dialAddress() {
            return connectHost + ":" + connectPort;
        }
    }

    private Future<JsonNode> post(Webhook hook, Endpoint e, String version, JsonNode review) {
        Promise<JsonNode> result = Promise.promise();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        long timer = vertx.setTimer(hook.timeoutSeconds() * 1000L, t -> {
            if (result.tryFail(failure(hook, e.url(), "context deadline exceeded"))) {
                HttpClientRequest r = sent.get();
                if (r != null) {
                    r.reset();
                }
            }
        });
        String pathAndQuery = e.url().substring(e.url().indexOf('/', "https://".length()));
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(e.host())
                .setPort(e.port())
                .setServer(SocketAddress.inetSocketAddress(e.connectPort(), e.connectHost()))
                .setURI(pathAndQuery)
                .setSsl(true)
                .putHeader("User-Agent", USER_AGENT)
                .putHeader("Accept", "application/json, */*")
                .putHeader("Content-Type", "application/json");
        byte[] body;
        try {
            body = json.writeValueAsBytes(review);
        } catch (Exception ex) {
            return Future.failedFuture(
                    new CallingWebhookException(hook.name(), "could not create admission objects: " + ex.getMessage()));
        }
        WebhookCredentials.User user = credentials.resolve(e.credentialsHost());
        if (user.unsupported() != null) {
            vertx.cancelTimer(timer);
            return Future.failedFuture(
                    new CallingWebhookException(hook.name(), "could not get REST client: " + user.unsupported()));
        }
        String authorization = user.authorization();
        if (authorization != null) {
            options.putHeader("Authorization", authorization);
        }
        client(hook.clientConfig().caBundle(), user)
                .request(options)
                .compose(req -> {
                    sent.set(req);
                    return req.send(Buffer.buffer(body));
                })
                .compose(resp -> resp.body()
                        .map(b -> decode(hook, version, resp.statusCode(), resp.getHeader("Content-Type"), b)))
                .onComplete(ar -> {
                    vertx.cancelTimer(timer);
                    if (ar.succeeded()) {
                        result.tryComplete(ar.result());
                    } else if (ar.cause() instanceof CallingWebhookException c) {
                        result.tryFail(c);
                    } else {
                        result.tryFail(
                                failure(hook, e.url(), ClientGoErrors.transportError(ar.cause(), e.dialAddress())));
                    }
                });
        return result.future();
    }

    private static CallingWebhookException failure(Webhook hook, String url, String why) {
        return new CallingWebhookException(
                hook.name(), "failed to call webhook: Post " + GoText.quote(url) + ": " + why);
    }

    /** What rest.Result.Into makes of the answer. */
    private JsonNode decode(Webhook hook, String version, int code, String contentType, Buffer b) {
        String text = b.toString(StandardCharsets.UTF_8);
        boolean jsonType = contentType == null || contentType.startsWith("application/json");
        if (code < 200 || code > 299) {
            JsonNode status = tryParse(text);
            String why = status != null && "Status".equals(status.path("kind").asText()) && status.has("message")
                    ? status.path("message").asText()
                    : ClientGoErrors.statusError(code, jsonType ? "" : text);
            throw new CallingWebhookException(hook.name(), "failed to call webhook: " + why);
        }
        var syntax = GoJsonSyntax.check(text);
        if (syntax.isPresent()) {
            // a non-JSON answer goes through the YAML decoder, which makes plain text a string
            String why = jsonType ? syntax.get() : unmarshal("string");
            throw new CallingWebhookException(
                    hook.name(), "failed to call webhook: couldn't get version/kind; json parse error: " + why);
        }
        JsonNode node = tryParse(text);
        if (node == null || !node.isObject()) {
            String type = node == null
                    ? "null"
                    : node.isArray() ? "array" : node.isTextual() ? "string" : node.isNumber() ? "number" : "bool";
            throw new CallingWebhookException(
                    hook.name(),
                    "failed to call webhook: couldn't get version/kind; json parse error: " + unmarshal(type));
        }
        String apiVersion = node.path("apiVersion").asText("");
        String kind = node.path("kind").asText("");
        if (kind.isEmpty()) {
            throw new CallingWebhookException(
                    hook.name(), "failed to call webhook: Object 'Kind' is missing in '" + text + "'");
        }
        if (!apiVersion.startsWith("admission.k8s.io/") || !kind.equals("AdmissionReview")) {
            throw new CallingWebhookException(
                    hook.name(),
                    "failed to call webhook: no kind " + GoText.quote(kind) + " is registered for version "
                            + GoText.quote(apiVersion) + " in scheme \"pkg/runtime/scheme.go:110\"");
        }
        String got = apiVersion.substring("admission.k8s.io/".length());
        if (!got.equals(version)) {
            throw new CallingWebhookException(
                    hook.name(),
                    "failed to call webhook: converting (" + got + ".AdmissionReview) to (" + version
                            + ".AdmissionReview): unknown conversion");
        }
        return node;
    }

    private JsonNode tryParse(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    private HttpClientAgent client(byte[] caBundle, WebhookCredentials.User user) {
        String key = Base64.getEncoder().encodeToString(caBundle) + "/" + user.clientKey();
        return clients.computeIfAbsent(key, k -> {
            HttpClientOptions options = new HttpClientOptions().setSsl(true).setVerifyHost(true);
            if (caBundle.length > 0) {
                options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(caBundle)));
            }
            if (user.clientCertPem() != null && user.clientKeyPem() != null) {
                options.setKeyCertOptions(new PemKeyCertOptions()
                        .setCertValue(Buffer.buffer(user.clientCertPem()))
                        .setKeyValue(Buffer.buffer(user.clientKeyPem())));
            }
            return vertx.createHttpClient(options);
        });
    }
}

package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyStores;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A fake apiserver started with the embedded defaults over real TLS, an admin client (system:masters
 * certificate), and the fixture objects of golden/reviews/setup.json (service accounts, a secret, pods and
 * the RBAC objects of user bob) created through the API.
 */
final class ReviewServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN_PATH = "/api/v1/namespaces/default/serviceaccounts/%s/token";

    final Vertx vertx = Vertx.vertx();
    final FakeApiServer server;
    final ApiClient admin;
    private final Credential adminCredential;

    ReviewServer() throws Exception {
        server = FakeApiServer.start(vertx, ApiServerConfig.builder().build())
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        adminCredential = server.clusterCa().issue(CertificateSpec.client("kubernetes-admin")
                .organizations(List.of("system:masters")).build());
        admin = ApiClient.withCertificate(server.url(), server.clusterCa().certificate(), adminCredential.certificate(),
                adminCredential.privateKey());
        for (JsonNode object : resource("setup.json")) {
            ApiClient.Response r = admin.post(object.get("path").asText(), object.get("body").asText());
            assertEquals(201, r.code(), r.body());
        }
    }

    ApiClient anonymous() {
        return ApiClient.anonymous(server.url(), server.clusterCa().certificate());
    }

    ApiClient withToken(String token) {
        return ApiClient.withToken(server.url(), server.clusterCa().certificate(), token);
    }

    /** A token from TokenRequest for {@code serviceAccount} in default with the given spec (JSON). */
    String token(String serviceAccount, String spec) {
        ApiClient.Response r = admin.post(String.format(TOKEN_PATH, serviceAccount),
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":" + spec + "}");
        assertEquals(201, r.code(), r.body());
        return r.json().at("/status/token").asText();
    }

    /** POSTs a protobuf body as the admin with kubectl's headers (the ApiClient speaks JSON only). */
    HttpResponse<String> postProtobuf(String path, byte[] body) throws Exception {
        SSLContext ssl = KeyStores.clientContext(List.of(server.clusterCa().certificate()), adminCredential);
        return HttpClient.newBuilder().sslContext(ssl).build().send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", "application/vnd.kubernetes.protobuf")
                .header("Accept", "application/vnd.kubernetes.protobuf,application/json")
                .header("User-Agent", "kubectl/v1.34.4 (linux/amd64) kubernetes/abc")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode resource(String name) {
        try (InputStream in = ReviewServer.class.getResourceAsStream("/golden/reviews/" + name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}

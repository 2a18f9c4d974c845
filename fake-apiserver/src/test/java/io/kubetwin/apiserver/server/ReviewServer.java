package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * A fake apiserver (the test's {@link TestApiServer}, started with the embedded defaults) seeded with the fixture
 * objects of golden/reviews/setup.json (service accounts, a secret, pods and the RBAC objects of user bob)
 * through the API, and an admin client (system:masters certificate).
 */
final class ReviewServer {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN_PATH = "/api/v1/namespaces/default/serviceaccounts/%s/token";

    private final TestApiServer cluster;
    final FakeApiServer server;
    final ApiClient admin;
    private final Credential adminCredential;

    /** Seeds {@code cluster}, which must be running. */
    ReviewServer(TestApiServer cluster) {
        this.cluster = cluster;
        server = cluster.server();
        adminCredential = cluster.credential(FakeApiServer.ADMIN_USER, "system:masters");
        admin = cluster.with(adminCredential);
        for (JsonNode object : resource("setup.json")) {
            ApiClient.Response r =
                    admin.post(object.get("path").asText(), object.get("body").asText());
            assertEquals(201, r.code(), r.body());
        }
    }

    ApiClient anonymous() {
        return cluster.anonymous();
    }

    ApiClient withToken(String token) {
        return cluster.token(token);
    }

    /** A token from TokenRequest for {@code serviceAccount} in default with the given spec (JSON). */
    String token(String serviceAccount, String spec) {
        ApiClient.Response r = admin.post(
                String.format(TOKEN_PATH, serviceAccount),
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":" + spec + "}");
        assertEquals(201, r.code(), r.body());
        return r.json().at("/status/token").asText();
    }

    /** POSTs a protobuf body as the admin with kubectl's headers (the ApiClient speaks JSON only). */
    HttpResponse<String> postProtobuf(String path, byte[] body) throws Exception {
        SSLContext ssl = KeyStores.clientContext(List.of(server.clusterCa().certificate()), adminCredential);
        return HttpClient.newBuilder()
                .sslContext(ssl)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + path))
                                .header("Content-Type", "application/vnd.kubernetes.protobuf")
                                .header("Accept", "application/vnd.kubernetes.protobuf,application/json")
                                .header("User-Agent", "kubectl/v1.34.4 (linux/amd64) kubernetes/abc")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode resource(String name) {
        try (InputStream in = ReviewServer.class.getResourceAsStream("/golden/reviews/" + name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.kubetwin.apiserver.storage.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.StorageOptions;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake apiserver on its embedded durable store ({@code --data-dir}): a restart with the same cert dir and
 * data dir loses nothing: objects keep their resourceVersions, RBAC bindings authorize again, and a
 * service-account token issued before the restart still authenticates.
 */
class PersistentServerTest {
    @TempDir
    Path dir;

    @Test
    void objectsRbacAndTokensSurviveARestart() throws Exception {
        ApiServerConfig config = ApiServerConfig.builder()
                .certDir(dir.resolve("pki"))
                .storage(StorageOptions.embedded(dir.resolve("data")))
                .build();
        String secretRv;
        String token;
        try (TestApiServer first = TestApiServer.start(config)) {
            ApiClient admin = first.admin();
            assertEquals(
                    201,
                    admin.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"team\"}}")
                            .code());
            ApiClient.Response secret = admin.post(
                    "/api/v1/namespaces/team/secrets",
                    "{\"metadata\":{\"name\":\"db\"},\"stringData\":{\"password\":\"s3cret\"}}");
            assertEquals(201, secret.code(), secret.body());
            secretRv = secret.json().path("metadata").path("resourceVersion").asText();
            assertEquals(
                    201,
                    admin.post(
                                    "/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles",
                                    "{\"metadata\":{\"name\":\"read-secrets\"},\"rules\":[{\"apiGroups\":[\"\"],"
                                            + "\"resources\":[\"secrets\"],\"verbs\":[\"get\"]}]}")
                            .code());
            assertEquals(
                    201,
                    admin.post(
                                    "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings",
                                    "{\"metadata\":{\"name\":\"alice\"},\"roleRef\":{\"apiGroup\":"
                                            + "\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":\"read-secrets\"},"
                                            + "\"subjects\":[{\"kind\":\"User\",\"name\":\"alice\"}]}")
                            .code());
            assertEquals(
                    200,
                    first.as("alice").get("/api/v1/namespaces/team/secrets/db").code());
            assertEquals(
                    201,
                    admin.post("/api/v1/namespaces/team/serviceaccounts", "{\"metadata\":{\"name\":\"bot\"}}")
                            .code());
            ApiClient.Response tr = admin.post(
                    "/api/v1/namespaces/team/serviceaccounts/bot/token",
                    "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{}}");
            assertEquals(201, tr.code(), tr.body());
            token = tr.json().path("status").path("token").asText();
        }

        try (TestApiServer second = TestApiServer.start(config)) {
            ApiClient admin = second.admin();
            JsonNode secret = admin.get("/api/v1/namespaces/team/secrets/db").json();
            assertEquals(
                    secretRv, secret.path("metadata").path("resourceVersion").asText());
            assertEquals("czNjcmV0", secret.path("data").path("password").asText());
            assertEquals(
                    200,
                    second.as("alice").get("/api/v1/namespaces/team/secrets/db").code());
            assertEquals(
                    403,
                    second.as("bob").get("/api/v1/namespaces/team/secrets/db").code());
            ApiClient.Response whoami = second.token(token)
                    .post(
                            "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                            "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}");
            assertEquals(201, whoami.code(), whoami.body());
            assertEquals(
                    "system:serviceaccount:team:bot",
                    whoami.json()
                            .path("status")
                            .path("userInfo")
                            .path("username")
                            .asText());
        }
    }
}

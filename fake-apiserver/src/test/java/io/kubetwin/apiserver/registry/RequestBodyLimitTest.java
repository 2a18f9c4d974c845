package io.kubetwin.apiserver.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kube-apiserver reads at most 3 MiB of a request body (MaxRequestBodyBytes): a larger one is a 413 Status,
 * after authentication and authorization, and nothing is stored.
 */
class RequestBodyLimitTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private static String configMap(int dataBytes) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big\"},\"data\":{\"k\":\""
                + "x".repeat(dataBytes) + "\"}}";
    }

    @Test
    void aBodyOverThreeMebibytesIsRequestEntityTooLarge() {
        ApiClient admin = cluster.admin();
        ApiClient.Response r = admin.post("/api/v1/namespaces/default/configmaps", configMap(3 * 1024 * 1024));
        assertEquals(413, r.code());
        assertEquals(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                        + "\"Request entity too large: limit is 3145728\",\"reason\":\"RequestEntityTooLarge\",\"code\":413}\n",
                r.body());
        assertEquals(404, admin.get("/api/v1/namespaces/default/configmaps/big").code(), "nothing was stored");
    }

    @Test
    void anOversizedBodyFromSomeoneNotAllowedIsStillForbidden() {
        ApiClient.Response r =
                cluster.anonymous().post("/api/v1/namespaces/default/configmaps", configMap(3 * 1024 * 1024));
        assertEquals(403, r.code());
    }

    @Test
    void malformedJsonIsABadRequestStatus() {
        ApiClient.Response r = cluster.admin()
                .post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":");
        assertEquals(400, r.code());
        assertEquals(
                "the object provided is unrecognized (must be of type Namespace): couldn't get version/kind; json parse "
                        + "error: unexpected end of JSON input ({\"apiVersion\":\"v1\",\"kind\":\"Nam ...)",
                r.message());
    }
}

package io.kubetwin.apiserver.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * metadata.generation of a kind that does not track it (a ConfigMap) over TLS, as kube-apiserver v1.34.4 answers
 * (recorded with curl): rest.BeforeCreate leaves it to the strategy, which keeps the client's, so a negative one is
 * ValidateObjectMeta's 422 and another is stored as sent.
 */
class GenerationApiTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps";

    @Test
    void aNegativeGenerationIsRefused() {
        ApiClient.Response r = cluster.admin()
                .post(
                        CONFIGMAPS,
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"g-neg\","
                                + "\"generation\":-1}}");
        assertEquals(422, r.code(), r.body());
        assertEquals(
                "ConfigMap \"g-neg\" is invalid: metadata.generation: Invalid value: -1: must be greater than or equal"
                        + " to 0",
                r.message());
        assertEquals(404, cluster.admin().get(CONFIGMAPS + "/g-neg").code());
    }

    @Test
    void anotherGenerationIsKeptAsSent() {
        ApiClient.Response r = cluster.admin()
                .post(
                        CONFIGMAPS,
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"g-five\","
                                + "\"generation\":5}}");
        assertEquals(201, r.code(), r.body());
        assertEquals(5, r.json().path("metadata").path("generation").asLong());
        assertEquals(
                5,
                cluster.admin()
                        .get(CONFIGMAPS + "/g-five")
                        .json()
                        .path("metadata")
                        .path("generation")
                        .asLong());
    }

    @Test
    void aZeroGenerationIsOmitted() {
        ApiClient.Response r = cluster.admin()
                .post(
                        CONFIGMAPS,
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"g-zero\","
                                + "\"generation\":0}}");
        assertEquals(201, r.code(), r.body());
        assertEquals(false, r.json().path("metadata").has("generation"));
    }
}

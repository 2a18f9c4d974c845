package io.kubetwin.apiserver.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * /metrics over TLS as kube-apiserver v1.34.4 serves it (routes.MetricsWithReset; recorded with curl): the
 * Prometheus text for GET and HEAD (no body), the reset for DELETE, and Go's mux 404 below it.
 */
class MetricsTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    @Test
    void getIsThePrometheusTextWithTheBuildInformation() {
        ApiClient.Response r = cluster.admin().get("/metrics");
        assertEquals(200, r.code());
        assertEquals(MetricsText.CONTENT_TYPE, r.header("Content-Type"));
        String version =
                cluster.admin().get("/version").json().path("gitVersion").asText();
        assertTrue(
                r.body().contains("\nkubernetes_build_info{build_date=\"")
                        && r.body().contains(",git_version=\"" + version + "\",")
                        && r.body().endsWith("} 1\n"),
                r.body());
    }

    @Test
    void headHasNoBody() {
        ApiClient.Response r = cluster.admin().send("HEAD", "/metrics", null, null);
        assertEquals(200, r.code());
        assertEquals("", r.body());
    }

    @Test
    void deleteResetsTheRegistry() {
        ApiClient.Response r = cluster.admin().delete("/metrics");
        assertEquals(200, r.code());
        assertEquals("metrics reset\n", r.body());
    }

    @Test
    void aTrailingSlashIsGosNotFound() {
        ApiClient.Response r = cluster.admin().get("/metrics/");
        assertEquals(404, r.code());
        assertEquals("404 page not found\n", r.body());
    }
}

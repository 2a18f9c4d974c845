package io.kubetwin.apiserver.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Discovery over TLS: every resource the fake advertises is advertised exactly as the reference
 * kube-apiserver v1.34.4 advertised it (recorded aggregated discovery), and what it does not serve is absent.
 */
class DiscoveryTest {
    static final String AGGREGATED =
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    @Test
    void aggregatedCoreDiscoveryMatchesTheReferenceForServedResources() throws Exception {
        compare(cluster, "/api", "golden/discovery/reference-api-aggregated.json");
    }

    @Test
    void aggregatedGroupDiscoveryMatchesTheReferenceForServedResources() throws Exception {
        compare(cluster, "/apis", "golden/discovery/reference-apis-aggregated.json");
    }

    /** The server's aggregated discovery at {@code path} against the recorded reference document. */
    static void compare(TestApiServer cluster, String path, String golden) throws Exception {
        ApiClient.Response r = cluster.admin().send("GET", path, null, null, "Accept", AGGREGATED);
        assertEquals(200, r.code());
        assertEquals("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", r.header("content-type"));
        JsonNode ours = r.json();
        JsonNode reference;
        try (InputStream in = DiscoveryTest.class.getClassLoader().getResourceAsStream(golden)) {
            reference = new ObjectMapper().readTree(in);
        }
        Map<String, JsonNode> expected = new HashMap<>();
        for (JsonNode group : reference.path("items")) {
            for (JsonNode version : group.path("versions")) {
                for (JsonNode resource : version.path("resources")) {
                    expected.put(
                            group.path("metadata").path("name").asText() + "/"
                                    + version.path("version").asText() + "/"
                                    + resource.path("resource").asText(),
                            resource);
                }
            }
        }
        int compared = 0;
        for (JsonNode group : ours.path("items")) {
            for (JsonNode version : group.path("versions")) {
                assertEquals("Current", version.path("freshness").asText());
                for (JsonNode resource : version.path("resources")) {
                    String key = group.path("metadata").path("name").asText() + "/"
                            + version.path("version").asText() + "/"
                            + resource.path("resource").asText();
                    JsonNode ref = expected.get(key);
                    assertTrue(ref != null, "the reference does not serve " + key);
                    JsonNode refCopy = ref.deepCopy();
                    // subresources the fake does not serve are left out of its document
                    if (resource.has("subresources")) {
                        ((ObjectNode) refCopy)
                                .set(
                                        "subresources",
                                        filterSubresources(ref.path("subresources"), resource.path("subresources")));
                    } else {
                        ((ObjectNode) refCopy).remove("subresources");
                    }
                    assertEquals(refCopy, resource, key);
                    compared++;
                }
            }
        }
        assertEquals(expected.size(), compared, "every resource the reference serves is served");
    }

    private static JsonNode filterSubresources(JsonNode reference, JsonNode ours) {
        ArrayNode kept = new ObjectMapper().createArrayNode();
        for (JsonNode sub : reference) {
            for (JsonNode mine : ours) {
                if (mine.path("subresource").equals(sub.path("subresource"))) {
                    kept.add(sub);
                }
            }
        }
        return kept;
    }

    @Test
    void legacyDiscoveryAndVersion() {
        ApiClient admin = cluster.admin();
        JsonNode api = admin.get("/api").json();
        assertEquals("APIVersions", api.path("kind").asText());
        assertEquals("v1", api.path("versions").get(0).asText());
        JsonNode rbac = admin.get("/apis/rbac.authorization.k8s.io").json();
        assertEquals(
                "{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\",\"name\":\"rbac.authorization.k8s.io\",\"versions\":"
                        + "[{\"groupVersion\":\"rbac.authorization.k8s.io/v1\",\"version\":\"v1\"}],\"preferredVersion\":"
                        + "{\"groupVersion\":\"rbac.authorization.k8s.io/v1\",\"version\":\"v1\"}}",
                rbac.toString());
        assertEquals("v1.34.4", admin.get("/version").json().path("gitVersion").asText());
        assertEquals(
                "apps/v1",
                admin.get("/apis/apps/v1").json().path("groupVersion").asText());
        assertEquals("ok", cluster.anonymous().get("/healthz").body());
    }
}

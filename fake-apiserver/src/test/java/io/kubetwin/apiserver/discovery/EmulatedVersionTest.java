package io.kubetwin.apiserver.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --emulated-version=1.33} over TLS: the API surface is the one kube-apiserver v1.34.4 served when started
 * with that flag (recorded by ci/reference/record-api-surface.sh into discovery/emulated-1.33/), at 1.33's own gate
 * defaults (the conformance suite emulated-version-1-33 sets the seven gates that differ to v1.34's values on both
 * targets, emulated-version-1-33-defaults leaves them).
 */
class EmulatedVersionTest {
    static final String RECORDED = "/io/kubetwin/apiserver/discovery/emulated-1.33/";

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder()
            .config(b -> b.featureGates(List.of(), "1.33"))
            .build();

    @Test
    void aggregatedDiscoveryIsThe133Surface() throws Exception {
        DiscoveryTest.compare(cluster, "/api", "golden/discovery/emulated-1.33/reference-api-aggregated.json");
        DiscoveryTest.compare(cluster, "/apis", "golden/discovery/emulated-1.33/reference-apis-aggregated.json");
    }

    @Test
    void legacyGroupListIsTheRecordedOne() throws Exception {
        JsonNode recorded = recorded("reference-discovery.json");
        assertEquals(recorded.path("groupList"), cluster.admin().get("/apis").json());
        // IPAddress and ServiceCIDR are stored as networking.k8s.io/v1beta1 at 1.33 (GA in 1.33, so 1.32 cannot
        // read v1): the storageVersionHash says so
        assertEquals(
                recorded.path("resourceLists").path("networking.k8s.io/v1"),
                cluster.admin().get("/apis/networking.k8s.io/v1").json());
        assertEquals(
                recorded.path("resourceLists").path("storage.k8s.io/v1"),
                cluster.admin().get("/apis/storage.k8s.io/v1").json());
    }

    /** As the reference answered with --emulated-version=1.33 (curl, 2026-12-07). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /apis/resource.k8s.io                                      | text/plain; charset=utf-8 | 404 page not found
            /apis/resource.k8s.io/v1                                   | text/plain; charset=utf-8 | 404 page not found
            /apis/resource.k8s.io/v1/resourceclaims                    | text/plain; charset=utf-8 | 404 page not found
            /apis/resource.k8s.io/v1/namespaces/default/resourceclaims | text/plain; charset=utf-8 | 404 page not found
            /apis/storage.k8s.io/v1/volumeattributesclasses            | application/json          | {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}
            /apis/apiregistration.k8s.io/v1/apiservices/v1.resource.k8s.io | application/json      | {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"apiservices.apiregistration.k8s.io \\"v1.resource.k8s.io\\" not found","reason":"NotFound","details":{"name":"v1.resource.k8s.io","group":"apiregistration.k8s.io","kind":"apiservices"},"code":404}
            """)
    void whatTheRelease133DoesNotServeIsAbsent(String path, String contentType, String body) throws Exception {
        ApiClient.Response r = cluster.admin().get(path);
        assertEquals(404, r.code());
        assertEquals(contentType, r.header("content-type"));
        if (contentType.startsWith("application/json")) {
            ObjectMapper json = new ObjectMapper();
            assertEquals(json.readTree(body), json.readTree(r.body()));
        } else {
            assertEquals(body + "\n", r.body());
        }
    }

    @Test
    void openApiV3IsTheRecordedIndexAndEachDocumentHasItsRecordedHash() throws Exception {
        JsonNode index = recorded("openapi-v3/index.json");
        ApiClient admin = cluster.admin();
        ApiClient.Response served = admin.get("/openapi/v3");
        assertEquals(index, served.json());
        assertEquals("text/plain; charset=utf-8", served.header("content-type"), "net/http sniffed, as the reference");
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = index.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String url = e.getValue().path("serverRelativeURL").asText();
            String hash = url.substring(url.indexOf("?hash=") + 6);
            ApiClient.Response doc = admin.get(url);
            assertEquals(200, doc.code(), url);
            // the reference's hash is SHA-512 of the bytes it serves: the fake's bytes are the reference's
            assertEquals("\"" + hash + "\"", doc.header("etag"), url);
            checked++;
        }
        assertEquals(index.path("paths").size(), checked);
        // kube-openapi answers a path it does not serve with a bare 404, as the reference at 1.33 did here
        ApiClient.Response absent = admin.get("/openapi/v3/apis/resource.k8s.io/v1");
        assertEquals(404, absent.code());
        assertEquals("", absent.body());
        assertEquals(null, absent.header("content-type"));
    }

    @Test
    void openApiV2IsThe133Document() {
        JsonNode v2 = cluster.admin().get("/openapi/v2").json();
        assertEquals("1.33", v2.path("info").path("version").asText(), "as the reference names it");
        assertFalse(v2.path("paths").has("/apis/resource.k8s.io/v1/resourceclaims"));
        assertFalse(v2.path("paths").has("/apis/storage.k8s.io/v1/volumeattributesclasses"));
        assertTrue(v2.path("paths").has("/apis/networking.k8s.io/v1/ipaddresses"));
    }

    @Test
    void versionReportsTheEmulatedRelease() {
        JsonNode version = cluster.admin().get("/version").json();
        assertEquals("33", version.path("emulationMinor").asText());
        assertEquals("32", version.path("minCompatibilityMinor").asText());
        assertEquals("v1.34.4", version.path("gitVersion").asText());
    }

    @Test
    void podSecurityHasNoProbeHostCheckBefore134() {
        // ProbeHostPodSecurityStandards is pre-alpha at 1.33: the reference admitted this pod into a baseline
        // namespace, even at enforce-version v1.34 (kubectl create --dry-run=server, 2026-12-07)
        ApiClient admin = cluster.admin();
        assertEquals(
                201,
                admin.post(
                                "/api/v1/namespaces",
                                "{\"metadata\":{\"name\":\"psa\",\"labels\":{\"pod-security.kubernetes.io/enforce\":"
                                        + "\"baseline\",\"pod-security.kubernetes.io/enforce-version\":\"v1.34\"}}}")
                        .code());
        ApiClient.Response r = admin.post(
                "/api/v1/namespaces/psa/pods?dryRun=All",
                "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\","
                        + "\"livenessProbe\":{\"httpGet\":{\"host\":\"1.2.3.4\",\"port\":80}}}]}}");
        assertEquals(201, r.code(), r.body());
    }

    private static JsonNode recorded(String name) throws Exception {
        try (InputStream in = EmulatedVersionTest.class.getResourceAsStream(RECORDED + name)) {
            return new ObjectMapper().readTree(in);
        }
    }
}

package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyStores;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests that once crashed the fake (a 500 "panic" with no audit event) answered as kube-apiserver v1.34.4
 * answers them; every expected text was recorded from the reference with curl and openssl s_client.
 */
class MalformedRequestsTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private static String raw(String request) throws IOException {
        return raw(request, cluster.credential("kubernetes-admin", "system:masters"));
    }

    /** Sends raw bytes over TLS (no client certificate when {@code credential} is null), reads until closed. */
    private static String raw(String request, Credential credential) throws IOException {
        var context =
                KeyStores.clientContext(List.of(cluster.server().clusterCa().certificate()), credential);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket("127.0.0.1", cluster.server().port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.transferTo(received);
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    private static String get(String pathAndQuery) throws IOException {
        return raw("GET " + pathAndQuery
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: kubectl\r\nConnection: close\r\n\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // Go's url.ParseQuery skips a pair with a malformed escape or a ';' and keeps the rest
                "/api/v1/namespaces?x=%zz           | \"kind\":\"NamespaceList\"",
                "/api/v1/namespaces?%               | \"kind\":\"NamespaceList\"",
                "/api/v1/namespaces?limit=%zz&limit=1 | \"continue\":",
                "/api/v1/namespaces?a;b=1&limit=1   | \"continue\":"
            })
    void aMalformedQueryPairIsSkipped(String path, String expected) throws IOException {
        String response = get(path.strip());
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        assertTrue(response.contains(expected.strip()), response);
    }

    @Test
    void aMalformedQueryFromAnAnonymousCallerIsAuthenticatedAndAuthorizedAsUsual() throws IOException {
        // this one crashed before authentication, so any caller could trigger it
        String response = raw(
                "GET /api/v1/namespaces?x=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: kubectl\r\n"
                        + "Connection: close\r\n\r\n",
                null);
        assertTrue(response.startsWith("HTTP/1.1 403 Forbidden\r\n"), response);
        assertTrue(
                response.endsWith("\"message\":\"namespaces is forbidden: User \\\"system:anonymous\\\" cannot list "
                        + "resource \\\"namespaces\\\" in API group \\\"\\\" at the cluster scope\",\"reason\":\"Forbidden\","
                        + "\"details\":{\"kind\":\"namespaces\"},\"code\":403}\n"),
                response);
    }

    @Test
    void http11WithoutHostIsRefusedBeforeThePipeline() throws IOException {
        String response = raw("GET /api HTTP/1.1\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400 Bad Request: missing required Host header\r\n"), response);
        assertTrue(response.contains("Content-Type: text/plain; charset=utf-8\r\n"), response);
        assertTrue(response.toLowerCase(Locale.ROOT).contains("connection: close\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\n400 Bad Request: missing required Host header"), response);
    }

    private static String nested(char open, char close, int depth) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"deep\"},\"data\":"
                + String.valueOf(open).repeat(depth) + String.valueOf(close).repeat(depth) + "}";
    }

    @ParameterizedTest(name = "{0} levels of {1}")
    @CsvSource({"100000, [", "10000, [", "10000, {"})
    void jsonNestedPastGoMaxDepthIsABadRequest(int depth, char open) {
        String body = open == '{' ? nestedObjects(depth) : nested('[', ']', depth);
        ApiClient.Response r = cluster.admin().post("/api/v1/namespaces/default/configmaps", body);
        assertEquals(400, r.code());
        assertEquals(
                "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; "
                        + "json parse error: invalid character '" + open + "' exceeded max depth "
                        + "({\"apiVersion\":\"v1\",\"kind\":\"Con ...)",
                r.message());
        assertEquals(
                404,
                cluster.admin()
                        .get("/api/v1/namespaces/default/configmaps/deep")
                        .code(),
                "nothing stored");
    }

    /** {@code depth} objects inside the top-level one's labels: depth + 2 levels in all. */
    private static String nestedObjects(int depth) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"deep\",\"labels\":"
                + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}}";
    }

    @Test
    void prettyBodiesEndWithoutANewlineAndCompactOnesWithOne() {
        ApiClient admin = cluster.admin();
        String pretty = admin.send("GET", "/api/v1/namespaces/default", null, null, "User-Agent", "curl/8.5.0")
                .body();
        assertTrue(pretty.startsWith("{\n  \"kind\": \"Namespace\",\n"), pretty);
        assertTrue(pretty.endsWith("\n}"), pretty);
        String compact = admin.send("GET", "/api/v1/namespaces/default", null, null, "User-Agent", "kubectl")
                .body();
        assertTrue(compact.endsWith("}\n"), compact);
    }

    @Test
    void versionIsAlwaysIndentedWithoutANewline() {
        String version = cluster.admin()
                .send("GET", "/version", null, null, "User-Agent", "kubectl")
                .body();
        assertTrue(version.startsWith("{\n  \"major\": \"1\",\n  \"minor\": \"34\","), version);
        assertTrue(version.endsWith("\"\n}"), version);
    }

    @Test
    void theOpenApiIndexIsCompactWithoutANewlineForEveryClient() {
        for (String agent : List.of("curl/8.5.0", "kubectl")) {
            String index = cluster.admin()
                    .send("GET", "/openapi/v3", null, null, "User-Agent", agent)
                    .body();
            assertTrue(index.startsWith("{\"paths\":{"), index);
            assertTrue(index.endsWith("}}}"), index);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // Go decodes every escape (%2F too) before routing and authorizing
                "/%61pi                                    | 200 OK | \"kind\":\"APIVersions\"",
                "/api%2F                                   | 200 OK | \"kind\":\"APIVersions\"",
                "/api/v1/namespaces/default%2Fconfigmaps   | 200 OK | \"kind\":\"ConfigMapList\"",
                "/api/v1/namespaces/a%25b                  | 400 Bad Request | Name parameter invalid: \\\"a%b\\\": may not contain",
                "/api/v1/namespaces/default/configmaps/..  | 400 Bad Request | Name parameter invalid: \\\"..\\\": may not be",
                "/api/v1/namespaces/a%08b                  | 404 Not Found | namespaces \\\"a\\\\bb\\\" not found",
                // and routes what it decoded as it is: no route has empty or dot segments
                "//api                                     | 404 Not Found | 404 page not found",
                "/apis//apps                               | 404 Not Found | 404 page not found",
                "/api/./v1                                 | 404 Not Found | \"reason\":\"NotFound\",\"details\":{}",
                "/api/v1/../v1/namespaces                  | 404 Not Found | \"reason\":\"NotFound\",\"details\":{}",
                "/apis/rbac.authorization.k8s.io/v1/./x    | 404 Not Found | \"reason\":\"NotFound\",\"details\":{}",
                // the health paths are exact
                "/healthz/                                 | 404 Not Found | 404 page not found",
                "/healthz%2F                               | 404 Not Found | 404 page not found"
            })
    void pathsAreDecodedAndRoutedAsGoDoes(String path, String statusLine, String expected) throws IOException {
        String response = get(path.strip());
        assertTrue(response.startsWith("HTTP/1.1 " + statusLine.strip() + "\r\n"), response);
        assertTrue(response.contains(expected.strip()), response);
    }

    @Test
    void aMalformedEscapeIsGosOwnBadRequestBeforeThePipeline() throws IOException {
        String response = get("/version%zz");
        assertTrue(response.startsWith("HTTP/1.1 400 Bad Request\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\n400 Bad Request"), response);
        assertTrue(response.toLowerCase(Locale.ROOT).contains("connection: close\r\n"), response);
        assertTrue(!response.contains("Audit-Id"), "no handler ran: " + response);
    }

    @Test
    void headersAndUrlsUpToGosReadLimitAreServed() throws IOException {
        // net/http reads 1 MiB + 4096 bytes of request line and headers; Vert.x's defaults were 4 and 8 KiB
        String header = "a".repeat(1_044_000);
        String response = raw("GET /version HTTP/1.1\r\nHost: x\r\nX-Big: " + header + "\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response.substring(0, 100));
        response = get("/version?x=" + "a".repeat(100_000));
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response.substring(0, 100));
    }

    @Test
    void beyondGosReadLimitIsItsOwn431BeforeThePipeline() throws IOException {
        String header = "a".repeat(1_100_000);
        String response = raw("GET /version HTTP/1.1\r\nHost: x\r\nX-Big: " + header + "\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\n431 Request Header Fields Too Large"), response);
        assertTrue(!response.contains("Audit-Id"), response);
        // a long URL counts against the same limit: Go's 431, not a 414 (Vert.x can only answer it as HTTP/1.0)
        response = get("/version?x=" + "a".repeat(1_100_000));
        assertTrue(response.contains(" 431 Request Header Fields Too Large\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\n431 Request Header Fields Too Large"), response);
    }

    @Test
    void aCustomResourceNestedAsDeepAsGoTakesIsStoredServedAndListed() throws InterruptedException {
        // kube-apiserver v1.34.4 stores a preserve-unknown-fields object whose spec nests 9,994 levels (with its
        // managedFields: 10,000 in all) and serves it; the fake's recursive tree code needs a deep stack for it
        ApiClient admin = cluster.admin();
        ApiClient.Response crd = admin.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"things.deep.example.com"},
                 "spec":{"group":"deep.example.com","scope":"Namespaced","names":{"plural":"things","kind":"Thing"},
                  "versions":[{"name":"v1","served":true,"storage":true,
                   "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
                """);
        assertEquals(201, crd.code(), crd.body());
        String things = "/apis/deep.example.com/v1/namespaces/default/things";
        for (int i = 0; i < 100 && admin.get(things).code() != 200; i++) {
            Thread.sleep(100);
        }
        int depth = 9994;
        String spec = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        ApiClient.Response created = admin.post(
                things,
                "{\"apiVersion\":\"deep.example.com/v1\",\"kind\":\"Thing\",\"metadata\":{\"name\":\"deep\"},"
                        + "\"spec\":" + spec + "}");
        assertEquals(
                201,
                created.code(),
                created.body().substring(0, Math.min(300, created.body().length())));
        assertTrue(created.body().endsWith(",\"spec\":" + spec + "}\n"), "the whole spec, compact");
        assertTrue(
                created.body().contains("\"fieldsV1\":{\"f:spec\":{\".\":{},\"f:a\":{\".\":{},\"f:a\":"),
                "managedFields");
        ApiClient.Response read = admin.get(things + "/deep");
        assertEquals(200, read.code());
        assertEquals(created.body(), read.body());
        ApiClient.Response list = admin.get(things);
        assertEquals(200, list.code());
        assertTrue(list.body().contains(",\"spec\":" + spec + "}"), "listed");
        assertEquals(200, admin.delete(things + "/deep").code());
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(
            delimiter = '|',
            value = {"Bearer  abc | true", "bearer  abc x | true", "Bearer abc | false", "Bearer\tabc | false"})
    void twoSpacesBeforeABearerTokenIgnoreItWithTheReferencesWarning(String header, boolean warned) throws IOException {
        // recorded from kube-apiserver v1.34.4: the token is ignored (anonymous), with a warning for the extra space
        String response = raw(
                "GET /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: kubectl\r\n"
                        + "Authorization: " + header.strip() + "\r\nConnection: close\r\n\r\n",
                null);
        String warning = "Warning: 299 - \"the provided Authorization header contains extra space before the bearer "
                + "token, and is ignored\"\r\n";
        assertEquals(warned, response.contains(warning), response);
        // a certificate user gets it too: the loopback token's bearer authenticator runs first upstream
        String admin = raw("GET /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: " + header.strip() + "\r\nConnection: close\r\n\r\n");
        assertTrue(admin.startsWith("HTTP/1.1 200 OK\r\n"), admin);
        assertEquals(warned, admin.contains(warning), admin);
        if (warned) {
            assertTrue(response.startsWith("HTTP/1.1 403 Forbidden\r\n"), response);
            assertTrue(response.contains("User \\\"system:anonymous\\\" cannot list"), response);
        }
    }

    private static ApiClient.Response postYaml(String path, String yaml) {
        return cluster.admin().send("POST", path, yaml, "application/yaml", "User-Agent", "kubectl");
    }

    @Test
    void yamlAliasesAreExpandedAsSigsYamlDoes() {
        ApiClient.Response r = postYaml("/api/v1/namespaces/default/configmaps", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: aliased
                  labels: &l
                    app: x
                  annotations: *l
                data:
                  a: &x hello
                  b: *x
                """);
        assertEquals(201, r.code(), r.body());
        assertEquals("{\"app\":\"x\"}", r.json().at("/metadata/labels").toString());
        assertEquals("{\"app\":\"x\"}", r.json().at("/metadata/annotations").toString());
        assertEquals("{\"a\":\"hello\",\"b\":\"hello\"}", r.json().get("data").toString());
    }

    @Test
    void aYamlAliasBombIsGoYamlsExcessiveAliasing() {
        StringBuilder yaml =
                new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n  annotations:\n"
                        + "    a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 1; i < 9; i++) {
            yaml.append("    a")
                    .append(i)
                    .append(": &a")
                    .append(i)
                    .append(" [")
                    .append(String.join(",", java.util.Collections.nCopies(9, "*a" + (i - 1))))
                    .append("]\n");
        }
        ApiClient.Response r = postYaml("/api/v1/namespaces/default/configmaps", yaml.toString());
        assertEquals(400, r.code(), r.body());
        // recorded from kube-apiserver v1.34.4 (the summary is the body's first 30 bytes in hex)
        assertEquals(
                "the object provided is unrecognized (must be of type ConfigMap): yaml: document contains excessive "
                        + "aliasing (61706956657273696f6e3a2076310a6b696e643a20436f6e6669674d6170 ...)",
                r.message());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // every message recorded from kube-apiserver v1.34.4
                "configmaps | \"data\":{\"a\":1}                | ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string",
                "configmaps | \"data\":{\"a\":true}             | ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go struct field ConfigMap.data of type string",
                "configmaps | \"data\":{\"a\":{}}               | ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal object into Go struct field ConfigMap.data of type string",
                "configmaps | \"data\":\"x\"                    | ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal string into Go struct field ConfigMap.data of type map[string]string",
                "configmaps | \"data\":[[[]]]                   | ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal array into Go struct field ConfigMap.data of type map[string]string",
                "secrets    | \"stringData\":{\"a\":1}          | Secret in version \"v1\" cannot be handled as a Secret: json: cannot unmarshal number into Go struct field Secret.stringData of type string",
                "secrets    | \"data\":{\"a\":1}                | Secret in version \"v1\" cannot be handled as a Secret: json: cannot unmarshal number into Go struct field Secret.data of type []uint8"
            })
    void nonStringValuesOfStringMapsAreGosTypeErrors(String resource, String field, String message) {
        String kind = resource.strip().equals("secrets") ? "Secret" : "ConfigMap";
        ApiClient.Response r = cluster.admin()
                .post(
                        "/api/v1/namespaces/default/" + resource.strip(),
                        "{\"apiVersion\":\"v1\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\"typed\"},"
                                + field.strip() + "}");
        assertEquals(400, r.code(), r.body());
        assertEquals(message.strip(), r.message());
    }

    @Test
    void labelsAndYamlBooleansAreTypedAsGoDecodesThem() {
        ApiClient.Response r = cluster.admin()
                .post(
                        "/apis/apps/v1/namespaces/default/deployments",
                        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d1\","
                                + "\"annotations\":{\"a\":true}}}");
        assertEquals(400, r.code(), r.body());
        assertEquals(
                "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal bool into Go "
                        + "struct field ObjectMeta.metadata.annotations of type string",
                r.message());
        r = postYaml(
                "/api/v1/namespaces/default/configmaps",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yes1\ndata:\n  a: yes\n");
        assertEquals(400, r.code(), r.body());
        assertEquals(
                "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go "
                        + "struct field ConfigMap.data of type string",
                r.message());
        r = cluster.admin()
                .post(
                        "/api/v1/namespaces/default/configmaps",
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"n1\"},"
                                + "\"data\":{\"a\":null}}");
        assertEquals(201, r.code(), r.body());
        assertEquals("{\"a\":\"\"}", r.json().get("data").toString(), "null is the empty string");
    }
}

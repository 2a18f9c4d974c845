package io.kubetwin.kubelet.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authn.AuthenticationResult;
import io.kubetwin.auth.authn.TokenAuthenticator;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;
import io.kubetwin.kubelet.config.AuthorizationMode;
import io.kubetwin.kubelet.config.KubeletConfig;
import io.kubetwin.kubelet.pods.InMemoryPodSource;
import io.kubetwin.kubelet.pods.Pod;
import io.kubetwin.kubelet.pods.PodSource;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The kubelet API over real TLS with real certificates: exact status codes, bodies and headers. */
class KubeletServerTlsTest {
    static final String NODE = "node-1";
    static final Pod WEB = new Pod(
            "default",
            "web",
            "uid-web",
            List.of(new Pod.Container("nginx", "nginx:1.27", List.of("hello", "world"))),
            true);
    static final String WEB_LIST =
            "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[{\"metadata\":"
                    + "{\"name\":\"web\",\"namespace\":\"default\",\"uid\":\"uid-web\",\"creationTimestamp\":null},\"spec\":"
                    + "{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.27\",\"resources\":{}}],"
                    + "\"nodeName\":\"node-1\"},\"status\":{}}]}\n";

    static Vertx vertx;
    static CertificateAuthority servingCa;
    static ServingCertificate serving;
    static Credential alice;
    static Credential mallory;

    @TempDir
    static Path dir;

    static Path clientCaFile;

    @BeforeAll
    static void pki() throws Exception {
        vertx = Vertx.vertx();
        servingCa = CertificateAuthority.generate();
        serving = ServingCertificate.issuedBy(servingCa, NODE, List.of("127.0.0.1"));
        CertificateAuthority clientCa = CertificateAuthority.generate();
        alice = clientCa.issue(
                CertificateSpec.client("alice").organizations("dev").build());
        mallory = CertificateAuthority.generate()
                .issue(CertificateSpec.client("alice")
                        .organizations("system:masters")
                        .build());
        clientCaFile = dir.resolve("client-ca.crt");
        Files.writeString(clientCaFile, clientCa.certificatePem());
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    /** Token webhook double: one good token; the others are what the apiserver does not authenticate. */
    static final TokenAuthenticator TOKENS = (token, audiences) -> Future.succeededFuture(
            token.equals("good-token")
                    ? new AuthenticationResult.Authenticated(UserInfo.of("bob", "ops"))
                    : AuthenticationResult.NOT_MINE);

    /** Webhook authorizer double: "allow" everything, "deny" everything, or allow the one named subresource. */
    static Authorizer reviews(String policy, List<Attributes> seen) {
        return a -> {
            seen.add(a);
            return switch (policy) {
                case "allow" -> Decision.allow("");
                case "deny" -> Decision.deny("no");
                default -> policy.equals(a.subresource()) ? Decision.allow("") : Decision.noOpinion("");
            };
        };
    }

    static KubeletConfig.Builder config(boolean anonymous, String policy) {
        return KubeletConfig.configFileDefaults()
                .address("127.0.0.1")
                .port(0)
                .readOnlyPort(0)
                .hostnameOverride(NODE)
                .anonymousEnabled(anonymous)
                .clientCaFile(clientCaFile)
                .authorizationMode(
                        policy.equals("AlwaysAllow") ? AuthorizationMode.ALWAYS_ALLOW : AuthorizationMode.WEBHOOK);
    }

    static KubeletServer start(KubeletConfig config, PodSource pods, Authorizer reviewer) {
        return KubeletServer.start(
                        vertx,
                        config,
                        new KubeletServer.Dependencies(pods, TOKENS, reviewer, serving, Clock.systemUTC()))
                .await();
    }

    static HttpResponse<String> call(KubeletServer server, String method, String path, String credential)
            throws Exception {
        Credential cert =
                switch (credential) {
                    case "alice" -> alice;
                    case "mallory" -> mallory;
                    default -> null;
                };
        String token = credential.startsWith("token:") ? credential.substring("token:".length()) : null;
        return TestClient.send(
                "https://127.0.0.1:" + server.port() + path, method, servingCa.certificate(), cert, token);
    }

    @ParameterizedTest(name = "anonymous={0} authz={1} cred={2} {3} {4} -> {5}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            true  | AlwaysAllow | none            | GET  | /healthz                        | 200 | ok
            false | AlwaysAllow | none            | GET  | /pods                           | 401 | Unauthorized
            false | AlwaysAllow | none            | GET  | /healthz                        | 401 | Unauthorized
            true  | deny        | none            | GET  | /pods                           | 403 | `Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[pods proxy])\n`
            true  | AlwaysAllow | mallory         | GET  | /pods                           | 401 | Unauthorized
            false | deny        | alice           | POST | /exec/default/web/nginx         | 403 | `Forbidden (user=alice, verb=create, resource=nodes, subresource(s)=[proxy])\n`
            false | deny        | alice           | GET  | /stats/summary                  | 403 | `Forbidden (user=alice, verb=get, resource=nodes, subresource(s)=[stats])\n`
            false | allow       | alice           | GET  | /containerLogs/default/web/nginx | 200 | `hello\nworld\n`
            false | pods        | alice           | GET  | /pods                           | 200 | WEB_LIST
            false | pods        | alice           | GET  | /configz                        | 403 | `Forbidden (user=alice, verb=get, resource=nodes, subresource(s)=[configz proxy])\n`
            false | proxy       | token:good-token | GET | /healthz                        | 200 | ok
            true  | AlwaysAllow | token:bad-token | GET  | /healthz                        | 401 | Unauthorized
            false | AlwaysAllow | none            | GET  | /spec/                          | 404 | `404 page not found\n`
            false | AlwaysAllow | none            | GET  | /no/such/path                   | 404 | `404 page not found\n`
            false | AlwaysAllow | none            | GET  | /stats                          | 301 | `<a href="/stats/">Moved Permanently</a>.\n\n`
            true  | AlwaysAllow | none            | GET  | /containerLogs/default/nope/nginx | 404 | pod "nope" does not exist
            true  | AlwaysAllow | none            | GET  | /containerLogs/default/web/php  | 404 | container "php" not found in pod "web"
            true  | AlwaysAllow | none            | POST | /pods                           | 405 | 405: Method Not Allowed
            true  | AlwaysAllow | none            | GET  | /metrics/probes                 | 200 | METRICS
            false | pods        | alice           | GET  | /pods/                          | 200 | WEB_LIST
            true  | AlwaysAllow | none            | POST | /exec/default/nope/nginx        | 400 | you must specify at least 1 of stdin, stdout, stderr
            true  | AlwaysAllow | none            | POST | /exec/default/nope/nginx?tty=1&error=1 | 400 | you must specify at least 1 of stdin, stdout, stderr
            true  | AlwaysAllow | none            | POST | /exec/default/nope/nginx?output=1 | 404 | pod does not exist
            true  | AlwaysAllow | none            | POST | /run/default/nope/nginx         | 404 | pod does not exist
            true  | AlwaysAllow | none            | GET  | /run/default/web/nginx          | 405 | 405: Method Not Allowed
            true  | AlwaysAllow | none            | POST | /exec/default/web               | 404 | 404: Page Not Found
            true  | AlwaysAllow | none            | POST | /exec/default/web/nginx?output=1 | 500 | `Upgrade request required\n`
            true  | AlwaysAllow | none            | POST | /exec/default/web/php?output=1  | 500 | container not found ("php")
            true  | AlwaysAllow | none            | GET  | /attach/default/web/php?input=1 | 500 | container php not found in pod web_default
            true  | AlwaysAllow | none            | POST | /run/default/web/nginx?cmd=echo%20hi | 200 | `hi\n`
            true  | AlwaysAllow | none            | POST | /run/default/web/nginx?cmd=false | 500 | `command 'false' exited with 1: `
            true  | AlwaysAllow | none            | POST | /portForward/default/web        | 500 | `Upgrade request required\n`
            true  | AlwaysAllow | none            | POST | /portForward/default/nope       | 404 | pod does not exist
            true  | AlwaysAllow | none            | GET  | /portForward/default/web/not-its-uid | 404 | pod not found
            """)
    void authenticatedPort(
            boolean anonymous, String policy, String credential, String method, String path, int status, String body)
            throws Exception {
        KubeletServer server = start(
                config(anonymous, policy).build(),
                new InMemoryPodSource(List.of(WEB)),
                reviews(policy, new CopyOnWriteArrayList<>()));
        try {
            HttpResponse<String> response = call(server, method, path, credential);
            assertEquals(status, response.statusCode(), response.body());
            if (body.equals("METRICS")) {
                assertTrue(response.body().contains("kubernetes_build_info{"), response.body());
            } else {
                assertEquals(body.equals("WEB_LIST") ? WEB_LIST : body.replace("\\n", "\n"), response.body());
            }
        } finally {
            server.close().await();
        }
    }

    @Test
    void plainTextErrorsCarryGosHeaders() throws Exception {
        KubeletServer server = start(
                config(false, "deny").build(), new InMemoryPodSource(), reviews("deny", new CopyOnWriteArrayList<>()));
        try {
            HttpResponse<String> unauthorized = call(server, "GET", "/pods", "none");
            assertEquals(
                    "text/plain; charset=utf-8",
                    unauthorized.headers().firstValue("Content-Type").orElse(""));
            assertEquals(
                    "12", unauthorized.headers().firstValue("Content-Length").orElse(""));
            assertTrue(
                    unauthorized.headers().firstValue("X-Content-Type-Options").isEmpty());
            assertTrue(unauthorized.headers().firstValue("Date").isPresent());
            HttpResponse<String> notFound = call(server, "GET", "/spec/", "none");
            assertEquals(
                    "nosniff",
                    notFound.headers().firstValue("X-Content-Type-Options").orElse(""));
        } finally {
            server.close().await();
        }
    }

    @Test
    void anEmptyNodeListsItemsNullAsJson() throws Exception {
        KubeletServer server = start(config(true, "AlwaysAllow").build(), new InMemoryPodSource(), null);
        try {
            HttpResponse<String> pods = call(server, "GET", "/pods", "none");
            assertEquals("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":null}\n", pods.body());
            assertEquals(
                    "application/json",
                    pods.headers().firstValue("Content-Type").orElse(""));
        } finally {
            server.close().await();
        }
    }

    @Test
    void theWebhookSeesTheCertificateUserWithAuthenticatedGroupAndTheNodeAttributes() throws Exception {
        List<Attributes> seen = new CopyOnWriteArrayList<>();
        KubeletServer server = start(config(false, "proxy").build(), new InMemoryPodSource(), reviews("proxy", seen));
        try {
            assertEquals(200, call(server, "GET", "/pods", "alice").statusCode());
            assertEquals(
                    List.of("pods", "proxy"),
                    seen.stream().map(Attributes::subresource).toList());
            Attributes first = seen.get(0);
            assertEquals("alice", first.user().name());
            assertEquals(List.of("dev", "system:authenticated"), first.user().groups());
            assertEquals(NODE, first.name());
            assertEquals("nodes", first.resource());
            assertEquals("v1", first.apiVersion());
            assertEquals("get", first.verb());
        } finally {
            server.close().await();
        }
    }

    @Test
    void withTheGateOffOnlyProxyIsAsked() throws Exception {
        KubeletServer server = start(
                config(true, "deny")
                        .featureGates(Map.of("KubeletFineGrainedAuthz", false))
                        .build(),
                new InMemoryPodSource(),
                reviews("deny", new CopyOnWriteArrayList<>()));
        try {
            assertEquals(
                    "Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[proxy])\n",
                    call(server, "GET", "/pods", "none").body());
        } finally {
            server.close().await();
        }
    }

    @Test
    void theReadOnlyPortServesItsSubsetWithoutAuthentication() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        KubeletServer server = start(
                config(false, "deny").readOnlyPort(port).build(),
                new InMemoryPodSource(List.of(WEB)),
                reviews("deny", new CopyOnWriteArrayList<>()));
        try {
            assertEquals(port, server.readOnlyPort());
            HttpClient http = HttpClient.newHttpClient();
            Function<String, HttpResponse<String>> get = p -> {
                try {
                    return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + p))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            assertEquals(WEB_LIST, get.apply("/pods").body());
            assertEquals("ok", get.apply("/healthz").body());
            HttpResponse<String> exec = get.apply("/exec/default/web/nginx");
            assertEquals(405, exec.statusCode());
            assertEquals("Debug endpoints are disabled.\n", exec.body());
            assertEquals(404, get.apply("/configz").statusCode());
            assertEquals(403, call(server, "GET", "/pods", "alice").statusCode(), "the secure port still authorizes");
        } finally {
            server.close().await();
        }
        KubeletServer noReadOnly = start(
                config(false, "deny").build(), new InMemoryPodSource(), reviews("deny", new CopyOnWriteArrayList<>()));
        try {
            assertEquals(0, noReadOnly.readOnlyPort());
        } finally {
            noReadOnly.close().await();
        }
    }

    @Test
    void webhookModesWithoutAnApiserverRefuseToStart() {
        Exception e = Assertions.assertThrows(
                Exception.class,
                () -> KubeletServer.start(
                                vertx,
                                config(false, "deny").build(),
                                new KubeletServer.Dependencies(
                                        new InMemoryPodSource(), TOKENS, null, serving, Clock.systemUTC()))
                        .await());
        assertTrue(e.getMessage().startsWith("no client provided, cannot use webhook authorization"), e.getMessage());
    }

    /**
     * {@code --tls-min-version} and {@code --tls-cipher-suites} as InitializeTLS applies them: a TLS 1.3 minimum
     * refuses TLS 1.2 clients; named suites are the only TLS 1.2 ones, picked in Go's order (the serving key is
     * RSA here).
     */
    @Test
    void tlsMinimumVersionAndCipherSuitesFromTheFlags() throws Exception {
        KubeletConfig tls13 =
                config(true, "AlwaysAllow").tlsMinVersion("VersionTLS13").build();
        KubeletServer server = start(tls13, new InMemoryPodSource(List.of(WEB)), reviews("allow", new ArrayList<>()));
        try {
            assertEquals("refused", handshake(server, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
            assertEquals("TLS_AES_256_GCM_SHA384", handshake(server, "TLSv1.3", "TLS_AES_256_GCM_SHA384"));
        } finally {
            server.close();
        }
        KubeletConfig named = config(true, "AlwaysAllow")
                .tlsCipherSuites(
                        List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
                .build();
        server = start(named, new InMemoryPodSource(List.of(WEB)), reviews("allow", new ArrayList<>()));
        try {
            assertEquals("refused", handshake(server, "TLSv1.2", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));
            assertEquals(
                    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                    handshake(
                            server,
                            "TLSv1.2",
                            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
        } finally {
            server.close();
        }
    }

    private static String handshake(KubeletServer server, String protocol, String... suites) throws Exception {
        var context = KeyStores.clientContext(List.of(servingCa.certificate()), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {protocol});
            socket.setEnabledCipherSuites(suites);
            socket.startHandshake();
            return socket.getSession().getCipherSuite();
        } catch (SSLException e) {
            return "refused";
        }
    }
}

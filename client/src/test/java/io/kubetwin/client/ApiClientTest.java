package io.kubetwin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyStores;
import io.kubetwin.pki.KeyType;
import io.kubetwin.pki.Kubeconfig;
import io.kubetwin.pki.SubjectNames;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against a TLS server that echoes what it received and asks for a client certificate without requiring one.
 * (That the certificate is presented whatever issuers a server lists is KeyStoresTest's.)
 */
class ApiClientTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final CertificateAuthority CA =
            CertificateAuthority.generate("kubernetes", KeyType.EC_P256, Duration.ofDays(1));
    static HttpsServer server;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        Credential serving = CA.issue(CertificateSpec.server("kube-apiserver")
                .ipAddresses("127.0.0.1")
                .keyType(KeyType.EC_P256)
                .build());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(KeyStores.keyStore(serving), new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(KeyStores.trustStore(List.of(CA.certificate())));
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                params.setWantClientAuth(true);
            }
        });
        server.createContext("/", exchange -> {
            ObjectNode echo = JSON.createObjectNode();
            echo.put("method", exchange.getRequestMethod());
            echo.put("uri", exchange.getRequestURI().toString());
            exchange.getRequestHeaders()
                    .forEach((name, values) -> echo.put(name.toLowerCase(), String.join("|", values)));
            echo.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            try {
                var peer = ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
                echo.put("peer", SubjectNames.commonName((X509Certificate) peer[0]));
            } catch (SSLPeerUnverifiedException none) {
                echo.put("peer", "");
            }
            byte[] out = JSON.writeValueAsBytes(echo);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Warning", "299 - \"one\"");
            exchange.getResponseHeaders().add("Warning", "299 - \"two\"");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
        url = "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void sendsItsDefaultsUnlessTheRequestSetsItsOwn() {
        ApiClient client = ApiClient.anonymous(url + "/", CA.certificate());
        ApiClient.Response r = client.get("/api?limit=1");
        assertEquals("/api?limit=1", r.json().path("uri").asText(), "no double slash after the server URL");
        assertEquals("kubetwin-test/1.0", r.json().path("user-agent").asText());
        assertEquals("application/json, */*", r.json().path("accept").asText());
        assertEquals("", r.json().path("peer").asText());
        assertEquals("", r.json().path("authorization").asText());
        ApiClient.Response own =
                client.send("GET", "/api", null, null, "User-Agent", "kubectl/v1.34.4", "accept", "application/yaml");
        assertEquals("kubectl/v1.34.4", own.json().path("user-agent").asText());
        assertEquals("application/yaml", own.json().path("accept").asText());
    }

    @Test
    void aBodyWithoutContentTypeIsJsonAndHeadersMayRepeat() {
        ApiClient.Response r = ApiClient.anonymous(url, CA.certificate())
                .send("POST", "/x", "{}", null, Map.of("Impersonate-Group", List.of("a", "b")));
        assertEquals("POST", r.json().path("method").asText());
        assertEquals("{}", r.json().path("body").asText());
        assertEquals("application/json", r.json().path("content-type").asText());
        assertEquals("a|b", r.json().path("impersonate-group").asText());
    }

    @Test
    void headerReturnsANewClient() {
        ApiClient plain = ApiClient.anonymous(url, CA.certificate());
        ApiClient impersonating = plain.header("Impersonate-User", "bob");
        assertEquals(
                "bob", impersonating.get("/").json().path("impersonate-user").asText());
        assertEquals("", plain.get("/").json().path("impersonate-user").asText());
    }

    @Test
    void aKubeconfigCertificateIsPresented() {
        Credential alice = CA.issue(
                CertificateSpec.client("alice").keyType(KeyType.EC_P256).build());
        ApiClient client =
                ApiClient.of(Kubeconfig.withClientCertificate("kubernetes", url, CA.certificatePem(), "alice", alice));
        assertEquals("alice", client.get("/").json().path("peer").asText());
        assertEquals(url, client.server());
    }

    @Test
    void aKubeconfigTokenIsSentAsBearerAndTheAnonymousUserSendsNothing() {
        ApiClient token = ApiClient.of(Kubeconfig.withToken("kubernetes", url, CA.certificatePem(), "bob", "t0k"));
        assertEquals("Bearer t0k", token.get("/").json().path("authorization").asText());
        ApiClient anonymous = ApiClient.of(Kubeconfig.anonymous("kubernetes", url, CA.certificatePem()));
        assertEquals("", anonymous.get("/").json().path("authorization").asText());
    }

    @Test
    void responseHeadersAreCaseInsensitiveAndFoldable() {
        ApiClient.Response r = ApiClient.anonymous(url, CA.certificate()).get("/");
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals("299 - \"one\"", r.header("warning"));
        assertEquals(Optional.of("299 - \"one\",299 - \"two\""), r.headerLine("WARNING"));
        assertEquals(List.of("299 - \"one\"", "299 - \"two\""), r.headers().get("warning"));
        assertNull(r.header("x-missing"));
        assertEquals(Optional.empty(), r.headerLine("x-missing"));
    }

    @Test
    void statusHelpers() {
        String status =
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"pods is forbidden\","
                        + "\"reason\":\"Forbidden\",\"code\":403}";
        ApiClient.Response forbidden =
                new ApiClient.Response(403, status, Map.of("Content-Type", List.of("application/json")), 1);
        assertEquals("pods is forbidden", forbidden.message());
        assertEquals(Optional.of("Forbidden"), forbidden.statusReason());
        assertEquals(Optional.of("pods is forbidden"), forbidden.statusMessage());
        assertEquals("application/json", forbidden.header("content-type"));
        ApiClient.Response list = new ApiClient.Response(200, "{\"kind\":\"PodList\"}", Map.of(), 1);
        assertEquals(Optional.empty(), list.statusReason());
        ApiClient.Response text = new ApiClient.Response(200, "ok", Map.of(), 1);
        assertEquals(Optional.empty(), text.optionalJson());
        assertThrows(UncheckedIOException.class, text::json);
    }

    @Test
    void aServerThatIsNotThereIsAnUncheckedIoException() throws Exception {
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ApiClient client = ApiClient.anonymous("https://127.0.0.1:" + port, CA.certificate());
        assertThrows(UncheckedIOException.class, () -> client.get("/"));
    }
}

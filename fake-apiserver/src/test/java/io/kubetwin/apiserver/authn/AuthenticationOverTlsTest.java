package io.kubetwin.apiserver.authn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authentication chain over real TLS: the handshake accepts any client certificate and the x509
 * authenticator answers, as kube-apiserver does; bad credentials are 401 even with anonymous on.
 */
class AuthenticationOverTlsTest {
    static final String UNAUTHORIZED =
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                    + "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}\n";
    static final String ANONYMOUS_PODS = "pods is forbidden: User \"system:anonymous\" cannot list resource \"pods\" "
            + "in API group \"\" in the namespace \"default\"";

    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder()
            .config(b -> b.tokenAuthFile(
                    Files.writeString(dir.resolve("tokens.csv"), "s3cr3t,token-user,uid-1,\"dev,ops\"\n")))
            .build();

    private ApiClient presenting(Credential c) {
        return ApiClient.withCertificate(
                cluster.server().url(), cluster.server().clusterCa().certificate(), c.certificate(), c.privateKey());
    }

    private static void assertUnauthorized(ApiClient.Response r) {
        assertEquals(401, r.code());
        assertEquals(UNAUTHORIZED, r.body());
        assertEquals("application/json", r.header("content-type"));
        assertEquals("no-cache, private", r.header("cache-control"));
        assertNotNull(r.header("audit-id"));
    }

    @Test
    void validCertificateAuthenticatesAsCommonNameWithOrganizationsAsGroups() {
        ApiClient.Response r = cluster.as("alice", "dev").get("/api/v1/namespaces/default/pods");
        assertEquals(403, r.code());
        assertEquals(
                "pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
                r.message());
    }

    @Test
    void expiredCertificateIsUnauthorizedNotAHandshakeFailure() {
        Credential expired = cluster.server()
                .clusterCa()
                .issue(CertificateSpec.client("late")
                        .notBefore(Instant.now().minus(Duration.ofDays(10)))
                        .notAfter(Instant.now().minus(Duration.ofDays(1)))
                        .build());
        assertUnauthorized(presenting(expired).get("/api/v1/namespaces/default/pods"));
    }

    @Test
    void notYetValidCertificateIsUnauthorized() {
        Credential early = cluster.server()
                .clusterCa()
                .issue(CertificateSpec.client("early")
                        .notBefore(Instant.now().plus(Duration.ofDays(1)))
                        .notAfter(Instant.now().plus(Duration.ofDays(10)))
                        .build());
        assertUnauthorized(presenting(early).get("/api/v1/namespaces/default/pods"));
    }

    @Test
    void certificateFromAnotherCaIsUnauthorizedWhenPresented() {
        CertificateAuthority other = CertificateAuthority.generate("other", KeyType.EC_P256, Duration.ofDays(1));
        Credential foreign = other.issue(CertificateSpec.client("mallory")
                .organizations(List.of("system:masters"))
                .build());
        assertUnauthorized(presenting(foreign).get("/api/v1/namespaces/default/pods"));
    }

    @Test
    void certificateWithoutCommonNameFallsThroughToAnonymous() {
        Credential noName = cluster.server()
                .clusterCa()
                .issue(CertificateSpec.client("").organizations(List.of("dev")).build());
        ApiClient.Response r = presenting(noName).get("/api/v1/namespaces/default/pods");
        assertEquals(403, r.code());
        assertEquals(ANONYMOUS_PODS, r.message());
    }

    @Test
    void noCredentialIsAnonymous() {
        ApiClient.Response r = cluster.anonymous().get("/api/v1/namespaces/default/pods");
        assertEquals(403, r.code());
        assertEquals(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
                        + ANONYMOUS_PODS.replace("\"", "\\\"")
                        + "\",\"reason\":\"Forbidden\",\"details\":{\"kind\":\"pods\"},\"code\":403}\n",
                r.body());
        assertEquals("nosniff", r.header("x-content-type-options"));
    }

    @Test
    void invalidBearerTokenIsUnauthorizedEvenWithAnonymousOn() {
        assertUnauthorized(cluster.token("nope").get("/api/v1/namespaces/default/pods"));
    }

    @Test
    void staticTokenAuthenticatesWithItsGroupsAndSystemAuthenticated() {
        ApiClient.Response r = cluster.token("s3cr3t").get("/api/v1/namespaces/default/pods");
        assertEquals(403, r.code());
        assertEquals(
                "pods is forbidden: User \"token-user\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
                r.message());
        assertEquals(200, cluster.token("s3cr3t").get("/api").code(), "system:authenticated may read discovery");
    }

    @Test
    void adminInSystemMastersMayListPods() {
        ApiClient.Response r = cluster.admin().get("/api/v1/namespaces/default/pods");
        assertEquals(200, r.code());
        assertEquals("PodList", r.json().path("kind").asText());
    }

    @Test
    void anonymousOffAnswersUnauthorized() {
        try (TestApiServer closed = TestApiServer.start(
                ApiServerConfig.builder().anonymousAuth(false).build())) {
            assertUnauthorized(closed.anonymous().get("/api/v1/namespaces/default/pods"));
            assertUnauthorized(closed.anonymous().get("/healthz"));
            assertEquals(200, closed.admin().get("/healthz").code());
        }
    }

    @Test
    void impersonationSwitchesIdentityWhenAllowed() {
        ApiClient.Response r =
                cluster.admin().header("Impersonate-User", "bob").get("/api/v1/namespaces/default/pods/x");
        assertEquals(403, r.code());
        assertEquals(
                "pods \"x\" is forbidden: User \"bob\" cannot get resource \"pods\" in API group \"\" in the namespace \"default\"",
                r.message());
    }

    @Test
    void impersonationWithoutPermissionIsForbidden() {
        ApiClient.Response r =
                cluster.as("alice").header("Impersonate-User", "bob").get("/api/v1/namespaces/default/pods");
        assertEquals(403, r.code());
        assertEquals(
                "users \"bob\" is forbidden: User \"alice\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope",
                r.message());
    }

    @Test
    void impersonatingAGroupWithoutAUserIsAnInternalError() {
        ApiClient.Response r =
                cluster.admin().header("Impersonate-Group", "system:masters").get("/api/v1/namespaces");
        assertEquals(500, r.code());
        assertEquals("text/plain; charset=utf-8", r.header("content-type"));
        assertEquals(
                "Internal Server Error: \"/api/v1/namespaces\": requested [{Group  system:masters    }] without impersonating a user\n",
                r.body());
    }

    @Test
    void unknownPathsOutsideTheApiAreGoMuxNotFound() {
        ApiClient.Response r = cluster.admin().get("/foo/bar");
        assertEquals(404, r.code());
        assertEquals("404 page not found\n", r.body());
        ApiClient.Response api = cluster.admin().get("/api/v1/foos");
        assertEquals(404, api.code());
        assertEquals(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"the server "
                        + "could not find the requested resource\",\"reason\":\"NotFound\",\"details\":{},\"code\":404}\n",
                api.body());
    }

    @Test
    void onlyTlsOnePointTwoAndOnePointThreeAreAccepted() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "no openssl");
        URI uri = URI.create(cluster.server().url());
        String target = uri.getHost() + ":" + uri.getPort();
        // openssl (unlike the JDK's client) can still offer TLS 1.1 at security level 0
        String tls11 = handshake(target, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        String tls12 = handshake(target, "-tls1_2");
        String tls13 = handshake(target, "-tls1_3");
        Assertions.assertTrue(tls11.contains("alert protocol version"), tls11);
        Assertions.assertTrue(tls12.contains("New, TLSv1.2, Cipher is"), tls12);
        Assertions.assertTrue(tls13.contains("New, TLSv1.3, Cipher is"), tls13);
    }

    private static String handshake(String target, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/openssl", "s_client", "-connect", target));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}

package io.kubetwin.apiserver.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Gates the fake honours both ways, over TLS. The answers with the gates off were recorded from kube-apiserver
 * v1.34.4 started with {@code --feature-gates=AllowParsingUserUIDFromCertAuth=false,
 * TokenRequestServiceAccountUIDValidation=false} (2026-12-07); with them on (the default) from the reference's
 * defaults, as the existing x509 and TokenRequest tests record them.
 */
class HonouredGatesOverTlsTest {
    private static final String SSR = "/apis/authentication.k8s.io/v1/selfsubjectreviews";
    private static final String SSR_BODY =
            "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}";
    private static final String TOKEN = "/api/v1/namespaces/default/serviceaccounts/bot/token";
    private static final String WRONG_UID = "00000000-0000-0000-0000-000000000001";

    @RegisterExtension
    static final TestApiServer defaults = TestApiServer.builder().build();

    @RegisterExtension
    static final TestApiServer gatesOff = TestApiServer.builder()
            .config(b -> b.featureGates(
                    List.of("AllowParsingUserUIDFromCertAuth=false,TokenRequestServiceAccountUIDValidation=false"),
                    "1.34"))
            .build();

    @Test
    void certificateUidIsReadOnlyWithAllowParsingUserUidFromCertAuth() {
        assertEquals("alice-uid-1", selfSubjectReview(defaults).path("uid").asText());
        JsonNode off = selfSubjectReview(gatesOff);
        // the reference's answer without the gate: no uid at all
        assertEquals("[\"username\",\"groups\",\"extra\"]", fieldNames(off));
        assertEquals("alice", off.path("username").asText());
        assertEquals("[\"dev\",\"system:authenticated\"]", off.path("groups").toString());
    }

    @Test
    void tokenRequestUidMismatchIsAConflictOnlyWithTheValidationGate() {
        String on = createAccount(defaults);
        ApiClient.Response refused = defaults.admin().post(TOKEN, tokenRequest());
        assertEquals(409, refused.code(), refused.body());
        assertEquals(
                "Operation cannot be fulfilled on TokenRequest.authentication.k8s.io \"bot\": the UID in the token request ("
                        + WRONG_UID + ") does not match the UID of the service account (" + on + ")",
                refused.message());

        String off = createAccount(gatesOff);
        ApiClient.Response issued = gatesOff.admin().post(TOKEN, tokenRequest());
        assertEquals(201, issued.code(), issued.body());
        // as the reference: the request's UID is kept, and a warning says why no conflict
        assertEquals(WRONG_UID, issued.json().at("/metadata/uid").asText());
        assertEquals(
                Optional.of("299 - \"the UID in the token request (" + WRONG_UID
                        + ") does not match the UID of the service account (" + off
                        + ") but TokenRequestServiceAccountUIDValidation is not enabled. In the future, this will"
                        + " return a conflict error\""),
                issued.headerLine("Warning"));
    }

    @Test
    void versionNamesTheEmulatedRelease() {
        JsonNode version = gatesOff.anonymous().get("/version").json();
        assertEquals("1", version.path("emulationMajor").asText());
        assertEquals("34", version.path("emulationMinor").asText());
        assertEquals("1", version.path("minCompatibilityMajor").asText());
        assertEquals("33", version.path("minCompatibilityMinor").asText());
        assertEquals("v1.34.4", version.path("gitVersion").asText());
    }

    private static JsonNode selfSubjectReview(TestApiServer server) {
        Credential alice = server.server()
                .clusterCa()
                .issue(CertificateSpec.client("alice")
                        .organizations(List.of("dev"))
                        .uid("alice-uid-1")
                        .keyType(KeyType.EC_P256)
                        .build());
        ApiClient.Response r = server.with(alice).post(SSR, SSR_BODY);
        assertEquals(201, r.code(), r.body());
        return r.json().at("/status/userInfo");
    }

    private static String fieldNames(JsonNode node) {
        StringBuilder out = new StringBuilder("[");
        node.fieldNames()
                .forEachRemaining(n -> out.append(out.length() > 1 ? "," : "")
                        .append('"')
                        .append(n)
                        .append('"'));
        return out.append(']').toString();
    }

    private static String createAccount(TestApiServer server) {
        ApiClient.Response created =
                server.admin().post("/api/v1/namespaces/default/serviceaccounts", "{\"metadata\":{\"name\":\"bot\"}}");
        assertEquals(201, created.code(), created.body());
        return created.json().at("/metadata/uid").asText();
    }

    private static String tokenRequest() {
        return "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"metadata\":{\"uid\":\""
                + WRONG_UID + "\"},\"spec\":{\"audiences\":[\"a\"]}}";
    }
}

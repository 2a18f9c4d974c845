package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service-account issuer's discovery documents (pkg/routes/openidmetadata.go), over TLS: a relying party
 * outside the cluster that reads them can verify the tokens the fake issues. Texts recorded from
 * kube-apiserver v1.34.4; the content-negotiation suite compares the rest with the reference.
 */
class IssuerDiscoveryTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    @Test
    void aTokenIssuedByTheFakeVerifiesAgainstTheServedKeySet() throws Exception {
        ApiClient admin = cluster.admin();
        admin.post("/api/v1/namespaces/default/serviceaccounts", "{\"metadata\":{\"name\":\"relying\"}}");
        ApiClient.Response issued =
                admin.post("/api/v1/namespaces/default/serviceaccounts/relying/token", "{\"spec\":{}}");
        assertEquals(201, issued.code(), issued.body());
        SignedJWT token =
                SignedJWT.parse(issued.json().path("status").path("token").asText());

        ApiClient relying = cluster.token(token.serialize());
        ApiClient.Response config = relying.get("/.well-known/openid-configuration");
        assertEquals(200, config.code(), config.body());
        assertEquals("application/json", config.header("Content-Type"));
        assertEquals("public, max-age=3600", config.header("Cache-Control"));
        assertEquals(
                "{\"issuer\":\"https://kubernetes.default.svc.cluster.local\",\"jwks_uri\":\"https://127.0.0.1:"
                        + cluster.server().port()
                        + "/openid/v1/jwks\",\"response_types_supported\":[\"id_token\"],"
                        + "\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":"
                        + "[\"ES256\"]}",
                config.body());

        ApiClient.Response keys = relying.get("/openid/v1/jwks");
        assertEquals(200, keys.code(), keys.body());
        assertEquals("application/jwk-set+json", keys.header("Content-Type"));
        JsonNode key = keys.json().path("keys").path(0);
        // go-jose's field order
        assertEquals(List.of("use", "kty", "kid", "crv", "alg", "x", "y"), fieldNames(key));
        JWKSet set = JWKSet.parse(keys.body());
        ECKey jwk = (ECKey) set.getKeyByKeyId(token.getHeader().getKeyID());
        JWSVerifier verifier = new ECDSAVerifier(jwk);
        assertTrue(token.verify(verifier), "the served key verifies the token");
    }

    @Test
    void anonymousIsForbidden() {
        ApiClient.Response response = cluster.anonymous().get("/.well-known/openid-configuration");
        assertEquals(403, response.code());
        assertEquals(
                "forbidden: User \"system:anonymous\" cannot get path \"/.well-known/openid-configuration\"",
                response.message());
    }

    @Test
    void aHeadRequestGetsTheLengthWithoutABody() {
        // go-restful has no HEAD route: a 405, whose Status Go's server counts but does not send
        ApiClient.Response post = cluster.admin().send("POST", "/version", null, null);
        ApiClient.Response head = cluster.admin().send("HEAD", "/version", null, null);
        assertEquals(405, head.code());
        assertEquals("", head.body());
        assertEquals(Integer.toString(post.body().length()), head.header("Content-Length"));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

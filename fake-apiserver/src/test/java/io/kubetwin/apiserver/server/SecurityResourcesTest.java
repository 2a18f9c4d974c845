package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the golden replay cannot show: the life of an issued token (it authenticates as its service account and
 * stops at once when the account or its bound object is deleted), protobuf bodies as kubectl sends them, and
 * the fieldValidation modes. Expected texts were observed on kube-apiserver v1.34.4.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityResourcesTest {
    private static final String SSR = "/apis/authentication.k8s.io/v1/selfsubjectreviews";
    private static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    private static final String UNAUTHORIZED = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
            + "\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}";

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private ReviewServer fake;

    @BeforeAll
    void seed() {
        fake = new ReviewServer(cluster);
    }

    @Test
    void issuedTokenAuthenticatesAsItsServiceAccountUntilTheAccountIsDeleted() {
        createServiceAccount("life");
        String token = fake.token("life", "{}");
        JsonNode who = fake.withToken(token).post(SSR, "{}").json();
        assertEquals(
                "system:serviceaccount:default:life",
                who.at("/status/userInfo/username").asText());
        assertEquals(
                "[\"system:serviceaccounts\",\"system:serviceaccounts:default\",\"system:authenticated\"]",
                who.at("/status/userInfo/groups").toString());

        assertEquals(
                200,
                fake.admin
                        .delete("/api/v1/namespaces/default/serviceaccounts/life")
                        .code());
        ApiClient.Response after = fake.withToken(token).post(SSR, "{}");
        assertEquals(401, after.code());
        assertEquals(UNAUTHORIZED, after.body().strip());
        assertEquals(
                "{\"user\":{},\"error\":\"[invalid bearer token, serviceaccounts \\\"life\\\" not found]\"}",
                review(token).toString());
    }

    @Test
    void secretBoundTokenDiesWithItsSecret() {
        assertEquals(
                201,
                fake.admin
                        .post("/api/v1/namespaces/default/secrets", "{\"metadata\":{\"name\":\"bound\"}}")
                        .code());
        String token = fake.token(
                "sa2", "{\"boundObjectRef\":{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"name\":\"bound\"}}");
        assertEquals(true, review(token).get("authenticated").asBoolean());
        assertEquals(
                200,
                fake.admin.delete("/api/v1/namespaces/default/secrets/bound").code());
        assertEquals(401, fake.withToken(token).post(SSR, "{}").code());
        assertEquals(
                "[invalid bearer token, service account token has been invalidated]",
                review(token).get("error").asText());
    }

    @Test
    void protobufSelfSubjectAccessReviewAsKubectlSendsIt() throws Exception {
        byte[] resourceAttributes = message(out -> {
            string(out, 1, "default");
            string(out, 2, "get");
            string(out, 5, "pods");
        });
        byte[] review = message(out -> {
            bytes(out, 1, new byte[0]);
            bytes(out, 2, message(spec -> bytes(spec, 1, resourceAttributes)));
        });
        HttpResponse<String> r = protobuf(
                "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", review));
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(
                "{\"kind\":\"SelfSubjectAccessReview\",\"apiVersion\":\"authorization.k8s.io/v1\",\"metadata\":"
                        + "{\"managedFields\":[{\"manager\":\"kubectl\",\"operation\":\"Update\",\"apiVersion\":\"authorization.k8s.io/v1\","
                        + "\"time\":\"<TIME>\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:spec\":{\"f:resourceAttributes\":{\".\":{},"
                        + "\"f:namespace\":{},\"f:resource\":{},\"f:verb\":{}}}}}]},\"spec\":{\"resourceAttributes\":{\"namespace\":"
                        + "\"default\",\"verb\":\"get\",\"resource\":\"pods\"}},\"status\":{\"allowed\":true}}",
                SecurityResourcesGoldenTest.normalise(r.body().strip()));
    }

    @Test
    void protobufTokenRequestAsKubectlCreateTokenSendsIt() throws Exception {
        byte[] request = message(out -> {
            bytes(out, 1, new byte[0]);
            bytes(out, 2, message(spec -> {
                string(spec, 1, "vault");
                bytes(spec, 3, message(ref -> {
                    string(ref, 1, "Pod");
                    string(ref, 2, "v1");
                    string(ref, 3, "pod1");
                    string(ref, 4, "not-the-pod-uid");
                }));
                int64(spec, 4, 1200);
            }));
        });
        HttpResponse<String> r = protobuf(
                String.format(ReviewServer.TOKEN_PATH, "sa2"),
                envelope("authentication.k8s.io/v1", "TokenRequest", request));
        // the bound object's uid (protobuf field uID) is read: kubectl create token --bound-object-uid
        assertEquals(409, r.statusCode(), r.body());
        assertEquals(
                "Operation cannot be fulfilled on Pod \"pod1\": the UID in the bound object reference (not-the-pod-uid) "
                        + "does not match the UID in record. The object might have been deleted and then recreated",
                ReviewServer.JSON.readTree(r.body()).get("message").asText());
        assertEquals(Optional.empty(), r.headers().firstValue("Warning"));

        request = message(out -> {
            bytes(out, 1, new byte[0]);
            bytes(out, 2, message(spec -> {
                string(spec, 1, "vault");
                bytes(spec, 3, message(ref -> {
                    string(ref, 1, "Pod");
                    string(ref, 2, "v1");
                    string(ref, 3, "pod1");
                }));
                int64(spec, 4, 1200);
            }));
        });
        r = protobuf(
                String.format(ReviewServer.TOKEN_PATH, "sa2"),
                envelope("authentication.k8s.io/v1", "TokenRequest", request));
        assertEquals(201, r.statusCode(), r.body());
        JsonNode body = ReviewServer.JSON.readTree(r.body());
        assertEquals(
                "{\"audiences\":[\"vault\"],\"expirationSeconds\":1200,\"boundObjectRef\":{\"kind\":\"Pod\","
                        + "\"apiVersion\":\"v1\",\"name\":\"pod1\"}}",
                body.get("spec").toString());
        assertEquals(
                "{\"f:spec\":{\"f:audiences\":{},\"f:boundObjectRef\":{\"f:apiVersion\":{},\"f:kind\":{},"
                        + "\"f:name\":{}},\"f:expirationSeconds\":{}}}",
                body.at("/metadata/managedFields/0/fieldsV1").toString());
    }

    @Test
    void protobufEnvelopeOfAnotherKindIsRefused() throws Exception {
        HttpResponse<String> r = protobuf(SSR, envelope("authentication.k8s.io/v1", "TokenReview", new byte[0]));
        assertEquals(400, r.statusCode());
        assertEquals(
                "TokenReview in version \"v1\" cannot be handled as a SelfSubjectReview: no kind \"TokenReview\" is "
                        + "registered for version \"authentication.k8s.io/v1\" in scheme \"pkg/runtime/scheme.go:110\"",
                ReviewServer.JSON.readTree(r.body()).get("message").asText());
    }

    @Test
    void fieldValidationModes() {
        String body = "{\"spec\":{\"token\":\"a\",\"zzz\":1}}";
        ApiClient.Response strict = fake.admin.post(TOKEN_REVIEWS + "?fieldValidation=Strict", body);
        assertEquals(400, strict.code());
        assertEquals(
                "TokenReview in version \"v1\" cannot be handled as a TokenReview: strict decoding error: "
                        + "unknown field \"spec.zzz\"",
                strict.message());
        ApiClient.Response ignore = fake.admin.post(TOKEN_REVIEWS + "?fieldValidation=Ignore", body);
        assertEquals(201, ignore.code());
        assertEquals(null, ignore.header("Warning"));
        assertEquals(
                "299 - \"unknown field \\\"spec.zzz\\\"\"",
                fake.admin.post(TOKEN_REVIEWS, body).header("Warning"));
    }

    /** go-restful's routing as observed on v1.34.4: no route is a 404, a route without the method a 405. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            GET    | /api/v1/namespaces/default                                     | 200
            GET    | /api/v1/namespaces/default/status                              | 200
            GET    | /api/v1/namespaces/default/nodes                               | 404
            GET    | /api/v1/namespaces/default/namespaces                          | 404
            GET    | /api/v1/namespaces/default/namespaces/default                  | 404
            POST   | /apis/authentication.k8s.io/v1/namespaces/default/tokenreviews | 404
            POST   | /apis/authentication.k8s.io/v1/tokenreviews/x                  | 404
            DELETE | /apis/authentication.k8s.io/v1/tokenreviews/x                  | 404
            GET    | /apis/authentication.k8s.io/v1/tokenreviews                    | 405
            PUT    | /apis/authorization.k8s.io/v1/subjectaccessreviews             | 405
            GET    | /api/v1/namespaces/default/serviceaccounts/sa2/token           | 405
            DELETE | /api/v1/namespaces/default/serviceaccounts/sa2/token           | 405
            POST   | /apis/authorization.k8s.io/v1/localsubjectaccessreviews        | 404
            """)
    void routesAsGoRestful(String method, String path, int code) {
        ApiClient.Response r = fake.admin.send(
                method,
                path,
                method.equals("GET") || method.equals("DELETE") ? null : "{}",
                method.equals("GET") || method.equals("DELETE") ? null : "application/json");
        assertEquals(code, r.code(), r.body());
        if (code == 405) {
            assertEquals("the server does not allow this method on the requested resource", r.message());
        } else if (code == 404) {
            assertEquals("the server could not find the requested resource", r.message());
        }
    }

    private void createServiceAccount(String name) {
        assertEquals(
                201,
                fake.admin
                        .post(
                                "/api/v1/namespaces/default/serviceaccounts",
                                "{\"metadata\":{\"name\":\"" + name + "\"}}")
                        .code());
    }

    private JsonNode review(String token) {
        ApiClient.Response r = fake.admin.post(TOKEN_REVIEWS, "{\"spec\":{\"token\":\"" + token + "\"}}");
        assertEquals(201, r.code(), r.body());
        return r.json().get("status");
    }

    private HttpResponse<String> protobuf(String path, byte[] body) throws Exception {
        return fake.postProtobuf(path, body);
    }

    /** The {@code k8s\0} envelope: runtime.Unknown{typeMeta{apiVersion, kind}, raw}. */
    private static byte[] envelope(String apiVersion, String kind, byte[] raw) throws IOException {
        byte[] unknown = message(out -> {
            bytes(out, 1, message(typeMeta -> {
                string(typeMeta, 1, apiVersion);
                string(typeMeta, 2, kind);
            }));
            bytes(out, 2, raw);
        });
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(new byte[] {0x6b, 0x38, 0x73, 0x00});
        all.write(unknown);
        return all.toByteArray();
    }

    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            fields.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void string(CodedOutputStream out, int field, String value) throws IOException {
        out.writeString(field, value);
    }

    private static void bytes(CodedOutputStream out, int field, byte[] value) throws IOException {
        out.writeBytes(field, ByteString.copyFrom(value));
    }

    private static void int64(CodedOutputStream out, int field, long value) throws IOException {
        out.writeInt64(field, value);
    }
}

package io.kubetwin.apiserver.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The seam for create-only and computed resources: dispatch, body checks, verbs, audit objects. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualResourceTest {
    RegistryFixture f;

    @BeforeAll
    void start() throws Exception {
        f = new RegistryFixture();
        // a TokenReview stand-in that echoes the token's length as the username
        f.virtuals.register("authentication.k8s.io", "tokenreviews", "", new VirtualResource() {
            @Override
            public BodyKind bodyKind() {
                return new BodyKind("authentication.k8s.io", "v1", "TokenReview");
            }

            @Override
            public Future<Answer> handle(Call call) {
                ObjectNode out = call.body().deepCopy();
                out.putObject("status")
                        .put("authenticated", true)
                        .putObject("user")
                        .put(
                                "username",
                                "len-" + call.body().at("/spec/token").asText().length());
                return Future.succeededFuture(new Answer(201, out));
            }
        });
        f.virtuals.register("", "serviceaccounts", "token", new VirtualResource() {
            @Override
            public BodyKind bodyKind() {
                return new BodyKind("authentication.k8s.io", "v1", "TokenRequest");
            }

            @Override
            public Future<Answer> handle(Call call) {
                ObjectNode out = call.body().deepCopy();
                out.putObject("status")
                        .put(
                                "token",
                                call.namespace() + "/" + call.name() + "/"
                                        + call.user().name());
                return Future.succeededFuture(new Answer(201, out));
            }
        });
    }

    @AfterAll
    void stop() throws Exception {
        f.close();
    }

    @Test
    void createOnlyReview() throws Exception {
        RegistryFixture.Reply r = f.call(
                "POST",
                "/apis/authentication.k8s.io/v1/tokenreviews",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"abcd\"}}");
        assertEquals(201, r.code(), r.body());
        assertEquals("len-4", r.json().at("/status/user/username").asText());
        assertEquals(
                405,
                f.call("GET", "/apis/authentication.k8s.io/v1/tokenreviews", null)
                        .code());
        RegistryFixture.Reply wrong = f.call(
                "POST",
                "/apis/authentication.k8s.io/v1/tokenreviews",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}");
        assertEquals(400, wrong.code());
        assertEquals(
                "ConfigMap in version \"v1\" cannot be handled as a TokenReview: converting (v1.ConfigMap) to "
                        + "(authentication.TokenReview): unknown conversion",
                wrong.message());
    }

    @Test
    void subresourceWithCrossGroupKind() throws Exception {
        RegistryFixture.Reply r = f.call(
                "POST",
                "/api/v1/namespaces/default/serviceaccounts/sa1/token",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{}}");
        assertEquals(201, r.code(), r.body());
        assertEquals("default/sa1/admin", r.json().at("/status/token").asText());
        assertEquals(
                404,
                f.call("GET", "/api/v1/namespaces/default/pods/x/log", null).code());
    }
}

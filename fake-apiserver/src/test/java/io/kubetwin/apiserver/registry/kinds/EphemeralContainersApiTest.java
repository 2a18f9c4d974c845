package io.kubetwin.apiserver.registry.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * pods/ephemeralcontainers over TLS, as {@code kubectl debug} uses it: the answers and texts recorded from
 * kube-apiserver v1.34.4 with its default flags (strategic merge patches put new containers first).
 */
class EphemeralContainersApiTest {
    private static final String PATH = "/api/v1/namespaces/default/pods/e1/ephemeralcontainers";
    private static final String SMP = "application/strategic-merge-patch+json";

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    @BeforeAll
    static void pod() {
        ApiClient.Response r = cluster.admin()
                .post(
                        "/api/v1/namespaces/default/pods",
                        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"e1\",\"labels\":{\"a\":\"b\"}},"
                                + "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx\"}]}}");
        assertEquals(201, r.code(), r.body());
        ApiClient.Response added =
                patch("{\"spec\":{\"ephemeralContainers\":[{\"name\":\"debugger\",\"image\":\"busybox\","
                        + "\"targetContainerName\":\"app\",\"stdin\":true,\"tty\":true}]}}");
        assertEquals(200, added.code(), added.body());
    }

    private static ApiClient.Response patch(String body) {
        return cluster.admin().patch(PATH, body, SMP);
    }

    @Test
    void anEphemeralContainerIsAddedWithItsDefaultsAndOnlyIt() {
        ApiClient.Response r = patch(
                "{\"metadata\":{\"labels\":{\"x\":\"y\"}},\"spec\":{\"containers\":[{\"name\":"
                        + "\"app\",\"image\":\"busybox\"}],\"ephemeralContainers\":[{\"name\":\"d8\",\"image\":\"busybox\"}]}}");
        assertEquals(200, r.code(), r.body());
        assertEquals("{\"a\":\"b\"}", r.json().path("metadata").path("labels").toString());
        assertEquals(
                "nginx",
                r.json().path("spec").path("containers").path(0).path("image").asText());
        assertEquals(
                "[{\"name\":\"d8\",\"image\":\"busybox\",\"resources\":{},\"terminationMessagePath\":"
                        + "\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\",\"imagePullPolicy\":\"Always\"},"
                        + "{\"name\":\"debugger\",\"image\":\"busybox\",\"resources\":{},\"terminationMessagePath\":"
                        + "\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\",\"imagePullPolicy\":\"Always\","
                        + "\"stdin\":true,\"tty\":true,\"targetContainerName\":\"app\"}]",
                r.json().path("spec").path("ephemeralContainers").toString());
        ApiClient.Response get = cluster.admin().get(PATH);
        assertEquals("Pod", get.json().path("kind").asText());
        assertEquals(3, get.json().path("metadata").path("generation").asInt());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"name\":\"d2\",\"image\":\"busybox\",\"securityContext\":{\"privileged\":true}}"
                        + " | Pod \"e1\" is invalid: spec.ephemeralContainers[0].securityContext.privileged: Forbidden:"
                        + " disallowed by cluster policy",
                "{\"name\":\"d3\",\"image\":\"busybox\",\"ports\":[{\"containerPort\":80}],\"resources\":{\"limits\":"
                        + "{\"cpu\":\"1\"}},\"lifecycle\":{\"preStop\":{\"exec\":{\"command\":[\"x\"]}}}}"
                        + " | Pod \"e1\" is invalid: [spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an"
                        + " Ephemeral Container, spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an"
                        + " Ephemeral Container, spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an"
                        + " Ephemeral Container]",
                "{\"name\":\"app\",\"image\":\"busybox\",\"targetContainerName\":\"nope\"}"
                        + " | Pod \"e1\" is invalid: [spec.ephemeralContainers[0].name: Duplicate value: \"app\","
                        + " spec.ephemeralContainers[0].targetContainerName: Not found: \"nope\"]",
                "{\"name\":\"d5\",\"image\":\" busybox\"} | Pod \"e1\" is invalid: spec.ephemeralContainers[0].image:"
                        + " Invalid value: \" busybox\": must not have leading or trailing whitespace",
            })
    void invalidEphemeralContainersAreRefusedAsTheReference(String container, String message) {
        ApiClient.Response r = patch("{\"spec\":{\"ephemeralContainers\":[" + container + "]}}");
        assertEquals(422, r.code(), r.body());
        assertEquals(message, r.json().path("message").asText());
    }

    @Test
    void existingEphemeralContainersCannotBeRemoved() {
        ApiClient.Response r =
                cluster.admin().patch(PATH, "{\"spec\":{\"ephemeralContainers\":[]}}", "application/merge-patch+json");
        assertEquals(422, r.code(), r.body());
        // one error per existing container (the other test may have added one)
        assertTrue(
                r.json()
                        .path("message")
                        .asText()
                        .contains("spec.ephemeralContainers: Forbidden: existing ephemeral containers \"debugger\" may "
                                + "not be removed\n"),
                r.body());
    }

    @Test
    void otherVerbsAreNotAllowed() {
        assertEquals(405, cluster.admin().post(PATH, "{}").code());
        assertEquals(405, cluster.admin().delete(PATH).code());
    }
}

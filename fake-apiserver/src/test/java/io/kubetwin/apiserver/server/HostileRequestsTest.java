package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.client.RawHttp;
import io.kubetwin.pki.Kubeconfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests Go's net/http and go-restful answer before or instead of the API's handlers, sent raw over TLS as the
 * admin; every expected answer was recorded from kube-apiserver v1.34.4 (conformance suites hostile-wire and
 * hostile-methods carry the whole catalogue, on both targets).
 */
class HostileRequestsTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private static ApiClient.Response raw(String requestLine, String headers) {
        String request = requestLine + "\r\n" + headers.replace("|", "\r\n") + "Connection: close\r\n\r\n";
        return RawHttp.send(Kubeconfig.parse(cluster.server().adminKubeconfig()), request, Duration.ofSeconds(10))
                .response();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource(
            delimiter = '!',
            value = {
                "GET /api HTTP/1.1        ! Host: a|Host: b|                ! 400 ! 400 Bad Request",
                "GET /api HTTP/1.1        ! Host: a b|                      ! 400 ! 400 Bad Request: malformed Host header",
                "GET /api HTTP/1.1        ! Host: a/b|                      ! 400 ! 400 Bad Request: malformed Host header",
                "GET /api HTTP/1.1        ! ''                               ! 400 ! 400 Bad Request: missing required Host header",
                "GET /healthz HTTP/1.1    ! Host: x|Expect: foo|            ! 417 ! ''",
                "GET /healthz HTTP/1.1    ! Host: x|Expect: 100-continue|   ! 200 ! ok",
                "GET /healthz HTTP/1.0    ! ''                               ! 200 ! ok",
                "GET /healthz HTTP/1.1    ! Host:|                          ! 200 ! ok",
                "GET api HTTP/1.1         ! Host: x|                        ! 400 ! 400 Bad Request",
                "GET /a\u0001pi HTTP/1.1  ! Host: x|                        ! 400 ! 400 Bad Request",
                "POST /api HTTP/1.1       ! Host: x|Transfer-Encoding: gzip| ! 501 ! Unsupported transfer encoding",
                "OPTIONS * HTTP/1.1       ! Host: x|                        ! 200 ! ''"
            })
    void goAnswersBeforeAnyHandler(String line, String headers, int code, String body) {
        ApiClient.Response r = raw(line.strip(), headers.strip());
        assertEquals(code, r.code(), r.body());
        assertEquals(body.strip(), r.body());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // methods are case-sensitive: "get" is no GET (verb ""), and go-restful routes no HEAD
        "get /api/v1/namespaces/default/configmaps HTTP/1.1, 405",
        "delete /api/v1/namespaces/default/configmaps HTTP/1.1, 405",
        "HEAD /api/v1/namespaces/default HTTP/1.1, 405",
        "GET /api/v1/namespaces/default HTTP/1.0, 200"
    })
    void methodsAsGoRestfulRoutesThem(String line, int code) {
        assertEquals(code, raw(line, "Host: x|").code());
    }

    @Test
    void aLowerCaseDeleteDeletesNothing() {
        cluster.admin()
                .post(
                        "/api/v1/namespaces/default/configmaps",
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"kept\"}}");
        raw("delete /api/v1/namespaces/default/configmaps HTTP/1.1", "Host: x|");
        assertEquals(
                200,
                cluster.admin()
                        .get("/api/v1/namespaces/default/configmaps/kept")
                        .code());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '!',
            value = {
                "POST   ! ?dryRun=Bad                 ! 422 ! CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: [\"Bad\"]: supported values: \"All\"",
                "POST   ! ?fieldValidation=Bogus      ! 422 ! CreateOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"Bogus\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"",
                "POST   ! ?fieldManager=a%0Ab         ! 422 ! CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Invalid value: \"a\\nb\": invalid character U+000A (at position 1)",
                "GET    ! ?limit=99999999999999999999 ! 400 ! strconv.ParseInt: parsing \"99999999999999999999\": value out of range",
                "GET    ! ?timeoutSeconds=x           ! 400 ! strconv.ParseInt: parsing \"x\": invalid syntax",
                "GET    ! ?resourceVersion=0x10       ! 400 ! invalid resource version: resourceVersion: Invalid value: \"0x10\": strconv.ParseUint: parsing \"0x10\": invalid syntax",
                "GET    ! ?resourceVersionMatch=Bogus ! 422 ! ListOptions.meta.k8s.io \"\" is invalid: [resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided, resourceVersionMatch: Unsupported value: \"Bogus\": supported values: \"Exact\", \"NotOlderThan\", \"\"]",
                "GET    ! ?sendInitialEvents=true     ! 422 ! ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list",
                "DELETE ! ?dryRun=Bad                 ! 422 ! DeleteOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: [\"Bad\"]: supported values: \"All\"",
                "DELETE ! ?propagationPolicy=Sideways ! 422 ! DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"Sideways\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\""
            })
    void optionsAreCheckedBeforeAnythingIsWritten(String method, String query, int code, String message) {
        String path = "/api/v1/namespaces/default/configmaps" + (method.strip().equals("DELETE") ? "/opt" : "");
        cluster.admin()
                .post(
                        "/api/v1/namespaces/default/configmaps",
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"opt\"}}");
        String body = method.strip().equals("POST")
                ? "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"opt-new\"}}"
                : null;
        ApiClient.Response r = cluster.admin().send(method.strip(), path + query.strip(), body, null);
        assertEquals(code, r.code(), r.body());
        assertEquals(message.strip(), r.message());
        assertEquals(
                200,
                cluster.admin().get("/api/v1/namespaces/default/configmaps/opt").code(),
                "still there");
        assertEquals(
                404,
                cluster.admin()
                        .get("/api/v1/namespaces/default/configmaps/opt-new")
                        .code(),
                "nothing created");
    }
}

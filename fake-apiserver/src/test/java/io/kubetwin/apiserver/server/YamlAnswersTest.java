package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Answers other than resource objects for a client that prefers YAML, over TLS, with the status, Content-Type and
 * body kube-apiserver v1.34.4 sent for the same request and Accept header (recorded by hand from the reference
 * started with ci/reference/run-reference.sh; the conformance suite hostile-accept-yaml compares the rest live):
 * Status errors in YAML where the error negotiation finds YAML, raw JSON where it finds nothing, a 500 Status with
 * the original code where go-yaml refuses a character, discovery in YAML, and the bare 406 of the OpenAPI handlers.
 */
class YamlAnswersTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '#',
            quoteCharacter = '`',
            value = {
                "GET # /api/v1/namespaces/nope # application/yaml # 404 # application/yaml # "
                        + "apiVersion: v1\\ncode: 404\\ndetails:\\n  kind: namespaces\\n  name: nope\\nkind: Status\\n"
                        + "message: namespaces \"nope\" not found\\nmetadata: {}\\nreason: NotFound\\nstatus: Failure\\n",
                "GET # /api/v1/namespaces/nope # application/json;q=0.5, application/yaml # 404 # application/yaml # "
                        + "apiVersion: v1\\ncode: 404\\ndetails:\\n  kind: namespaces\\n  name: nope\\nkind: Status\\n"
                        + "message: namespaces \"nope\" not found\\nmetadata: {}\\nreason: NotFound\\nstatus: Failure\\n",
                "GET # /api/v1/namespaces/nope # application/json, application/yaml # 404 # application/json # "
                        + "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                        + "\"message\":\"namespaces \\\"nope\\\" not found\",\"reason\":\"NotFound\","
                        + "\"details\":{\"name\":\"nope\",\"kind\":\"namespaces\"},\"code\":404}\\n",
                "GET # /api/v1/namespaces/a%7Fb # application/yaml # 404 # application/yaml # "
                        + "apiVersion: v1\\ncode: 500\\nkind: Status\\nmessage: 'yaml: control characters are not allowed'"
                        + "\\nmetadata: {}\\nstatus: Failure\\n",
                "PUT # /api/v1/namespaces # application/yaml # 405 # application/yaml # "
                        + "apiVersion: v1\\ncode: 405\\ndetails: {}\\nkind: Status\\nmessage: the server does not allow "
                        + "this method on the requested resource\\nmetadata: {}\\nreason: MethodNotAllowed\\n"
                        + "status: Failure\\n",
                "GET # /version # application/yaml # 406 # application/yaml # "
                        + "apiVersion: v1\\ncode: 406\\ndetails: {}\\nkind: Status\\nmessage: |-\\n  406: Not Acceptable"
                        + "\\n\\n  Available representations: application/json\\nmetadata: {}\\nreason: NotAcceptable\\n"
                        + "status: Failure\\n",
                "GET # /apis/apps # application/yaml # 200 # application/yaml # "
                        + "apiVersion: v1\\nkind: APIGroup\\nname: apps\\npreferredVersion:\\n  groupVersion: apps/v1\\n"
                        + "  version: v1\\nversions:\\n- groupVersion: apps/v1\\n  version: v1\\n",
                "GET # /api/v1/namespaces?watch=1&timeoutSeconds=1 # application/yaml, application/json;q=0.9 # 406 # "
                        + "application/yaml # apiVersion: v1\\ncode: 406\\nkind: Status\\nmessage: 'only the following "
                        + "media types are accepted: application/json;stream=watch,\\n  application/vnd.kubernetes.protobuf;"
                        + "stream=watch'\\nmetadata: {}\\nreason: NotAcceptable\\nstatus: Failure\\n",
                "GET # /openapi/v2 # application/yaml # 406 # # ",
                "GET # /openapi/v3/apis/apps/v1 # application/yaml # 406 # # ",
            })
    void answersAsTheReference(String method, String path, String accept, int status, String contentType, String body) {
        ApiClient.Response r = cluster.admin()
                .send(method, path, method.equals("PUT") ? "{}" : null, "application/json", "Accept", accept);
        assertEquals(status, r.code(), r.body());
        assertEquals(contentType, r.header("content-type"));
        assertEquals(body == null ? "" : body.replace("\\n", "\n"), r.body());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                // no Accept header: legacy discovery in JSON, never the aggregated document
                "/api | | 200 | application/json | APIVersions",
                "/apis/ | application/yaml;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList | 406 | application/json"
                        + " | Status",
                "/apis | application/yaml;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList | 200 | "
                        + "application/yaml;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList | APIGroupDiscoveryList",
            })
    void negotiatesDiscoveryAsTheReference(String path, String accept, int status, String contentType, String kind) {
        ApiClient.Response r = accept == null
                ? cluster.admin().send("GET", path, null, null)
                : cluster.admin().send("GET", path, null, null, "Accept", accept);
        assertEquals(status, r.code(), r.body());
        assertEquals(contentType, r.header("content-type"));
        String firstKind = r.body().contains("\"kind\"")
                ? r.json().path("kind").asText()
                : r.body()
                        .lines()
                        .filter(l -> l.startsWith("kind: "))
                        .findFirst()
                        .orElse("")
                        .substring(6);
        assertEquals(kind, firstKind);
    }
}

package io.kubetwin.apiserver.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.testing.Golden;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ForbiddenMessagesTest {

    private static Attributes res(
            String user, String verb, String group, String resource, String sub, String ns, String name) {
        return Attributes.resource(UserInfo.of(user), verb, group, resource, sub, ns, name);
    }

    private static Attributes path(String user, String verb, String path) {
        return Attributes.nonResource(UserInfo.of(user), verb, path);
    }

    /** Each case's whole body was recorded from kube-apiserver v1.34.4 (golden/rbac/observed/). */
    static Stream<Arguments> observed() {
        return Stream.of(
                Arguments.of("forbidden-list-pods", res("viewer", "list", "", "pods", "", "default", ""), ""),
                Arguments.of("forbidden-get-named", res("x", "get", "", "pods", "", "default", "foo"), ""),
                Arguments.of("forbidden-subresource", res("x", "get", "", "pods", "log", "default", "foo"), ""),
                Arguments.of("forbidden-group", res("x", "list", "apps", "deployments", "", "d", ""), ""),
                Arguments.of(
                        "forbidden-group-named-sub", res("x", "get", "apps", "deployments", "scale", "d", "web"), ""),
                Arguments.of("forbidden-cluster", res("x", "list", "", "nodes", "", "", ""), ""),
                Arguments.of("forbidden-nonresource", path("system:anonymous", "get", "/metrics"), ""),
                Arguments.of("forbidden-escaped", res("x<y>&z", "list", "", "pods", "", "default", ""), ""),
                Arguments.of("forbidden-escaped-path", path("x<y>&z", "get", "/healthz/a<b"), ""),
                Arguments.of(
                        "forbidden-with-reason",
                        res("bob", "list", "", "secrets", "", "team", ""),
                        "RBAC: role.rbac.authorization.k8s.io \"missing\" not found"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("observed")
    void bodyMatchesRecordedKubeApiserver(String golden, Attributes attributes, String reason) {
        StatusException e = ForbiddenMessages.forbidden(attributes, reason);
        assertEquals(403, e.code());
        assertEquals(Golden.json("rbac/observed/" + golden + ".json"), Golden.body(e));
    }

    /** The exact strings of spec section 2.4. */
    static Stream<Arguments> specMessages() {
        return Stream.of(
                Arguments.of(
                        res("viewer", "list", "", "pods", "", "default", ""),
                        "",
                        "pods is forbidden: User \"viewer\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\""),
                Arguments.of(
                        res("x", "get", "", "pods", "", "default", "foo"),
                        "",
                        "pods \"foo\" is forbidden: User \"x\" cannot get resource \"pods\" in API group \"\" in the namespace \"default\""),
                Arguments.of(
                        res("x", "get", "", "pods", "log", "default", "foo"),
                        "",
                        "pods \"foo\" is forbidden: User \"x\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"default\""),
                Arguments.of(
                        res("x", "list", "apps", "deployments", "", "d", ""),
                        "",
                        "deployments.apps is forbidden: User \"x\" cannot list resource \"deployments\" in API group \"apps\" in the namespace \"d\""),
                Arguments.of(
                        res("x", "list", "", "nodes", "", "", ""),
                        "",
                        "nodes is forbidden: User \"x\" cannot list resource \"nodes\" in API group \"\" at the cluster scope"),
                Arguments.of(
                        path("system:anonymous", "get", "/metrics"),
                        "",
                        "forbidden: User \"system:anonymous\" cannot get path \"/metrics\""),
                Arguments.of(
                        res("system:node:n1", "get", "", "secrets", "", "default", "s"),
                        "no relationship found between node 'n1' and this object",
                        "secrets \"s\" is forbidden: User \"system:node:n1\" cannot get resource \"secrets\" in API group \"\" in the namespace \"default\": no relationship found between node 'n1' and this object"),
                // the reason is not escaped, only the core; the user name is Go-quoted
                Arguments.of(
                        res("a\"b", "get", "", "pods", "", "default", ""),
                        "<x>",
                        "pods is forbidden: User \"a\\\"b\" cannot get resource \"pods\" in API group \"\" in the namespace \"default\": <x>"),
                Arguments.of(
                        path("u", "get", "/"),
                        "Everything is forbidden.",
                        "forbidden: User \"u\" cannot get path \"/\": Everything is forbidden."));
    }

    @ParameterizedTest
    @MethodSource("specMessages")
    void message(Attributes attributes, String reason, String expected) {
        assertEquals(expected, ForbiddenMessages.message(attributes, reason));
        assertEquals(
                expected,
                ForbiddenMessages.forbidden(attributes, reason).status().message());
    }
}

package io.kubetwin.apiserver.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatusesTest {
    static Stream<Arguments> forbiddenPrefixes() {
        return Stream.of(
                Arguments.of("", "", "", "forbidden: "),
                Arguments.of("", "pods", "", "pods is forbidden: "),
                Arguments.of(
                        "rbac.authorization.k8s.io",
                        "roles",
                        "ci-cd",
                        "roles.rbac.authorization.k8s.io \"ci-cd\" is forbidden: "),
                Arguments.of("", "pods", "a\"b", "pods \"a\\\"b\" is forbidden: "));
    }

    /** errors.NewForbidden's message before the detail. */
    @ParameterizedTest
    @MethodSource("forbiddenPrefixes")
    void forbiddenPrefix(String group, String resource, String name, String expected) {
        assertEquals(expected, Statuses.forbiddenPrefix(group, resource, name));
        assertEquals(
                expected + "detail",
                Statuses.forbiddenWithDetail(group, resource, name, "detail")
                        .status()
                        .message());
    }

    /** Names are Go-quoted (%q): messages recorded from kube-apiserver v1.34.4 for names no object can have. */
    @Test
    void namesArePrintedWithPercentQ() {
        assertEquals(
                "configmaps \"a\\bb\\u00a0\\u2028\\\"\" not found",
                Statuses.notFound("", "configmaps", "a\bb\u00a0\u2028\"")
                        .status()
                        .message());
        assertEquals(
                "ConfigMap \"a\\bb\\u00a0\\u2028\\a\\u0085\" is invalid: metadata.name: Invalid value: x",
                Statuses.invalid(
                                "",
                                "ConfigMap",
                                "a\bb\u00a0\u2028\u0007\u0085",
                                List.of(new Status.Cause("FieldValueInvalid", "Invalid value: x", "metadata.name")))
                        .status()
                        .message());
        assertEquals(
                "configmaps \"dup\" already exists",
                Statuses.alreadyExists("", "configmaps", "dup").status().message());
    }
}

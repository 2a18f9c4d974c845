package io.kubetwin.apiserver.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatusesTest {
    static Stream<Arguments> forbiddenPrefixes() {
        return Stream.of(
                Arguments.of("", "", "", "forbidden: "),
                Arguments.of("", "pods", "", "pods is forbidden: "),
                Arguments.of("rbac.authorization.k8s.io", "roles", "ci-cd", "roles.rbac.authorization.k8s.io \"ci-cd\" is forbidden: "),
                Arguments.of("", "pods", "a\"b", "pods \"a\\\"b\" is forbidden: "));
    }

    /** errors.NewForbidden's message before the detail. */
    @ParameterizedTest
    @MethodSource("forbiddenPrefixes")
    void forbiddenPrefix(String group, String resource, String name, String expected) {
        assertEquals(expected, Statuses.forbiddenPrefix(group, resource, name));
        assertEquals(expected + "detail", Statuses.forbiddenWithDetail(group, resource, name, "detail").status().message());
    }
}

package io.kubetwin.scenarios.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KubectlCommandTest {

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("get pods", List.of("get", "pods")),
                Arguments.of("kubectl get  pods  -n default", List.of("kubectl", "get", "pods", "-n", "default")),
                Arguments.of(
                        "auth can-i list pods --as 'system:serviceaccount:a:b'",
                        List.of("auth", "can-i", "list", "pods", "--as", "system:serviceaccount:a:b")),
                Arguments.of(
                        "get --raw \"/api/v1/namespaces/default/pods?limit=500\"",
                        List.of("get", "--raw", "/api/v1/namespaces/default/pods?limit=500")),
                Arguments.of(
                        "create secret generic s --from-literal=a=''",
                        List.of("create", "secret", "generic", "s", "--from-literal=a=")));
    }

    @ParameterizedTest
    @MethodSource("lines")
    void splitsLikeAShell(String line, List<String> args) {
        assertEquals(args, KubectlCommand.split(line));
    }

    @ParameterizedTest
    @MethodSource("lines")
    void dropsALeadingKubectl(String line, List<String> args) {
        var command = new KubectlCommand(KubectlCommand.split(line), null);
        assertEquals(args.get(0).equals("kubectl") ? args.subList(1, args.size()) : args, command.args());
    }
}

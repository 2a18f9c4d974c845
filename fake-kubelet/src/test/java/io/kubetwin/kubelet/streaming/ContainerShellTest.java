package io.kubetwin.kubelet.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.kubelet.pods.Pod;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContainerShellTest {
    static final Pod.Container WEB = new Pod.Container("web", "nginx:1.27", List.of("ready"));
    static final Pod POD = new Pod("default", "web-1", "uid-1", List.of(WEB), true);

    static Stream<Arguments> commands() {
        String missing = "OCI runtime exec failed: exec failed: unable to start container process: exec: \"nope\": "
                + "executable file not found in $PATH: unknown\r\n";
        return Stream.of(
                Arguments.of(List.of("echo", "hi", "there"), "hi there\n", "", 0),
                Arguments.of(List.of("echo", "-n", "hi"), "hi", "", 0),
                Arguments.of(List.of("/bin/echo"), "\n", "", 0),
                Arguments.of(List.of("hostname"), "web-1\n", "", 0),
                Arguments.of(List.of("cat", "/etc/hostname"), "web-1\n", "", 0),
                Arguments.of(
                        List.of("cat", "/etc/shadow"),
                        "",
                        "cat: can't open '/etc/shadow': No such file or directory\n",
                        1),
                Arguments.of(List.of("whoami"), "root\n", "", 0),
                Arguments.of(List.of("false"), "", "", 1),
                Arguments.of(List.of("ls", "/tmp/x"), "", "ls: /tmp/x: No such file or directory\n", 1),
                Arguments.of(List.of("sh", "-c", "echo \"a  b\" 'c'"), "a  b c\n", "", 0),
                Arguments.of(List.of("sh", "-c", "exit 300"), "", "", 44),
                Arguments.of(List.of("bash", "-c", "nope x"), "", "bash: nope: not found\n", 127),
                Arguments.of(List.of("nope"), "", missing, 127));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void deterministicOutputAndExitCodes(List<String> argv, String stdout, String stderr, int exitCode) {
        ContainerShell.Result r = ContainerShell.run(argv, POD, WEB);
        assertEquals(stdout, r.stdout(), "stdout");
        assertEquals(stderr, r.stderr(), "stderr");
        assertEquals(exitCode, r.exitCode(), "exit code");
    }

    @ParameterizedTest
    @MethodSource("statuses")
    void theErrorChannelStatus(boolean translated, String json) {
        String message = RemoteCommandStatus.exitCodeMessage(List.of("sh", "-c", "exit 3"), 3, translated);
        assertEquals(json, RemoteCommandStatus.exitCode(message, 3));
    }

    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.of(
                        false,
                        "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code: "
                                + "error executing command [sh -c exit 3], exit code 3\",\"reason\":\"NonZeroExitCode\","
                                + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}"),
                Arguments.of(
                        true,
                        "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code: "
                                + "command terminated with exit code 3\",\"reason\":\"NonZeroExitCode\","
                                + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}"));
    }
}

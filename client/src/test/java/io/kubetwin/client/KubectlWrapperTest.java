package io.kubetwin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Finding kubectl and running it, with a shell script standing in for it. */
class KubectlWrapperTest {
    @TempDir
    static Path dir;

    static Path bin;
    static Path script;

    /** Prints its arguments, environment and working directory, echoes stdin, writes to stderr, exits 3. */
    static Path script() throws IOException {
        if (script == null) {
            bin = Files.createDirectories(dir.resolve("bin"));
            script = Files.writeString(bin.resolve("kubectl"), """
                    #!/bin/sh
                    echo "args: $*"
                    echo "KUBECONFIG=$KUBECONFIG HOME=$HOME PWD=$(pwd) CACHE=${KUBECACHEDIR:-none}"
                    cat
                    echo "oops" >&2
                    exit 3
                    """);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return script;
    }

    static Stream<Arguments> lookups() throws IOException {
        String found = script().toString();
        Path missing = dir.resolve("nowhere/kubectl");
        return Stream.of(
                Arguments.of(
                        "the variable wins", Map.of("KUBETWIN_KUBECTL", found, "PATH", "/nonexistent"), missing, null),
                Arguments.of(
                        "a variable naming nothing is not ignored",
                        Map.of("KUBETWIN_KUBECTL", missing.toString(), "PATH", bin.toString()),
                        script,
                        "$KUBETWIN_KUBECTL (" + missing + ") is not an executable file"),
                Arguments.of("then the PATH", Map.of("PATH", "/nonexistent:" + bin), missing, null),
                Arguments.of("then the fallback", Map.of("PATH", "/nonexistent"), script, null),
                Arguments.of(
                        "none",
                        Map.of("PATH", "/nonexistent"),
                        missing,
                        "no kubectl on the PATH or at " + missing + " (set KUBETWIN_KUBECTL to its path)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lookups")
    void findsKubectlOrSaysWhyNot(String name, Map<String, String> env, Path fallback, String reason) {
        Kubectl kubectl = Kubectl.find(env, fallback, dir);
        assertEquals(Optional.ofNullable(reason), kubectl.unavailableReason());
        assertEquals(reason == null, kubectl.available());
    }

    @Test
    void runsWithTheKubeconfigAndItsOwnHome() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Kubectl kubectl = Kubectl.find(Map.of("KUBETWIN_KUBECTL", script().toString()), Kubectl.FALLBACK, home);
        Path kubeconfig = dir.resolve("admin.kubeconfig");
        Kubectl.Result r = kubectl.runWithInput(kubeconfig, "from stdin\n", "get", "pods", "-n", "default");
        assertEquals(3, r.exitCode());
        assertEquals(
                "args: get pods -n default\nKUBECONFIG=" + kubeconfig + " HOME=" + home + " PWD=" + home
                        + " CACHE=none\nfrom stdin\n",
                r.stdout());
        assertEquals("oops\n", r.stderr());
        assertTrue(r.toString().startsWith("exit 3\nstdout:\nargs: get pods"), r.toString());
        assertEquals(
                "",
                kubectl.run(kubeconfig, List.of("x"), null)
                        .stdout()
                        .lines()
                        .filter(l -> l.startsWith("from"))
                        .findFirst()
                        .orElse(""),
                "no stdin: kubectl reads EOF");
    }

    @Test
    void runningAMissingKubectlFailsWithTheReason() {
        Kubectl kubectl = Kubectl.find(Map.of("PATH", "/nonexistent"), dir.resolve("nowhere"), dir);
        assertFalse(kubectl.available());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kubectl.run(dir, "version"));
        assertEquals(kubectl.unavailableReason().orElseThrow(), e.getMessage());
    }
}

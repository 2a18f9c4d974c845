package io.kubetwin.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The blocking server leaves nothing behind: no non-daemon thread, no listening port, no file. Isolated: the thread
 * census must not see other classes' servers starting.
 */
@Isolated
class CleanShutdownTest {
    @Test
    void closeLeavesNoThreadPortOrFile() throws Exception {
        // warm the JVM first (class loading, the JIT), then print what a fresh server costs: printed, never asserted
        KubeTwinServer.start().close();
        Set<Thread> before = nonDaemonThreads();
        long began = System.nanoTime();
        KubeTwinServer server = KubeTwinServer.start(KubeTwinConfig.builder()
                .user("alice", "dev")
                .tokenUser("bob", "bob-token")
                .serviceAccount("team", "operator")
                .auditPolicy(AuditPolicy.atLevel("Metadata"))
                .build());
        System.out.println("kubetwin: a fresh server (3 actors, auditing) started in a warm JVM in "
                + (System.nanoTime() - began) / 1_000_000 + " ms");
        int port = server.port();
        Path dir = server.workingDirectory();
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(server.actor("alice").kubeconfig()))
                .build();
        client.close();
        assertTrue(Files.isRegularFile(dir.resolve("audit.log")));
        assertEquals(
                List.of(
                        "admin.kubeconfig",
                        "alice.kubeconfig",
                        "audit-policy.yaml",
                        "audit.log",
                        "bob.kubeconfig",
                        "system_serviceaccount_team_operator.kubeconfig",
                        "tokens.csv"),
                list(dir));

        server.close();
        server.close(); // idempotent

        assertFalse(Files.exists(dir), "working directory deleted");
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort(), "the port is free again");
        }
        Set<Thread> left = awaitGone(before);
        assertEquals(Set.of(), left.stream().map(Thread::getName).collect(Collectors.toSet()), "threads left");
    }

    @Test
    void aRefusedConfigurationLeavesNothingEither() throws IOException {
        List<Path> dirsBefore = kubetwinTempDirs();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> KubeTwinServer.start(
                        KubeTwinConfig.builder().authorizationModes("Sometimes").build()));
        assertEquals("authorization-mode \"Sometimes\" is not a valid mode", e.getMessage());
        assertEquals(dirsBefore, kubetwinTempDirs());
    }

    private static <T extends Throwable> T assertThrows(Class<T> type, org.junit.jupiter.api.function.Executable call) {
        return org.junit.jupiter.api.Assertions.assertThrows(type, call);
    }

    private static List<String> list(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<Path> kubetwinTempDirs() throws IOException {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("kubetwin-"))
                    .sorted()
                    .toList();
        }
    }

    private static Set<Thread> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !t.isDaemon() && t.isAlive())
                .collect(Collectors.toSet());
    }

    /** The non-daemon threads started since {@code before} that are still alive, after letting them end (5s at most). */
    private static Set<Thread> awaitGone(Set<Thread> before) throws InterruptedException {
        Set<Thread> left = Set.of();
        for (int i = 0; i < 100; i++) {
            left = nonDaemonThreads().stream().filter(t -> !before.contains(t)).collect(Collectors.toSet());
            if (left.isEmpty()) {
                return left;
            }
            Thread.sleep(50);
        }
        return left;
    }
}

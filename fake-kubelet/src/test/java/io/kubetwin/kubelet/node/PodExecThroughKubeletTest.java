package io.kubetwin.kubelet.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.client.ApiClient;
import io.kubetwin.client.Kubectl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl's {@code exec} through the fake apiserver to a fake kubelet, over TLS both ways
 * ({@link KubeletCluster}): kubectl v1.32's WebSocket ({@code v5.channel.k8s.io}) path, the simulated container's
 * commands and exit codes, RBAC on {@code pods/exec} (kubectl falls back to SPDY with POST after a refused
 * WebSocket, so its message names verb create), the apiserver's own refusals (texts recorded from the reference
 * kube-apiserver v1.34.4) and the audit events (code 101 for the switched connection, as the reference records).
 */
class PodExecThroughKubeletTest {
    @TempDir
    static Path dir;

    static KubectlCluster fixture;
    static KubeletCluster cluster;
    static Kubectl kubectl;
    static Path admin;

    @BeforeAll
    static void start() throws Exception {
        fixture = KubectlCluster.start(dir, "exec", "attach", "portforward");
        cluster = fixture.cluster;
        kubectl = fixture.kubectl;
        admin = fixture.admin;
        cluster.pod("web-1", "node-7");
        cluster.pod("unscheduled", null);
        cluster.pod("lost", "node-gone");
        cluster.awaitOnKubelet("web-1");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @BeforeEach
    void needsKubectl() {
        fixture.assumeKubectl();
    }

    private static Kubectl.Result exec(String... args) {
        List<String> all = new ArrayList<>(List.of("exec"));
        all.addAll(List.of(args));
        return kubectl.run(admin, all, null);
    }

    @Test
    void echoHi() {
        Kubectl.Result r = exec("web-1", "--", "echo", "hi");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("hi\n", r.stdout());
        assertEquals("", r.stderr());
    }

    @Test
    void simulatedCommands() {
        assertEquals("web-1\n", exec("web-1", "--", "hostname").stdout());
        assertEquals("web-1\n", exec("web-1", "--", "cat", "/etc/hostname").stdout());
        assertEquals("root\n", exec("web-1", "-c", "web", "--", "whoami").stdout());
        assertEquals(
                "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n",
                exec("web-1", "--", "id").stdout());
        assertEquals("a b\n", exec("web-1", "--", "sh", "-c", "echo 'a b'").stdout());
    }

    @Test
    void exitCodesComeThroughTheErrorChannel() {
        Kubectl.Result r = exec("web-1", "--", "sh", "-c", "exit 3");
        assertEquals(3, r.exitCode(), r.toString());
        assertEquals("command terminated with exit code 3\n", r.stderr());
        r = exec("web-1", "--", "nosuchcommand");
        assertEquals(127, r.exitCode(), r.toString());
        assertEquals(
                "OCI runtime exec failed: exec failed: unable to start container process: exec: \"nosuchcommand\": "
                        + "executable file not found in $PATH: unknown\r\n"
                        + "command terminated with exit code 127\n",
                r.stderr());
        r = exec("web-1", "--", "ls", "/nope");
        assertEquals(1, r.exitCode());
        assertEquals("ls: /nope: No such file or directory\ncommand terminated with exit code 1\n", r.stderr());
    }

    @Test
    void stdinIsCopiedUntilItsEnd() {
        Kubectl.Result r = kubectl.run(admin, List.of("exec", "-i", "web-1", "--", "cat"), "one\ntwo\n");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("one\ntwo\n", r.stdout());
    }

    /** Recorded from the reference kube-apiserver v1.34.4 (no kubelet needed for these). */
    @Test
    void theApiserversRefusals() {
        Kubectl.Result r = exec("unscheduled", "--", "echo", "hi");
        assertEquals(1, r.exitCode());
        assertEquals("Error from server (BadRequest): pod unscheduled does not have a host assigned\n", r.stderr());
        r = exec("web-1", "-c", "nope", "--", "echo", "hi");
        assertEquals("Error from server (BadRequest): container nope is not valid for pod web-1\n", r.stderr());
        r = exec("lost", "--", "echo", "hi");
        assertEquals("Error from server (NotFound): pods \"node-gone\" not found\n", r.stderr());
        r = exec("missing", "--", "echo", "hi");
        assertEquals("Error from server (NotFound): pods \"missing\" not found\n", r.stderr());

        ApiClient.Response plain =
                cluster.admin.post("/api/v1/namespaces/default/pods/web-1/exec?command=echo&stdout=true", "");
        assertEquals(400, plain.code());
        assertEquals(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                        + "\"message\":\"Upgrade request required\",\"reason\":\"BadRequest\",\"code\":400}\n",
                plain.body());
    }

    @Test
    void rbacOnPodsExec() throws Exception {
        ApiClient admin = cluster.admin;
        assertEquals(
                201,
                admin.post("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", """
                        {"metadata":{"name":"pod-getter"},"rules":[{"apiGroups":[""],"resources":["pods"],
                         "verbs":["get"]}]}""")
                        .code());
        assertEquals(
                201,
                admin.post("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", """
                        {"metadata":{"name":"bob"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role",
                         "name":"pod-getter"},"subjects":[{"kind":"User","name":"bob"}]}""")
                        .code());
        Path bob = Files.writeString(dir.resolve("bob.kubeconfig"), cluster.apiserver.kubeconfigFor("bob"));
        Kubectl.Result r = kubectl.run(bob, List.of("exec", "web-1", "--", "echo", "hi"), null);
        assertEquals(1, r.exitCode());
        assertEquals(
                "Error from server (Forbidden): pods \"web-1\" is forbidden: User \"bob\" cannot create resource "
                        + "\"pods/exec\" in API group \"\" in the namespace \"default\"\n",
                r.stderr());
    }

    static final List<String> LINES = List.of(
            "kubetwin fake container default/web-1/web started",
            "image nginx:1.27: nothing runs on a fake node",
            "ready");

    /** The first lines of a kubectl that does not end by itself, then it is stopped (bounded, not timed). */
    private static List<String> firstLines(int count, String... args) throws Exception {
        Process p = kubectl.start(admin, args);
        try {
            CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> {
                List<String> read = new ArrayList<>();
                try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while (read.size() < count && (line = out.readLine()) != null) {
                        read.add(line);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return read;
            });
            return lines.get(2, TimeUnit.MINUTES);
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    @Test
    void attachStreamsTheContainersOutput() throws Exception {
        assertEquals(LINES, firstLines(3, "attach", "web-1"));
    }

    @Test
    void logsFollowStreamsAndStaysOpen() throws Exception {
        assertEquals(LINES, firstLines(3, "logs", "-f", "web-1"));
        // the fake kubelet's followed log never ends: an apiserver that buffered it would pass no line on at all
    }

    @Test
    void auditRecordsTheSwitchAs101() throws Exception {
        assertEquals("audited\n", exec("web-1", "--", "echo", "audited").stdout());
        List<JsonNode> events =
                fixture.auditEvents(e -> e.path("requestURI").asText().contains("command=audited"));
        assertEquals(
                List.of("RequestReceived", "ResponseStarted", "ResponseComplete"),
                events.stream().map(e -> e.path("stage").asText()).toList());
        for (JsonNode e : events) {
            assertEquals("get", e.path("verb").asText());
            assertEquals("exec", e.path("objectRef").path("subresource").asText());
        }
        assertEquals(
                "{\"metadata\":{},\"code\":101}",
                events.get(1).path("responseStatus").toString());
        assertEquals(
                "{\"metadata\":{},\"code\":101}",
                events.get(2).path("responseStatus").toString());
    }
}

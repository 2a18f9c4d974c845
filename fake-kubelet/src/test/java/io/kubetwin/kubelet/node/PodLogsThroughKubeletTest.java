package io.kubetwin.kubelet.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubetwin.apiserver.server.FakeApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.client.Kubectl;
import io.kubetwin.kubelet.server.KubeletServer;
import io.kubetwin.pki.Kubeconfig;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pods/log} from the fake apiserver through a fake kubelet over TLS both ways ({@link KubeletCluster}). The
 * errors are the reference kube-apiserver v1.34.4's, recorded from it.
 */
class PodLogsThroughKubeletTest {
    @TempDir
    static Path dir;

    static KubeletCluster cluster;
    static ApiClient admin;
    static FakeApiServer apiserver;
    static KubeletServer kubelet;

    @BeforeAll
    static void cluster() throws Exception {
        cluster = KubeletCluster.start(dir);
        admin = cluster.admin;
        apiserver = cluster.apiserver;
        kubelet = cluster.kubelet;
        pod("web-1", "node-7");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static void pod(String name, String nodeName) {
        cluster.pod(name, nodeName);
    }

    /** The kubelet learns of a pod by its watch: ask until it serves the pod's log (bounded, not timed). */
    static ApiClient.Response log(String name, String query) throws InterruptedException {
        ApiClient.Response r = null;
        for (int i = 0; i < 100; i++) {
            r = admin.get("/api/v1/namespaces/default/pods/" + name + "/log" + query);
            if (r.code() != 404 || !r.body().contains("pods/log")) {
                return r;
            }
            Thread.sleep(50);
        }
        return r;
    }

    static final String LINES = "kubetwin fake container default/web-1/web started\n"
            + "image nginx:1.27: nothing runs on a fake node\n"
            + "ready\n";

    @Test
    void theContainerLogComesFromTheNodesKubelet() throws Exception {
        ApiClient.Response r = log("web-1", "");
        assertEquals(200, r.code(), r.body());
        assertEquals("text/plain", r.header("Content-Type"));
        assertEquals(LINES, r.body());
        assertEquals("ready\n", log("web-1", "?container=web&tailLines=1").body());
        assertEquals(
                "kubetwin",
                log("web-1", "?limitBytes=8&follow=true&timestamps=false").body());
    }

    @Test
    void theApiserversOwnErrorsBeforeTheKubelet() throws Exception {
        ApiClient.Response r = log("web-1", "?container=db");
        assertEquals(400, r.code());
        assertEquals(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                        + "\"message\":\"container db is not valid for pod web-1\",\"reason\":\"BadRequest\",\"code\":400}\n",
                r.body());
        r = log("web-1", "?tailLines=-1&limitBytes=0");
        assertEquals(422, r.code());
        assertEquals(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                        + "\"PodLogOptions \\\"web-1\\\" is invalid: [tailLines: Invalid value: -1: must be greater than or "
                        + "equal to 0, limitBytes: Invalid value: 0: must be greater than 0]\",\"reason\":\"Invalid\","
                        + "\"details\":{\"name\":\"web-1\",\"kind\":\"PodLogOptions\",\"causes\":[{\"reason\":"
                        + "\"FieldValueInvalid\",\"message\":\"Invalid value: -1: must be greater than or equal to 0\","
                        + "\"field\":\"tailLines\"},{\"reason\":\"FieldValueInvalid\",\"message\":\"Invalid value: 0: "
                        + "must be greater than 0\",\"field\":\"limitBytes\"}]},\"code\":422}\n",
                r.body());
        r = log("web-1", "?tailLines=x");
        assertEquals(400, r.code());
        assertEquals("strconv.ParseInt: parsing \"x\": invalid syntax", r.message());

        pod("unscheduled", null);
        r = log("unscheduled", "");
        assertEquals(204, r.code(), "no node: an empty log");
        assertEquals("", r.body());

        pod("lost", "node-gone");
        r = log("lost", "");
        assertEquals(404, r.code());
        assertEquals(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                        + "\"message\":\"pods \\\"node-gone\\\" not found\",\"reason\":\"NotFound\","
                        + "\"details\":{\"name\":\"node-gone\",\"kind\":\"pods\"},\"code\":404}\n",
                r.body());
    }

    @Test
    void anUnreachableKubeletIsTheGoClientsError() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        assertEquals(
                201,
                admin.post("/api/v1/nodes", "{\"metadata\":{\"name\":\"node-down\"}}")
                        .code());
        assertEquals(
                200,
                admin.patch(
                                "/api/v1/nodes/node-down/status",
                                "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
                                        + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + closed + "}}}}",
                                "application/merge-patch+json")
                        .code());
        pod("down", "node-down");
        ApiClient.Response r = log("down", "?sinceTime=2026-01-01T00:00:00Z&previous=1");
        assertEquals(500, r.code());
        assertEquals(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                        + "\"Get \\\"https://127.0.0.1:" + closed + "/containerLogs/default/down/web?previous=true"
                        + "\\u0026sinceTime=2026-01-01T00%3A00%3A00Z\\\": dial tcp 127.0.0.1:" + closed
                        + ": connect: connection refused\",\"code\":500}\n",
                r.body());
    }

    /** A kubelet that does not know the pod answers 404; the apiserver turns it into its generic NotFound. */
    @Test
    void theKubeletsErrorsBecomeTheApiserversGenericAnswers() throws Exception {
        assertEquals(
                201,
                admin.post("/api/v1/nodes", "{\"metadata\":{\"name\":\"node-alias\"}}")
                        .code());
        assertEquals(
                200,
                admin.patch(
                                "/api/v1/nodes/node-alias/status",
                                "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
                                        + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + kubelet.port()
                                        + "}}}}",
                                "application/merge-patch+json")
                        .code());
        pod("elsewhere", "node-alias");
        ApiClient.Response r = admin.get("/api/v1/namespaces/default/pods/elsewhere/log");
        assertEquals(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                        + "\"the server could not find the requested resource ( pods/log elsewhere)\",\"reason\":"
                        + "\"NotFound\",\"details\":{\"name\":\"elsewhere\",\"kind\":\"pods/log\"},\"code\":404}\n",
                r.body());
    }

    /** The reference refuses to proxy to a loopback kubelet, as it does to any loopback or link-local address. */
    @Test
    void nodesProxyRefusesLoopbackKubeletsAndBadNames() {
        for (String id : List.of("node-7", "node-7:10250", "https:node-7:1")) {
            ApiClient.Response r = admin.get("/api/v1/nodes/" + id + "/proxy/pods");
            assertEquals(
                    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                            + "\"message\":\"address not allowed\",\"reason\":\"BadRequest\",\"code\":400}\n",
                    r.body(),
                    id);
        }
        ApiClient.Response r = admin.get("/api/v1/nodes/ftp:node-7:1/proxy/pods");
        assertEquals(400, r.code());
        assertEquals("invalid node request \"ftp:node-7:1\"", r.message());
        r = admin.get("/api/v1/nodes/node-9/proxy/pods");
        assertEquals(404, r.code());
        assertEquals("nodes \"node-9\" not found", r.message());
    }

    @Test
    void rbacOnPodsLogIsEnforcedOnTheWay() throws Exception {
        assertEquals(
                201,
                admin.post("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", """
                        {"metadata":{"name":"pod-reader"},"rules":[{"apiGroups":[""],"resources":["pods"],
                         "verbs":["get"]}]}""")
                        .code());
        assertEquals(
                201,
                admin.post("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", """
                        {"metadata":{"name":"eve"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role",
                         "name":"pod-reader"},"subjects":[{"kind":"User","name":"eve"}]}""")
                        .code());
        ApiClient eve = ApiClient.of(Kubeconfig.parse(apiserver.kubeconfigFor("eve")));
        assertEquals(200, eve.get("/api/v1/namespaces/default/pods/web-1").code());
        ApiClient.Response r = eve.get("/api/v1/namespaces/default/pods/web-1/log");
        assertEquals(403, r.code());
        assertEquals(
                "pods \"web-1\" is forbidden: User \"eve\" cannot get resource \"pods/log\" in API group \"\" in the "
                        + "namespace \"default\"",
                r.message());
    }

    @Test
    void kubectlLogsWorks() throws Exception {
        Kubectl kubectl = Kubectl.find(dir);
        assumeTrue(kubectl.available(), () -> kubectl.unavailableReason().orElse(""));
        log("web-1", "");
        Path kubeconfig = Files.writeString(dir.resolve("admin.kubeconfig"), apiserver.adminKubeconfig());
        Kubectl.Result r = kubectl.run(kubeconfig, "logs", "web-1", "--tail=2");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("image nginx:1.27: nothing runs on a fake node\nready\n", r.stdout());
        r = kubectl.run(kubeconfig, "logs", "web-1", "-c", "db");
        assertEquals(1, r.exitCode());
        assertEquals("error: container db is not valid for pod web-1\n", r.stderr());
    }
}

package io.kubetwin.kubelet.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.kubelet.KubeletClientOptions;
import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.FakeApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.kubelet.config.KubeletConfig;
import io.kubetwin.kubelet.pods.Pod;
import io.kubetwin.kubelet.pods.PodSource;
import io.kubetwin.kubelet.server.KubeletServer;
import io.kubetwin.kubelet.server.ServingCertificate;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Kubeconfig;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A fake apiserver and one fake kubelet (node-7) wired with certificates over TLS both ways: the apiserver presents
 * {@code --kubelet-client-certificate} (from a CA the kubelet trusts, x509 only: anonymous off) and verifies the
 * kubelet with {@code --kubelet-certificate-authority}; the node registers and reports its port in daemonEndpoints.
 */
final class KubeletCluster implements AutoCloseable {
    final FakeApiServer apiserver;
    final ApiClient admin;
    final Vertx vertx;
    final KubeletServer kubelet;
    final KubeletNode node;

    private KubeletCluster(
            FakeApiServer apiserver, ApiClient admin, Vertx vertx, KubeletServer kubelet, KubeletNode node) {
        this.apiserver = apiserver;
        this.admin = admin;
        this.vertx = vertx;
        this.kubelet = kubelet;
        this.node = node;
    }

    static KubeletCluster start(Path dir) throws Exception {
        return start(dir, UnaryOperator.identity());
    }

    /** {@code apiserverConfig} may add to the apiserver's configuration (audit, for one). */
    static KubeletCluster start(Path dir, UnaryOperator<ApiServerConfig.Builder> apiserverConfig) throws Exception {
        CertificateAuthority kubeletClientCa = CertificateAuthority.generate();
        kubeletClientCa
                .issue(CertificateSpec.client("kube-apiserver-kubelet-client")
                        .organizations("kubeadm:cluster-admins")
                        .build())
                .writeTo(dir.resolve("kubelet-client.crt"), dir.resolve("kubelet-client.key"));
        Files.writeString(dir.resolve("kubelet-client-ca.crt"), kubeletClientCa.certificatePem());
        CertificateAuthority kubeletServingCa = CertificateAuthority.generate();
        Files.writeString(dir.resolve("kubelet-ca.crt"), kubeletServingCa.certificatePem());

        FakeApiServer apiserver = FakeApiServer.startBlocking(apiserverConfig
                .apply(ApiServerConfig.builder()
                        .authorizationModes(List.of("Node", "RBAC"))
                        .enableAdmissionPlugins(List.of("NodeRestriction"))
                        .kubeletClient(new KubeletClientOptions(
                                dir.resolve("kubelet-client.crt"),
                                dir.resolve("kubelet-client.key"),
                                dir.resolve("kubelet-ca.crt"),
                                List.of("InternalIP"))))
                .build());
        ApiClient admin = ApiClient.of(Kubeconfig.parse(apiserver.adminKubeconfig()));
        Vertx vertx = Vertx.vertx();
        AtomicReference<PodSource> pods = new AtomicReference<>(List::of);
        PodSource forward = new PodSource() {
            @Override
            public List<Pod> pods() {
                return pods.get().pods();
            }
        };
        KubeletServer kubelet = KubeletServer.start(
                        vertx,
                        KubeletConfig.flagDefaults()
                                .address("127.0.0.1")
                                .port(0)
                                .readOnlyPort(0)
                                .anonymousEnabled(false)
                                .clientCaFile(dir.resolve("kubelet-client-ca.crt"))
                                .hostnameOverride("node-7")
                                .build(),
                        new KubeletServer.Dependencies(
                                forward,
                                null,
                                null,
                                ServingCertificate.issuedBy(kubeletServingCa, "node-7", List.of("127.0.0.1")),
                                Clock.systemUTC()))
                .await();
        ApiClient identity =
                ApiClient.of(Kubeconfig.parse(apiserver.kubeconfigFor("system:node:node-7", "system:nodes")));
        KubeletNode node = KubeletNode.start(identity, "node-7", "127.0.0.1", kubelet.port(), Clock.systemUTC());
        pods.set(node.pods());
        return new KubeletCluster(apiserver, admin, vertx, kubelet, node);
    }

    /**
     * A pod with one container {@code web} (nginx:1.27) declaring the given TCP ports, bound to {@code nodeName}
     * (null: unscheduled).
     */
    void pod(String name, String nodeName, int... containerPorts) {
        StringBuilder ports = new StringBuilder();
        for (int port : containerPorts) {
            ports.append(ports.length() == 0 ? "" : ",")
                    .append("{\"containerPort\":")
                    .append(port)
                    .append('}');
        }
        ApiClient.Response r = admin.post("/api/v1/namespaces/default/pods", """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},
                 "spec":{%s"automountServiceAccountToken":false,
                         "containers":[{"name":"web","image":"nginx:1.27","ports":[%s]}]}}""".formatted(
                        name, nodeName == null ? "" : "\"nodeName\":\"" + nodeName + "\",", ports));
        assertEquals(201, r.code(), r.body());
    }

    /** The kubelet learns of a pod by its watch: wait until it serves the pod (bounded, not timed). */
    void awaitOnKubelet(String name) throws InterruptedException {
        for (int i = 0; i < 200 && node.pods().pod("default", name).isEmpty(); i++) {
            Thread.sleep(25);
        }
    }

    @Override
    public void close() {
        node.stop();
        kubelet.close().await();
        vertx.close().await();
        apiserver.close();
    }
}

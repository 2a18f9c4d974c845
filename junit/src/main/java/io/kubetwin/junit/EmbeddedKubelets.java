package io.kubetwin.junit;

import io.kubetwin.apiserver.server.FakeApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.kubelet.config.KubeletConfig;
import io.kubetwin.kubelet.config.KubeletFlags;
import io.kubetwin.kubelet.node.KubeletNode;
import io.kubetwin.kubelet.server.KubeletServer;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import io.kubetwin.pki.Kubeconfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts fake kubelets (the {@code fake-kubelet} module) beside an embedded fake apiserver, each with the files a
 * kubeadm node has: a serving certificate and the node's client certificate from the cluster CA, and a
 * KubeletConfiguration with the config file's secure defaults (anonymous off, webhook authentication, Webhook
 * authorization, no read-only port). The kubelet registers its Node as {@code system:node:NAME} before it listens.
 */
final class EmbeddedKubelets {
    private EmbeddedKubelets() {}

    /** A running kubelet, closed with the server (before its Vert.x). */
    record Running(KubeTwinNode node, KubeletNode registration, KubeletServer server) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            registration.stop();
            server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Registers and starts the kubelet of node {@code name}; blocks.
     *
     * @throws IllegalStateException with the apiserver's answer when the node cannot register (the Node
     *     authorizer is needed: {@code authorizationModes("Node", "RBAC")}, as kubeadm sets it)
     */
    static Running start(FakeApiServer api, Path workingDirectory, String name) {
        try {
            Path dir = Files.createDirectories(workingDirectory.resolve("kubelet-" + name));
            Credential serving = api.clusterCa()
                    .issue(CertificateSpec.server(name)
                            .dnsNames(List.of(name, "localhost"))
                            .ipAddresses("127.0.0.1")
                            .keyType(KeyType.EC_P256)
                            .build());
            Files.writeString(dir.resolve("serving.crt"), serving.certificatePem());
            Files.writeString(dir.resolve("serving.key"), serving.privateKeyPem());
            Files.writeString(dir.resolve("ca.crt"), api.clusterCa().certificatePem());
            String kubeconfig = api.kubeconfigFor("system:node:" + name, "system:nodes");
            Files.writeString(dir.resolve("kubeconfig"), kubeconfig);
            Files.writeString(
                    dir.resolve("config.yaml"),
                    String.join(
                            "\n",
                            "apiVersion: kubelet.config.k8s.io/v1beta1",
                            "kind: KubeletConfiguration",
                            "address: 127.0.0.1",
                            "readOnlyPort: 0",
                            "tlsCertFile: serving.crt",
                            "tlsPrivateKeyFile: serving.key",
                            "authentication:",
                            "  anonymous:",
                            "    enabled: false",
                            "  webhook:",
                            "    enabled: true",
                            "  x509:",
                            "    clientCAFile: ca.crt",
                            "authorization:",
                            "  mode: Webhook",
                            ""));
            KubeletConfig config = KubeletFlags.parse(List.of(
                    "--config=" + dir.resolve("config.yaml"),
                    "--kubeconfig=" + dir.resolve("kubeconfig"),
                    "--hostname-override=" + name,
                    "--node-ip=127.0.0.1",
                    "--port=0"));
            KubeletNode registration = KubeletNode.start(
                    ApiClient.of(Kubeconfig.parse(kubeconfig)), config.nodeName(), "127.0.0.1", Clock.systemUTC());
            KubeletServer server;
            try {
                server = KubeletServer.start(
                                api.vertx(),
                                config,
                                KubeletServer.Dependencies.of(registration.pods(), Clock.systemUTC()))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                registration.stop();
                throw e;
            }
            return new Running(
                    new KubeTwinNode(name, "https://127.0.0.1:" + server.port(), server.port()), registration, server);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the files of the kubelet of node " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the kubelet of node " + name, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "the fake kubelet of node " + name + " did not start: " + e.getMessage()
                            + " (a kubelet registers its Node as system:node:" + name
                            + ", which the Node authorizer allows:"
                            + " authorizationModes(\"Node\", \"RBAC\"))",
                    e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "the fake kubelet of node " + name + " did not start: " + e.getMessage(), e);
        }
    }
}

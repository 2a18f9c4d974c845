package io.kubetwin.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.kubelet.config.KubeletConfig;
import io.kubetwin.kubelet.pods.InMemoryPodSource;
import io.kubetwin.kubelet.server.KubeletServer;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.scan.model.Finding;
import io.kubetwin.scan.model.ScanReport;
import io.kubetwin.scenarios.model.ServerConfig;
import io.kubetwin.scenarios.target.ClusterSpec;
import io.kubetwin.scenarios.target.RunningCluster;
import io.kubetwin.scenarios.target.Target;
import io.kubetwin.scenarios.target.Targets;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;

/**
 * The clusters and kubelets of the CI proof, started the way the conformance runner starts them (its targets, with
 * kube-apiserver's own flags), and small helpers to compare a scan's findings as {@code ID subject} lines.
 */
public final class ScanTargets {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Everything at Metadata: the first seed article's simplest policy. */
    static final JsonNode METADATA_POLICY = policy();

    private ScanTargets() {}

    private static JsonNode policy() {
        try {
            return JSON.readTree(
                    "{\"apiVersion\":\"audit.k8s.io/v1\",\"kind\":\"Policy\",\"rules\":[{\"level\":\"Metadata\"}]}");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The reference target, when {@code kubetwin.targets} names it (as in conformance; ci/test.sh does) and its
     * binaries are there; otherwise the calling test is skipped with the reason.
     */
    public static Target referenceOrSkip() {
        Assumptions.assumeTrue(
                Targets.selectedNames().contains("reference"),
                "the reference runs only when kubetwin.targets names it (ci/test.sh does)");
        var target = Targets.byName("reference");
        Assumptions.assumeTrue(
                target.unavailableReason().isEmpty(),
                () -> target.unavailableReason().orElse(""));
        return target;
    }

    /** Starts {@code target} with these kube-apiserver flags and, when {@code audit}, the Metadata policy. */
    static RunningCluster start(Target target, Path dir, boolean audit, String... flags) throws Exception {
        var server = new ServerConfig(List.of(flags), null, null, null, null, null);
        return target.start(
                new ClusterSpec("scan", server, audit ? METADATA_POLICY : null, dir.resolve(target.name())));
    }

    /** The audit log of a cluster this process started with an audit policy. */
    static Path auditLog(Path dir, Target target) {
        return dir.resolve(target.name()).resolve("audit.log");
    }

    /**
     * A fake kubelet on ephemeral ports: {@code insecure} is the command line's legacy defaults (anonymous on,
     * AlwaysAllow, read-only port open); otherwise anonymous off, a client CA, AlwaysAllow for authenticated users
     * and the read-only port closed.
     */
    static KubeletServer kubelet(Vertx vertx, Path dir, boolean insecure) throws Exception {
        KubeletConfig.Builder config =
                KubeletConfig.flagDefaults().address("127.0.0.1").port(0).hostnameOverride("node-1");
        if (insecure) {
            config.readOnlyPort(freePort());
        } else {
            var ca = dir.resolve("kubelet-client-ca.crt");
            Files.writeString(ca, CertificateAuthority.generate().certificatePem());
            config.anonymousEnabled(false).clientCaFile(ca).readOnlyPort(0);
        }
        return KubeletServer.start(
                        vertx,
                        config.build(),
                        KubeletServer.Dependencies.of(new InMemoryPodSource(), Clock.systemUTC()))
                .await();
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The findings as sorted {@code ID subject} lines. */
    static TreeSet<String> keys(ScanReport report) {
        var keys = new TreeSet<String>();
        report.findings().stream().map(Finding::key).forEach(keys::add);
        return keys;
    }
}

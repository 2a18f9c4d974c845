package io.kubetwin.kubelet.node;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.client.Kubectl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What the tests of the real kubectl through the fake apiserver to a fake kubelet share: a {@link KubeletCluster}
 * whose apiserver writes a Metadata-level audit log of the pods subresources named, an admin kubeconfig, the kubectl
 * found for this machine (a test without one is skipped with the reason), and the audit events read back.
 */
final class KubectlCluster implements AutoCloseable {
    final KubeletCluster cluster;
    final Kubectl kubectl;
    final Path admin;
    private final Path auditLog;

    private KubectlCluster(KubeletCluster cluster, Kubectl kubectl, Path admin, Path auditLog) {
        this.cluster = cluster;
        this.kubectl = kubectl;
        this.admin = admin;
        this.auditLog = auditLog;
    }

    /** Starts the cluster in {@code dir}, auditing {@code pods/<subresource>} for each subresource given. */
    static KubectlCluster start(Path dir, String... auditedSubresources) throws Exception {
        String resources = List.of(auditedSubresources).stream()
                .map(s -> "\"pods/" + s + "\"")
                .collect(Collectors.joining(", ", "[", "]"));
        Path policy = Files.writeString(dir.resolve("policy.yaml"), """
                apiVersion: audit.k8s.io/v1
                kind: Policy
                rules:
                - level: Metadata
                  resources:
                  - group: ""
                    resources: %s
                """.formatted(resources));
        Path auditLog = dir.resolve("audit.log");
        KubeletCluster cluster =
                KubeletCluster.start(dir, b -> b.auditPolicyFile(policy).auditLogPath(auditLog.toString()));
        Path admin = Files.writeString(dir.resolve("admin.kubeconfig"), cluster.apiserver.adminKubeconfig());
        return new KubectlCluster(cluster, Kubectl.find(dir), admin, auditLog);
    }

    /** For a {@code @BeforeEach}: the test is skipped, with the reason, where no kubectl can run. */
    void assumeKubectl() {
        assumeTrue(kubectl.available(), () -> kubectl.unavailableReason().orElse(""));
    }

    /**
     * The audit events {@code which} selects; the apiserver sees a switched connection close after kubectl has gone,
     * so this reads the log again until one of them is a ResponseComplete (bounded, not timed).
     */
    List<JsonNode> auditEvents(Predicate<JsonNode> which) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (int i = 0;
                i < 200
                        && events.stream()
                                .noneMatch(e -> e.path("stage").asText().equals("ResponseComplete"));
                i++) {
            Thread.sleep(i == 0 ? 0 : 25);
            events.clear();
            for (String line : Files.readAllLines(auditLog)) {
                JsonNode e = json.readTree(line);
                if (which.test(e)) {
                    events.add(e);
                }
            }
        }
        return events;
    }

    @Override
    public void close() {
        cluster.close();
    }
}

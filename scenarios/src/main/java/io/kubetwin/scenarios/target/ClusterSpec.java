package io.kubetwin.scenarios.target;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.scenarios.model.KubeletSpec;
import io.kubetwin.scenarios.model.ServerConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * What a suite asks of a cluster: its server configuration (with the audit policy resolved to JSON), the kubelets
 * to register as nodes, whether the suite reads etcd directly ({@code etcd}: the fake then
 * runs on an mTLS fake etcd too), and a directory the target may use for its files.
 */
public record ClusterSpec(
        String suite,
        ServerConfig server,
        JsonNode auditPolicy,
        Path workDir,
        List<KubeletSpec> kubelets,
        boolean etcd) {
    public ClusterSpec {
        kubelets = kubelets == null ? List.of() : List.copyOf(kubelets);
    }

    /** A cluster whose etcd the suite does not reach. */
    public ClusterSpec(
            String suite, ServerConfig server, JsonNode auditPolicy, Path workDir, List<KubeletSpec> kubelets) {
        this(suite, server, auditPolicy, workDir, kubelets, false);
    }

    /** A cluster without kubelets. */
    public ClusterSpec(String suite, ServerConfig server, JsonNode auditPolicy, Path workDir) {
        this(suite, server, auditPolicy, workDir, List.of());
    }
}

package io.kubetwin.scenarios.target;

import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.Kubeconfig;
import io.kubetwin.scenarios.model.Capability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Any existing cluster, given an admin kubeconfig ({@code kubetwin.kubeconfig} / {@code KUBETWIN_KUBECONFIG}).
 * The runner cannot set its flags nor read its audit log, so suites and steps that need them are reported as
 * not applicable; actors' certificates come from the CertificateSigningRequest API. The cluster is shared:
 * the runner deletes what each suite created.
 */
public final class KubeconfigTarget implements Target {

    private final Path file;

    public KubeconfigTarget() {
        var value = System.getProperty("kubetwin.kubeconfig");
        if (value == null || value.isBlank()) {
            value = System.getenv("KUBETWIN_KUBECONFIG");
        }
        this.file = value == null || value.isBlank() ? null : Path.of(value);
    }

    public KubeconfigTarget(Path file) {
        this.file = file;
    }

    @Override
    public String name() {
        return "kubeconfig";
    }

    @Override
    public Optional<String> unavailableReason() {
        if (file == null) {
            return Optional.of("no admin kubeconfig given (set kubetwin.kubeconfig or KUBETWIN_KUBECONFIG)");
        }
        if (!Files.isReadable(file)) {
            return Optional.of("cannot read " + file);
        }
        return Optional.empty();
    }

    @Override
    public RunningCluster start(ClusterSpec spec) throws Exception {
        var admin =
                Kubeconfig.parse(Files.readString(file), file.toAbsolutePath().getParent());
        var version = ApiClient.of(admin)
                .get("/version")
                .optionalJson()
                .map(j -> j.path("gitVersion").asText())
                .orElse("?");
        var description = "existing cluster " + admin.server() + " (" + version + ") from " + file;
        return new RunningCluster() {
            @Override
            public String target() {
                return "kubeconfig";
            }

            @Override
            public Set<Capability> capabilities() {
                // A whole cluster is assumed: its controller manager signs approved CSRs.
                return EnumSet.of(Capability.CONTROLLER_MANAGER);
            }

            @Override
            public Kubeconfig admin() {
                return admin;
            }

            @Override
            public Optional<CertificateAuthority> clientCa() {
                return Optional.empty();
            }

            @Override
            public ClusterAuditLog auditLog() {
                return ClusterAuditLog.NONE;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public boolean shared() {
                return true;
            }

            @Override
            public void close() {
                // the cluster is not ours to stop
            }
        };
    }
}

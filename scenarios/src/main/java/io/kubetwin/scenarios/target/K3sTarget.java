package io.kubetwin.scenarios.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.Kubeconfig;
import io.kubetwin.scenarios.model.Capability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A k3s server in a container (Testcontainers' k3s module) with the suite's kube-apiserver flags passed as
 * {@code --kube-apiserver-arg}. Its own PKI is kept (the runner issues actor certificates from k3s's client CA);
 * the audit log is copied out of the container. Skipped when no Docker engine is reachable. Image:
 * {@code kubetwin.k3s.image} (default below).
 */
public final class K3sTarget implements Target {

    static final String DEFAULT_IMAGE = "rancher/k3s:v1.34.1-k3s1";
    private static final String CONFIG_DIR = "/etc/kubetwin";
    private static final String AUDIT_LOG = "/var/lib/rancher/k3s/server/logs/audit.log";

    @Override
    public String name() {
        return "k3s";
    }

    @Override
    public Optional<String> unavailableReason() {
        try {
            return DockerClientFactory.instance().isDockerAvailable()
                    ? Optional.empty()
                    : Optional.of("no Docker engine reachable (Testcontainers' DockerClientFactory says so)");
        } catch (Throwable e) {
            return Optional.of("no Docker engine reachable: " + e.getMessage());
        }
    }

    @Override
    public RunningCluster start(ClusterSpec spec) throws Exception {
        var image = System.getProperty("kubetwin.k3s.image", DEFAULT_IMAGE);
        var container = new K3sContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("rancher/k3s"));
        var args = new ArrayList<String>(List.of("server", "--disable=traefik", "--tls-san=" + container.getHost()));
        var server = spec.server();
        if (!server.tokens().isEmpty()) {
            var csv = new StringBuilder();
            server.tokens().forEach(t -> csv.append(t.csvLine()).append('\n'));
            container.withCopyToContainer(Transferable.of(csv.toString()), CONFIG_DIR + "/tokens.csv");
            args.add("--kube-apiserver-arg=token-auth-file=" + CONFIG_DIR + "/tokens.csv");
        }
        if (spec.auditPolicy() != null) {
            container.withCopyToContainer(
                    Transferable.of(new YAMLMapper().writeValueAsString(spec.auditPolicy())),
                    CONFIG_DIR + "/audit-policy.yaml");
            args.add("--kube-apiserver-arg=audit-policy-file=" + CONFIG_DIR + "/audit-policy.yaml");
            args.add("--kube-apiserver-arg=audit-log-path=" + AUDIT_LOG);
        }
        if (!server.admission().enable().isEmpty()) {
            args.add("--kube-apiserver-arg=enable-admission-plugins="
                    + String.join(",", server.admission().enable()));
        }
        if (!server.admission().disable().isEmpty()) {
            args.add("--kube-apiserver-arg=disable-admission-plugins="
                    + String.join(",", server.admission().disable()));
        }
        for (var flag : server.flags()) {
            args.add("--kube-apiserver-arg=" + flag.replaceFirst("^--", ""));
        }
        container.withCommand(args.toArray(new String[0]));
        container.addExposedPort(10250); // the kubelet API, for the kubelet suites
        container.start();
        try {
            var admin = Kubeconfig.parse(container.getKubeConfigYaml(), spec.workDir());
            var caCert = container.copyFileFromContainer(
                    "/var/lib/rancher/k3s/server/tls/client-ca.crt",
                    in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
            var caKey = container.copyFileFromContainer(
                    "/var/lib/rancher/k3s/server/tls/client-ca.key",
                    in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
            var clientCa = CertificateAuthority.fromPem(caCert, caKey);
            Files.createDirectories(spec.workDir());
            var localLog = spec.workDir().resolve("audit.log");
            var audit = spec.auditPolicy() == null ? ClusterAuditLog.NONE : new CopiedAuditLog(container, localLog);
            var description = "k3s " + image + " on " + admin.server();
            return new RunningCluster() {
                @Override
                public String target() {
                    return "k3s";
                }

                @Override
                public Set<Capability> capabilities() {
                    return EnumSet.of(
                            Capability.SERVER_FLAGS,
                            Capability.AUDIT_LOG,
                            Capability.CONTROLLER_MANAGER,
                            Capability.CLIENT_CA,
                            Capability.KUBELET);
                }

                @Override
                public Kubeconfig admin() {
                    return admin;
                }

                @Override
                public Optional<CertificateAuthority> clientCa() {
                    return Optional.of(clientCa);
                }

                @Override
                public ClusterAuditLog auditLog() {
                    return audit;
                }

                @Override
                public String description() {
                    return description;
                }

                @Override
                public void close() {
                    container.stop();
                }
            };
        } catch (Exception e) {
            container.stop();
            throw e;
        }
    }

    /** The container's audit log, copied to a local file before each read. */
    private static final class CopiedAuditLog implements ClusterAuditLog {
        private final K3sContainer container;
        private final FileAuditLog local;

        CopiedAuditLog(K3sContainer container, Path localFile) {
            this.container = container;
            this.local = new FileAuditLog(localFile);
        }

        private void refresh() {
            try {
                container.copyFileFromContainer(AUDIT_LOG, local.file().toString());
            } catch (Exception e) {
                // not written yet
            }
        }

        @Override
        public synchronized long mark() {
            refresh();
            return local.mark();
        }

        @Override
        public synchronized List<JsonNode> since(long mark) {
            refresh();
            return local.since(mark);
        }

        @Override
        public boolean readable() {
            return true;
        }
    }
}

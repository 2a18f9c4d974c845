package io.kubetwin.scenarios.target;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import io.kubetwin.pki.Kubeconfig;
import io.kubetwin.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The files every self-started apiserver gets, and the kube-apiserver flags that point at them: one CA (client
 * CA, serving certificate issuer and CSR signer, as kubeadm does), a serving certificate for 127.0.0.1 and
 * localhost, a service-account key pair, the suite's token file and audit policy, and an audit log path. The
 * fake and the reference receive the same flags, so that they are configured identically.
 */
public final class ClusterFiles {

    public static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";
    /** The cluster name in the kubeconfigs. */
    private static final String CLUSTER = "kubernetes";

    private final Path dir;
    private final CertificateAuthority ca;
    private final Credential admin;
    private final ClusterSpec spec;
    /** Without a client CA, the admin and the control-plane clients authenticate with these tokens instead. */
    private final Map<String, String> infraTokens = new LinkedHashMap<>();

    public ClusterFiles(ClusterSpec spec) {
        this.spec = spec;
        this.dir = spec.workDir();
        this.ca = CertificateAuthority.generate(
                CertificateAuthority.KUBERNETES_CA_NAME, KeyType.EC_P256, Duration.ofDays(365));
        var serving = ca.issue(CertificateSpec.server(CertificateAuthority.APISERVER_NAME)
                .client(true)
                .dnsNames(List.of(
                        "localhost",
                        "kubernetes",
                        "kubernetes.default",
                        "kubernetes.default.svc",
                        "kubernetes.default.svc.cluster.local"))
                .ipAddresses("127.0.0.1", "10.96.0.1")
                .keyType(KeyType.EC_P256)
                .build());
        this.admin = issueClient("kubernetes-admin", List.of("system:masters"));
        try {
            Files.createDirectories(dir);
            write("ca.crt", ca.certificatePem());
            write("ca.key", ca.credential().privateKeyPem());
            write("apiserver.crt", serving.certificatePem());
            write("apiserver.key", serving.privateKeyPem());
            var sa = KeyType.EC_P256.generate();
            write("sa.pub", Pem.publicKeyPem(sa.getPublic()));
            write("sa.key", Pem.privateKeyPem(sa.getPrivate()));
            if (!spec.server().clientCa()) {
                infraTokens.put("kubernetes-admin", "kubetwin-admin-" + UUID.randomUUID());
                infraTokens.put("system:kube-controller-manager", "kubetwin-kcm-" + UUID.randomUUID());
            }
            if (hasTokenFile()) {
                var lines = new StringBuilder();
                spec.server().tokens().forEach(t -> lines.append(t.csvLine()).append('\n'));
                infraTokens.forEach((user, token) -> lines.append(token)
                        .append(',')
                        .append(user)
                        .append(',')
                        .append(user)
                        .append(user.equals("kubernetes-admin") ? ",system:masters" : "")
                        .append('\n'));
                write("tokens.csv", lines.toString());
            }
            if (spec.auditPolicy() != null) {
                write("audit-policy.yaml", new YAMLMapper().writeValueAsString(spec.auditPolicy()));
            }
            if (spec.server().admission().config() != null) {
                write(
                        "admission-config.yaml",
                        new YAMLMapper()
                                .writeValueAsString(spec.server().admission().config()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content);
    }

    private boolean hasTokenFile() {
        return !spec.server().tokens().isEmpty() || !infraTokens.isEmpty();
    }

    public Path dir() {
        return dir;
    }

    public Path path(String name) {
        return dir.resolve(name);
    }

    public CertificateAuthority ca() {
        return ca;
    }

    public Path auditLogPath() {
        return dir.resolve("audit.log");
    }

    /** The admin kubeconfig for a server URL. */
    public Kubeconfig admin(String server) {
        return kubeconfig(server, "kubernetes-admin", admin);
    }

    /** A kubeconfig for a client certificate issued by the CA (controller manager, kubelet client...). */
    public Kubeconfig clientKubeconfig(String server, String user, List<String> groups) {
        return kubeconfig(server, user, infraTokens.containsKey(user) ? null : issueClient(user, groups));
    }

    /** The user's infrastructure token when there is no client CA, else its certificate. */
    private Kubeconfig kubeconfig(String server, String user, Credential certificate) {
        if (infraTokens.containsKey(user)) {
            return Kubeconfig.withToken(CLUSTER, server, ca.certificatePem(), user, infraTokens.get(user));
        }
        return Kubeconfig.withClientCertificate(CLUSTER, server, ca.certificatePem(), user, certificate);
    }

    private Credential issueClient(String user, List<String> groups) {
        return ca.issue(CertificateSpec.client(user)
                .organizations(groups)
                .keyType(KeyType.EC_P256)
                .build());
    }

    /**
     * The kube-apiserver flags shared by every self-started target, followed by the suite's own flags (which
     * come last so that they win where kube-apiserver lets a repeated flag override).
     */
    public List<String> apiServerFlags(int port) {
        var flags = new ArrayList<String>();
        flags.add("--bind-address=127.0.0.1");
        flags.add("--secure-port=" + port);
        flags.add("--tls-cert-file=" + path("apiserver.crt"));
        flags.add("--tls-private-key-file=" + path("apiserver.key"));
        if (spec.server().clientCa()) {
            flags.add("--client-ca-file=" + path("ca.crt"));
        }
        flags.add("--service-account-issuer=" + SERVICE_ACCOUNT_ISSUER);
        flags.add("--service-account-key-file=" + path("sa.pub"));
        flags.add("--service-account-signing-key-file=" + path("sa.key"));
        // the same Service range on every target, so that the kubernetes Service has the same ClusterIP
        flags.add("--service-cluster-ip-range=10.96.0.0/16");
        if (hasTokenFile()) {
            flags.add("--token-auth-file=" + path("tokens.csv"));
        }
        if (spec.auditPolicy() != null) {
            flags.add("--audit-policy-file=" + path("audit-policy.yaml"));
            flags.add("--audit-log-path=" + auditLogPath());
        }
        var admission = spec.server().admission();
        if (!admission.enable().isEmpty()) {
            flags.add("--enable-admission-plugins=" + String.join(",", admission.enable()));
        }
        if (!admission.disable().isEmpty()) {
            flags.add("--disable-admission-plugins=" + String.join(",", admission.disable()));
        }
        if (admission.config() != null) {
            flags.add("--admission-control-config-file=" + path("admission-config.yaml"));
        }
        if (spec.server().flags().stream()
                .noneMatch(f -> f.startsWith("--authorization-mode") || f.startsWith("--authorization-config"))) {
            // kube-apiserver's own default is AlwaysAllow. RBAC alone answers non-node users exactly as Node,RBAC
            // does (the Node authorizer has no opinion on them); suites about nodes ask for Node,RBAC themselves.
            // A suite with kubelets gets Node,RBAC, as kubeadm sets it: without the Node authorizer a kubelet may
            // neither register its Node nor send its TokenReviews and SubjectAccessReviews (the system:node role
            // is bound to nobody).
            flags.add(spec.kubelets().isEmpty() ? "--authorization-mode=RBAC" : "--authorization-mode=Node,RBAC");
        }
        flags.addAll(spec.server().flags());
        return flags;
    }

    /** The insecure modes the flags enable, for the report. */
    public List<String> insecureModes() {
        var notes = new ArrayList<String>();
        var all = apiServerFlags(0);
        if (all.stream().noneMatch(f -> f.equals("--anonymous-auth=false"))) {
            notes.add("anonymous authentication on (kube-apiserver default)");
        }
        if (all.stream().anyMatch(f -> f.startsWith("--authorization-mode") && f.contains("AlwaysAllow"))) {
            notes.add("authorization AlwaysAllow");
        }
        if (!spec.server().clientCa()) {
            notes.add("no client CA (x509 authentication off)");
        }
        return notes;
    }
}

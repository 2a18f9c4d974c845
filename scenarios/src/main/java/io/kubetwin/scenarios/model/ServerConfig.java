package io.kubetwin.scenarios.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The kube-apiserver configuration a suite needs, in kube-apiserver's own terms. Infrastructure flags (ports,
 * serving certificate, client CA, etcd, service-account keys, audit log path) are added by each target; a
 * suite only states the flags that matter to its behaviour.
 *
 * @param flags            extra kube-apiserver flags, e.g. {@code --anonymous-auth=false}
 * @param auditPolicy      an inline audit Policy object, written to a file passed as {@code --audit-policy-file}
 * @param auditPolicyFile  or a policy file, relative to the suite file
 * @param tokens           an inline static token file, passed as {@code --token-auth-file}
 * @param admission        admission plugins to enable and disable
 * @param clientCa         {@code false} to start without {@code --client-ca-file} (x509 authentication off)
 */
public record ServerConfig(
        List<String> flags,
        JsonNode auditPolicy,
        String auditPolicyFile,
        List<TokenEntry> tokens,
        Admission admission,
        Boolean clientCa) {

    public static final ServerConfig DEFAULT = new ServerConfig(null, null, null, null, null, null);

    public ServerConfig {
        flags = flags == null ? List.of() : List.copyOf(flags);
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
        admission = admission == null ? Admission.NONE : admission;
        clientCa = clientCa == null ? Boolean.TRUE : clientCa;
    }

    public boolean hasAudit() {
        return (auditPolicy != null && !auditPolicy.isNull()) || auditPolicyFile != null;
    }

    /** True when the suite needs anything beyond a stock server (so a bare kubeconfig target cannot run it). */
    public boolean customised() {
        return !flags.isEmpty()
                || hasAudit()
                || !tokens.isEmpty()
                || !admission.enable().isEmpty()
                || !admission.disable().isEmpty()
                || admission.config() != null
                || !clientCa;
    }

    /**
     * Admission plugins, as {@code --enable-admission-plugins} / {@code --disable-admission-plugins}, and an
     * inline AdmissionConfiguration ({@code config}) written to a file passed as
     * {@code --admission-control-config-file}.
     */
    public record Admission(List<String> enable, List<String> disable, JsonNode config) {
        public static final Admission NONE = new Admission(null, null, null);

        public Admission {
            enable = enable == null ? List.of() : List.copyOf(enable);
            disable = disable == null ? List.of() : List.copyOf(disable);
            config = config == null || config.isNull() ? null : config;
        }
    }
}

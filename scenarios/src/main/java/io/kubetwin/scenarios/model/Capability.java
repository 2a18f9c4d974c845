package io.kubetwin.scenarios.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a target can do; a step or suite that requires a missing capability is skipped on that target. */
public enum Capability {
    /** The suite's kube-apiserver flags, token file and admission settings are applied. */
    SERVER_FLAGS,
    /** The audit log can be read. */
    AUDIT_LOG,
    /** A controller manager runs: approved CSRs are signed, namespaces finish deleting, garbage is collected. */
    CONTROLLER_MANAGER,
    /** The suite can choose the client CA and issue certificates from it directly. */
    CLIENT_CA,
    /** The suite's kubelets run and register with its apiserver (fake kubelet, or the real one on the reference). */
    KUBELET,
    /** etcd is reachable with client-certificate authentication. */
    ETCD,
    /** Admission webhooks can be called (the target can reach a webhook server on this machine). */
    ADMISSION_WEBHOOK;

    @JsonCreator
    static Capability fromYaml(String value) {
        return valueOf(value.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
    }

    /** The YAML spelling, e.g. {@code auditLog}. */
    @JsonValue
    public String yamlName() {
        var parts = name().toLowerCase(Locale.ROOT).split("_");
        var out = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            out.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return out.toString();
    }
}

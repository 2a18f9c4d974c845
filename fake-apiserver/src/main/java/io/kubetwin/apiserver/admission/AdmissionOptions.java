package io.kubetwin.apiserver.admission;

import java.nio.file.Path;
import java.util.List;

/**
 * kube-apiserver's admission flags.
 *
 * @param enable {@code --enable-admission-plugins}: plugins to run besides the defaults
 * @param disable {@code --disable-admission-plugins}: default plugins not to run
 * @param configFile {@code --admission-control-config-file}: an AdmissionConfiguration with each plugin's
 *     settings (PodSecurity's defaults and exemptions, the webhooks' kubeconfig, ImagePolicyWebhook, ...); null
 *     for none
 */
public record AdmissionOptions(List<String> enable, List<String> disable, Path configFile) {

    public AdmissionOptions {
        enable = List.copyOf(enable == null ? List.of() : enable);
        disable = List.copyOf(disable == null ? List.of() : disable);
    }

    public static AdmissionOptions defaults() {
        return new AdmissionOptions(List.of(), List.of(), null);
    }

    /** The plugins that run, in kube-apiserver's order. */
    public List<String> enabledPlugins() {
        return AdmissionPluginNames.enabled(enable, disable);
    }

    /** Upstream's validation errors for these flags (unknown names, overlap); empty when valid. */
    public List<String> validate() {
        return AdmissionPluginNames.validate(enable, disable);
    }
}

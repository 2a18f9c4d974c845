package io.kubetwin.apiserver.server;

import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.AdmissionPluginContext;
import io.kubetwin.apiserver.admission.AdmissionPluginFactory;
import io.kubetwin.apiserver.admission.DefaultTolerationSeconds;
import io.kubetwin.apiserver.admission.NamespaceLifecycle;
import io.kubetwin.apiserver.admission.NodeRestriction;
import io.kubetwin.apiserver.admission.PodPriority;
import io.kubetwin.apiserver.admission.ServiceAccountAdmission;
import io.kubetwin.apiserver.admission.podsecurity.PodSecurityAdmission;
import io.kubetwin.apiserver.certificates.CertificateApproval;
import io.kubetwin.apiserver.certificates.CertificateSigning;
import io.kubetwin.apiserver.certificates.CertificateSubjectRestriction;
import io.kubetwin.apiserver.registry.Meta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The admission plugins the fake emulates, by upstream name, and the chain the flags select from them
 * in kube-apiserver's order. A plugin that is enabled but not emulated is refused at start-up when the
 * user named it in {@code --enable-admission-plugins}, and reported as a start-up warning when it is
 * only on by default (the fake then behaves as if it were disabled; see known-divergences).
 */
final class AdmissionWiring {
    private AdmissionWiring() {}

    /** One line per emulated plugin; the order here does not matter (AdmissionPluginNames.ORDERED does). */
    static final Map<String, AdmissionPluginFactory> EMULATED = Map.ofEntries(
            Map.entry("NamespaceLifecycle", c -> NamespaceLifecycle.overStorage(c.storage())),
            Map.entry(
                    "ServiceAccount",
                    c -> ServiceAccountAdmission.overStorage(c.storage(), c.vertx(), Meta::generateName)),
            Map.entry("NodeRestriction", c -> NodeRestriction.overStorage(c.storage(), c.authorizer())),
            Map.entry("Priority", c -> new PodPriority(PodPriority.PriorityClasses.systemOnly())),
            Map.entry("DefaultTolerationSeconds", c -> DefaultTolerationSeconds.withDefaults()),
            Map.entry("CertificateApproval", c -> new CertificateApproval(c.authorizer())),
            Map.entry("CertificateSigning", c -> new CertificateSigning(c.authorizer())),
            Map.entry("CertificateSubjectRestriction", c -> new CertificateSubjectRestriction()),
            Map.entry(
                    "PodSecurity", c -> PodSecurityAdmission.overStorage(c.storage(), c.configuration("PodSecurity"))));

    /**
     * The selected plugins.
     *
     * @param plugins the emulated plugins that run, in order
     * @param notEmulated plugins that are on (by default) but not emulated, for the start-up warning
     */
    record Selected(List<AdmissionPlugin> plugins, List<String> notEmulated) {}

    static Selected select(ApiServerConfig config, AdmissionPluginContext context) {
        List<String> errors = config.admission().validate();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(errors.size() == 1 ? errors.get(0) : errors.toString());
        }
        List<AdmissionPlugin> plugins = new ArrayList<>();
        List<String> notEmulated = new ArrayList<>();
        for (String name : config.admission().enabledPlugins()) {
            AdmissionPluginFactory factory = EMULATED.get(name);
            if (factory != null) {
                plugins.add(factory.create(context));
            } else if (config.admission().enable().contains(name)) {
                throw new IllegalArgumentException(ApiServerFlags.describePlugin(name));
            } else {
                notEmulated.add(name);
            }
        }
        return new Selected(plugins, notEmulated);
    }
}

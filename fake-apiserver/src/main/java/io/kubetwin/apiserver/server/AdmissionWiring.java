package io.kubetwin.apiserver.server;

import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.AdmissionPluginContext;
import io.kubetwin.apiserver.admission.AdmissionPluginFactory;
import io.kubetwin.apiserver.admission.DefaultTolerationSeconds;
import io.kubetwin.apiserver.admission.GatedOffPlugin;
import io.kubetwin.apiserver.admission.NamespaceLifecycle;
import io.kubetwin.apiserver.admission.NodeRestriction;
import io.kubetwin.apiserver.admission.PodPriority;
import io.kubetwin.apiserver.admission.RuntimeClassAdmission;
import io.kubetwin.apiserver.admission.ServiceAccountAdmission;
import io.kubetwin.apiserver.admission.TaintNodesByCondition;
import io.kubetwin.apiserver.admission.imagepolicy.ImagePolicyWebhook;
import io.kubetwin.apiserver.admission.limitranger.LimitRanger;
import io.kubetwin.apiserver.admission.network.DefaultIngressClass;
import io.kubetwin.apiserver.admission.podsecurity.PodSecurityAdmission;
import io.kubetwin.apiserver.admission.policy.MatchConditions;
import io.kubetwin.apiserver.admission.policy.ValidatingAdmissionPolicyPlugin;
import io.kubetwin.apiserver.admission.resourcequota.ResourceQuotaAdmission;
import io.kubetwin.apiserver.admission.security.AlwaysAdmit;
import io.kubetwin.apiserver.admission.security.AlwaysDeny;
import io.kubetwin.apiserver.admission.security.AlwaysPullImages;
import io.kubetwin.apiserver.admission.security.DenyServiceExternalIPs;
import io.kubetwin.apiserver.admission.security.EventRateLimit;
import io.kubetwin.apiserver.admission.security.ExtendedResourceToleration;
import io.kubetwin.apiserver.admission.security.LimitPodHardAntiAffinityTopology;
import io.kubetwin.apiserver.admission.security.NamespaceAutoProvision;
import io.kubetwin.apiserver.admission.security.NamespaceExists;
import io.kubetwin.apiserver.admission.security.OwnerReferencesPermissionEnforcement;
import io.kubetwin.apiserver.admission.security.PodNodeSelector;
import io.kubetwin.apiserver.admission.security.PodTolerationRestriction;
import io.kubetwin.apiserver.admission.storage.DefaultStorageClass;
import io.kubetwin.apiserver.admission.storage.PersistentVolumeClaimResize;
import io.kubetwin.apiserver.admission.storage.StorageObjectInUseProtection;
import io.kubetwin.apiserver.admission.webhook.MutatingAdmissionWebhook;
import io.kubetwin.apiserver.admission.webhook.ValidatingAdmissionWebhook;
import io.kubetwin.apiserver.admission.webhook.WebhookCredentials;
import io.kubetwin.apiserver.certificates.CertificateApproval;
import io.kubetwin.apiserver.certificates.CertificateSigning;
import io.kubetwin.apiserver.certificates.CertificateSubjectRestriction;
import io.kubetwin.apiserver.certificates.ClusterTrustBundleAttest;
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
                    "LimitRanger",
                    c -> new LimitRanger(c.storage(), c.featureGates().enabled("PodLevelResources"))),
            Map.entry(
                    "ResourceQuota",
                    c -> new ResourceQuotaAdmission(
                            c.storage(), c.clock(), c.featureGates().enabled("PodLevelResources"))),
            Map.entry("TaintNodesByCondition", c -> new TaintNodesByCondition()),
            Map.entry("DefaultStorageClass", c -> new DefaultStorageClass(c.storage())),
            Map.entry("StorageObjectInUseProtection", c -> new StorageObjectInUseProtection()),
            Map.entry("PersistentVolumeClaimResize", c -> new PersistentVolumeClaimResize(c.storage())),
            Map.entry("RuntimeClass", c -> new RuntimeClassAdmission(c.storage())),
            Map.entry("DefaultIngressClass", c -> new DefaultIngressClass(c.storage())),
            // its feature gate (ClusterTrustBundle) is off in v1.34, as the fake's served kinds reflect
            Map.entry("ClusterTrustBundleAttest", c -> new ClusterTrustBundleAttest(c.authorizer(), false)),
            Map.entry("PodTopologyLabels", c -> new GatedOffPlugin("PodTopologyLabels", "PodTopologyLabelsAdmission")),
            Map.entry(
                    "MutatingAdmissionPolicy",
                    c -> new GatedOffPlugin("MutatingAdmissionPolicy", "MutatingAdmissionPolicy")),
            Map.entry("AlwaysPullImages", c -> new AlwaysPullImages()),
            Map.entry(
                    "ImagePolicyWebhook",
                    c -> ImagePolicyWebhook.create(c.vertx(), c.configuration("ImagePolicyWebhook"), c.clock())),
            Map.entry("DenyServiceExternalIPs", c -> new DenyServiceExternalIPs()),
            Map.entry("AlwaysAdmit", c -> new AlwaysAdmit()),
            Map.entry("AlwaysDeny", c -> new AlwaysDeny()),
            Map.entry("NamespaceExists", c -> new NamespaceExists(c.storage())),
            Map.entry("NamespaceAutoProvision", c -> new NamespaceAutoProvision(c.storage(), c.clock())),
            Map.entry("ExtendedResourceToleration", c -> new ExtendedResourceToleration()),
            Map.entry("LimitPodHardAntiAffinityTopology", c -> new LimitPodHardAntiAffinityTopology()),
            Map.entry(
                    "OwnerReferencesPermissionEnforcement",
                    c -> new OwnerReferencesPermissionEnforcement(c.authorizer(), c.catalog())),
            Map.entry(
                    "PodNodeSelector",
                    c -> new PodNodeSelector(
                            c.storage(), c.configuration("PodNodeSelector").orElse(null))),
            Map.entry(
                    "PodTolerationRestriction",
                    c -> new PodTolerationRestriction(
                            c.storage(),
                            c.configuration("PodTolerationRestriction").orElse(null),
                            c.featureGates().enabled("PodLevelResources"))),
            Map.entry(
                    "EventRateLimit",
                    c -> new EventRateLimit(c.configuration("EventRateLimit").orElse(null), c.clock())),
            Map.entry(
                    "ValidatingAdmissionPolicy",
                    c -> new ValidatingAdmissionPolicyPlugin(
                            c.vertx(), c.storage(), c.catalog(), c.authorizer(), c.cel())),
            Map.entry(
                    "MutatingAdmissionWebhook",
                    c -> new MutatingAdmissionWebhook(
                            c.vertx(),
                            c.storage(),
                            new MatchConditions(c.cel(), c.authorizer()),
                            webhookCredentials(c, "MutatingAdmissionWebhook"))),
            Map.entry(
                    "ValidatingAdmissionWebhook",
                    c -> new ValidatingAdmissionWebhook(
                            c.vertx(),
                            c.storage(),
                            new MatchConditions(c.cel(), c.authorizer()),
                            webhookCredentials(c, "ValidatingAdmissionWebhook"))),
            Map.entry(
                    "PodSecurity",
                    c -> PodSecurityAdmission.overStorage(
                            c.storage(),
                            c.configuration("PodSecurity"),
                            c.featureGates().enabled("ProbeHostPodSecurityStandards"))));

    /** The plugin's WebhookAdmissionConfiguration; a start-up error worded as kube-apiserver's when it is bad. */
    private static WebhookCredentials webhookCredentials(AdmissionPluginContext c, String plugin) {
        try {
            return WebhookCredentials.load(c.configuration(plugin).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "failed to apply admission: couldn't init admission plugin \"" + plugin + "\": " + e.getMessage(),
                    e);
        }
    }

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

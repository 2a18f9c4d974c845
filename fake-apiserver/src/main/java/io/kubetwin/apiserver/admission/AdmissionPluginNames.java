package io.kubetwin.apiserver.admission;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * kube-apiserver v1.34's admission plugin names, their fixed order and which are on by default
 * (pkg/kubeapiserver/options/plugins.go: AllOrderedPlugins, DefaultOffAdmissionPlugins), and how
 * {@code --enable-admission-plugins} and {@code --disable-admission-plugins} combine with them
 * (k8s.io/apiserver/pkg/server/options/admission.go). The order in the flags does not matter.
 */
public final class AdmissionPluginNames {
    private AdmissionPluginNames() {}

    /** Every plugin kube-apiserver v1.34.4 knows, in the order they run. */
    public static final List<String> ORDERED = List.of(
            "AlwaysAdmit",
            "NamespaceAutoProvision",
            "NamespaceLifecycle",
            "NamespaceExists",
            "LimitPodHardAntiAffinityTopology",
            "LimitRanger",
            "ServiceAccount",
            "NodeRestriction",
            "TaintNodesByCondition",
            "AlwaysPullImages",
            "ImagePolicyWebhook",
            "PodSecurity",
            "PodNodeSelector",
            "Priority",
            "DefaultTolerationSeconds",
            "PodTolerationRestriction",
            "EventRateLimit",
            "ExtendedResourceToleration",
            "DefaultStorageClass",
            "StorageObjectInUseProtection",
            "OwnerReferencesPermissionEnforcement",
            "PersistentVolumeClaimResize",
            "RuntimeClass",
            "CertificateApproval",
            "CertificateSigning",
            "ClusterTrustBundleAttest",
            "CertificateSubjectRestriction",
            "DefaultIngressClass",
            "DenyServiceExternalIPs",
            "PodTopologyLabels",
            "MutatingAdmissionPolicy",
            "MutatingAdmissionWebhook",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionWebhook",
            "ResourceQuota",
            "AlwaysDeny");

    /** The plugins on unless disabled (the list kube-apiserver --help prints, in run order). */
    public static final Set<String> DEFAULT_ON = Set.of(
            "NamespaceLifecycle",
            "LimitRanger",
            "ServiceAccount",
            "TaintNodesByCondition",
            "PodSecurity",
            "Priority",
            "DefaultTolerationSeconds",
            "DefaultStorageClass",
            "StorageObjectInUseProtection",
            "PersistentVolumeClaimResize",
            "RuntimeClass",
            "CertificateApproval",
            "CertificateSigning",
            "ClusterTrustBundleAttest",
            "CertificateSubjectRestriction",
            "DefaultIngressClass",
            "PodTopologyLabels",
            "MutatingAdmissionPolicy",
            "MutatingAdmissionWebhook",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionWebhook",
            "ResourceQuota");

    /** The plugins that run, in order: the defaults, plus {@code enable}, minus {@code disable}. */
    public static List<String> enabled(List<String> enable, List<String> disable) {
        Set<String> on = new LinkedHashSet<>(DEFAULT_ON);
        on.removeAll(disable);
        on.addAll(enable);
        List<String> ordered = new ArrayList<>();
        for (String name : ORDERED) {
            if (on.contains(name)) {
                ordered.add(name);
            }
        }
        return ordered;
    }

    /** AdmissionOptions.Validate's errors, in its order; empty when the flags are valid. */
    public static List<String> validate(List<String> enable, List<String> disable) {
        List<String> errors = new ArrayList<>();
        for (String name : new LinkedHashSet<>(enable)) {
            if (!ORDERED.contains(name)) {
                errors.add("enable-admission-plugins plugin \"" + name + "\" is unknown");
            }
        }
        for (String name : new LinkedHashSet<>(disable)) {
            if (!ORDERED.contains(name)) {
                errors.add("disable-admission-plugins plugin \"" + name + "\" is unknown");
            }
        }
        // a sorted set intersection, printed as Go prints a []string
        TreeSet<String> both = new TreeSet<>(enable);
        both.retainAll(Set.copyOf(disable));
        if (!both.isEmpty()) {
            errors.add("[" + String.join(" ", both) + "] in enable-admission-plugins and disable-admission-plugins "
                    + "overlapped");
        }
        return errors;
    }
}

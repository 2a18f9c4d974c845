package io.kubetwin.apiserver.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.testing.TestApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which plugins run, in which order, from kube-apiserver's flags (pkg/kubeapiserver/options/plugins.go), and
 * the start-up refusals for plugins the fake does not emulate and for a bad admission config file.
 */
class AdmissionPluginSelectionTest {

    @Test
    void theDefaultsRunInKubeApiserversOrder() {
        // the order kube-apiserver v1.34.4 --help prints its default-on plugins in
        assertEquals(
                List.of(
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
                        "ResourceQuota"),
                AdmissionOptions.defaults().enabledPlugins());
    }

    @Test
    void enabledPluginsTakeTheirFixedPlaceAndDisabledOnesGo() {
        List<String> enabled = new AdmissionOptions(
                        List.of("ResourceQuota", "NodeRestriction", "AlwaysPullImages"),
                        List.of("PodSecurity", "LimitRanger", "MutatingAdmissionPolicy"),
                        null)
                .enabledPlugins();
        assertEquals(
                List.of(
                        "NamespaceLifecycle",
                        "ServiceAccount",
                        "NodeRestriction",
                        "TaintNodesByCondition",
                        "AlwaysPullImages",
                        "Priority"),
                enabled.subList(0, 6));
        assertTrue(!enabled.contains("PodSecurity") && !enabled.contains("LimitRanger"));
        assertEquals("ResourceQuota", enabled.get(enabled.size() - 1));
    }

    @Test
    void anEnabledPluginIsBuiltFromItsConfigurationAtStartUp() {
        // every plugin of v1.34.4 is emulated; one that needs a configuration refuses to start without it, as upstream
        RuntimeException e = assertThrows(
                RuntimeException.class,
                () -> TestApiServer.start(b -> b.enableAdmissionPlugins(List.of("ImagePolicyWebhook"))));
        assertEquals(
                "failed to apply admission: couldn't init admission plugin \"ImagePolicyWebhook\": no config specified",
                rootMessage(e));
    }

    @Test
    void aMissingAdmissionConfigFileIsRefusedAtStartUp(@TempDir Path dir) {
        Path missing = dir.resolve("missing.yaml");
        RuntimeException e = assertThrows(
                RuntimeException.class, () -> TestApiServer.start(b -> b.admissionControlConfigFile(missing)));
        assertTrue(
                rootMessage(e).startsWith("failed to read admission control configuration from \"" + missing + "\""),
                rootMessage(e));
    }

    @Test
    void pluginConfigurationsAreReadInlineOrFromARelativePath(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("psa.yaml"),
                "apiVersion: pod-security.admission.config.k8s.io/v1\n"
                        + "kind: PodSecurityConfiguration\ndefaults:\n  enforce: baseline\n");
        Path file = dir.resolve("admission.yaml");
        Files.writeString(
                file,
                "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n"
                        + "- name: PodSecurity\n  path: psa.yaml\n"
                        + "- name: EventRateLimit\n  configuration:\n    kind: Configuration\n");
        AdmissionConfigFile config = AdmissionConfigFile.load(file);
        assertEquals(
                "baseline",
                config.configuration("PodSecurity")
                        .orElseThrow()
                        .path("defaults")
                        .path("enforce")
                        .asText());
        assertEquals(
                "Configuration",
                config.configuration("EventRateLimit")
                        .orElseThrow()
                        .path("kind")
                        .asText());
        assertTrue(config.configuration("ImagePolicyWebhook").isEmpty());
        ApiServerConfig.fromArgs(List.of("--admission-control-config-file=" + file));
    }

    /** The start-up error's own text: the first IllegalArgumentException in the chain. */
    private static String rootMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException) {
                return t.getMessage();
            }
        }
        return String.valueOf(e);
    }
}

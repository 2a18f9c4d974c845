package io.kubetwin.apiserver.admission.imagepolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without kubeConfigFile, ImagePolicyWebhook reads client-go's default loading rules; with neither $KUBECONFIG nor
 * ~/.kube/config the start fails with the reference's text (recorded from kube-apiserver v1.34.4 started that way).
 */
class ImagePolicyConfigTest {
    private static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters: [{name: backend, cluster: {server: "https://127.0.0.1:9443/review"}}]
            users: [{name: apiserver, user: {token: t}}]
            contexts: [{name: c, context: {cluster: backend, user: apiserver}}]
            current-context: c
            """;

    private static JsonNode withoutFile() throws Exception {
        return new ObjectMapper().readTree("{\"imagePolicy\":{\"allowTTL\":50,\"denyTTL\":50}}");
    }

    @Test
    void withoutAnyKubeconfigTheStartFailsAsTheReference(@TempDir Path home) throws Exception {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ImagePolicyConfig.parse(withoutFile(), new KubeconfigLoadingRules(null, home)));
        assertEquals(
                "invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER "
                        + "environment variable",
                e.getMessage());
    }

    @Test
    void theHomeKubeconfigIsRead(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve(".kube"));
        Files.writeString(home.resolve(".kube/config"), KUBECONFIG);
        ImagePolicyConfig config = ImagePolicyConfig.parse(withoutFile(), new KubeconfigLoadingRules(null, home));
        assertEquals(
                "https://127.0.0.1:9443/review", config.kubeconfig().server().toString());
    }

    @Test
    void kubeconfigTakesPrecedenceOverHomeFirstExistingFileRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("b.kubeconfig");
        Files.writeString(file, KUBECONFIG.replace("9443", "9444"));
        Files.createDirectories(dir.resolve(".kube"));
        Files.writeString(dir.resolve(".kube/config"), KUBECONFIG);
        String env = dir.resolve("missing.kubeconfig") + java.io.File.pathSeparator + file;
        ImagePolicyConfig config = ImagePolicyConfig.parse(withoutFile(), new KubeconfigLoadingRules(env, dir));
        assertEquals(
                "https://127.0.0.1:9444/review", config.kubeconfig().server().toString());
        // $KUBECONFIG naming no file that exists finds nothing, even with a home kubeconfig
        assertThrows(
                IllegalArgumentException.class,
                () -> ImagePolicyConfig.parse(
                        withoutFile(),
                        new KubeconfigLoadingRules(
                                dir.resolve("missing.kubeconfig").toString(), dir)));
    }
}

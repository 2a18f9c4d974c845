package io.kubetwin.apiserver.admission.imagepolicy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * client-go's default kubeconfig loading rules (tools/clientcmd/loader.go NewDefaultClientConfigLoadingRules), which
 * ImagePolicyWebhook falls back on when its configuration names no {@code kubeConfigFile}: the files of
 * {@code $KUBECONFIG} (a path list), else {@code ~/.kube/config}. Of several {@code $KUBECONFIG} files the first that
 * exists is read (client-go merges them; known-divergences).
 *
 * @param kubeconfigEnv the value of {@code $KUBECONFIG}, or null
 * @param home the user's home directory, or null
 */
record KubeconfigLoadingRules(String kubeconfigEnv, Path home) {

    /** The process's environment and home, as kube-apiserver reads them. */
    static KubeconfigLoadingRules fromProcess() {
        String home = System.getProperty("user.home");
        return new KubeconfigLoadingRules(System.getenv("KUBECONFIG"), home == null ? null : Path.of(home));
    }

    /** The kubeconfig file these rules find, if any. */
    Optional<Path> find() {
        if (kubeconfigEnv != null && !kubeconfigEnv.isEmpty()) {
            for (String p : kubeconfigEnv.split(File.pathSeparator)) {
                if (!p.isEmpty() && Files.isRegularFile(Path.of(p))) {
                    return Optional.of(Path.of(p));
                }
            }
            return Optional.empty();
        }
        if (home != null) {
            Path recommended = home.resolve(".kube").resolve("config");
            if (Files.isRegularFile(recommended)) {
                return Optional.of(recommended);
            }
        }
        return Optional.empty();
    }
}

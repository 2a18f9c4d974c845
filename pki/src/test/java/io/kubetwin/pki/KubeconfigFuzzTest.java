package io.kubetwin.pki;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Timeout;

/**
 * The kubeconfig reader (the runner's targets, the scanner, the fake kubelet, every test client): any document is
 * parsed or refused with a {@link PkiException}, and so is every question asked of a parsed one (current context,
 * cluster, user, server, CA, client credential, token, TLS context, written YAML). Kubeconfigs naming files are
 * parsed but not read further, so the fuzzer never opens files. Seeds in {@code KubeconfigFuzzTestInputs/parse}.
 */
class KubeconfigFuzzTest {
    @FuzzTest
    @Timeout(10)
    void parse(byte[] input) {
        Kubeconfig config;
        try {
            config = Kubeconfig.parse(new String(input, StandardCharsets.UTF_8));
        } catch (PkiException e) {
            assertNotNull(e.getMessage());
            return;
        }
        ask(config::toString);
        ask(config::toYaml);
        ask(() -> Kubeconfig.parse(config.toYaml()));
        if (namesFiles(config)) {
            return;
        }
        ask(config::currentContext);
        ask(config::server);
        ask(config::namespace);
        ask(config::certificateAuthorities);
        ask(config::clientCredential);
        ask(config::token);
        ask(config::insecureSkipTlsVerify);
        ask(() -> KeyStores.clientContext(config));
    }

    private static boolean namesFiles(Kubeconfig config) {
        return config.clusters().stream().anyMatch(c -> set(c.certificateAuthority()))
                || config.users().stream()
                        .anyMatch(u -> set(u.clientCertificate()) || set(u.clientKey()) || set(u.tokenFile()));
    }

    private static boolean set(String s) {
        return s != null && !s.isEmpty();
    }

    private static void ask(Supplier<?> question) {
        try {
            assertNotNull(question.get());
        } catch (PkiException e) {
            assertNotNull(e.getMessage());
        }
    }
}

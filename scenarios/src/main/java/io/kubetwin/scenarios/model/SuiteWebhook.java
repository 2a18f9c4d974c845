package io.kubetwin.scenarios.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One path of the admission webhook server the runner starts for a suite on 127.0.0.1 (reachable by every local
 * target). Setup objects name it through {@code ${webhook.url}} (e.g. {@code ${webhook.url}/validate}) and
 * {@code ${webhook.caBundle}}.
 *
 * @param path              the path served, e.g. {@code /validate}
 * @param response          a fixed AdmissionResponse (without uid), e.g. {@code {allowed: false, status: {...}}}
 * @param trustedRegistries instead of a fixed answer: the TrustedRegistryWebhook policy with these registries
 * @param requireDigest     with {@code trustedRegistries}: refuse images not pinned by digest
 */
public record SuiteWebhook(String path, JsonNode response, List<String> trustedRegistries, boolean requireDigest) {
    public SuiteWebhook {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("a suite webhook needs a path starting with /");
        }
        trustedRegistries = trustedRegistries == null ? List.of() : List.copyOf(trustedRegistries);
        if ((response == null) == trustedRegistries.isEmpty()) {
            throw new IllegalArgumentException("suite webhook " + path + ": give either response or trustedRegistries");
        }
    }
}

package io.kubetwin.scenarios.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One path of the webhook server the runner starts for a suite on 127.0.0.1 (reachable by every local target).
 * Setup objects name it through {@code ${webhook.url}} (e.g. {@code ${webhook.url}/validate}) and
 * {@code ${webhook.caBundle}}; the suite's admission configuration through {@code ${webhook.kubeconfig}} too.
 *
 * @param path              the path served, e.g. {@code /validate}
 * @param review            {@code AdmissionReview} (default: an admission webhook) or {@code ImageReview} (a backend
 *                          of the ImagePolicyWebhook plugin, which {@code ${webhook.kubeconfig}} points at)
 * @param response          a fixed AdmissionResponse (without uid), e.g. {@code {allowed: false, status: {...}}}, or
 *                          for an ImageReview a fixed status, e.g. {@code {allowed: false, reason: ...}}
 * @param trustedRegistries instead of a fixed answer: the TrustedRegistryWebhook policy with these registries
 * @param requireDigest     with {@code trustedRegistries}: refuse images not pinned by digest
 */
public record SuiteWebhook(
        String path, String review, JsonNode response, List<String> trustedRegistries, boolean requireDigest) {
    public static final String ADMISSION_REVIEW = "AdmissionReview";
    public static final String IMAGE_REVIEW = "ImageReview";

    public SuiteWebhook {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("a suite webhook needs a path starting with /");
        }
        review = review == null ? ADMISSION_REVIEW : review;
        if (!review.equals(ADMISSION_REVIEW) && !review.equals(IMAGE_REVIEW)) {
            throw new IllegalArgumentException("suite webhook " + path + ": review is AdmissionReview or ImageReview");
        }
        trustedRegistries = trustedRegistries == null ? List.of() : List.copyOf(trustedRegistries);
        if ((response == null) == trustedRegistries.isEmpty()) {
            throw new IllegalArgumentException("suite webhook " + path + ": give either response or trustedRegistries");
        }
    }

    public boolean imageReview() {
        return IMAGE_REVIEW.equals(review);
    }
}

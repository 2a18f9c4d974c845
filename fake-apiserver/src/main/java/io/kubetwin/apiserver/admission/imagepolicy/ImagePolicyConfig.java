package io.kubetwin.apiserver.admission.imagepolicy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.audit.backend.WebhookKubeconfig;
import io.kubetwin.pki.GoDuration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * ImagePolicyWebhook's configuration (plugin/pkg/admission/imagepolicy/config.go and NewImagePolicyWebhook): the
 * {@code imagePolicy} object of the plugin's entry in the AdmissionConfiguration, inline or in its {@code path} file,
 * with {@code kubeConfigFile} (read as util/webhook's LoadKubeconfig reads it), {@code allowTTL} and
 * {@code denyTTL} in seconds, {@code retryBackoff} in milliseconds (0 means the default, -1 disables) and
 * {@code defaultAllow}. Every refusal is upstream's text, which kube-apiserver prints after
 * {@code couldn't init admission plugin "ImagePolicyWebhook": }.
 *
 * @param allowTtl how long an allowing answer is reused (0: not cached)
 * @param denyTtl how long a denying answer is reused (0: not cached)
 * @param retryBackoff the first wait of the backend call's exponential back-off
 */
public record ImagePolicyConfig(
        WebhookKubeconfig kubeconfig,
        Duration allowTtl,
        Duration denyTtl,
        Duration retryBackoff,
        boolean defaultAllow) {

    private static final String FIELD = "imagePolicyWebhookConfig.imagePolicy.";

    /** Reads and checks the plugin's configuration; {@code configuration} is null when the file gives none. */
    public static ImagePolicyConfig parse(JsonNode configuration) {
        return parse(configuration, KubeconfigLoadingRules.fromProcess());
    }

    /** As {@link #parse(JsonNode)}, without kubeConfigFile falling back on {@code rules}. */
    static ImagePolicyConfig parse(JsonNode configuration, KubeconfigLoadingRules rules) {
        if (configuration == null) {
            throw new IllegalArgumentException("no config specified");
        }
        JsonNode c = configuration.path("imagePolicy");
        String kubeConfigFile = string(c, "kubeConfigFile");
        long allow = integer(c, "allowTTL");
        long deny = integer(c, "denyTTL");
        long backoff = integer(c, "retryBackoff");
        boolean defaultAllow = bool(c, "defaultAllow");
        Duration retry = normalize(
                backoff, Duration.ofMillis(1), Duration.ofNanos(1), Duration.ofMinutes(5), Duration.ofMillis(500));
        Duration allowTtl = normalize(
                allow, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(30), Duration.ofMinutes(5));
        Duration denyTtl = normalize(
                deny, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(30), Duration.ofSeconds(30));
        // without a file named, client-go's default loading rules ($KUBECONFIG, ~/.kube/config)
        Optional<Path> file = kubeConfigFile.isEmpty() ? rules.find() : Optional.of(Path.of(kubeConfigFile));
        if (file.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: no configuration has been provided, try "
                    + "setting KUBERNETES_MASTER environment variable");
        }
        try {
            WebhookKubeconfig kubeconfig = WebhookKubeconfig.load(file.get());
            return new ImagePolicyConfig(kubeconfig, allowTtl, denyTtl, retry, defaultAllow);
        } catch (WebhookKubeconfig.InvalidKubeconfig e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** normalizeConfigDuration: -1 disables, 0 takes the default, anything else is scaled and range-checked. */
    private static Duration normalize(long value, Duration scale, Duration min, Duration max, Duration fallback) {
        if (value == -1) {
            return Duration.ZERO;
        }
        if (value == 0) {
            return fallback;
        }
        Duration scaled = scale.multipliedBy(value);
        if (scaled.compareTo(min) < 0 || scaled.compareTo(max) > 0) {
            throw new IllegalArgumentException("valid value is between " + GoDuration.format(min) + " and "
                    + GoDuration.format(max) + ", got " + GoDuration.format(scaled));
        }
        return scaled;
    }

    private static String string(JsonNode c, String field) {
        JsonNode v = c.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw typeError(v, field, "string");
        }
        return v.asText();
    }

    private static long integer(JsonNode c, String field) {
        JsonNode v = c.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw typeError(v, field, "time.Duration");
        }
        return v.asLong();
    }

    private static boolean bool(JsonNode c, String field) {
        JsonNode v = c.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw typeError(v, field, "bool");
        }
        return v.asBoolean();
    }

    /** encoding/json's UnmarshalTypeError: a number that does not fit a number type is quoted with its value. */
    private static IllegalArgumentException typeError(JsonNode v, String field, String goType) {
        String value = v.isTextual()
                ? "string"
                : v.isNumber()
                        ? (goType.equals("time.Duration") ? "number " + v.asText() : "number")
                        : v.isBoolean() ? "bool" : v.isArray() ? "array" : "object";
        return new IllegalArgumentException(
                "json: cannot unmarshal " + value + " into Go struct field " + FIELD + field + " of type " + goType);
    }
}

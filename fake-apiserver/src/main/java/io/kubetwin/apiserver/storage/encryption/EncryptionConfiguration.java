package io.kubetwin.apiserver.storage.encryption;

import java.time.Duration;
import java.util.List;

/**
 * The decoded file, field for field as the internal type kube-apiserver validates
 * (k8s.io/apiserver/pkg/apis/apiserver/types_encryption.go), after v1 defaulting. Lists and the provider
 * configurations may be null where the file leaves them out, as Go's nil: validation tells "missing" from "empty"
 * only by length, but the "more than one provider" message prints nil as {@code null}.
 */
record EncryptionConfiguration(List<ResourceConfiguration> resources) {

    /** One rule: the resources it covers and their providers, the first of which writes. */
    record ResourceConfiguration(List<String> resources, List<ProviderConfiguration> providers) {}

    /** One provider element; exactly one field should be set (validation says so otherwise). */
    record ProviderConfiguration(
            KeysConfiguration aesgcm,
            KeysConfiguration aescbc,
            KeysConfiguration secretbox,
            IdentityConfiguration identity,
            KmsConfiguration kms) {}

    /** The keys of aesgcm, aescbc or secretbox. */
    record KeysConfiguration(List<Key> keys) {}

    /** A named key; {@code secret} is base64 text. Empty strings when absent (Go's zero value). */
    record Key(String name, String secret) {}

    record IdentityConfiguration() {}

    /**
     * A KMS plugin, with v1 defaults applied (apiVersion v1, timeout 3s, cachesize 1000 for v1).
     *
     * @param cacheSize null when absent and not defaulted
     */
    record KmsConfiguration(String apiVersion, String name, Integer cacheSize, String endpoint, Duration timeout) {}
}

/**
 * Encryption at rest, as kube-apiserver's {@code --encryption-provider-config}: the
 * {@code apiserver.config.k8s.io/v1} EncryptionConfiguration file decoded and validated with upstream's
 * messages ({@link io.kubetwin.apiserver.storage.encryption.EncryptionConfigDecoder},
 * {@link io.kubetwin.apiserver.storage.encryption.EncryptionConfigValidation}), the providers (identity,
 * aescbc, aesgcm, secretbox; KMS v2 in {@code kms}) as {@link io.kubetwin.apiserver.storage.ValueTransformer}s
 * writing upstream's exact storage format ({@code k8s:enc:<provider>:v1:<key>:} then the ciphertext), and the
 * per-resource selection the store asks for ({@link io.kubetwin.apiserver.storage.encryption.EncryptionConfig#forResource}).
 * With automatic reload, {@link io.kubetwin.apiserver.storage.encryption.EncryptionConfigReloader} polls the file and
 * swaps the providers of every resource. Mirrors k8s.io/apiserver/pkg/server/options/encryptionconfig (and its
 * controller) and pkg/storage/value.
 */
package io.kubetwin.apiserver.storage.encryption;

/**
 * KMS v2 encryption at rest, as kube-apiserver v1.34.4 does it: the {@code v2.KeyManagementService} gRPC API of
 * a plugin on a unix socket ({@link io.kubetwin.apiserver.storage.encryption.kms.KmsGrpc},
 * {@link io.kubetwin.apiserver.storage.encryption.kms.KmsMessages}), the envelope transformer that stores
 * {@link io.kubetwin.apiserver.storage.encryption.kms.EncryptedObject}s after {@code k8s:enc:kms:v2:NAME:}, and
 * the provider whose Status probe keeps the write seed in step with the plugin's key ID
 * ({@link io.kubetwin.apiserver.storage.encryption.kms.KmsV2Provider}). Mirrors
 * k8s.io/apiserver/pkg/storage/value/encrypt/envelope/kmsv2 and the KMS parts of
 * pkg/server/options/encryptionconfig/config.go.
 */
package io.kubetwin.apiserver.storage.encryption.kms;

/**
 * The ImagePolicyWebhook admission plugin (plugin/pkg/admission/imagepolicy): its configuration from
 * {@code --admission-control-config-file} ({@code ImagePolicyConfig}), the ImageReview it sends and how it reads the
 * answer ({@code ImageReviews}), the backend call with client-go's retries and error texts
 * ({@code ImagePolicyBackend}), and the plugin with its answer cache ({@code ImagePolicyWebhook}).
 */
package io.kubetwin.apiserver.admission.imagepolicy;

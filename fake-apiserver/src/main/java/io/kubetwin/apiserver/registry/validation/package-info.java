/**
 * Field validation with kube-apiserver's exact messages: name rules
 * (k8s.io/apimachinery/pkg/util/validation/validation.go, api/validation/{objectmeta,generic}.go,
 * api/validation/path/name.go) and the per-kind checks of pkg/apis/core/validation/validation.go that
 * kubetwin serves. Errors are {@link io.kubetwin.apiserver.registry.validation.FieldError}s, turned into
 * a 422 Invalid Status by {@link io.kubetwin.apiserver.registry.validation.FieldError#invalid}.
 */
package io.kubetwin.apiserver.registry.validation;

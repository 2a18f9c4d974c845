/**
 * PATCH bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902, through zjsonpatch) and strategic
 * merge patch for the built-in kinds (k8s.io/apimachinery/pkg/util/strategicpatch), with the list merge
 * keys {@code kubectl apply} relies on.
 */
package io.kubetwin.apiserver.registry.patch;

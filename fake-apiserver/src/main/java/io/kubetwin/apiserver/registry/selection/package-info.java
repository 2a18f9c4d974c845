/**
 * Label and field selectors, parsed and matched as k8s.io/apimachinery/pkg/labels/selector.go and
 * pkg/fields/selector.go do, with their error texts.
 */
package io.kubetwin.apiserver.registry.selection;

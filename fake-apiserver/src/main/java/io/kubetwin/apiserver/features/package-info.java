/**
 * {@code --feature-gates} and {@code --emulated-version} as kube-apiserver v1.34.4 parses them
 * (k8s.io/component-base/featuregate and compatibility), over the gate table recorded from the pinned modules
 * ({@code ci/reference/record-feature-gates.sh}), and what the fake does with each gate ({@link GateSupport}).
 */
package io.kubetwin.apiserver.features;

/**
 * The {@link io.kubetwin.apiserver.registry.ResourceStrategy} of each built-in kind, one class per kind,
 * mirroring pkg/registry/&lt;group&gt;/&lt;kind&gt;/strategy.go and the kind's validation and defaults
 * (PodVolumeDefaults holds the core/v1 defaults of pod volumes).
 */
package io.kubetwin.apiserver.registry.kinds;

/**
 * The {@link io.kubetwin.apiserver.registry.ResourceStrategy} of each built-in kind, mirroring
 * pkg/registry/&lt;group&gt;/&lt;kind&gt;/strategy.go and the kind's validation and defaults. The security kinds
 * have a class each (pods, secrets, namespaces, RBAC, ...); the others are one {@link
 * io.kubetwin.apiserver.registry.kinds.BuiltInStrategy} each, configured in {@link
 * io.kubetwin.apiserver.registry.kinds.BuiltInKinds} from small pieces: WorkloadDefaults and ServiceDefaults
 * (versioned defaults), KindValidation (the reference's 422s), ServiceNetwork (cluster IPs, node ports) and
 * HpaConversion (autoscaling/v1 over v2 storage). PodVolumeDefaults holds the core/v1 defaults of pod volumes.
 */
package io.kubetwin.apiserver.registry.kinds;

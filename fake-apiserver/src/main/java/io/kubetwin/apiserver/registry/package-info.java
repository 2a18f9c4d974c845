/**
 * The resource registry: what is served and how each verb behaves on it.
 *
 * <ul>
 *   <li>{@link io.kubetwin.apiserver.registry.ResourceCatalog}: the served resources by (group, version,
 *       plural), with v1.34's discovery data ({@link io.kubetwin.apiserver.registry.ServedResource},
 *       {@link io.kubetwin.apiserver.registry.SubresourceType}); changes are announced to listeners.</li>
 *   <li>{@link io.kubetwin.apiserver.registry.RestHandler}: the Vert.x handler serving every resource
 *       request after authorization, dispatching to one small handler per verb
 *       ({@code registry.handlers}).</li>
 *   <li>{@link io.kubetwin.apiserver.registry.GenericRegistry} and
 *       {@link io.kubetwin.apiserver.registry.Deleter}: the one generic path over storage (store.go),
 *       calling the kind's {@link io.kubetwin.apiserver.registry.ResourceStrategy} (registered in
 *       {@link io.kubetwin.apiserver.registry.Strategies}) and admission.</li>
 *   <li>{@link io.kubetwin.apiserver.registry.VirtualResource}: the seam for create-only and
 *       computed resources (reviews, TokenRequest, CSR approval), registered in
 *       {@link io.kubetwin.apiserver.registry.VirtualResources}.</li>
 * </ul>
 */
package io.kubetwin.apiserver.registry;

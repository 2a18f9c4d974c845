/**
 * One small class per verb behind {@link io.kubetwin.apiserver.registry.RestHandler}, mirroring
 * k8s.io/apiserver/pkg/endpoints/handlers/{get,create,update,patch,delete,watch}.go over the shared
 * {@link io.kubetwin.apiserver.registry.GenericRegistry} path. Errors fail the routing context with a
 * StatusException; successes are written by {@link io.kubetwin.apiserver.registry.handlers.Responses}.
 */
package io.kubetwin.apiserver.registry.handlers;

/**
 * Request bodies to JSON trees and back, with kube-apiserver's decode error texts: Go's encoding/json
 * syntax messages ({@link io.kubetwin.apiserver.registry.codec.GoJsonSyntax}), YAML bodies, and the
 * type checks of the handlers' decoders (k8s.io/apiserver/pkg/endpoints/handlers/rest.go transformDecodeError).
 */
package io.kubetwin.apiserver.registry.codec;

/**
 * Request bodies to JSON trees and back, with kube-apiserver's decode error texts: Go's encoding/json
 * syntax messages ({@link io.kubetwin.apiserver.registry.codec.GoJsonSyntax}), YAML bodies, and the
 * type checks of the handlers' decoders (k8s.io/apiserver/pkg/endpoints/handlers/rest.go transformDecodeError);
 * Kubernetes' protobuf encoding both ways ({@link io.kubetwin.apiserver.registry.codec.ProtobufEncoder},
 * {@link io.kubetwin.apiserver.registry.codec.ProtobufDecoder}, over the recorded
 * {@link io.kubetwin.apiserver.registry.codec.ProtobufSchema}), and the values stored in etcd
 * ({@link io.kubetwin.apiserver.registry.codec.StorageCodec}).
 */
package io.kubetwin.apiserver.registry.codec;

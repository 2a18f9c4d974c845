#!/usr/bin/env bash
# Records how kube-apiserver v1.34.4 writes built-in kinds in Kubernetes' protobuf encoding (field numbers, JSON
# names, types, which fields its generated marshallers write even when zero), from the pinned Go modules, into
#   fake-apiserver/src/main/resources/io/kubetwin/apiserver/registry/codec/protobuf-schema.json
# read by registry/codec/ProtobufSchema. The Go program is protobuf-schema/main.go; its module is generated here.
#
#   ci/reference/record-protobuf-schema.sh      (uses the Go module proxy, or the module cache with GOPROXY=off)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
out="$here/../../fake-apiserver/src/main/resources/io/kubetwin/apiserver/registry/codec/protobuf-schema.json"
mkdir -p "$(dirname "$out")"
# shellcheck source=lib.sh
source "$here/lib.sh"
recorder_module "$here/protobuf-schema" \
  "k8s.io/api $STAGING_VERSION" "k8s.io/apimachinery $STAGING_VERSION" "k8s.io/client-go $STAGING_VERSION" "k8s.io/apiextensions-apiserver $STAGING_VERSION" "k8s.io/kube-aggregator $STAGING_VERSION" "github.com/gogo/protobuf v1.3.2"
go run . > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out" >&2

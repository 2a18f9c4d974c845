#!/usr/bin/env bash
# Records the Go type names of the built-in kinds' fields, as kube-apiserver v1.34.4's JSON type errors print them,
# from the pinned Go modules, into
#   fake-apiserver/src/main/resources/io/kubetwin/apiserver/registry/codec/go-types.json.gz
# read by registry/codec/GoTypeNames. The Go program is go-types/main.go; its module is generated here.
#
#   ci/reference/record-go-types.sh      (uses the Go module proxy, or the module cache with GOPROXY=off)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
out="$here/../../fake-apiserver/src/main/resources/io/kubetwin/apiserver/registry/codec/go-types.json.gz"
# shellcheck source=lib.sh
source "$here/lib.sh"
recorder_module "$here/go-types" \
  "k8s.io/api $STAGING_VERSION" "k8s.io/apimachinery $STAGING_VERSION" "k8s.io/client-go $STAGING_VERSION" "k8s.io/apiextensions-apiserver $STAGING_VERSION" "k8s.io/kube-aggregator $STAGING_VERSION"
go run . | gzip -9n > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out" >&2

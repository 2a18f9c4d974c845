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
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/go-types/main.go" "$work/"
cd "$work"
cat > go.mod <<GOMOD
module kubetwin.local/gotypes

go 1.24.0

require (
	k8s.io/api $STAGING_VERSION
	k8s.io/apimachinery $STAGING_VERSION
	k8s.io/client-go $STAGING_VERSION
	k8s.io/apiextensions-apiserver $STAGING_VERSION
	k8s.io/kube-aggregator $STAGING_VERSION
)
GOMOD
export GOFLAGS=-mod=mod
go mod tidy -e >&2
go run . | gzip -9n > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out" >&2

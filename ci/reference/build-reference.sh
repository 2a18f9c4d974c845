#!/usr/bin/env bash
# Builds the real reference control plane (kube-apiserver, kube-controller-manager, etcd)
# from the official Go modules through the Go module proxy. No Kubernetes source is kept in
# this repository: the Go module below is generated from versions.env and fetched modules.
#
# Idempotent: binaries are cached under $KUBETWIN_REFERENCE_DIR (default ~/.cache/kubetwin/reference)
# keyed by the pinned versions; a rebuild is skipped when they have not changed.
# Prints the directory holding the binaries on its last line.
#
# Usage: build-reference.sh [--print-only]
#   --print-only  never build: print the directory if the cached binaries exist, else exit 3.
set -euo pipefail
print_only=false
case "${1:-}" in
  --print-only) print_only=true ;;
  "") ;;
  *) echo "usage: $0 [--print-only]" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"

cache_root=${KUBETWIN_REFERENCE_DIR:-$HOME/.cache/kubetwin/reference}
key="k8s-${KUBERNETES_VERSION}-staging-${STAGING_VERSION}-etcd-${ETCD_VERSION}"
out="$cache_root/$key"
bin="$out/bin"

if [[ -x "$bin/kube-apiserver" && -x "$bin/kube-controller-manager" && -x "$bin/etcd" && -f "$out/complete" ]]; then
  echo "reference: cached build $key" >&2
  "$bin/kube-apiserver" --version >&2
  "$bin/etcd" --version | sed -n 1p >&2
  echo "$bin"
  exit 0
fi
if $print_only; then
  echo "reference: $key is not built (run $0)" >&2
  exit 3
fi

command -v go >/dev/null || { echo "reference: go is not installed" >&2; exit 1; }
mod="$out/module"
mkdir -p "$mod" "$bin"

cd "$mod"
cat > go.mod <<GOMOD
module kubetwin.local/reference

go 1.24.0

require (
	k8s.io/kubernetes $KUBERNETES_VERSION
	go.etcd.io/etcd/server/v3 $ETCD_VERSION
)
GOMOD
cat > tools.go <<'GO'
//go:build tools

package reference

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
)
GO

# k8s.io/kubernetes points its staging modules at ./staging/...; outside its own tree those
# must be replaced by the published v0.X.Y modules of the same release.
go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" > download.json
gomod=$(sed -n 's/.*"GoMod": "\(.*\)".*/\1/p' download.json)
grep -E '^\s+k8s\.io/[a-z0-9-]+ => \./staging/' "$gomod" | awk '{print $1}' | while read -r m; do
  echo "replace $m => $m $STAGING_VERSION" >> go.mod
done
export GOFLAGS=-mod=mod
go mod tidy -e >&2 || true
# Stamp the release into the binaries as Kubernetes' own build does (hack/lib/version.sh), so that
# /version and --version report the pinned release instead of v0.0.0-master.
minor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2)
vpkg=k8s.io/component-base/version
ldflags="-X $vpkg.gitVersion=$KUBERNETES_VERSION -X $vpkg.gitMajor=1 -X $vpkg.gitMinor=$minor"
ldflags="$ldflags -X $vpkg.gitTreeState=clean -X $vpkg.buildDate=1970-01-01T00:00:00Z"
ldflags="$ldflags -X $vpkg.gitCommit=0000000000000000000000000000000000000000"
echo "reference: building kube-apiserver $KUBERNETES_VERSION" >&2
go build -trimpath -ldflags "$ldflags" -o "$bin/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
echo "reference: building kube-controller-manager $KUBERNETES_VERSION" >&2
go build -trimpath -ldflags "$ldflags" -o "$bin/kube-controller-manager" k8s.io/kubernetes/cmd/kube-controller-manager
echo "reference: building etcd $ETCD_VERSION" >&2
go build -trimpath -o "$bin/etcd" go.etcd.io/etcd/server/v3
"$bin/kube-apiserver" --version >&2
"$bin/etcd" --version | sed -n 1p >&2
touch "$out/complete"
echo "$bin"

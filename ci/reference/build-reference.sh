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
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
# shellcheck source=lib.sh
source "$here/lib.sh"
parse_print_only "$@"

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

replace_kubernetes_staging
ldflags=$(kubernetes_ldflags)
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

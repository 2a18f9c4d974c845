#!/usr/bin/env bash
# Builds the real etcdctl (the etcd release pinned in versions.env) from the official Go module
# go.etcd.io/etcd/etcdctl/v3 through the Go module proxy, into its own cache directory, so that
# adding it does not change build-reference.sh's cache key (and force a rebuild of the control plane).
#
# Idempotent: the binary is cached under $KUBETWIN_REFERENCE_DIR (default ~/.cache/kubetwin/reference)
# keyed by the pinned etcd version. Prints the path of the etcdctl binary on its last line.
#
# Usage: build-etcdctl.sh [--print-only]
#   --print-only  never build: print the path if the cached binary exists, else exit 3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
# shellcheck source=lib.sh
source "$here/lib.sh"
parse_print_only "$@"

cache_root=${KUBETWIN_REFERENCE_DIR:-$HOME/.cache/kubetwin/reference}
out="$cache_root/etcdctl-${ETCD_VERSION}"
bin="$out/bin/etcdctl"

if [[ -x "$bin" && -f "$out/complete" ]]; then
  echo "etcdctl: cached build $ETCD_VERSION" >&2
  echo "$bin"
  exit 0
fi
if $print_only; then
  echo "etcdctl: $ETCD_VERSION is not built (run $0)" >&2
  exit 3
fi

command -v go >/dev/null || { echo "etcdctl: go is not installed" >&2; exit 1; }
mkdir -p "$out/bin"
echo "etcdctl: building $ETCD_VERSION" >&2
# etcdctl's own go.mod replaces its sibling modules with ../api etc., so `go install module@version` refuses
# it; as build-reference.sh does, a generated module requires the released siblings at the same version.
mod="$out/module"
mkdir -p "$mod"
cd "$mod"
cat > go.mod <<GOMOD
module kubetwin.local/etcdctl

go 1.24.0

require (
	go.etcd.io/etcd/etcdctl/v3 $ETCD_VERSION
	go.etcd.io/etcd/api/v3 $ETCD_VERSION
	go.etcd.io/etcd/client/pkg/v3 $ETCD_VERSION
	go.etcd.io/etcd/client/v3 $ETCD_VERSION
	go.etcd.io/etcd/pkg/v3 $ETCD_VERSION
)
GOMOD
cat > tools.go <<'GO'
//go:build tools

package etcdctl

import _ "go.etcd.io/etcd/etcdctl/v3"
GO
export GOFLAGS="-mod=mod -buildvcs=false"
go mod tidy -e >&2 || true
go build -trimpath -o "$bin" go.etcd.io/etcd/etcdctl/v3
"$bin" version >&2
touch "$out/complete"
echo "$bin"

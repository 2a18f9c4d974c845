#!/usr/bin/env bash
# Builds the real kubelet of the pinned release and a fake container runtime for it, from the official Go modules,
# as the oracle for the fake kubelet (issue 10): k8s.io/kubernetes/cmd/kubelet, and a few lines of our own Go that
# serve k8s.io/cri-client's fake remote runtime (the one kubemark's hollow nodes use) on a unix socket.
#
# Cached under $KUBETWIN_REFERENCE_DIR (default ~/.cache/kubetwin/reference) with its own key, so that it never
# invalidates the control plane's cache. Prints the directory holding the binaries on its last line.
#
# Usage: build-kubelet.sh [--print-only]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
# shellcheck source=lib.sh
source "$here/lib.sh"
parse_print_only "$@"

cache_root=${KUBETWIN_REFERENCE_DIR:-$HOME/.cache/kubetwin/reference}
key="kubelet-${KUBERNETES_VERSION}-staging-${STAGING_VERSION}"
out="$cache_root/$key"
bin="$out/bin"
if [[ -x "$bin/kubelet" && -x "$bin/fake-cri" && -f "$out/complete" ]]; then
  echo "kubelet: cached build $key" >&2
  echo "$bin"
  exit 0
fi
if $print_only; then
  echo "kubelet: $key is not built (run $0)" >&2
  exit 3
fi
command -v go >/dev/null || { echo "kubelet: go is not installed" >&2; exit 1; }
mod="$out/module"
mkdir -p "$mod/cmd/fake-cri" "$bin"
cd "$mod"
cat > go.mod <<GOMOD
module kubetwin.local/kubelet

go 1.24.0

require (
	k8s.io/kubernetes $KUBERNETES_VERSION
	k8s.io/cri-client $STAGING_VERSION
)
GOMOD
cat > tools.go <<'GO'
//go:build tools

package kubelet

import _ "k8s.io/kubernetes/cmd/kubelet"
GO
# The fake runtime: RuntimeReady and NetworkReady, sandboxes and containers kept in memory, no images pulled.
cat > cmd/fake-cri/main.go <<'GO'
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"k8s.io/cri-client/pkg/fake"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: fake-cri unix:///path/to/socket")
		os.Exit(2)
	}
	runtime := fake.NewFakeRemoteRuntime()
	if err := runtime.Start(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("fake-cri: serving on", os.Args[1])
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	runtime.Stop()
}
GO
replace_kubernetes_staging
ldflags=$(kubernetes_ldflags)
echo "kubelet: building kubelet $KUBERNETES_VERSION" >&2
go build -trimpath -ldflags "$ldflags" -o "$bin/kubelet" k8s.io/kubernetes/cmd/kubelet
echo "kubelet: building fake-cri" >&2
go build -trimpath -o "$bin/fake-cri" ./cmd/fake-cri
"$bin/kubelet" --version >&2
touch "$out/complete"
echo "$bin"

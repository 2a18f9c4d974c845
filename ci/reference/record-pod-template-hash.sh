#!/usr/bin/env bash
# Records the Go type shapes GoDeepHash walks to reproduce kube-controller-manager's pod-template-hash, from the
# pinned k8s.io/api, into
#   fake-apiserver/src/main/resources/io/kubetwin/apiserver/controllers/pod-template-spew.json.gz
# With -vectors, prints instead "hash<TAB>hash-with-collisionCount-1<TAB>spew print" for each JSON pod template on
# stdin (one per line), through real go-spew: the test vectors of controllers/GoDeepHashTest.
#
#   ci/reference/record-pod-template-hash.sh [-vectors]   (uses the Go module proxy, or GOPROXY=off with a warm cache)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
out="$here/../../fake-apiserver/src/main/resources/io/kubetwin/apiserver/controllers/pod-template-spew.json.gz"
# shellcheck source=lib.sh
source "$here/lib.sh"
recorder_module "$here/pod-template-hash" \
  "k8s.io/api $STAGING_VERSION" "k8s.io/apimachinery $STAGING_VERSION"
go build -o pth .
if [ "${1:-}" = -vectors ]; then
  exec ./pth -vectors
fi
./pth | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True, separators=(",",":")))' \
  | gzip -9n > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out" >&2

#!/usr/bin/env bash
# Records go-yaml v2's key order as kube-apiserver v1.34.4 writes YAML (sigs.k8s.io/yaml JSONToYAML, the versions
# k8s.io/apimachinery v0.34.4 requires) for the key sets of
#   fake-apiserver/src/test/resources/golden/goyaml-keys/key-sets.jsonl (one JSON array of keys a line)
# into key-orders.jsonl beside it: for each set, every order seen in 2000 conversions (one where go-yaml's sorter is
# consistent, several where its comparison is not transitive and Go's random map order decides). Read by
# api/GoYamlKeyOrderTest. The Go program is go-yaml-keys/main.go.
#
#   ci/reference/record-go-yaml-keys.sh      (uses the Go module proxy, or the module cache with GOPROXY=off)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
golden="$here/../../fake-apiserver/src/test/resources/golden/goyaml-keys"
# shellcheck source=lib.sh
source "$here/lib.sh"
recorder_module "$here/go-yaml-keys" "sigs.k8s.io/yaml v1.6.0" "go.yaml.in/yaml/v2 v2.4.2"
go run . < "$golden/key-sets.jsonl" > "$golden/key-orders.jsonl.tmp"
mv "$golden/key-orders.jsonl.tmp" "$golden/key-orders.jsonl"
echo "wrote $golden/key-orders.jsonl ($(go version))" >&2

#!/usr/bin/env bash
# Records kube-apiserver's feature gates with their versioned specs, and its --emulated-version range, from the
# pinned Go modules: a small program is built in a copy of build-reference.sh's module, imports kube-apiserver's
# command (so every gate is registered exactly as in the binary: k8s.io/kubernetes/pkg/features,
# k8s.io/apiserver/pkg/features, component-base's logs/metrics/zpages gates, client-go's through the adapter) and
# prints the gate table as JSON. No Kubernetes source is kept in this repository.
#
#   ci/reference/record-feature-gates.sh
#
# Writes fake-apiserver/src/main/resources/io/kubetwin/apiserver/features/feature-gates.json:
#   {"binaryVersion": "1.34", "emulationFloor": "1.31",
#    "gates": {"Name": [{"version": "1.30", "default": false, "preRelease": "ALPHA", "lockToDefault": false}, ...]}}
# (each gate's specs in increasing version order, as featuregate.VersionedSpecs; "" is GA's pre-release string).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
# shellcheck source=lib.sh
source "$here/lib.sh"
out="$here/../../fake-apiserver/src/main/resources/io/kubetwin/apiserver/features/feature-gates.json"
reference_module="${KUBETWIN_REFERENCE_DIR:-$HOME/.cache/kubetwin/reference}/k8s-${KUBERNETES_VERSION}-staging-${STAGING_VERSION}-etcd-${ETCD_VERSION}/module"
[[ -f "$reference_module/go.mod" ]] || { echo "run ci/reference/build-reference.sh first" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$reference_module/go.mod" "$reference_module/go.sum" "$work/"
cat > "$work/main.go" <<'GO'
package main

import (
	"encoding/json"
	"os"
	"regexp"

	"k8s.io/apiserver/pkg/util/compatibility"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	basecompatibility "k8s.io/component-base/compatibility"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

type spec struct {
	Version       string `json:"version"`
	Default       bool   `json:"default"`
	PreRelease    string `json:"preRelease"`
	LockToDefault bool   `json:"lockToDefault"`
}

func main() {
	app.NewAPIServerCommand() // registers what the command registers, as the binary does before parsing flags
	gates := map[string][]spec{}
	for name, specs := range utilfeature.DefaultMutableFeatureGate.GetAllVersioned() {
		var list []spec
		for _, s := range specs {
			list = append(list, spec{s.Version.String(), s.Default, string(s.PreRelease), s.LockToDefault})
		}
		gates[string(name)] = list
	}
	kube := compatibility.DefaultComponentGlobalsRegistry.EffectiveVersionFor(basecompatibility.DefaultKubeComponent)
	// "1.31..1.34(default:1.34)"
	m := regexp.MustCompile(`^([0-9.]+)\.\.([0-9.]+)\(`).FindStringSubmatch(kube.(basecompatibility.MutableEffectiveVersion).AllowedEmulationVersionRange())
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(map[string]any{"binaryVersion": m[2], "emulationFloor": m[1], "gates": gates}); err != nil {
		panic(err)
	}
}
GO
cd "$work"
GOFLAGS=-mod=mod GOPROXY=off go run -trimpath -ldflags "$(kubernetes_ldflags)" . > "$out.tmp"
# which gates code compiled into kube-apiserver reads: a gate no package of its import graph names (outside the
# gate definitions) cannot change what a client of the apiserver sees (kubelet, scheduler, controller gates)
GOFLAGS=-mod=mod GOPROXY=off go list -deps -f '{{if not .Standard}}{{.Dir}}{{end}}' k8s.io/kubernetes/cmd/kube-apiserver > deps.txt
python3 - "$out.tmp" deps.txt <<'PY'
import glob, json, os, re, sys
table = json.load(open(sys.argv[1]))
sources = []
for d in open(sys.argv[2]).read().split():
    for f in glob.glob(d + "/*.go"):
        if not f.endswith("_test.go"):
            sources.append(open(f, encoding="utf-8").read())
text = "\n".join(sources)
for name in table["gates"]:
    # a use is a qualified reference (features.X, genericfeatures.X); the definitions are "X featuregate.Feature =",
    # "X: {" in the spec maps and "X Feature =" (logs, client-go), which are not qualified
    table.setdefault("readByApiserver", {})[name] = re.search(r"\.%s\b(?!\s*:)" % re.escape(name), text) is not None
json.dump(table, open(sys.argv[1], "w"), indent=1, sort_keys=True)
PY
mv "$out.tmp" "$out"
echo "wrote $out ($(grep -c '"version"' "$out") specs)" >&2

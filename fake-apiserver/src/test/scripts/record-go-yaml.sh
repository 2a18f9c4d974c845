#!/usr/bin/env bash
# Records src/test/resources/golden/goyaml/ from the real kube-apiserver v1.34.4: how it writes objects for a
# client that prefers YAML (Accept: application/yaml; sigs.k8s.io/yaml JSONToYAML of its JSON). Every object of
# objects.jsonl is created in namespace goyaml-golden, then read back twice, as JSON (NAME.json) and as YAML
# (NAME.yaml); a few objects and lists the reference makes itself are read the same way. Starts its own reference
# (ci/reference/run-reference.sh, no controller manager) in a temporary directory and stops it. GoYamlTest converts
# each NAME.json with GoYaml and compares it with NAME.yaml. Re-record only on purpose and review the diff.
#
#   record-go-yaml.sh [OUTDIR]        (KUBETWIN_REF_DIR=DIR: use the reference run-reference.sh DIR started)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
golden=$(cd "$here/../resources/golden/goyaml" && pwd)
out=${1:-$golden}
if [[ -n ${KUBETWIN_REF_DIR:-} ]]; then # a reference already running (run-reference.sh DIR): used, not stopped
  ref=$KUBETWIN_REF_DIR
  stop() { :; }
else
  ref=$(mktemp -d /tmp/kubetwin-goyaml.XXXXXX)
  stop() {
    for p in $(cat "$ref/pids"); do kill "$p" 2>/dev/null || true; done
    for p in $(cat "$ref/pids"); do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done
  }
  trap 'stop; rm -rf "$ref"' EXIT
  NO_CONTROLLER_MANAGER=1 "$here/../../../../ci/reference/run-reference.sh" "$ref" >/dev/null
fi
server=$(sed -n 's/^ *server: //p' "$ref/admin.kubeconfig")
call() { # METHOD PATH BODY ACCEPT OUTFILE
  curl -sS --cacert "$ref/pki/ca.crt" --cert "$ref/pki/admin.crt" --key "$ref/pki/admin.key" -X "$1" \
    -A kubetwin-test/1.0 -H 'Content-Type: application/json' -H "Accept: $4" \
    "$server$2" ${3:+--data-binary "$3"} > "${5:-/dev/null}"
}
both() { # PATH NAME
  call GET "$1" '' application/json "$out/$2.json"
  call GET "$1" '' application/yaml "$out/$2.yaml"
}
ns=goyaml-golden
call POST /api/v1/namespaces "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"$ns\"}}" application/json
while IFS= read -r object; do
  kind=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["kind"])' "$object")
  name=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["metadata"]["name"])' "$object")
  case $kind in
    ConfigMap) path=/api/v1/namespaces/$ns/configmaps ;;
    Service) path=/api/v1/namespaces/$ns/services ;;
    Deployment) path=/apis/apps/v1/namespaces/$ns/deployments ;;
  esac
  call DELETE "$path/$name" '' application/json # a reference reused from an earlier recording
  call POST "$path" "$object" application/json
  both "$path/$name" "$(echo "$kind" | tr 'A-Z' 'a-z')-$name"
done < "$golden/objects.jsonl"
both /api/v1/namespaces/$ns/configmaps configmap-list
both /api/v1/namespaces/default/services/kubernetes service-kubernetes
both /apis/rbac.authorization.k8s.io/v1/clusterroles clusterrole-list
both /apis/rbac.authorization.k8s.io/v1/clusterrolebindings clusterrolebinding-list
both /apis/flowcontrol.apiserver.k8s.io/v1/flowschemas flowschema-list
both /apis/apiregistration.k8s.io/v1/apiservices apiservice-list
# a HEAD and a GET of /metrics (MetricsText), and the build information the fake copies into it
curl -sS -I --cacert "$ref/pki/ca.crt" --cert "$ref/pki/admin.crt" --key "$ref/pki/admin.key" "$server/metrics" > "$ref/metrics-head.txt"
curl -sS --cacert "$ref/pki/ca.crt" --cert "$ref/pki/admin.crt" --key "$ref/pki/admin.key" "$server/metrics" | grep kubernetes_build_info > "$ref/metrics-build-info.txt" || true
cat "$ref/metrics-head.txt" "$ref/metrics-build-info.txt"
stop
ls -l "$out"

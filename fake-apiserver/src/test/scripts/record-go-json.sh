#!/usr/bin/env bash
# Records src/test/resources/golden/gojson/ from the real kube-apiserver v1.34.4: how Go's encoding/json
# writes each string of cases.tsv. For every case a ConfigMap carrying the string as data "v" is created and
# read back (configmap-<case>.json: the GET answer, as sent), and the audit log of both requests at
# RequestResponse (policy.yaml) is kept (audit.log). status-invalid-name.json is the 422 for a ConfigMap whose
# name carries escaping cases (Go-quoted in the message, JSON-escaped in the details). Starts its own
# reference (ci/reference/run-reference.sh, no controller manager) in a temporary directory and stops it.
# GoJsonGoldenTest replays the same requests against the fake. Re-record only on purpose and review the diff.
#
#   record-go-json.sh [OUTDIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
golden=$(cd "$here/../resources/golden/gojson" && pwd)
out=${1:-$golden}
ref=$(mktemp -d /tmp/kubetwin-gojson.XXXXXX)
stop() { # the reference writes the last events while it shuts down
  for p in $(cat "$ref/pids"); do kill "$p" 2>/dev/null || true; done
  for p in $(cat "$ref/pids"); do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done
}
trap 'stop; rm -rf "$ref"' EXIT
NO_CONTROLLER_MANAGER=1 "$here/../../../../ci/reference/run-reference.sh" "$ref" \
  --audit-policy-file="$golden/policy.yaml" --audit-log-path="$ref/audit.log" >/dev/null
server=$(sed -n 's/^ *server: //p' "$ref/admin.kubeconfig")
call() { # METHOD PATH BODY OUTFILE; the test client's User-Agent, so that the field manager is the same
  curl -sS --cacert "$ref/pki/ca.crt" --cert "$ref/pki/admin.crt" --key "$ref/pki/admin.key" -X "$1" \
    -A kubetwin-test/1.0 -H 'Content-Type: application/json' -H 'Accept: application/json' \
    "$server$2" --data-binary "$3" > "${4:-/dev/null}"
}
ns=gojson-golden
call POST /api/v1/namespaces "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"$ns\"}}"
grep -v '^#' "$golden/cases.tsv" | while IFS=$'\t' read -r name literal; do
  call POST "/api/v1/namespaces/$ns/configmaps" \
    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"$name\"},\"data\":{\"v\":\"$literal\"}}"
  call GET "/api/v1/namespaces/$ns/configmaps/$name" '' "$out/configmap-$name.json"
done
call POST "/api/v1/namespaces/$ns/configmaps" \
  '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a\bb\u00a0\u2028\u0007\u0085"}}' "$out/status-invalid-name.json"
stop
cp "$ref/audit.log" "$out/audit.log"
ls -l "$out"

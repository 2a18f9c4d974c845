#!/usr/bin/env bash
# Records src/test/resources/golden/audit/reference/e2e/<policy>.log: the events the pinned reference
# kube-apiserver writes for the requests of AuditScript (run by AuditReferenceRecorder), once per policy:
# the e2e/policy-*.yaml files and every example policy. AuditReferenceTest replays the same requests against
# the fake and compares. Needs the reference binaries (ci/reference/build-reference.sh); takes a few minutes.
#
#   audit-e2e-reference.sh [policy-name...]      (default: all)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
module=$(cd "$here/../../.." && pwd)
root=$(cd "$module/.." && pwd)
e2e=$module/src/test/resources/golden/audit/reference/e2e
examples=$module/src/main/resources/io/kubetwin/apiserver/audit/policies
(cd "$root" && mvn -B -q -pl pki,fake-apiserver test-compile)
policies=("$e2e"/policy-*.yaml "$examples"/*.yaml)
for policy in "${policies[@]}"; do
  name=$(basename "$policy" .yaml)
  if [[ $# -gt 0 && ! " $* " == *" $name "* ]]; then continue; fi
  w=$(mktemp -d /tmp/kubetwin-audit-e2e.XXXXXX)
  cp "$e2e/tokens.csv" "$w/tokens-e2e.csv"
  "$here/audit-reference.sh" "$w" --audit-policy-file="$policy" --audit-log-path="$w/audit.log" \
    --token-auth-file="$w/tokens-e2e.csv"
  status=0
  (cd "$root" && mvn -B -q -pl pki,fake-apiserver test -DskipTests -Paudit-benchmark \
    -Daudit.main=io.kubetwin.apiserver.server.AuditReferenceRecorder -Dexec.args="$w $e2e/$name.log") || status=$?
  "$here/audit-reference.sh" --stop "$w"
  [[ $status -eq 0 ]] || { echo "recording $name failed" >&2; exit $status; }
  rm -rf "$w"
done

#!/usr/bin/env bash
# Records the API surface the pinned reference kube-apiserver serves, into the fake's resources:
# legacy discovery (reference-discovery.json), OpenAPI v3 per group-version and OpenAPI v2 (gzipped), the
# bodies of unknown paths, and the Table column definitions of every listable resource (columns.json).
#
#   ci/reference/run-reference.sh /tmp/ref && ci/reference/record-api-surface.sh /tmp/ref/admin.kubeconfig
#
# With a second argument, the surface of a reference started with --emulated-version=THAT (1.33, ...) goes to
# discovery/emulated-THAT/ and golden/discovery/emulated-THAT/ instead: the discovery, the OpenAPI v3 index, the
# v3 documents that differ from the binary's own by more than info.version (the fake rewrites that field), and v2.
# What the fake derives from the binary's recordings (columns, bootstrap objects, unknown paths) is not recorded.
#
#   ci/reference/run-reference.sh /tmp/ref133 --emulated-version=1.33 \
#     && ci/reference/record-api-surface.sh /tmp/ref133/admin.kubeconfig 1.33
#
# Needs kubectl, python3, curl, and the pki/ directory run-reference.sh writes beside the kubeconfig.
# Re-run when the pinned release changes; commit what changed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export KUBECONFIG=${1:?usage: record-api-surface.sh ADMIN_KUBECONFIG}
res=$here/../../fake-apiserver/src/main/resources/io/kubetwin/apiserver
emulated=${2:-}
disco=$res/discovery
[[ -n $emulated ]] && disco=$res/discovery/emulated-$emulated
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
raw() { kubectl get --raw "$1"; }

# aggregated discovery, the golden files of DiscoveryTest
golden=$here/../../fake-apiserver/src/test/resources/golden/discovery
[[ -n $emulated ]] && golden=$golden/emulated-$emulated
mkdir -p "$golden" "$disco/openapi-v3"
server=$(kubectl config view --raw -o jsonpath='{.clusters[0].cluster.server}')
pki=$(dirname "$KUBECONFIG")/pki
curlpki() { curl -sS --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" "$@"; }
for p in api apis; do
  curlpki -H 'Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' "$server/$p" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d, separators=(",", ":")), end="")' \
    > "$golden/reference-$p-aggregated.json"
done

# legacy discovery: /apis and every resource list
raw /apis > "$out/apis.json"
raw /api/v1 > "$out/api_v1.json"
for gv in $(python3 -c 'import json,sys; [print(v["groupVersion"]) for g in json.load(open(sys.argv[1]))["groups"] for v in g["versions"]]' "$out/apis.json"); do
  raw "/apis/$gv" > "$out/apis_${gv//\//_}.json"
done
python3 - "$out" "$disco/reference-discovery.json" <<'PY'
import json, sys, glob, os
out, target = sys.argv[1], sys.argv[2]
groups = json.load(open(f"{out}/apis.json"))
lists = {"v1": json.load(open(f"{out}/api_v1.json"))}
for g in groups["groups"]:
    for v in g["versions"]:
        gv = v["groupVersion"]
        lists[gv] = json.load(open(f"{out}/apis_{gv.replace('/', '_')}.json"))
json.dump({"groupList": groups, "resourceLists": lists}, open(target, "w"), indent=1)
PY

# OpenAPI v3, one gzipped document per group-version, and v2
raw /openapi/v3 > "$disco/openapi-v3/index.json"
for path in $(python3 -c 'import json,sys; [print(p) for p in json.load(open(sys.argv[1]))["paths"]]' "$disco/openapi-v3/index.json"); do
  file=${path//\//_}.json.gz
  raw "/openapi/v3/$path" > "$out/doc.json"
  if [[ -n $emulated ]] && python3 - "$out/doc.json" "$res/discovery/openapi-v3/$file" <<'PY'
import gzip, json, sys
doc, own = json.load(open(sys.argv[1])), json.load(gzip.open(sys.argv[2]))
doc["info"].pop("version"); own["info"].pop("version")
sys.exit(0 if doc == own else 1)
PY
  then continue; fi
  gzip -9n < "$out/doc.json" > "$disco/openapi-v3/$file"
done
raw /openapi/v2 | gzip -9n > "$disco/openapi-v2.json.gz"
curlpki -H 'Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf' "$server/openapi/v2" \
  | gzip -9n > "$disco/openapi-v2.pb.gz"
if [[ -n $emulated ]]; then
  echo "recorded into $disco"
  exit 0
fi

# unknown paths: status, content type and body as the reference answers them
python3 - "$server" "$pki" "$here/../../fake-apiserver/src/test/resources/golden/discovery/unknown-paths.json" <<'PY'
import json, ssl, sys, urllib.request, urllib.error
server, pki, target = sys.argv[1:4]
ctx = ssl.create_default_context(cafile=f"{pki}/ca.crt")
ctx.load_cert_chain(f"{pki}/admin.crt", f"{pki}/admin.key")
paths = ["/apis/nope", "/apis/nope/v1", "/apis/nope/v1/things", "/apis/apps/v9", "/apis/apps/v9/deployments",
         "/apis/apps/v1/nopes", "/apis/apps/v1/namespaces/default/nopes", "/api/v2", "/api/v2/pods", "/api/v1/nopes",
         "/api/v1/namespaces/default/nopes", "/apis/apps/v1/namespaces/default/deployments/x/nope", "/nope",
         "/apis/nope.example.com/v1/namespaces/default/things/x"]
answers = []
for p in paths:
    try:
        r = urllib.request.urlopen(urllib.request.Request(server + p), context=ctx)
        code, headers, body = r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        code, headers, body = e.code, e.headers, e.read()
    answers.append({"path": p, "code": code, "contentType": headers.get("Content-Type"), "body": body.decode()})
json.dump(answers, open(target, "w"), indent=1)
PY

# Table columns of every listable resource (metav1.TableColumnDefinition), keyed resource[.group]
python3 - "$server" "$pki" "$res/discovery/reference-discovery.json" "$res/registry/table/columns.json" <<'PY'
import json, ssl, sys, urllib.request
server, pki, disco, target = sys.argv[1:5]
ctx = ssl.create_default_context(cafile=f"{pki}/ca.crt")
ctx.load_cert_chain(f"{pki}/admin.crt", f"{pki}/admin.key")
columns = {}
for gv, lst in json.load(open(disco))["resourceLists"].items():
    group = gv.split("/")[0] if "/" in gv else ""
    for r in lst["resources"]:
        key = r["name"] + ("." + group if group else "")
        if "/" in r["name"] or "list" not in r["verbs"] or key in columns:
            continue
        base = "/api/v1" if gv == "v1" else f"/apis/{gv}"
        req = urllib.request.Request(f"{server}{base}/{r['name']}?limit=1",
                                     headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"})
        columns[key] = json.load(urllib.request.urlopen(req, context=ctx))["columnDefinitions"]
json.dump(columns, open(target, "w"), indent=1, ensure_ascii=False)
PY
# the objects kube-apiserver creates at start-up besides RBAC (recorded elsewhere), namespaces and Services:
# APIServices, FlowSchemas and PriorityLevelConfigurations, without what the server fills in per object
python3 - "$res/server/bootstrap-objects.json" <<'PY'
import json, subprocess, sys
out = []
for path in ["/apis/apiregistration.k8s.io/v1/apiservices",
             "/apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfigurations",
             "/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas"]:
    lst = json.loads(subprocess.check_output(["kubectl", "get", "--raw", path]))
    for item in lst["items"]:
        item["kind"] = lst["kind"][:-len("List")]
        item["apiVersion"] = lst["apiVersion"]
        meta = item["metadata"]
        for f in ["uid", "resourceVersion", "creationTimestamp", "managedFields", "generation"]:
            meta.pop(f, None)
        for c in item.get("status", {}).get("conditions", []):
            c["lastTransitionTime"] = None  # the fake's start time
        out.append(item)
json.dump(out, open(sys.argv[1], "w"), indent=1)
PY
echo "recorded into $res"

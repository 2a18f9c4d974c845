#!/usr/bin/env bash
# Records src/test/resources/golden/admission/ from a reference control plane started with
# ci/reference/run-reference.sh DIR (kube-controller-manager included, so that namespaces get their
# "default" ServiceAccount): the pods kube-apiserver v1.34.4 stores through its default admission
# plugins (ServiceAccount, Priority, DefaultTolerationSeconds) and the ServiceAccount plugin's refusals.
# Bodies are kept as the server sent them; tests normalise uid, resourceVersion, creationTimestamp and
# the random suffix of the kube-api-access-* volume.
#
#   record-pod-admission.sh REFDIR [OUTDIR]
set -euo pipefail
ref=${1:?usage: record-pod-admission.sh REFDIR [OUTDIR]}
out=${2:-$(cd "$(dirname "$0")/../resources/golden/admission" && pwd)}
server=$(sed -n 's/^ *server: //p' "$ref/admin.kubeconfig")
call() { # METHOD PATH BODY OUTFILE
  curl -sS --cacert "$ref/pki/ca.crt" --cert "$ref/pki/admin.crt" --key "$ref/pki/admin.key" -X "$1" \
    -H 'Content-Type: application/json' -H 'Accept: application/json' "$server$2" --data-binary "$3" > "${4:-/dev/null}"
}
ns=admission-golden
call POST /api/v1/namespaces "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"$ns\"}}"
for _ in $(seq 50); do
  curl -sf --cacert "$ref/pki/ca.crt" --cert "$ref/pki/admin.crt" --key "$ref/pki/admin.key" \
    "$server/api/v1/namespaces/$ns/serviceaccounts/default" >/dev/null && break
  sleep 0.2
done
call POST /api/v1/namespaces/$ns/serviceaccounts '{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"puller"},"imagePullSecrets":[{"name":"regcred"},{"name":"other"}]}'
call POST /api/v1/namespaces/$ns/serviceaccounts '{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"noauto"},"automountServiceAccountToken":false}'
pods=/api/v1/namespaces/$ns/pods
call POST $pods '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"bare"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}' "$out/pod-bare.json"
call POST $pods '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"multi"},"spec":{"initContainers":[{"name":"i1","image":"busybox:1.36","volumeMounts":[{"name":"data","mountPath":"/data"}]}],"containers":[{"name":"c1","image":"nginx","volumeMounts":[{"name":"data","mountPath":"/data"}]},{"name":"c2","image":"nginx","volumeMounts":[{"name":"own","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]}],"volumes":[{"name":"data","emptyDir":{}},{"name":"own","emptyDir":{}}],"tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":10}]}}' "$out/pod-multi.json"
call POST $pods '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"viapuller"},"spec":{"serviceAccountName":"puller","containers":[{"name":"c","image":"registry.local/app:1.0"}]}}' "$out/pod-viapuller.json"
call POST $pods '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"vianoauto"},"spec":{"serviceAccountName":"noauto","containers":[{"name":"c","image":"nginx"}]}}' "$out/pod-vianoauto.json"
call POST $pods '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"missing"},"spec":{"serviceAccountName":"nosuch","containers":[{"name":"c","image":"nginx"}]}}' "$out/status-missing-account.json"
call POST $pods '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"mirror","annotations":{"kubernetes.io/config.mirror":"x"}},"spec":{"nodeName":"n1","containers":[{"name":"c","image":"nginx"}],"volumes":[{"name":"s","secret":{"secretName":"s"}}]}}' "$out/status-mirror-secrets.json"
call DELETE /api/v1/namespaces/$ns ''
ls -l "$out"

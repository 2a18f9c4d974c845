#!/bin/bash
# Records one webhook case against a reference started with ci/reference/run-reference.sh REF (audit policy:
# Request level for configmaps) while record-webhooks.py serves on 127.0.0.1:18443 with certificates in PKI.
#   REF=... PKI=... record-webhooks.sh V|M NAME PATH [extra webhook json]
# creates the configuration, POSTs a ConfigMap, prints the answer and its Warning headers, deletes both.
P=$REF/pki; API=$(grep server: $REF/admin.kubeconfig | awk '{print $2}')
C="curl -s --cacert $P/ca.crt --cert $P/admin.crt --key $P/admin.key"
kind=$1; name=$2; path=$3; extra=${4:-}; objpath=${5:-/api/v1/namespaces/default/configmaps}; obj=${6:-}
CA=$(base64 -w0 < ${CABUNDLE:-$PKI/ca.crt})
res=validatingwebhookconfigurations; [[ $kind == M ]] && res=mutatingwebhookconfigurations
K=ValidatingWebhookConfiguration; [[ $kind == M ]] && K=MutatingWebhookConfiguration
cfg="{\"apiVersion\":\"admissionregistration.k8s.io/v1\",\"kind\":\"$K\",\"metadata\":{\"name\":\"cfg-$name\"},\"webhooks\":[{\"name\":\"$name.example.com\",\"clientConfig\":{\"url\":\"${URLBASE:-https://127.0.0.1:18443}$path\",\"caBundle\":\"$CA\"},\"rules\":[{\"operations\":[\"CREATE\"],\"apiGroups\":[\"\"],\"apiVersions\":[\"v1\"],\"resources\":[\"configmaps\",\"pods\"]}],\"sideEffects\":\"None\",\"admissionReviewVersions\":[\"v1\"]$extra}]}"
$C -o /dev/null -w "cfg %{http_code}\n" -H 'Content-Type: application/json' -X POST $API/apis/admissionregistration.k8s.io/v1/$res -d "$cfg"
sleep 1.5
[[ -z $obj ]] && obj="{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-$name\"}}"
$C -D $REF/h.txt -H 'Content-Type: application/json' -H "Audit-ID: rec-$name" -X POST "$API$objpath${QUERY:-}" -d "$obj"; echo
grep -i "^HTTP\|^warning" $REF/h.txt
$C -o /dev/null -X DELETE $API/apis/admissionregistration.k8s.io/v1/$res/cfg-$name
$C -o /dev/null -X DELETE "$API$objpath/cm-$name"

#!/usr/bin/env bash
# Starts the real reference control plane (etcd + kube-apiserver [+ kube-controller-manager]) on
# 127.0.0.1 for ad-hoc comparisons: "what does real Kubernetes answer?". Not used by the test suites
# (the conformance runner starts its own reference per suite).
#
#   ci/reference/run-reference.sh DIR [extra kube-apiserver flags...]
#
# Writes DIR/admin.kubeconfig (system:masters), DIR/pki/*, DIR/audit.log when an audit policy is given
# with --audit-policy-file, and DIR/pids. Stop with: kill $(cat DIR/pids)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: run-reference.sh DIR [kube-apiserver flags...]}
shift
bin=$("$here/build-reference.sh" | tail -1)
mkdir -p "$dir/pki" "$dir/etcd"
dir=$(cd "$dir" && pwd)
pki=$dir/pki
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

if [[ ! -f $pki/ca.crt ]]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" -days 365 -subj "/CN=kubernetes" 2>/dev/null
  cat > "$pki/serving.ext" <<EXT
subjectAltName=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1
extendedKeyUsage=serverAuth
EXT
  openssl req -newkey rsa:2048 -nodes -keyout "$pki/apiserver.key" -out "$pki/apiserver.csr" -subj "/CN=kube-apiserver" 2>/dev/null
  openssl x509 -req -in "$pki/apiserver.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 365 -extfile "$pki/serving.ext" -out "$pki/apiserver.crt" 2>/dev/null
  echo "extendedKeyUsage=clientAuth" > "$pki/client.ext"
  # file|CN|O: the names themselves contain ':', so '|' separates the fields
  for who in "admin|kubernetes-admin|system:masters" "kcm|system:kube-controller-manager|"; do
    IFS='|' read -r file cn org <<<"$who"
    subj="/CN=$cn"; [[ -n "$org" ]] && subj="/O=$org$subj"
    openssl req -newkey rsa:2048 -nodes -keyout "$pki/$file.key" -out "$pki/$file.csr" -subj "$subj" 2>/dev/null
    openssl x509 -req -in "$pki/$file.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 365 -extfile "$pki/client.ext" -out "$pki/$file.crt" 2>/dev/null
  done
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
fi

etcd_port=$(free_port); etcd_peer=$(free_port); api_port=$(free_port)
"$bin/etcd" --data-dir "$dir/etcd" --listen-client-urls "http://127.0.0.1:$etcd_port" \
  --advertise-client-urls "http://127.0.0.1:$etcd_port" --listen-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" --initial-cluster "default=http://127.0.0.1:$etcd_peer" \
  > "$dir/etcd.log" 2>&1 &
echo $! > "$dir/pids"
"$bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" --bind-address 127.0.0.1 --secure-port "$api_port" \
  --advertise-address 127.0.0.1 --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
  --client-ca-file "$pki/ca.crt" --authorization-mode Node,RBAC --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
  --service-cluster-ip-range 10.96.0.0/12 --cert-dir "$dir/certs" "$@" > "$dir/apiserver.log" 2>&1 &
echo $! >> "$dir/pids"
b64() { base64 -w0 < "$1"; }
cat > "$dir/admin.kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: $(b64 "$pki/ca.crt")
    server: https://127.0.0.1:$api_port
  name: reference
contexts:
- context:
    cluster: reference
    user: kubernetes-admin
  name: kubernetes-admin@reference
current-context: kubernetes-admin@reference
users:
- name: kubernetes-admin
  user:
    client-certificate-data: $(b64 "$pki/admin.crt")
    client-key-data: $(b64 "$pki/admin.key")
KC
for _ in $(seq 1 120); do
  if curl -sk --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" "https://127.0.0.1:$api_port/readyz" 2>/dev/null | grep -q '^ok'; then
    break
  fi
  sleep 0.5
done
sed "s#client-certificate-data: .*#client-certificate-data: $(b64 "$pki/kcm.crt")#; s#client-key-data: .*#client-key-data: $(b64 "$pki/kcm.key")#; s#kubernetes-admin#system:kube-controller-manager#g" \
  "$dir/admin.kubeconfig" > "$dir/kcm.kubeconfig"
if [[ -z "${NO_CONTROLLER_MANAGER:-}" ]]; then
  "$bin/kube-controller-manager" --kubeconfig "$dir/kcm.kubeconfig" --authentication-kubeconfig "$dir/kcm.kubeconfig" \
    --authorization-kubeconfig "$dir/kcm.kubeconfig" --leader-elect=false --bind-address 127.0.0.1 --secure-port 0 \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" --use-service-account-credentials \
    --controllers '*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-service-lb-controller,-route' > "$dir/kcm.log" 2>&1 &
  echo $! >> "$dir/pids"
fi
echo "reference up: https://127.0.0.1:$api_port  export KUBECONFIG=$dir/admin.kubeconfig"

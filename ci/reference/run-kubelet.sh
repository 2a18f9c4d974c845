#!/usr/bin/env bash
# Starts a real kubelet (the fake kubelet's oracle) against a reference control plane started by
# run-reference.sh, behind the fake container runtime of build-kubelet.sh, with the settings that let a kubelet run
# without managing cgroups. For ad-hoc comparisons: "what does a real kubelet answer?".
#
#   ci/reference/run-kubelet.sh REFDIR [NODE] [KubeletConfiguration lines to append...]
#
# REFDIR is run-reference.sh's directory (its pki/ca.* sign the node's certificates). Writes REFDIR/NODE/*:
# kubeconfig (system:node:NODE), serving and client certificates, config.yaml, kubelet.log; appends the pids to
# REFDIR/pids (stop everything with: kill $(cat REFDIR/pids)). Prints the kubelet's port on its last line.
# The kubelet leaves mounts behind (its root directory bound onto itself, a tmpfs per projected volume): after
# stopping it, unmount them before deleting REFDIR, e.g. umount -R -l REFDIR/NODE/root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ref=$(cd "${1:?usage: run-kubelet.sh REFDIR [NODE] [config lines...]}" && pwd)
node=${2:-kubelet-oracle}
shift $(( $# >= 2 ? 2 : 1 ))
bin=$("$here/build-kubelet.sh" | tail -1)
pki=$ref/pki
dir=$ref/$node
mkdir -p "$dir/root" "$dir/certs"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
b64() { base64 -w0 < "$1"; }

echo "extendedKeyUsage=clientAuth" > "$dir/client.ext"
openssl req -newkey rsa:2048 -nodes -keyout "$dir/node.key" -out "$dir/node.csr" \
  -subj "/O=system:nodes/CN=system:node:$node" 2>/dev/null
openssl x509 -req -in "$dir/node.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 30 \
  -extfile "$dir/client.ext" -out "$dir/node.crt" 2>/dev/null
printf 'subjectAltName=DNS:%s,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' "$node" > "$dir/serving.ext"
openssl req -newkey rsa:2048 -nodes -keyout "$dir/serving.key" -out "$dir/serving.csr" -subj "/CN=$node" 2>/dev/null
openssl x509 -req -in "$dir/serving.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 30 \
  -extfile "$dir/serving.ext" -out "$dir/serving.crt" 2>/dev/null
server=$(sed -n 's/^ *server: //p' "$ref/admin.kubeconfig" | head -1)
cat > "$dir/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- cluster: {certificate-authority-data: $(b64 "$pki/ca.crt"), server: "$server"}
  name: reference
contexts:
- context: {cluster: reference, user: "system:node:$node"}
  name: node
current-context: node
users:
- name: "system:node:$node"
  user: {client-certificate-data: $(b64 "$dir/node.crt"), client-key-data: $(b64 "$dir/node.key")}
KC

port=$(free_port); healthz=$(free_port)
cat > "$dir/config.yaml" <<CFG
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
port: $port
healthzBindAddress: 127.0.0.1
healthzPort: $healthz
tlsCertFile: $dir/serving.crt
tlsPrivateKeyFile: $dir/serving.key
authentication:
  anonymous: {enabled: true}
  webhook: {enabled: true}
  x509: {clientCAFile: $pki/ca.crt}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$dir/cri.sock
CFG
grep -v '^#' "$here/kubelet-runtime.yaml" >> "$dir/config.yaml"
for line in "$@"; do echo "$line" >> "$dir/config.yaml"; done

"$bin/fake-cri" "unix://$dir/cri.sock" > "$dir/fake-cri.log" 2>&1 &
echo $! >> "$ref/pids"
for _ in $(seq 1 50); do [[ -S "$dir/cri.sock" ]] && break; sleep 0.1; done
"$bin/kubelet" --config "$dir/config.yaml" --kubeconfig "$dir/kubeconfig" --hostname-override "$node" \
  --root-dir "$dir/root" --cert-dir "$dir/certs" > "$dir/kubelet.log" 2>&1 &
echo $! >> "$ref/pids"
for _ in $(seq 1 120); do
  if curl -s "http://127.0.0.1:$healthz/healthz" 2>/dev/null | grep -q '^ok'; then
    break
  fi
  sleep 0.5
done
echo "kubelet $node up: https://127.0.0.1:$port (log $dir/kubelet.log)"
echo "$port"

#!/usr/bin/env bash
# Runs the pinned reference kube-apiserver (built by ci/reference/build-reference.sh) with etcd on
# 127.0.0.1 ephemeral ports, to observe its audit behaviour: which policy files it accepts and the
# exact events it writes. Used to record src/test/resources/golden/audit/.
#
#   audit-reference.sh WORKDIR [extra kube-apiserver flags...]
#
# Creates WORKDIR/{pki,etcd}, starts etcd and kube-apiserver in the background and writes
# WORKDIR/env (PORT, ETCD_PID, APISERVER_PID) once /readyz answers; exits non-zero (and prints
# the apiserver log) when it does not start. Stop with: audit-reference.sh --stop WORKDIR
# Credentials: client certs admin (system:masters) and alice (no group) in WORKDIR/pki;
# static tokens admin-token, alice-token, bob-token (see WORKDIR/tokens.csv).
set -euo pipefail
REF=${KUBETWIN_REFERENCE_BIN:-$HOME/.cache/kubetwin/reference/k8s-v1.34.4-staging-v0.34.4-etcd-v3.6.4/bin}

if [[ "${1:-}" == "--stop" ]]; then
  w=$2
  # shellcheck disable=SC1091
  [[ -f "$w/env" ]] && source "$w/env"
  for p in ${APISERVER_PID:-} ${ETCD_PID:-}; do kill "$p" 2>/dev/null || true; done
  for p in ${APISERVER_PID:-} ${ETCD_PID:-}; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  exit 0
fi

w=$1; shift
mkdir -p "$w/pki" "$w/etcd"
pki=$w/pki
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

if [[ ! -f $pki/ca.crt ]]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" -days 2 -subj "/CN=kubetwin-ref-ca" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$pki/server.key" -out "$pki/server.csr" -subj "/CN=kube-apiserver" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > "$pki/server.ext"
  openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -out "$pki/server.crt" -days 2 -extfile "$pki/server.ext" 2>/dev/null
  for u in "admin:/CN=admin/O=system:masters" "alice:/CN=alice"; do
    n=${u%%:*}; subj=${u#*:}
    openssl req -newkey rsa:2048 -nodes -keyout "$pki/$n.key" -out "$pki/$n.csr" -subj "$subj" 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' > "$pki/client.ext"
    openssl x509 -req -in "$pki/$n.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -out "$pki/$n.crt" -days 2 -extfile "$pki/client.ext" 2>/dev/null
  done
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  printf 'admin-token,admin,uid-admin,"system:masters"\nalice-token,alice,uid-alice\nbob-token,bob,uid-bob,"dev,qa"\n' > "$w/tokens.csv"
fi

ETCD_PORT=$(free_port); PEER_PORT=$(free_port); PORT=$(free_port)
"$REF/etcd" --data-dir "$w/etcd" --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" --listen-peer-urls "http://127.0.0.1:$PEER_PORT" \
  --initial-advertise-peer-urls "http://127.0.0.1:$PEER_PORT" --initial-cluster "default=http://127.0.0.1:$PEER_PORT" \
  --log-level error >"$w/etcd.log" 2>&1 &
ETCD_PID=$!
"$REF/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" --bind-address 127.0.0.1 --advertise-address 127.0.0.1 \
  --secure-port "$PORT" --tls-cert-file "$pki/server.crt" --tls-private-key-file "$pki/server.key" \
  --client-ca-file "$pki/ca.crt" --token-auth-file "$w/tokens.csv" \
  --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
  --service-account-issuer https://kubernetes.default.svc --service-cluster-ip-range 10.96.0.0/24 \
  --authorization-mode RBAC --enable-priority-and-fairness=false --disable-admission-plugins ServiceAccount \
  --cert-dir "$w/certs" "$@" >"$w/apiserver.log" 2>&1 &
APISERVER_PID=$!
printf 'PORT=%s\nETCD_PID=%s\nAPISERVER_PID=%s\n' "$PORT" "$ETCD_PID" "$APISERVER_PID" > "$w/env"
for _ in $(seq 120); do
  if ! kill -0 "$APISERVER_PID" 2>/dev/null; then
    cat "$w/apiserver.log" >&2; kill "$ETCD_PID" 2>/dev/null || true; exit 1
  fi
  if curl -sk --cert "$pki/admin.crt" --key "$pki/admin.key" "https://127.0.0.1:$PORT/readyz" 2>/dev/null | grep -q '^ok$'; then
    echo "reference apiserver ready on 127.0.0.1:$PORT" >&2; exit 0
  fi
  sleep 1
done
echo "reference apiserver did not become ready" >&2; tail -50 "$w/apiserver.log" >&2
"$0" --stop "$w"; exit 1

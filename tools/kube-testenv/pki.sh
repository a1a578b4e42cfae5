# shellcheck shell=bash
# The control plane's certificates (ECDSA P-256, valid 10 years), made by start.sh on a
# first start (and on every start of a cluster that keeps nothing). Source only.

# kte_make_pki <dir>: a CA, the serving and client certificates of every component, and
# the service-account key pair. sa.pub is written last: its presence means all are there.
kte_make_pki() {
  local pki="$1"
  cat > "$pki/openssl.cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
EOF
  genkey() { openssl ecparam -name prime256v1 -genkey -noout -out "$1" 2>/dev/null; chmod 600 "$1"; }
  # cert <name> <subject> <extendedKeyUsage> [subjectAltName]
  cert() {
    local name="$1" subj="$2" eku="$3" san="${4:-}"
    genkey "$pki/$name.key"
    openssl req -new -key "$pki/$name.key" -subj "$subj" -config "$pki/openssl.cnf" -out "$pki/$name.csr" 2>/dev/null
    {
      echo "basicConstraints = critical,CA:FALSE"
      echo "keyUsage = critical,digitalSignature,keyEncipherment"
      echo "extendedKeyUsage = $eku"
      [ -z "$san" ] || echo "subjectAltName = $san"
    } > "$pki/$name.ext"
    openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -set_serial "0x$(openssl rand -hex 12)" \
      -days 3650 -extfile "$pki/$name.ext" -out "$pki/$name.crt" 2>/dev/null
    rm -f "$pki/$name.csr" "$pki/$name.ext"
  }
  genkey "$pki/ca.key"
  openssl req -x509 -new -key "$pki/ca.key" -subj "/CN=slipway-kube-testenv-ca" -days 3650 \
    -config "$pki/openssl.cnf" -extensions v3_ca -out "$pki/ca.crt" 2>/dev/null
  cert apiserver "/CN=kube-apiserver" serverAuth \
    "IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
  cert admin "/O=system:masters/CN=slipway-admin" clientAuth
  cert controller-manager "/CN=system:kube-controller-manager" clientAuth
  cert scheduler "/CN=system:kube-scheduler" clientAuth
  # Request-header (front proxy) client for API aggregation; same CA, restricted by CN.
  cert front-proxy-client "/CN=front-proxy-client" clientAuth
  # KWOK updates node/pod status and leases for every fake node: give it admin rights.
  cert kwok "/O=system:masters/CN=kwok-controller" clientAuth
  # Serving cert for KWOK's kubelet API (logs/exec), checked by the apiserver.
  cert kwok-serving "/CN=kwok-kubelet" serverAuth "IP:127.0.0.1,DNS:localhost"
  genkey "$pki/sa.key"
  openssl ec -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
}

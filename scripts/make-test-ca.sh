#!/usr/bin/env bash
# Regenerates rust-core/tests/test-ca/: the test certificates for real TLS handshakes on
# loopback (Rust, Kotlin and Swift tests). Uses openssl only. The output is committed; run this
# again only to change a scenario (the certificates are valid until 2049).
#
# Scenarios (each: a directory with root.pem, [intermediate.pem], leaf.pem, leaf.key, chain.pem
# = leaf first, as a server sends it):
#   local-root       "Qorgan Test Local Root": a CA no public program holds (an enterprise or
#                    user-installed CA); leaf for localhost, 127.0.0.1, ::1
#   unknown-root     another private CA, trusted by nobody
#   superfish        leaf for localhost signed with Superfish's leaked key (badssl.com's copy)
#   qaznet-impostor  a root named "Qaznet Trust Network" with a fresh key (not the real one)
#   kz-forged        a 2019-Kazakh-style forged leaf: RSA exponent 3, no AKI/EKU/SCT, under an
#                    intermediate "C=KZ, CN=Security Certificate" under a private root
#   wrong-host       leaf for wrong.example under local-root
set -euo pipefail
cd "$(dirname "$0")/.."
out=rust-core/tests/test-ca
badssl=rust-core/tests/data/badssl/upstream/certs/src
days=8400   # until about 2049
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ca() { # dir name [key-args...]
  local dir=$1 subj=$2
  mkdir -p "$out/$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$out/$dir/root.key" -out "$out/$dir/root.pem" \
    -days "$days" -subj "$subj" -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" 2>/dev/null
}

leaf() { # dir ca-cert ca-key name [extfile-override]
  local dir=$1 cacert=$2 cakey=$3 cn=$4 san=$5 keyargs=${6:-rsa:2048}
  openssl req -new -newkey "$keyargs" -nodes -keyout "$out/$dir/leaf.key" -out "$work/leaf.csr" \
    -subj "/CN=$cn" 2>/dev/null
  cat > "$work/ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=$san
authorityKeyIdentifier=keyid
subjectKeyIdentifier=hash
EXT
  openssl x509 -req -in "$work/leaf.csr" -CA "$cacert" -CAkey "$cakey" -CAcreateserial \
    -CAserial "$work/serial" -days "$days" -sha256 -extfile "$work/ext" -out "$out/$dir/leaf.pem" 2>/dev/null
}

loopback="DNS:localhost,IP:127.0.0.1,IP:::1"

ca local-root "/C=KZ/O=Qorgan Tests/CN=Qorgan Test Local Root"
leaf local-root "$out/local-root/root.pem" "$out/local-root/root.key" localhost "$loopback"
cat "$out/local-root/leaf.pem" "$out/local-root/root.pem" > "$out/local-root/chain.pem"

ca unknown-root "/O=Qorgan Tests/CN=Qorgan Test Unknown Root"
leaf unknown-root "$out/unknown-root/root.pem" "$out/unknown-root/root.key" localhost "$loopback"
cat "$out/unknown-root/leaf.pem" "$out/unknown-root/root.pem" > "$out/unknown-root/chain.pem"

mkdir -p "$out/superfish"
cp "$badssl/crt/ca-superfish.crt" "$out/superfish/root.pem"
# Superfish's key is RSA-1024: sign with SHA-256, as a modern interceptor would.
leaf superfish "$badssl/crt/ca-superfish.crt" "$badssl/key/ca-superfish.key" localhost "$loopback"
cp "$out/superfish/leaf.pem" "$out/superfish/chain.pem"

ca qaznet-impostor "/C=KZ/CN=Qaznet Trust Network"
leaf qaznet-impostor "$out/qaznet-impostor/root.pem" "$out/qaznet-impostor/root.key" localhost "$loopback"
cat "$out/qaznet-impostor/leaf.pem" "$out/qaznet-impostor/root.pem" > "$out/qaznet-impostor/chain.pem"

ca kz-forged "/O=Qorgan Tests/CN=Qorgan Test Forging Root"
openssl req -new -newkey rsa:2048 -nodes -keyout "$out/kz-forged/intermediate.key" -out "$work/int.csr" \
  -subj "/C=KZ/CN=Security Certificate" 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > "$work/intext"
openssl x509 -req -in "$work/int.csr" -CA "$out/kz-forged/root.pem" -CAkey "$out/kz-forged/root.key" \
  -CAcreateserial -CAserial "$work/serial2" -days "$days" -sha256 -extfile "$work/intext" \
  -out "$out/kz-forged/intermediate.pem" 2>/dev/null
# The forged leaf: exponent 3, subject and SAN copied, every other extension stripped.
openssl genrsa -3 -out "$out/kz-forged/leaf.key" 2048 2>/dev/null
openssl req -new -key "$out/kz-forged/leaf.key" -out "$work/forged.csr" -subj "/CN=www.facebook.com" 2>/dev/null
printf 'subjectAltName=DNS:www.facebook.com,DNS:facebook.com\nsubjectKeyIdentifier=none\nauthorityKeyIdentifier=none\n' > "$work/forgedext"
openssl x509 -req -in "$work/forged.csr" -CA "$out/kz-forged/intermediate.pem" \
  -CAkey "$out/kz-forged/intermediate.key" -CAcreateserial -CAserial "$work/serial3" -days "$days" \
  -sha256 -extfile "$work/forgedext" -out "$out/kz-forged/leaf.pem" 2>/dev/null
cat "$out/kz-forged/leaf.pem" "$out/kz-forged/intermediate.pem" > "$out/kz-forged/chain.pem"

mkdir -p "$out/wrong-host"
cp "$out/local-root/root.pem" "$out/wrong-host/root.pem"
leaf wrong-host "$out/local-root/root.pem" "$out/local-root/root.key" wrong.example "DNS:wrong.example"
cat "$out/wrong-host/leaf.pem" "$out/wrong-host/root.pem" > "$out/wrong-host/chain.pem"

# PKCS#12 bundles for JVM servers (password "qorgan"); DER copies for platforms that want them.
for d in local-root unknown-root superfish qaznet-impostor kz-forged wrong-host; do
  openssl pkcs12 -export -in "$out/$d/chain.pem" -inkey "$out/$d/leaf.key" -out "$out/$d/server.p12" \
    -passout pass:qorgan -name server 2>/dev/null
  for f in "$out/$d"/*.pem; do openssl x509 -in "$f" -outform DER -out "${f%.pem}.der" 2>/dev/null || true; done
  rm -f "$out/$d/chain.der"
done
echo "wrote $out"

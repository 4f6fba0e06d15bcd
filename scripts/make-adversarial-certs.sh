#!/usr/bin/env bash
# Makes rust-core/engine/tests/test-ca/adversary/: certificates an interceptor holding Superfish's
# leaked RSA-1024 key (badssl.com's copy, rust-core/engine/tests/data/badssl/upstream/certs/src/key)
# can mint, for tests/interception_holes.rs. ring (and so rcgen) refuses to sign with a 1024-bit
# key, so these are made with openssl once and committed. Re-run to regenerate (new serials).
#
#   leaf-sha384.pem       leaf for localhost signed with the Superfish key, SHA-384
#   leaf-pss.pem          the same, RSA-PSS with SHA-256
#   leaf-recoded.pem      signed with the Superfish key under an issuer name re-encoded as
#                         UTF8String and re-cased ("SUPERFISH, INC."): the key decides
#   leaf-ca-key.pem       a leaf carrying the Superfish CA's own key (as interception tools
#                         do), signed by it
#   isrg-named/           a "Corp TLS Inspection CA" whose issuer field reads ISRG Root X1's
#                         exact name (signed by a throwaway key): ca.pem, and chain.pem
#                         [leaf for app.example, ca]
set -euo pipefail
cd "$(dirname "$0")/.."
out=rust-core/engine/tests/test-ca/adversary
src=rust-core/engine/tests/data/badssl/upstream/certs/src
ca=rust-core/engine/tests/test-ca/superfish/root.pem
key=$src/key/ca-superfish.key
days=8400
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$work/ext"

openssl req -new -newkey rsa:2048 -nodes -keyout "$work/leaf.key" -subj "/CN=localhost" -out "$work/leaf.csr" 2>/dev/null
sign() { # out-name extra-args...
  local name=$1; shift
  openssl x509 -req -in "$work/leaf.csr" -CA "$ca" -CAkey "$key" -CAcreateserial -CAserial "$work/serial" \
    -days "$days" -extfile "$work/ext" "$@" -out "$out/$name" 2>/dev/null
}
sign leaf-sha384.pem -sha384
sign leaf-pss.pem -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32

# The same CA key under a re-encoded, re-cased name.
openssl req -new -x509 -key "$key" -days "$days" -sha256 -utf8 -subj "/O=SUPERFISH, INC./L=SF/ST=CA/C=US/CN=SUPERFISH, INC." \
  -addext "basicConstraints=critical,CA:TRUE" -out "$work/recoded-ca.pem" 2>/dev/null
openssl x509 -req -in "$work/leaf.csr" -CA "$work/recoded-ca.pem" -CAkey "$key" -CAcreateserial -CAserial "$work/serial" \
  -days "$days" -sha256 -extfile "$work/ext" -out "$out/leaf-recoded.pem" 2>/dev/null

# A leaf with the CA's own key.
openssl req -new -key "$key" -subj "/CN=localhost" -out "$work/ca-key.csr" 2>/dev/null
openssl x509 -req -in "$work/ca-key.csr" -CA "$ca" -CAkey "$key" -CAcreateserial -CAserial "$work/serial" \
  -days "$days" -sha256 -extfile "$work/ext" -out "$out/leaf-ca-key.pem" 2>/dev/null
# A CA whose issuer field copies ISRG Root X1's name, PrintableStrings as the real root has them.
mkdir -p "$out/isrg-named"
printf '[req]\ndistinguished_name=dn\nstring_mask=nombstr\n[dn]\n' > "$work/ps.cnf"
openssl req -config "$work/ps.cnf" -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/fake-isrg.key" \
  -subj "/C=US/O=Internet Security Research Group/CN=ISRG Root X1" -days "$days" -out "$work/fake-isrg.pem" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/corp.key" -subj "/CN=Corp TLS Inspection CA" \
  -out "$work/corp.csr" 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' > "$work/caext"
openssl x509 -req -in "$work/corp.csr" -CA "$work/fake-isrg.pem" -CAkey "$work/fake-isrg.key" -CAcreateserial \
  -CAserial "$work/serial" -days "$days" -sha256 -extfile "$work/caext" -out "$out/isrg-named/ca.pem" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/app.key" -subj "/CN=app.example" \
  -out "$work/app.csr" 2>/dev/null
printf 'subjectAltName=DNS:app.example\nextendedKeyUsage=serverAuth\n' > "$work/appext"
openssl x509 -req -in "$work/app.csr" -CA "$out/isrg-named/ca.pem" -CAkey "$work/corp.key" -CAcreateserial \
  -CAserial "$work/serial" -days "$days" -sha256 -extfile "$work/appext" -out "$work/app.pem" 2>/dev/null
cat "$work/app.pem" "$out/isrg-named/ca.pem" > "$out/isrg-named/chain.pem"

echo "made $(ls "$out" | wc -l) files in $out"

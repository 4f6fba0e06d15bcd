#!/usr/bin/env bash
# Regenerates the signed certificates of rust-core/tests/data/adversarial/ (see README.md): the
# ones the mutation suite cannot make because they need a signature. Uses openssl only; the
# output is committed (keys and signatures are random, so a new run differs byte for byte).
#
#   budget/       a chain that runs rustls-webpki's signature budget out before reaching its
#                 anchor: leaf <- intermediate <- root (the root a user-installed anchor), plus
#                 12 "twins" of the intermediate (its name and key, issued by a "twin issuer")
#                 and 12 twin issuers naming the root as their issuer but signed by another key:
#                 144 paths that reach the root by name and fail its signature check
#   superfish-*   leaves signed with Superfish's published private key (badssl's copy), the
#                 Superfish root not sent
set -euo pipefail
cd "$(dirname "$0")"
sfkey=../badssl/upstream/certs/src/key/ca-superfish.key
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
days=8400

ec() { openssl ecparam -name prime256v1 -genkey -noout -out "$1" 2>/dev/null; }
ca_ext='basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign'
leaf_ext='basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost'

# ---- budget ------------------------------------------------------------------------------------
rm -rf budget && mkdir budget
for k in root int twin-issuer nowhere leaf; do ec "$work/$k.key"; done
printf '%s\n' "$ca_ext" > "$work/ca.ext"
printf '%s\n' "$leaf_ext" > "$work/leaf.ext"
openssl req -x509 -new -key "$work/root.key" -subj "/CN=Adversarial Budget Root" -days $days \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out "$work/root.pem"
openssl req -x509 -new -key "$work/twin-issuer.key" -subj "/CN=Adversarial Budget Twin Issuer" \
  -days $days -out "$work/twin-issuer-self.pem"
# An impostor of the root: its name, another key. The twin issuers are signed with its key, so
# each of them leads to the real root by name and fails its signature check there.
openssl req -x509 -new -key "$work/nowhere.key" -subj "/CN=Adversarial Budget Root" \
  -days $days -out "$work/nowhere.pem"
sign() { # subject-key subject ca-cert ca-key ext serial out
  openssl req -new -key "$1" -subj "$2" -out "$work/req.csr"
  openssl x509 -req -in "$work/req.csr" -CA "$3" -CAkey "$4" -set_serial "$6" -days $days \
    -sha256 -extfile "$5" -out "$7" 2>/dev/null
}
sign "$work/int.key" "/CN=Adversarial Budget Intermediate" "$work/root.pem" "$work/root.key" \
  "$work/ca.ext" 2 "$work/int.pem"
sign "$work/leaf.key" "/CN=localhost" "$work/int.pem" "$work/int.key" "$work/leaf.ext" 3 \
  "$work/leaf.pem"
for i in $(seq 1 12); do
  sign "$work/int.key" "/CN=Adversarial Budget Intermediate" "$work/twin-issuer-self.pem" \
    "$work/twin-issuer.key" "$work/ca.ext" $((100 + i)) "$work/twin-$i.pem"
  sign "$work/twin-issuer.key" "/CN=Adversarial Budget Twin Issuer" "$work/nowhere.pem" \
    "$work/nowhere.key" "$work/ca.ext" $((200 + i)) "$work/issuer-$i.pem"
done
for n in root int leaf; do openssl x509 -in "$work/$n.pem" -outform der -out "budget/$n.der"; done
for i in $(seq 1 12); do
  openssl x509 -in "$work/twin-$i.pem" -outform der -out "budget/twin-$(printf %02d "$i").der"
  openssl x509 -in "$work/issuer-$i.pem" -outform der -out "budget/twin-issuer-$(printf %02d "$i").der"
done

# ---- superfish ---------------------------------------------------------------------------------
# (a) Superfish's name as issuer, in UTF8String instead of the root's PrintableString (the same
#     name under RFC 5280's comparison rules), signed with Superfish's key (RSA-1024, SHA-256).
openssl req -x509 -new -key "$sfkey" -utf8 -subj "/O=Superfish, Inc./L=SF/ST=CA/C=US/CN=Superfish, Inc." \
  -days $days -out "$work/sf-utf8.pem" 2>/dev/null
ec "$work/sfleaf.key"
sign "$work/sfleaf.key" "/CN=localhost" "$work/sf-utf8.pem" "$sfkey" "$work/leaf.ext" 11 \
  "$work/sf-utf8-leaf.pem"
openssl x509 -in "$work/sf-utf8-leaf.pem" -outform der -out superfish-utf8-issuer-leaf.der
# (b) Superfish's name exactly as the root writes it, signed with RSA-SHA384 (1024-bit key).
openssl x509 -in ../../test-ca/superfish/root.pem -out "$work/sf.pem"
openssl req -new -key "$work/sfleaf.key" -subj "/CN=localhost" -out "$work/req.csr"
openssl x509 -req -in "$work/req.csr" -CA "$work/sf.pem" -CAkey "$sfkey" -set_serial 12 -days $days \
  -sha384 -extfile "$work/leaf.ext" -out "$work/sf-384-leaf.pem" 2>/dev/null
openssl x509 -in "$work/sf-384-leaf.pem" -outform der -out superfish-sha384-leaf.der
echo "done"

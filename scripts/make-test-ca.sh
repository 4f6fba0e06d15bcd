#!/usr/bin/env bash
# Regenerates rust-core/engine/tests/test-ca/: the test certificates for real TLS handshakes on
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
# Weak chains, as interception products present them (the live probe must complete their
# handshakes and judge them; rustls cannot serve 1024-bit keys, so the tests serve these with
# `openssl s_server`):
#   superfish-1024   leaf for localhost whose key is the Superfish CA's own RSA-1024 key (as
#                    interceptors reuse it), signed by Superfish with SHA-256
#   superfish-sha1   the same, signed with SHA-1
#   superfish-md5    the same, signed with MD5
#   expired-1024     RSA-1024 leaf for localhost under local-root, valid 2015-2016 only
#   wrong-host-1024  RSA-1024 leaf for wrong.example under local-root
#   self-signed-1024 a self-signed RSA-1024 certificate for localhost, SHA-1
#   ec-local-root    P-256 leaf for localhost under local-root (served with ECDSA-SHA1)
#
#   scripts/make-test-ca.sh                 regenerate everything (new keys for all)
#   scripts/make-test-ca.sh NAME...         regenerate only these scenarios (local-root's
#                                           dependants need its committed key)
set -euo pipefail
only=("$@")
want() { [ ${#only[@]} -eq 0 ] || printf '%s\n' "${only[@]}" | grep -qx -- "$1"; }
cd "$(dirname "$0")/.."
out=rust-core/engine/tests/test-ca
badssl=rust-core/engine/tests/data/badssl/upstream/certs/src
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

if want local-root; then
ca local-root "/C=KZ/O=Qorgan Tests/CN=Qorgan Test Local Root"
leaf local-root "$out/local-root/root.pem" "$out/local-root/root.key" localhost "$loopback"
cat "$out/local-root/leaf.pem" "$out/local-root/root.pem" > "$out/local-root/chain.pem"
fi

if want unknown-root; then
ca unknown-root "/O=Qorgan Tests/CN=Qorgan Test Unknown Root"
leaf unknown-root "$out/unknown-root/root.pem" "$out/unknown-root/root.key" localhost "$loopback"
cat "$out/unknown-root/leaf.pem" "$out/unknown-root/root.pem" > "$out/unknown-root/chain.pem"
fi

if want superfish; then
mkdir -p "$out/superfish"
cp "$badssl/crt/ca-superfish.crt" "$out/superfish/root.pem"
# Superfish's key is RSA-1024: sign with SHA-256, as a modern interceptor would.
leaf superfish "$badssl/crt/ca-superfish.crt" "$badssl/key/ca-superfish.key" localhost "$loopback"
cp "$out/superfish/leaf.pem" "$out/superfish/chain.pem"
fi

if want qaznet-impostor; then
ca qaznet-impostor "/C=KZ/CN=Qaznet Trust Network"
leaf qaznet-impostor "$out/qaznet-impostor/root.pem" "$out/qaznet-impostor/root.key" localhost "$loopback"
cat "$out/qaznet-impostor/leaf.pem" "$out/qaznet-impostor/root.pem" > "$out/qaznet-impostor/chain.pem"
fi

if want kz-forged; then
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
fi

if want wrong-host; then
mkdir -p "$out/wrong-host"
cp "$out/local-root/root.pem" "$out/wrong-host/root.pem"
leaf wrong-host "$out/local-root/root.pem" "$out/local-root/root.key" wrong.example "DNS:wrong.example"
cat "$out/wrong-host/leaf.pem" "$out/wrong-host/root.pem" > "$out/wrong-host/chain.pem"
fi

# A leaf from an existing key (KEYFILE), with openssl ca so that any validity can be set.
leaf_with_key() { # dir ca-cert ca-key cn san keyfile md startdate enddate
  local dir=$1 cacert=$2 cakey=$3 cn=$4 san=$5 key=$6 md=$7 from=$8 to=$9
  mkdir -p "$out/$dir" "$work/ca-$dir"
  [ "$key" = "$out/$dir/leaf.key" ] || cp "$key" "$out/$dir/leaf.key"
  openssl req -new -key "$key" -out "$work/leaf.csr" -subj "/CN=$cn" 2>/dev/null
  : > "$work/ca-$dir/index.txt"
  cat > "$work/ca-$dir/cnf" <<CNF
[ca]
default_ca = d
[d]
database = $work/ca-$dir/index.txt
new_certs_dir = $work/ca-$dir
serial = $work/ca-$dir/serial
default_md = $md
policy = p
unique_subject = no
[p]
commonName = supplied
[x]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=$san
authorityKeyIdentifier=keyid
subjectKeyIdentifier=hash
CNF
  openssl rand -hex 16 > "$work/ca-$dir/serial"
  openssl ca -batch -notext -config "$work/ca-$dir/cnf" -extensions x -cert "$cacert" -keyfile "$cakey" \
    -in "$work/leaf.csr" -startdate "$from" -enddate "$to" -out "$out/$dir/leaf.pem" 2>/dev/null
}
sf_crt="$badssl/crt/ca-superfish.crt"
sf_key="$badssl/key/ca-superfish.key"
lr="$out/local-root"
if want superfish-1024; then
leaf_with_key superfish-1024 "$sf_crt" "$sf_key" localhost "$loopback" "$sf_key" sha256 20260101000000Z 20491101000000Z
cp "$sf_crt" "$out/superfish-1024/root.pem"
cp "$out/superfish-1024/leaf.pem" "$out/superfish-1024/chain.pem"
fi
if want superfish-sha1; then
leaf_with_key superfish-sha1 "$sf_crt" "$sf_key" localhost "$loopback" "$sf_key" sha1 20260101000000Z 20491101000000Z
cp "$sf_crt" "$out/superfish-sha1/root.pem"
cp "$out/superfish-sha1/leaf.pem" "$out/superfish-sha1/chain.pem"
fi
if want superfish-md5; then
leaf_with_key superfish-md5 "$sf_crt" "$sf_key" localhost "$loopback" "$sf_key" md5 20260101000000Z 20491101000000Z
cp "$sf_crt" "$out/superfish-md5/root.pem"
cp "$out/superfish-md5/leaf.pem" "$out/superfish-md5/chain.pem"
fi
if want expired-1024; then
mkdir -p "$out/expired-1024"
openssl genrsa -out "$out/expired-1024/leaf.key" 1024 2>/dev/null
leaf_with_key expired-1024 "$lr/root.pem" "$lr/root.key" localhost "$loopback" "$out/expired-1024/leaf.key" sha256 20150101000000Z 20160101000000Z
cp "$lr/root.pem" "$out/expired-1024/root.pem"
cat "$out/expired-1024/leaf.pem" "$lr/root.pem" > "$out/expired-1024/chain.pem"
fi
if want wrong-host-1024; then
mkdir -p "$out/wrong-host-1024"
openssl genrsa -out "$out/wrong-host-1024/leaf.key" 1024 2>/dev/null
leaf_with_key wrong-host-1024 "$lr/root.pem" "$lr/root.key" wrong.example "DNS:wrong.example" "$out/wrong-host-1024/leaf.key" sha256 20260101000000Z 20491101000000Z
cp "$lr/root.pem" "$out/wrong-host-1024/root.pem"
cat "$out/wrong-host-1024/leaf.pem" "$lr/root.pem" > "$out/wrong-host-1024/chain.pem"
fi
if want self-signed-1024; then
mkdir -p "$out/self-signed-1024"
openssl req -x509 -newkey rsa:1024 -nodes -keyout "$out/self-signed-1024/leaf.key" \
  -out "$out/self-signed-1024/leaf.pem" -days "$days" -sha1 -subj "/CN=localhost" \
  -addext "subjectAltName=$loopback" 2>/dev/null
cp "$out/self-signed-1024/leaf.pem" "$out/self-signed-1024/chain.pem"
fi
if want ec-local-root; then
mkdir -p "$out/ec-local-root"
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$out/ec-local-root/leaf.key"
leaf_with_key ec-local-root "$lr/root.pem" "$lr/root.key" localhost "$loopback" "$out/ec-local-root/leaf.key" sha256 20260101000000Z 20491101000000Z
cp "$lr/root.pem" "$out/ec-local-root/root.pem"
cat "$out/ec-local-root/leaf.pem" "$lr/root.pem" > "$out/ec-local-root/chain.pem"
fi

# PKCS#12 bundles for JVM servers (password "qorgan"); DER copies for platforms that want them.
for d in local-root unknown-root superfish qaznet-impostor kz-forged wrong-host superfish-1024 \
  superfish-sha1 superfish-md5 expired-1024 wrong-host-1024 self-signed-1024 ec-local-root; do
  want "$d" || continue
  openssl pkcs12 -export -in "$out/$d/chain.pem" -inkey "$out/$d/leaf.key" -out "$out/$d/server.p12" \
    -passout pass:qorgan -name server 2>/dev/null
  for f in "$out/$d"/*.pem; do openssl x509 -in "$f" -outform DER -out "${f%.pem}.der" 2>/dev/null || true; done
  rm -f "$out/$d/chain.der"
done
echo "wrote $out"

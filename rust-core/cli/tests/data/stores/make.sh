#!/bin/sh
# Regenerates the trust-store files of this folder from the known interception CA certificates
# in rust-core/engine/data/interception/certs (see README.md). Run from this folder; needs openssl.
set -eu
C=../../../../data/interception/certs
qaznet=$C/00309c736dd661da6f1eb24173aa849944c168a43a15bffd192eecfdb6f8dbd2.pem
isca_ca=$C/61c0fc2e38b5b6f9071b42cee54a9013d858b6697c68b460948551b3249576a1.pem
isca_2021=$C/0230a604d99220e5612ee7862ab9f7a6e18e4f1ac4c9e27075788cc5220169ab.pem
isca_0646=$C/0bd39de4793cdc117138f47708aa4d583acf67adb059a0d91f668d1803bf6489.pem
isca_2050=$C/c530fadc9bfa265e63b755cc6ee04c2d70d60bb916ce2f331dc7359362571b25.pem
superfish=$C/b6fe9151402bad1c06d7e66db67a26aa7356f2e6c644dbcf9f98968ff632e1b7.pem
edellroot=$C/ec30c9c3065a06bb07dc5b1c6b497f370c1ca65c0f30c08e042ba6bcecc78f2c.pem

rm -rf mixed formats cacerts trust
mkdir mixed formats cacerts trust

# The regression: a folder whose interception CAs sit in a DER .p7b and a TRUSTED CERTIFICATE.
openssl crl2pkcs7 -nocrl -certfile "$qaznet" -certfile "$isca_ca" -outform DER -out mixed/interception.p7b
openssl x509 -in "$superfish" -addtrust serverAuth -setalias Superfish -out mixed/superfish.pem
# ... beside a public root (PEM), as in a real store.
cp ../../../../tests/data/pins/fixtures/system-roots/ISRG_Root_X1.pem mixed/

# One file per format.
openssl x509 -in "$edellroot" -addtrust serverAuth -addreject emailProtection -setalias eDellRoot \
    -out formats/trusted-certificate.pem
openssl x509 -in "$isca_2021" -outform PEM | sed 's/ CERTIFICATE-----/ X509 CERTIFICATE-----/' \
    > formats/x509-certificate-label.pem
openssl crl2pkcs7 -nocrl -certfile "$qaznet" -certfile "$isca_ca" -outform DER -out formats/bundle-der.p7b
openssl crl2pkcs7 -nocrl -certfile "$isca_0646" -certfile "$isca_2050" -out formats/bundle-pem.p7b
openssl crl2pkcs7 -nocrl -certfile "$isca_2021" -certfile "$superfish" \
    | sed 's/-----\(BEGIN\|END\) PKCS7-----/-----\1 CERTIFICATE-----/' > formats/bundle-certificate-label.p7c
for f in "$qaznet" "$isca_ca" "$superfish"; do openssl x509 -in "$f" -outform DER; done \
    > formats/concatenated.der

# Android's /system/etc/security/cacerts: <subject_hash_old>.0, PEM with a text dump before it
# (what `openssl x509 -text` writes) or after it (as AOSP's files have it).
h=$(openssl x509 -in "$isca_2050" -noout -subject_hash_old)
openssl x509 -in "$isca_2050" -text > "cacerts/$h.0"
h=$(openssl x509 -in "$edellroot" -noout -subject_hash_old)
{ openssl x509 -in "$edellroot"; openssl x509 -in "$edellroot" -noout -text -fingerprint; } > "cacerts/$h.0"

# For --trust: the local test root of rust-core/engine/tests/test-ca (scripts/make-test-ca.sh).
local=../../../../tests/test-ca/local-root/root.pem
openssl crl2pkcs7 -nocrl -certfile "$local" -outform DER -out trust/local-root.p7b
openssl x509 -in "$local" -addtrust serverAuth -out trust/local-root-trusted.pem
# A server's chain (leaf and root) as a .p7b, for inspect.
openssl crl2pkcs7 -nocrl -certfile ../../../../tests/test-ca/local-root/chain.pem -outform DER \
    -out trust/local-root-chain.p7b

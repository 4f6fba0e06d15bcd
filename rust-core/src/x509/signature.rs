//! Checking a certificate's signature with its own key (the facts' `self_signed`).
//!
//! The algorithms are exactly those x509-parser's `verify_signature` mapped to ring, with the
//! same ring algorithms (so the same key-size limits): RSA PKCS#1 with SHA-1 (legacy, 1024
//! bits and up), SHA-256/384/512 (2048 bits and up), RSA-PSS with SHA-256/384/512 named in its
//! parameters, ECDSA with SHA-256/384 on P-256/P-384 (the curve from the key's parameters),
//! and Ed25519. Anything else is "not self-signed": the answer only describes the certificate;
//! trust decisions are rustls-webpki's.

use ring::signature as sig;

use super::reader::{self, tag, CONTEXT};
use super::{Algorithm, PublicKeyInfo};

const SHA1_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05];
const SHA1_RSA_OIW: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1d];
const SHA256_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
const SHA384_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c];
const SHA512_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d];
const RSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
const ECDSA_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
const ECDSA_SHA384: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
const SHA384: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
const SHA512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];

/// `signature` over `signed` verifies with `key` under `algorithm`.
pub(crate) fn verify(
    key: &PublicKeyInfo<'_>,
    algorithm: &Algorithm<'_>,
    signature: &[u8],
    signed: &[u8],
) -> bool {
    let Some(alg) = ring_algorithm(key, algorithm) else {
        return false;
    };
    sig::UnparsedPublicKey::new(alg, key.key)
        .verify(signed, signature)
        .is_ok()
}

fn ring_algorithm(
    key: &PublicKeyInfo<'_>,
    algorithm: &Algorithm<'_>,
) -> Option<&'static dyn sig::VerificationAlgorithm> {
    Some(match algorithm.oid {
        SHA1_RSA | SHA1_RSA_OIW => &sig::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
        SHA256_RSA => &sig::RSA_PKCS1_2048_8192_SHA256,
        SHA384_RSA => &sig::RSA_PKCS1_2048_8192_SHA384,
        SHA512_RSA => &sig::RSA_PKCS1_2048_8192_SHA512,
        RSA_PSS => match pss_hash(algorithm.parameters?.content_if_sequence()?)? {
            SHA256 => &sig::RSA_PSS_2048_8192_SHA256,
            SHA384 => &sig::RSA_PSS_2048_8192_SHA384,
            SHA512 => &sig::RSA_PSS_2048_8192_SHA512,
            _ => return None,
        },
        ECDSA_SHA256 | ECDSA_SHA384 => {
            let sha384 = algorithm.oid == ECDSA_SHA384;
            // x509-parser took the key parameters' contents as an OID whatever their tag.
            match (key.algorithm.parameters?.content, sha384) {
                (P256, false) => &sig::ECDSA_P256_SHA256_ASN1,
                (P256, true) => &sig::ECDSA_P256_SHA384_ASN1,
                (P384, false) => &sig::ECDSA_P384_SHA256_ASN1,
                (P384, true) => &sig::ECDSA_P384_SHA384_ASN1,
                _ => return None,
            }
        }
        ED25519 => &sig::ED25519,
        _ => return None,
    })
}

impl<'a> reader::Element<'a> {
    fn content_if_sequence(&self) -> Option<&'a [u8]> {
        (self.tag == tag::SEQUENCE).then_some(self.content)
    }
}

/// The hash OID of `RSASSA-PSS-params` (SHA-1 when absent), read as x509-parser did: the
/// optional `[0]` hash and `[1]` mask generation AlgorithmIdentifiers, then `[2]` salt length
/// and `[3]` trailer field as explicit 32-bit INTEGERs; any malformed one is an error.
fn pss_hash(params: &[u8]) -> Option<&[u8]> {
    const SHA1: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];
    let mut i = params;
    let mut hash = SHA1;
    for number in 0..=1u32 {
        if i.is_empty() {
            break;
        }
        let (e, after) = reader::element(i).ok()?;
        if e.tag != number {
            continue;
        }
        if e.class != CONTEXT {
            return None;
        }
        let (seq, _) = reader::expect(e.content, tag::SEQUENCE).ok()?;
        let (oid, rest) = reader::oid(seq.content).ok()?;
        if !rest.is_empty() {
            reader::element(rest).ok()?;
        }
        if number == 0 {
            hash = oid;
        }
        i = after;
    }
    for number in 2..=3u32 {
        if i.is_empty() {
            break;
        }
        if let Ok((h, _)) = reader::header(i, false) {
            if h.tag != number {
                continue;
            }
        }
        let (e, after) = reader::element(i).ok()?;
        if e.tag != number || !e.constructed || e.class != CONTEXT {
            return None;
        }
        reader::u32_value(e.content).ok()?;
        i = after;
    }
    Some(hash)
}

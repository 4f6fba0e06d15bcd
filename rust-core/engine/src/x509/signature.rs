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

const MD5_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04];
const SHA224_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0e];
const SHA1: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];

/// Whether `key` signed `signed` with `signature` under `algorithm`, **whatever the key's
/// strength**: the question "did this (leaked, 1024-bit) interception key sign this
/// certificate?", never "is this signature good enough to trust?".
///
/// An interceptor whose key is known picks the algorithm: a platform that accepts RSA
/// PKCS#1 with SHA-1/256/384/512, RSA-PSS, ECDSA or Ed25519 from a 1024-bit key will accept
/// a forgery made that way, so the check must recognise every one of them ([`rsa_any_size`]
/// for RSA).
pub(crate) fn verify_any_strength(
    key: &PublicKeyInfo<'_>,
    algorithm: &Algorithm<'_>,
    signature: &[u8],
    signed: &[u8],
) -> bool {
    // An RSA key goes straight to rsa_any_size, which asks ring wherever ring covers the key
    // and algorithm: a bad signature is checked once, not by `verify` and then again.
    let Some((n, e)) = super::key::rsa_components(key) else {
        return verify(key, algorithm, signature, signed);
    };
    let padding = match algorithm.oid {
        SHA1_RSA | SHA1_RSA_OIW => RsaPadding::Pkcs1(Hash::Sha1),
        SHA224_RSA => RsaPadding::Pkcs1(Hash::Sha224),
        SHA256_RSA => RsaPadding::Pkcs1(Hash::Sha256),
        SHA384_RSA => RsaPadding::Pkcs1(Hash::Sha384),
        SHA512_RSA => RsaPadding::Pkcs1(Hash::Sha512),
        MD5_RSA => RsaPadding::Pkcs1(Hash::Md5),
        RSA_PSS => {
            let Some(params) = algorithm.parameters.and_then(|p| p.content_if_sequence()) else {
                return false;
            };
            let hash = match pss_hash(params) {
                Some(SHA1) => Hash::Sha1,
                Some(SHA256) => Hash::Sha256,
                Some(SHA384) => Hash::Sha384,
                Some(SHA512) => Hash::Sha512,
                _ => return false,
            };
            RsaPadding::Pss {
                hash,
                salt: pss_salt(params).unwrap_or(20),
            }
        }
        _ => return false,
    };
    rsa_any_size(n, e, padding, signed, signature)
}

/// A hash an RSA signature is made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hash {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

/// How an RSA signature is padded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RsaPadding {
    /// PKCS#1 v1.5 with this hash.
    Pkcs1(Hash),
    /// RSASSA-PSS with this hash (and MGF1 with it) and salt length.
    Pss { hash: Hash, salt: usize },
}

/// RSA verification under any key size (up to 16,384 bits), for the known-CA check and the
/// live probe's handshake signatures: an interceptor reusing a leaked 1024-bit key picks the
/// hash and padding.
///
/// ring answers where it covers the key size and algorithm (its answer is final there: a bad
/// signature is not checked twice); the RustCrypto `rsa` crate answers the rest (keys under
/// 1024 or over 8,192 bits, PKCS#1 SHA-384 and PSS under 2,048 bits, PSS salts other than the
/// hash length, SHA-224, MD5). Public-key operations only: the timing attack on that crate's
/// private-key operations (RUSTSEC-2023-0071) does not concern them.
pub(crate) fn rsa_any_size(
    n: &[u8],
    e: &[u8],
    padding: RsaPadding,
    message: &[u8],
    signature: &[u8],
) -> bool {
    let first = n.iter().position(|&b| b != 0).unwrap_or(n.len());
    let n = &n[first..];
    let Some(top) = n.first() else {
        return false;
    };
    let bits = n.len() * 8 - top.leading_zeros() as usize;
    let full = (2048..=8192).contains(&bits);
    let ring: Option<&'static sig::RsaParameters> = match padding {
        RsaPadding::Pkcs1(Hash::Sha1) => Some(&sig::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY),
        RsaPadding::Pkcs1(Hash::Sha256) => {
            Some(&sig::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY)
        }
        RsaPadding::Pkcs1(Hash::Sha512) => {
            Some(&sig::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY)
        }
        RsaPadding::Pkcs1(Hash::Sha384) if full => Some(&sig::RSA_PKCS1_2048_8192_SHA384),
        RsaPadding::Pss {
            hash: Hash::Sha256,
            salt: 32,
        } if full => Some(&sig::RSA_PSS_2048_8192_SHA256),
        RsaPadding::Pss {
            hash: Hash::Sha384,
            salt: 48,
        } if full => Some(&sig::RSA_PSS_2048_8192_SHA384),
        RsaPadding::Pss {
            hash: Hash::Sha512,
            salt: 64,
        } if full => Some(&sig::RSA_PSS_2048_8192_SHA512),
        _ => None,
    };
    if let (Some(params), 1024..=8192) = (ring, bits) {
        return sig::RsaPublicKeyComponents { n, e }
            .verify(params, message, signature)
            .is_ok();
    }
    small_rsa::verify(n, e, padding, message, signature)
}

/// The `[2] saltLength` of RSASSA-PSS-params (`None` when absent: 20).
fn pss_salt(params: &[u8]) -> Option<usize> {
    let mut i = params;
    while !i.is_empty() {
        let (e, after) = reader::element(i).ok()?;
        if e.class == CONTEXT && e.tag == 2 {
            let (n, _) = reader::u32_value(e.content).ok()?;
            return usize::try_from(n).ok();
        }
        i = after;
    }
    None
}

/// What ring does not verify, with the `rsa` crate.
mod small_rsa {
    use rsa::{BigUint, Pkcs1v15Sign, Pss, RsaPublicKey};
    use sha2::Digest;

    use super::{Hash, RsaPadding};

    fn pkcs1<D: Digest + rsa::pkcs8::AssociatedOid>(
        key: &RsaPublicKey,
        message: &[u8],
        signature: &[u8],
    ) -> bool {
        key.verify(Pkcs1v15Sign::new::<D>(), &D::digest(message), signature)
            .is_ok()
    }

    fn pss<D: Digest + sha2::digest::DynDigest + Clone + Send + Sync + 'static>(
        key: &RsaPublicKey,
        salt: usize,
        message: &[u8],
        signature: &[u8],
    ) -> bool {
        key.verify(
            Pss::new_with_salt::<D>(salt),
            &D::digest(message),
            signature,
        )
        .is_ok()
    }

    pub(super) fn verify(
        n: &[u8],
        e: &[u8],
        padding: RsaPadding,
        message: &[u8],
        signature: &[u8],
    ) -> bool {
        // Up to 16,384 bits: past the 8,192 platforms accept, short of a costly exponentiation.
        let Ok(key) = RsaPublicKey::new_with_max_size(
            BigUint::from_bytes_be(n),
            BigUint::from_bytes_be(e),
            16_384,
        ) else {
            return false;
        };
        match padding {
            RsaPadding::Pkcs1(Hash::Md5) => pkcs1::<md5::Md5>(&key, message, signature),
            RsaPadding::Pkcs1(Hash::Sha1) => pkcs1::<sha1::Sha1>(&key, message, signature),
            RsaPadding::Pkcs1(Hash::Sha224) => pkcs1::<sha2::Sha224>(&key, message, signature),
            RsaPadding::Pkcs1(Hash::Sha256) => pkcs1::<sha2::Sha256>(&key, message, signature),
            RsaPadding::Pkcs1(Hash::Sha384) => pkcs1::<sha2::Sha384>(&key, message, signature),
            RsaPadding::Pkcs1(Hash::Sha512) => pkcs1::<sha2::Sha512>(&key, message, signature),
            RsaPadding::Pss { hash, salt } => match hash {
                Hash::Sha1 => pss::<sha1::Sha1>(&key, salt, message, signature),
                Hash::Sha224 => pss::<sha2::Sha224>(&key, salt, message, signature),
                Hash::Sha256 => pss::<sha2::Sha256>(&key, salt, message, signature),
                Hash::Sha384 => pss::<sha2::Sha384>(&key, salt, message, signature),
                Hash::Sha512 => pss::<sha2::Sha512>(&key, salt, message, signature),
                Hash::Md5 => false,
            },
        }
    }
}

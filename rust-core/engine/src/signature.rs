//! Signatures on certificates: a certificate's own (the facts' `self_signed`) and a known
//! interception key's ([`signed_by`], [`verify_any_strength`]), checked with ring and, where
//! ring refuses the key size or algorithm, the `rsa` crate. The keys and algorithm identifiers
//! are read with x509-parser (its "verify" feature is off: the algorithm table is this one).
//!
//! [`verify`]'s algorithms are those x509-parser's `verify_signature` maps to ring, with the
//! same ring algorithms (so the same key-size limits): RSA PKCS#1 with SHA-1 (legacy, 1024
//! bits and up), SHA-256/384/512 (2048 bits and up), RSA-PSS with SHA-256/384/512 named in its
//! parameters, ECDSA with SHA-256/384 on P-256/P-384 (the curve from the key's parameters),
//! and Ed25519. Anything else is "not self-signed": the answer only describes the certificate;
//! trust decisions are rustls-webpki's.

use ring::signature as sig;
use x509_parser::asn1_rs::BitString;
use x509_parser::prelude::FromDer;
use x509_parser::public_key::PublicKey;
use x509_parser::signature_algorithm::RsaSsaPssParams;
use x509_parser::x509::{AlgorithmIdentifier, SubjectPublicKeyInfo};

const RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const SHA1_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05];
const SHA1_RSA_OIW: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1d];
const SHA256_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
const SHA384_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c];
const SHA512_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d];
const RSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
const ECDSA_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
const ECDSA_SHA384: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
#[cfg(feature = "live-probe")]
const EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
const SHA384: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
const SHA512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];

/// The signed parts of a certificate: what a signature check needs and nothing else.
///
/// Read apart from the facts on purpose: a certificate whose extensions or dates x509-parser
/// refuses may still carry a signature by a known interception key, and that signature must be
/// checked all the same (an interceptor chooses the encoding). The outline is read with the
/// strict DER walker ([`crate::der`]); only the algorithm and the signature with x509-parser.
pub(crate) struct Signed<'a> {
    /// The signed part, tag and length included.
    pub tbs: &'a [u8],
    pub algorithm: AlgorithmIdentifier<'a>,
    pub signature: BitString<'a>,
}

impl<'a> Signed<'a> {
    /// Reads `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }`
    /// without looking inside the tbsCertificate.
    pub(crate) fn read(der: &'a [u8]) -> Option<Self> {
        let outer = crate::der::read_tlv(der).ok()?;
        if outer.tag != 0x30 {
            return None;
        }
        let content = der.get(outer.header..outer.total())?;
        let tbs = crate::der::read_tlv(content).ok()?;
        if tbs.tag != 0x30 {
            return None;
        }
        let (tbs, rest) = content.split_at(tbs.total());
        let (rest, algorithm) = AlgorithmIdentifier::from_der(rest).ok()?;
        let (_, signature) = BitString::from_der(rest).ok()?;
        Some(Self {
            tbs,
            algorithm,
            signature,
        })
    }
}

/// Whether the key `issuer_spki` (a DER SubjectPublicKeyInfo) signed the certificate
/// `cert_der`, with any algorithm and key size some platform accepts (see
/// [`verify_any_strength`]): the known-CA check and the search for a parent anchor, where the
/// key, not the name, decides.
pub(crate) fn signed_by(cert_der: &[u8], issuer_spki: &[u8]) -> bool {
    match (
        Signed::read(cert_der),
        SubjectPublicKeyInfo::from_der(issuer_spki),
    ) {
        (Some(s), Ok((_, key))) => {
            verify_any_strength(&key, &s.algorithm, &s.signature.data, s.tbs)
        }
        _ => false,
    }
}

/// An RSA key's modulus and public exponent (big-endian INTEGER contents), for signatures
/// checked under any key size; `None` for other keys.
pub(crate) fn rsa_components<'k>(
    key: &'k SubjectPublicKeyInfo<'_>,
) -> Option<(&'k [u8], &'k [u8])> {
    if key.algorithm.algorithm.as_bytes() != RSA {
        return None;
    }
    match key.parsed().ok()? {
        PublicKey::RSA(r) => Some((r.modulus, r.exponent)),
        _ => None,
    }
}

/// An EC key's named curve (the OID's contents) and SEC1 point, for the live probe's handshake
/// signatures; `None` for other keys.
#[cfg(feature = "live-probe")]
pub(crate) fn ec_curve_and_point<'k>(
    key: &'k SubjectPublicKeyInfo<'_>,
) -> Option<(&'k [u8], &'k [u8])> {
    if key.algorithm.algorithm.as_bytes() != EC {
        return None;
    }
    let params = key.algorithm.parameters.as_ref()?;
    // OBJECT IDENTIFIER (tag 6): the named curve.
    (params.header.tag().0 == 6 && !params.header.is_constructed())
        .then_some((params.data, key.subject_public_key.data.as_ref()))
}

/// The hash and salt length of RSASSA-PSS-params, as x509-parser reads them (SHA-1 and 20
/// when absent); `None` when the parameters are absent or malformed, or the hash is not one
/// of SHA-1/256/384/512.
fn pss_params(algorithm: &AlgorithmIdentifier<'_>) -> Option<(Hash, u32)> {
    let p = RsaSsaPssParams::try_from(algorithm.parameters.as_ref()?).ok()?;
    let hash = match p.hash_algorithm_oid().as_bytes() {
        SHA1 => Hash::Sha1,
        SHA256 => Hash::Sha256,
        SHA384 => Hash::Sha384,
        SHA512 => Hash::Sha512,
        _ => return None,
    };
    Some((hash, p.salt_length()))
}

/// `signature` over `signed` verifies with `key` under `algorithm`.
pub(crate) fn verify(
    key: &SubjectPublicKeyInfo<'_>,
    algorithm: &AlgorithmIdentifier<'_>,
    signature: &[u8],
    signed: &[u8],
) -> bool {
    let Some(alg) = ring_algorithm(key, algorithm) else {
        return false;
    };
    sig::UnparsedPublicKey::new(alg, &key.subject_public_key.data)
        .verify(signed, signature)
        .is_ok()
}

fn ring_algorithm(
    key: &SubjectPublicKeyInfo<'_>,
    algorithm: &AlgorithmIdentifier<'_>,
) -> Option<&'static dyn sig::VerificationAlgorithm> {
    let oid = algorithm.algorithm.as_bytes();
    Some(match oid {
        SHA1_RSA | SHA1_RSA_OIW => &sig::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
        SHA256_RSA => &sig::RSA_PKCS1_2048_8192_SHA256,
        SHA384_RSA => &sig::RSA_PKCS1_2048_8192_SHA384,
        SHA512_RSA => &sig::RSA_PKCS1_2048_8192_SHA512,
        RSA_PSS => match pss_params(algorithm)?.0 {
            Hash::Sha256 => &sig::RSA_PSS_2048_8192_SHA256,
            Hash::Sha384 => &sig::RSA_PSS_2048_8192_SHA384,
            Hash::Sha512 => &sig::RSA_PSS_2048_8192_SHA512,
            _ => return None,
        },
        ECDSA_SHA256 | ECDSA_SHA384 => {
            let sha384 = oid == ECDSA_SHA384;
            // x509-parser took the key parameters' contents as an OID whatever their tag.
            match (key.algorithm.parameters.as_ref()?.data, sha384) {
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
    key: &SubjectPublicKeyInfo<'_>,
    algorithm: &AlgorithmIdentifier<'_>,
    signature: &[u8],
    signed: &[u8],
) -> bool {
    // An RSA key goes straight to rsa_any_size, which asks ring wherever ring covers the key
    // and algorithm: a bad signature is checked once, not by `verify` and then again.
    let Some((n, e)) = rsa_components(key) else {
        return verify(key, algorithm, signature, signed);
    };
    let padding = match algorithm.algorithm.as_bytes() {
        SHA1_RSA | SHA1_RSA_OIW => RsaPadding::Pkcs1(Hash::Sha1),
        SHA224_RSA => RsaPadding::Pkcs1(Hash::Sha224),
        SHA256_RSA => RsaPadding::Pkcs1(Hash::Sha256),
        SHA384_RSA => RsaPadding::Pkcs1(Hash::Sha384),
        SHA512_RSA => RsaPadding::Pkcs1(Hash::Sha512),
        MD5_RSA => RsaPadding::Pkcs1(Hash::Md5),
        RSA_PSS => {
            let Some((hash, salt)) = pss_params(algorithm) else {
                return false;
            };
            let Ok(salt) = usize::try_from(salt) else {
                return false;
            };
            RsaPadding::Pss { hash, salt }
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

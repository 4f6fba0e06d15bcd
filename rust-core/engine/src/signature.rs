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
///
/// The message is hashed here, with ring's digests for SHA-1/256/384/512 (the ones every other
/// path of the library uses) and RustCrypto's only for SHA-224 and MD5, which ring lacks; the
/// `rsa` crate then checks the padding around that digest. Its generic `Pkcs1v15Sign::new::<D>`
/// and `Pss::new::<D>` would link a second implementation of each hash (about 25 KB on a phone).
mod small_rsa {
    use rsa::{BigUint, Pkcs1v15Sign, Pss, RsaPublicKey};
    use sha2::digest::{DynDigest, InvalidBufferSize};
    use sha2::Digest;

    use super::{Hash, RsaPadding};

    /// The DER `DigestInfo` that precedes each hash in a PKCS#1 v1.5 signature, up to the
    /// hash itself (RFC 8017, section 9.2, note 1). A test compares them with what `rsa`
    /// derives from each RustCrypto hash's OID.
    pub(super) fn digest_info_prefix(hash: Hash) -> &'static [u8] {
        match hash {
            Hash::Md5 => &[
                0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05,
                0x05, 0x00, 0x04, 0x10,
            ],
            Hash::Sha1 => &[
                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
                0x14,
            ],
            Hash::Sha224 => &[
                0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x04, 0x05, 0x00, 0x04, 0x1c,
            ],
            Hash::Sha256 => &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20,
            ],
            Hash::Sha384 => &[
                0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x02, 0x05, 0x00, 0x04, 0x30,
            ],
            Hash::Sha512 => &[
                0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x03, 0x05, 0x00, 0x04, 0x40,
            ],
        }
    }

    /// ring's algorithm for a hash it has.
    fn ring_digest(hash: Hash) -> Option<&'static ring::digest::Algorithm> {
        Some(match hash {
            Hash::Sha1 => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            Hash::Sha256 => &ring::digest::SHA256,
            Hash::Sha384 => &ring::digest::SHA384,
            Hash::Sha512 => &ring::digest::SHA512,
            Hash::Md5 | Hash::Sha224 => return None,
        })
    }

    pub(super) fn digest(hash: Hash, message: &[u8]) -> Vec<u8> {
        match (hash, ring_digest(hash)) {
            (_, Some(alg)) => ring::digest::digest(alg, message).as_ref().to_vec(),
            (Hash::Md5, None) => md5::Md5::digest(message).to_vec(),
            (_, None) => sha2::Sha224::digest(message).to_vec(),
        }
    }

    /// A ring digest as the `dyn DynDigest` that `rsa`'s PSS uses for MGF1 and for H'.
    #[derive(Clone)]
    pub(super) struct RingDigest(ring::digest::Context);

    impl RingDigest {
        pub(super) fn new(alg: &'static ring::digest::Algorithm) -> Self {
            Self(ring::digest::Context::new(alg))
        }

        fn finish_into(&mut self, out: &mut [u8]) -> Result<(), InvalidBufferSize> {
            // As RustCrypto's: a wrong size leaves the state alone.
            let alg = self.0.algorithm();
            if out.len() != alg.output_len() {
                return Err(InvalidBufferSize);
            }
            let done = std::mem::replace(&mut self.0, ring::digest::Context::new(alg)).finish();
            out.copy_from_slice(done.as_ref());
            Ok(())
        }
    }

    impl DynDigest for RingDigest {
        fn update(&mut self, data: &[u8]) {
            self.0.update(data);
        }

        fn finalize_into(mut self, buf: &mut [u8]) -> Result<(), InvalidBufferSize> {
            self.finish_into(buf)
        }

        fn finalize_into_reset(&mut self, out: &mut [u8]) -> Result<(), InvalidBufferSize> {
            self.finish_into(out)
        }

        fn reset(&mut self) {
            self.0 = ring::digest::Context::new(self.0.algorithm());
        }

        fn output_size(&self) -> usize {
            self.0.algorithm().output_len()
        }

        fn box_clone(&self) -> Box<dyn DynDigest> {
            Box::new(self.clone())
        }
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
            RsaPadding::Pkcs1(hash) => {
                let hashed = digest(hash, message);
                let scheme = Pkcs1v15Sign {
                    hash_len: Some(hashed.len()),
                    prefix: digest_info_prefix(hash).into(),
                };
                key.verify(scheme, &hashed, signature).is_ok()
            }
            RsaPadding::Pss { hash, salt } => {
                let mgf: Box<dyn DynDigest + Send + Sync> = match (hash, ring_digest(hash)) {
                    (_, Some(alg)) => Box::new(RingDigest::new(alg)),
                    (Hash::Sha224, None) => Box::new(sha2::Sha224::new()),
                    // No PSS with MD5 exists.
                    (_, None) => return false,
                };
                let scheme = Pss {
                    blinded: false,
                    digest: mgf,
                    salt_len: salt,
                };
                key.verify(scheme, &digest(hash, message), signature)
                    .is_ok()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::small_rsa::{digest, digest_info_prefix, RingDigest};
    use super::{rsa_any_size, Hash, RsaPadding};
    use rsa::rand_core::{CryptoRng, Error, RngCore};
    use rsa::traits::PublicKeyParts;
    use rsa::{Pkcs1v15Sign, Pss, RsaPrivateKey};
    use sha2::digest::DynDigest;
    use sha2::Digest;

    /// A reproducible stream (SHA-256 of a counter) for key generation and PSS salts: these
    /// tests need signatures, not secrets.
    struct Counter(u64);

    impl RngCore for Counter {
        fn next_u32(&mut self) -> u32 {
            self.next_u64() as u32
        }
        fn next_u64(&mut self) -> u64 {
            let mut b = [0; 8];
            self.fill_bytes(&mut b);
            u64::from_le_bytes(b)
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            for chunk in dest.chunks_mut(32) {
                self.0 += 1;
                let d = ring::digest::digest(&ring::digest::SHA256, &self.0.to_le_bytes());
                chunk.copy_from_slice(&d.as_ref()[..chunk.len()]);
            }
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }
    impl CryptoRng for Counter {}

    #[test]
    fn the_digest_info_prefixes_are_those_rsa_derives_from_each_hash_oid() {
        assert_eq!(
            *digest_info_prefix(Hash::Md5),
            *Pkcs1v15Sign::new::<md5::Md5>().prefix
        );
        assert_eq!(
            *digest_info_prefix(Hash::Sha1),
            *Pkcs1v15Sign::new::<sha1::Sha1>().prefix
        );
        assert_eq!(
            *digest_info_prefix(Hash::Sha224),
            *Pkcs1v15Sign::new::<sha2::Sha224>().prefix
        );
        assert_eq!(
            *digest_info_prefix(Hash::Sha256),
            *Pkcs1v15Sign::new::<sha2::Sha256>().prefix
        );
        assert_eq!(
            *digest_info_prefix(Hash::Sha384),
            *Pkcs1v15Sign::new::<sha2::Sha384>().prefix
        );
        assert_eq!(
            *digest_info_prefix(Hash::Sha512),
            *Pkcs1v15Sign::new::<sha2::Sha512>().prefix
        );
    }

    #[test]
    fn ring_digests_behind_dyn_digest_equal_rustcrypto_ones() {
        let message = b"MGF1 and H' are computed through this interface";
        let pairs: [(Box<dyn DynDigest>, Box<dyn DynDigest>); 3] = [
            (
                Box::new(RingDigest::new(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY)),
                Box::new(sha1::Sha1::new()),
            ),
            (
                Box::new(RingDigest::new(&ring::digest::SHA256)),
                Box::new(sha2::Sha256::new()),
            ),
            (
                Box::new(RingDigest::new(&ring::digest::SHA512)),
                Box::new(sha2::Sha512::new()),
            ),
        ];
        for (mut ours, mut theirs) in pairs {
            assert_eq!(ours.output_size(), theirs.output_size());
            ours.update(message);
            theirs.update(message);
            let clone = ours.box_clone();
            // finalize_reset twice: the second digest is of nothing, as for RustCrypto's.
            assert_eq!(ours.finalize_reset(), theirs.finalize_reset());
            assert_eq!(ours.finalize_reset(), theirs.finalize_reset());
            // A wrong size is refused and leaves the state alone.
            let mut wrong = vec![0; clone.output_size() + 1];
            let mut copy = clone.box_clone();
            assert!(copy.finalize_into_reset(&mut wrong).is_err());
            assert_eq!(*copy.finalize(), *sha_of(theirs.output_size(), message));
            assert_eq!(*clone.finalize(), *sha_of(theirs.output_size(), message));
        }
        assert_eq!(
            digest(Hash::Md5, message),
            md5::Md5::digest(message).to_vec()
        );
        assert_eq!(
            digest(Hash::Sha224, message),
            sha2::Sha224::digest(message).to_vec()
        );
        assert_eq!(
            digest(Hash::Sha384, message),
            sha2::Sha384::digest(message).to_vec()
        );
    }

    fn sha_of(len: usize, message: &[u8]) -> Vec<u8> {
        match len {
            20 => sha1::Sha1::digest(message).to_vec(),
            32 => sha2::Sha256::digest(message).to_vec(),
            _ => sha2::Sha512::digest(message).to_vec(),
        }
    }

    /// Signatures made by the `rsa` crate with RustCrypto's hashes, at a size ring refuses,
    /// verify through `rsa_any_size` (ring's hashes for the padding); a changed message does not.
    #[test]
    fn small_keys_verify_every_padding_and_hash_signed_with_rustcrypto() {
        let key = RsaPrivateKey::new(&mut Counter(0), 768).expect("key");
        let (n, e) = (key.n().to_bytes_be(), key.e().to_bytes_be());
        let message = b"tbsCertificate of a forged leaf";
        fn hashed<D: Digest>(m: &[u8]) -> Vec<u8> {
            D::digest(m).to_vec()
        }
        let pkcs1 = [
            (
                Hash::Md5,
                Pkcs1v15Sign::new::<md5::Md5>(),
                hashed::<md5::Md5>(message),
            ),
            (
                Hash::Sha1,
                Pkcs1v15Sign::new::<sha1::Sha1>(),
                hashed::<sha1::Sha1>(message),
            ),
            (
                Hash::Sha224,
                Pkcs1v15Sign::new::<sha2::Sha224>(),
                hashed::<sha2::Sha224>(message),
            ),
            (
                Hash::Sha256,
                Pkcs1v15Sign::new::<sha2::Sha256>(),
                hashed::<sha2::Sha256>(message),
            ),
            (
                Hash::Sha384,
                Pkcs1v15Sign::new::<sha2::Sha384>(),
                hashed::<sha2::Sha384>(message),
            ),
        ];
        for (hash, scheme, h) in pkcs1 {
            let signature = key.sign(scheme, &h).expect("sign");
            let padding = RsaPadding::Pkcs1(hash);
            assert!(
                rsa_any_size(&n, &e, padding, message, &signature),
                "{hash:?}"
            );
            assert!(
                !rsa_any_size(&n, &e, padding, b"another", &signature),
                "{hash:?}"
            );
        }
        let pss = [
            (
                Hash::Sha1,
                Pss::new_with_salt::<sha1::Sha1>(20),
                hashed::<sha1::Sha1>(message),
                20,
            ),
            (
                Hash::Sha224,
                Pss::new_with_salt::<sha2::Sha224>(0),
                hashed::<sha2::Sha224>(message),
                0,
            ),
            (
                Hash::Sha256,
                Pss::new_with_salt::<sha2::Sha256>(32),
                hashed::<sha2::Sha256>(message),
                32,
            ),
            (
                Hash::Sha256,
                Pss::new_with_salt::<sha2::Sha256>(7),
                hashed::<sha2::Sha256>(message),
                7,
            ),
        ];
        for (hash, scheme, h, salt) in pss {
            let signature = key
                .sign_with_rng(&mut Counter(9), scheme, &h)
                .expect("sign");
            let padding = RsaPadding::Pss { hash, salt };
            assert!(
                rsa_any_size(&n, &e, padding, message, &signature),
                "{hash:?} {salt}"
            );
            assert!(
                !rsa_any_size(&n, &e, padding, b"another", &signature),
                "{hash:?}"
            );
            let wrong_salt = RsaPadding::Pss {
                hash,
                salt: salt + 1,
            };
            assert!(
                !rsa_any_size(&n, &e, wrong_salt, message, &signature),
                "{hash:?}"
            );
        }
        // No PSS with MD5 exists: refused, not verified.
        let padding = RsaPadding::Pss {
            hash: Hash::Md5,
            salt: 16,
        };
        assert!(!rsa_any_size(&n, &e, padding, message, &[0; 96]));
    }
}

//! The live probe's check of the server's handshake signature, under any key size.
//!
//! A probe is a measurement: it must finish the handshake with whatever chain an interceptor
//! presents (1024-bit RSA keys, SHA-1) so that the engine can judge that chain; weakness is a
//! finding, not a reason to give up. But it must not skip the handshake signature: it is the
//! proof that the server holds the leaf's key, without which a replayed genuine chain would
//! look fine. So the signature is verified with the leaf's key, first as rustls verifies it
//! (ring, keys of 2048 bits and up), then, when that refuses, with:
//!
//! - ring's `*_FOR_LEGACY_USE_ONLY` algorithms: RSA PKCS#1 with SHA-1/256/512, 1024-8192 bits;
//! - the RustCrypto `rsa` crate for what ring lacks: RSA PKCS#1 SHA-384 and RSA-PSS
//!   (rsa_pss_rsae_*, the only RSA schemes of TLS 1.3) under 2048 bits, and any RSA scheme
//!   under 1024 bits;
//! - `p256`/`p384` for ECDSA with SHA-1 (TLS 1.2's ecdsa_sha1), which ring lacks.
//!
//! TLS 1.3 keeps its rules: only the schemes it defines (no PKCS#1, no SHA-1), and ECDSA on
//! the curve the scheme names. Not covered (not advertised): DSA, RSA-PSS keys
//! (rsa_pss_pss_*), Ed448, P-521.

use pki_types::CertificateDer;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use sha1::Sha1;
use sha2::Digest;

use crate::signature::{ec_curve_and_point, rsa_components};

/// The schemes the probe offers, strongest first, then the legacy ones old interceptors need.
pub(crate) const SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::ECDSA_NISTP384_SHA384,
    SignatureScheme::ECDSA_NISTP256_SHA256,
    SignatureScheme::ED25519,
    SignatureScheme::RSA_PSS_SHA512,
    SignatureScheme::RSA_PSS_SHA384,
    SignatureScheme::RSA_PSS_SHA256,
    SignatureScheme::RSA_PKCS1_SHA512,
    SignatureScheme::RSA_PKCS1_SHA384,
    SignatureScheme::RSA_PKCS1_SHA256,
    SignatureScheme::RSA_PKCS1_SHA1,
    SignatureScheme::ECDSA_SHA1_Legacy,
];

const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];

/// Verifies a TLS 1.2 (`tls13` false) or TLS 1.3 handshake signature with `cert`'s key.
pub(crate) fn verify(
    message: &[u8],
    cert: &CertificateDer<'_>,
    dss: &DigitallySignedStruct,
    algorithms: &WebPkiSupportedAlgorithms,
    tls13: bool,
) -> Result<HandshakeSignatureValid, rustls::Error> {
    let standard = if tls13 {
        rustls::crypto::verify_tls13_signature(message, cert, dss, algorithms)
    } else {
        rustls::crypto::verify_tls12_signature(message, cert, dss, algorithms)
    };
    let refusal = match standard {
        Ok(valid) => return Ok(valid),
        Err(e) => e,
    };
    let scheme = dss.scheme;
    // Of the schemes covered below, TLS 1.3 allows only RSA-PSS.
    let tls13_scheme = matches!(
        scheme,
        SignatureScheme::RSA_PSS_SHA256
            | SignatureScheme::RSA_PSS_SHA384
            | SignatureScheme::RSA_PSS_SHA512
    );
    if tls13 && !tls13_scheme {
        return Err(refusal);
    }
    match legacy(message, cert, scheme, dss.signature()) {
        Some(true) => Ok(HandshakeSignatureValid::assertion()),
        Some(false) => Err(rustls::Error::InvalidCertificate(
            CertificateError::BadSignature,
        )),
        // Not a key or scheme covered here: ring's answer stands.
        None => Err(refusal),
    }
}

/// `Some(verified)` when `scheme` applies to the certificate's key and is covered here.
fn legacy(message: &[u8], cert: &[u8], scheme: SignatureScheme, signature: &[u8]) -> Option<bool> {
    crate::der::cert_layout(cert).ok()?;
    let x = crate::cert_info::parse(cert).ok()?;
    match scheme {
        SignatureScheme::RSA_PKCS1_SHA1
        | SignatureScheme::RSA_PKCS1_SHA256
        | SignatureScheme::RSA_PKCS1_SHA384
        | SignatureScheme::RSA_PKCS1_SHA512
        | SignatureScheme::RSA_PSS_SHA256
        | SignatureScheme::RSA_PSS_SHA384
        | SignatureScheme::RSA_PSS_SHA512 => {
            let (n, e) = rsa_components(x.public_key())?;
            Some(rsa(message, n, e, scheme, signature))
        }
        // TLS 1.2 only (the caller refuses it in 1.3); the curve is the key's.
        SignatureScheme::ECDSA_SHA1_Legacy => {
            let (curve, point) = ec_curve_and_point(x.public_key())?;
            ecdsa_sha1(message, curve, point, signature)
        }
        _ => None,
    }
}

/// A TLS RSA scheme's hash and padding (TLS's RSA-PSS: MGF1 with the same hash, salt as long
/// as the hash), verified by the same code as certificate signatures.
fn rsa(message: &[u8], n: &[u8], e: &[u8], scheme: SignatureScheme, signature: &[u8]) -> bool {
    use crate::signature::{Hash, RsaPadding};
    let padding = match scheme {
        SignatureScheme::RSA_PKCS1_SHA1 => RsaPadding::Pkcs1(Hash::Sha1),
        SignatureScheme::RSA_PKCS1_SHA256 => RsaPadding::Pkcs1(Hash::Sha256),
        SignatureScheme::RSA_PKCS1_SHA384 => RsaPadding::Pkcs1(Hash::Sha384),
        SignatureScheme::RSA_PKCS1_SHA512 => RsaPadding::Pkcs1(Hash::Sha512),
        SignatureScheme::RSA_PSS_SHA256 => RsaPadding::Pss {
            hash: Hash::Sha256,
            salt: 32,
        },
        SignatureScheme::RSA_PSS_SHA384 => RsaPadding::Pss {
            hash: Hash::Sha384,
            salt: 48,
        },
        SignatureScheme::RSA_PSS_SHA512 => RsaPadding::Pss {
            hash: Hash::Sha512,
            salt: 64,
        },
        _ => return false,
    };
    crate::signature::rsa_any_size(n, e, padding, message, signature)
}

/// ECDSA with SHA-1 on P-256 or P-384 (DER signature, as TLS sends it).
fn ecdsa_sha1(message: &[u8], curve: &[u8], point: &[u8], signature: &[u8]) -> Option<bool> {
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    let digest = Sha1::digest(message);
    // The hash as an integer (SEC 1: the leftmost bits of the hash, all 160 here), left-padded
    // to the field's size as ecdsa's bits2field would.
    let padded = |size: usize| {
        let mut v = vec![0u8; size - digest.len()];
        v.extend_from_slice(&digest);
        v
    };
    Some(match curve {
        P256 => {
            let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(point) else {
                return Some(false);
            };
            let Ok(sig) = p256::ecdsa::Signature::from_der(signature) else {
                return Some(false);
            };
            key.verify_prehash(&padded(32), &sig).is_ok()
        }
        P384 => {
            let Ok(key) = p384::ecdsa::VerifyingKey::from_sec1_bytes(point) else {
                return Some(false);
            };
            let Ok(sig) = p384::ecdsa::Signature::from_der(signature) else {
                return Some(false);
            };
            key.verify_prehash(&padded(48), &sig).is_ok()
        }
        _ => return None,
    })
}

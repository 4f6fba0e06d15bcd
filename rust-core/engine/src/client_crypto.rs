//! The cryptography of the live probe's TLS client and of the platform verifier: ring's cipher
//! suites, key exchanges and signature verification, assembled here instead of taken from
//! `rustls::crypto::ring::default_provider()`.
//!
//! The difference is the key provider. ring's loads private keys and brings its signing code
//! (RSA, ECDSA and Ed25519 signing, PKCS#8 parsing) into the library, about 58 KB of a phone
//! library. A client without a client certificate never signs: the handshake only verifies
//! the server's signature. So this provider's key provider refuses every key, and the probe
//! (`with_no_client_auth`) never asks it for one.
//!
//! Everything else is what ring's default provider has, in the same order: a test compares
//! the two.

use std::sync::Arc;

use once_cell::sync::Lazy;
use pki_types::PrivateKeyDer;
use rustls::crypto::{ring as rustls_ring, CryptoProvider, GetRandomFailed, KeyProvider};
use rustls::crypto::{SecureRandom, WebPkiSupportedAlgorithms};
use rustls::sign::SigningKey;
use rustls::SignatureScheme;
use webpki::ring as alg;

/// The provider, built once per process.
pub(crate) fn provider() -> Arc<CryptoProvider> {
    static PROVIDER: Lazy<Arc<CryptoProvider>> = Lazy::new(|| {
        Arc::new(CryptoProvider {
            cipher_suites: rustls_ring::DEFAULT_CIPHER_SUITES.to_vec(),
            kx_groups: rustls_ring::DEFAULT_KX_GROUPS.to_vec(),
            signature_verification_algorithms: SIGNATURE_ALGORITHMS,
            secure_random: &SystemRandom,
            key_provider: &NoKeys,
        })
    });
    PROVIDER.clone()
}

/// ring's randomness (what rustls's ring provider uses), for client randoms and key shares.
#[derive(Debug)]
struct SystemRandom;

impl SecureRandom for SystemRandom {
    fn fill(&self, buf: &mut [u8]) -> Result<(), GetRandomFailed> {
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), buf)
            .map_err(|_| GetRandomFailed)
    }
}

/// Loads no private key: Qorgan's client never authenticates with a certificate, so it never
/// signs.
#[derive(Debug)]
struct NoKeys;

impl KeyProvider for NoKeys {
    fn load_private_key(
        &self,
        _key_der: PrivateKeyDer<'static>,
    ) -> Result<Arc<dyn SigningKey>, rustls::Error> {
        Err(rustls::Error::General(
            "Qorgan's TLS client loads no private key (it uses no client certificate)".into(),
        ))
    }
}

/// The signature algorithms of rustls's ring provider (its `SUPPORTED_SIG_ALGS`, which it does
/// not export), for certificate chains and handshake signatures.
static SIGNATURE_ALGORITHMS: WebPkiSupportedAlgorithms = WebPkiSupportedAlgorithms {
    all: &[
        alg::ECDSA_P256_SHA256,
        alg::ECDSA_P256_SHA384,
        alg::ECDSA_P384_SHA256,
        alg::ECDSA_P384_SHA384,
        alg::ED25519,
        alg::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
        alg::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
        alg::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
        alg::RSA_PKCS1_2048_8192_SHA256,
        alg::RSA_PKCS1_2048_8192_SHA384,
        alg::RSA_PKCS1_2048_8192_SHA512,
        alg::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
        alg::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
        alg::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
    ],
    mapping: &[
        // For TLS 1.2 the curve is not fixed by the scheme; for TLS 1.3 it is.
        (
            SignatureScheme::ECDSA_NISTP384_SHA384,
            &[alg::ECDSA_P384_SHA384, alg::ECDSA_P256_SHA384],
        ),
        (
            SignatureScheme::ECDSA_NISTP256_SHA256,
            &[alg::ECDSA_P256_SHA256, alg::ECDSA_P384_SHA256],
        ),
        (SignatureScheme::ED25519, &[alg::ED25519]),
        (
            SignatureScheme::RSA_PSS_SHA512,
            &[alg::RSA_PSS_2048_8192_SHA512_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PSS_SHA384,
            &[alg::RSA_PSS_2048_8192_SHA384_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PSS_SHA256,
            &[alg::RSA_PSS_2048_8192_SHA256_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA512,
            &[alg::RSA_PKCS1_2048_8192_SHA512],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA384,
            &[alg::RSA_PKCS1_2048_8192_SHA384],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA256,
            &[alg::RSA_PKCS1_2048_8192_SHA256],
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::pki_types::SignatureVerificationAlgorithm;

    fn ids(algs: &[&dyn SignatureVerificationAlgorithm]) -> Vec<(Vec<u8>, Vec<u8>)> {
        algs.iter()
            .map(|a| {
                (
                    a.public_key_alg_id().as_ref().to_vec(),
                    a.signature_alg_id().as_ref().to_vec(),
                )
            })
            .collect()
    }

    /// Suites, groups and signature algorithms are ring's default provider's, in its order.
    #[test]
    fn same_algorithms_as_rings_default_provider() {
        let ours = provider();
        let ring = rustls_ring::default_provider();
        let suites =
            |p: &CryptoProvider| -> Vec<_> { p.cipher_suites.iter().map(|s| s.suite()).collect() };
        assert_eq!(suites(&ours), suites(&ring));
        let groups =
            |p: &CryptoProvider| -> Vec<_> { p.kx_groups.iter().map(|g| g.name()).collect() };
        assert_eq!(groups(&ours), groups(&ring));
        let (a, b) = (
            &ours.signature_verification_algorithms,
            &ring.signature_verification_algorithms,
        );
        assert_eq!(ids(a.all), ids(b.all));
        assert_eq!(a.mapping.len(), b.mapping.len());
        for ((s1, m1), (s2, m2)) in a.mapping.iter().zip(b.mapping) {
            assert_eq!(s1, s2);
            assert_eq!(ids(m1), ids(m2), "{s1:?}");
        }
        let mut random = [0u8; 32];
        ours.secure_random.fill(&mut random).unwrap();
        assert_ne!(random, [0u8; 32]);
    }

    #[test]
    fn no_key_is_ever_loaded() {
        let key = rcgen::KeyPair::generate().unwrap();
        let der = PrivateKeyDer::try_from(key.serialize_der()).unwrap();
        // ring's own provider would load it; this one refuses.
        assert!(rustls_ring::default_provider()
            .key_provider
            .load_private_key(der.clone_key())
            .is_ok());
        let err = provider().key_provider.load_private_key(der).unwrap_err();
        assert!(err.to_string().contains("no private key"), "{err}");
    }
}

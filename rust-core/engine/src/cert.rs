//! Certificates as Qorgan holds them: the DER bytes, where the key is, and the key's hash.

use std::fmt;

use base64::Engine as _;
use pki_types::CertificateDer;

use crate::der::{self, CertLayout};
use crate::error::{Error, MAX_CERTIFICATE_BYTES};

/// A SHA-256 digest of a DER SubjectPublicKeyInfo: the identity Qorgan matches CAs by.
///
/// Names are only hints (Kazakhstan reused one subject name for nine different roots); the key
/// is what signs, so the key is what is matched.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SpkiHash(pub [u8; 32]);

/// The digest's bytes, and nothing before them (no length prefix to fold for [`SpkiHashMap`]).
impl std::hash::Hash for SpkiHash {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write(&self.0);
    }
}

impl SpkiHash {
    /// Hashes a DER SubjectPublicKeyInfo.
    pub fn of_spki(spki_der: &[u8]) -> Self {
        let d = ring::digest::digest(&ring::digest::SHA256, spki_der);
        let mut out = [0u8; 32];
        out.copy_from_slice(d.as_ref());
        Self(out)
    }

    /// Lower-case hex, as Chromium's blocklist and `openssl dgst` print it.
    pub fn hex(&self) -> String {
        hex(&self.0)
    }

    /// Standard base64, as Network Security Config, TrustKit and HPKP write pins.
    pub fn base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.0)
    }

    /// The OkHttp pin form, `sha256/<base64>`.
    pub fn pin(&self) -> String {
        format!("sha256/{}", self.base64())
    }

    /// Parses 64 hex digits.
    pub fn from_hex(s: &str) -> Option<Self> {
        let s = s.trim();
        if s.len() != 64 || !s.is_ascii() {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Self(out))
    }

    /// Parses a pin in base64, with or without a `sha256/` prefix.
    pub fn from_base64(s: &str) -> Option<Self> {
        let s = s.trim();
        let s = s.strip_prefix("sha256/").unwrap_or(s);
        let bytes = base64::engine::general_purpose::STANDARD.decode(s).ok()?;
        let arr: [u8; 32] = bytes.try_into().ok()?;
        Some(Self(arr))
    }
}

impl fmt::Debug for SpkiHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SpkiHash({})", self.hex())
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = vec![0u8; bytes.len() * 2];
    for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
        pair[0] = DIGITS[usize::from(b >> 4)];
        pair[1] = DIGITS[usize::from(b & 0xf)];
    }
    // ASCII digits only: always valid UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    let d = ring::digest::digest(&ring::digest::SHA256, data);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

/// One certificate: its DER, the position of its parts and its key hash.
///
/// Building one walks the DER structure and hashes the key (well under a microsecond); it does
/// not parse extensions. [`crate::CertificateFacts`] has everything else, on demand.
#[derive(Clone)]
pub struct Certificate {
    der: CertificateDer<'static>,
    layout: CertLayout,
    spki_hash: SpkiHash,
}

impl Certificate {
    /// Checks the outer structure of one DER certificate. `index` (from 1) names it in errors.
    pub fn from_der(der: Vec<u8>, index: usize) -> Result<Self, Error> {
        let layout = layout_of(&der, index)?;
        let spki_hash = SpkiHash::of_spki(&der[layout.spki.0..layout.spki.1]);
        Ok(Self {
            der: CertificateDer::from(der),
            layout,
            spki_hash,
        })
    }

    /// The DER encoding.
    pub fn der(&self) -> &CertificateDer<'static> {
        &self.der
    }

    /// SHA-256 of the SubjectPublicKeyInfo.
    pub fn spki_hash(&self) -> SpkiHash {
        self.spki_hash
    }

    /// The DER SubjectPublicKeyInfo.
    pub fn spki_der(&self) -> &[u8] {
        &self.der[self.layout.spki.0..self.layout.spki.1]
    }

    /// The DER subject Name.
    pub fn subject_der(&self) -> &[u8] {
        &self.der[self.layout.subject.0..self.layout.subject.1]
    }

    /// The DER issuer Name.
    pub fn issuer_der(&self) -> &[u8] {
        &self.der[self.layout.issuer.0..self.layout.issuer.1]
    }

    /// Subject equals issuer, byte for byte.
    pub fn is_self_issued(&self) -> bool {
        self.subject_der() == self.issuer_der()
    }

    /// SHA-256 of the whole certificate (its fingerprint).
    pub fn fingerprint(&self) -> [u8; 32] {
        sha256(&self.der)
    }
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("spki_sha256", &self.spki_hash.hex())
            .field("bytes", &self.der.len())
            .finish()
    }
}

/// A map keyed by key hashes. A key hash is already a SHA-256 digest, so folding its words is
/// as good a table hash as any (and cannot be steered without breaking SHA-256); SipHash over all
/// 32 bytes was about a third of the per-handshake check's instructions.
pub(crate) type SpkiHashMap<V> =
    std::collections::HashMap<SpkiHash, V, std::hash::BuildHasherDefault<FoldHasher>>;

/// A table hash for bytes that are already unpredictable (digests, samples of key material):
/// FxHash's step over 8-byte words. Not for input an attacker can choose freely.
#[derive(Default)]
pub(crate) struct FoldHasher(u64);

impl FoldHasher {
    pub(crate) fn fold(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
}

impl std::hash::Hasher for FoldHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.fold(bytes);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The outline of one DER certificate within the size limit (`index`, from 1, names it in
/// errors): what every certificate Qorgan is given goes through first.
pub(crate) fn layout_of(der: &[u8], index: usize) -> Result<CertLayout, Error> {
    if der.len() > MAX_CERTIFICATE_BYTES {
        return Err(Error::CertificateTooLarge {
            index,
            size: der.len(),
            limit: MAX_CERTIFICATE_BYTES,
        });
    }
    der::cert_layout(der).map_err(|e| der::to_error(index, e))
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_is_lower_case_two_digits_per_octet() {
        let all: Vec<u8> = (0..=255).collect();
        let expected: String = all.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(super::hex(&all), expected);
        assert_eq!(super::hex(&[]), "");
    }
}

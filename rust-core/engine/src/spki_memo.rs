//! Key hashes of recently seen public keys, by their exact bytes.
//!
//! The per-handshake checks ([`crate::Engine::validated_clean`],
//! [`crate::Engine::analyze_validated`]) hash every key of the validated chain with SHA-256, and
//! that hashing was most of their cost (about 80% of the instructions). An app meets the same few
//! intermediates, roots and its own servers' keys all day. This memo finds a key by its bytes
//! (the table hashes only a sample of them; equality compares all), so a hit returns exactly what
//! hashing would: the digest of these very bytes. It is bounded (emptied when full), and keys
//! crafted to share a sample only cost comparisons among themselves.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Mutex;

use crate::cert::{FoldHasher, SpkiHash};

/// The sample: 16 bytes ending 8 bytes before the end of the SPKI, inside the key material for
/// RSA (before the exponent), EC points and EdDSA keys.
const SAMPLE: usize = 16;
const SAMPLE_END_GAP: usize = 8;

/// Hashes a key's length and its sample (see the module documentation).
#[derive(Default)]
struct SampleHasher(FoldHasher);

impl std::hash::Hasher for SampleHasher {
    fn write(&mut self, bytes: &[u8]) {
        let end = bytes.len().saturating_sub(SAMPLE_END_GAP);
        self.0.fold(&bytes[end.saturating_sub(SAMPLE)..end]);
    }

    fn write_usize(&mut self, len: usize) {
        self.0.fold(&len.to_le_bytes());
    }

    fn finish(&self) -> u64 {
        self.0.finish()
    }
}

pub(crate) struct SpkiMemo {
    map: Mutex<HashMap<Box<[u8]>, SpkiHash, BuildHasherDefault<SampleHasher>>>,
    capacity: usize,
}

impl SpkiMemo {
    /// At most this many keys (a few hundred bytes each).
    const CAPACITY: usize = 256;

    pub(crate) fn new() -> Self {
        Self::with_capacity(Self::CAPACITY)
    }

    fn with_capacity(capacity: usize) -> Self {
        Self {
            map: Mutex::new(HashMap::default()),
            capacity,
        }
    }

    pub(crate) fn clear(&self) {
        if let Ok(mut m) = self.map.lock() {
            m.clear();
        }
    }

    /// SHA-256 of `spki` (a DER SubjectPublicKeyInfo).
    pub(crate) fn hash(&self, spki: &[u8]) -> SpkiHash {
        if let Some(h) = self.map.lock().ok().and_then(|m| m.get(spki).copied()) {
            return h;
        }
        let h = SpkiHash::of_spki(spki);
        if let Ok(mut m) = self.map.lock() {
            if m.len() >= self.capacity {
                m.clear();
            }
            m.insert(spki.into(), h);
        }
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hit_is_the_digest_of_the_same_bytes() {
        let memo = SpkiMemo::with_capacity(4);
        // Same length and same sample, different bytes elsewhere: never confused.
        let a = vec![1u8; 100];
        let mut b = a.clone();
        b[0] = 2;
        for _ in 0..3 {
            assert_eq!(memo.hash(&a), SpkiHash::of_spki(&a));
            assert_eq!(memo.hash(&b), SpkiHash::of_spki(&b));
        }
        // Short inputs (shorter than the sample) and the empty one.
        for len in [0, 1, 7, 8, 9, 23, 24, 25] {
            let k: Vec<u8> = (0..len as u8).collect();
            assert_eq!(memo.hash(&k), SpkiHash::of_spki(&k), "length {len}");
        }
        // Bounded: emptied when full, still right afterwards.
        assert!(memo.map.lock().unwrap().len() <= 4);
        assert_eq!(memo.hash(&a), SpkiHash::of_spki(&a));
    }
}

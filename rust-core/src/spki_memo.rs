//! Key hashes of recently seen public keys, by their exact bytes.
//!
//! The per-handshake checks ([`crate::Engine::validated_clean`],
//! [`crate::Engine::analyze_validated`]) hash every key of the validated chain with SHA-256, and
//! that hashing is most of their cost (about 80% of the instructions). An app meets the same few
//! intermediates, roots and its own servers' keys all day. This memo finds a key by a sample of
//! its bytes and then compares all of them, so a hit returns exactly what hashing would: the
//! digest of these very bytes. It is bounded (emptied when full), and a crafted key whose sample
//! collides with others only costs the comparisons within that bucket.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Mutex;

use crate::cert::SpkiHash;

/// Where the sample comes from: 16 bytes ending 8 bytes before the end of the SPKI, inside the
/// key material for RSA (before the exponent), EC points and EdDSA keys.
const SAMPLE: usize = 16;
const SAMPLE_END_GAP: usize = 8;

type Sample = (usize, [u8; SAMPLE]);

/// The keys with one sample, with their digests.
type Bucket = Vec<(Box<[u8]>, SpkiHash)>;

/// The sample as a table hash (FxHash's step): the sample is key material, and SipHash over it
/// would cost more than the rest of a lookup.
#[derive(Default)]
struct SampleHasher(u64);

impl std::hash::Hasher for SampleHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) struct SpkiMemo {
    map: Mutex<Entries>,
    capacity: usize,
}

#[derive(Default)]
struct Entries {
    by_sample: HashMap<Sample, Bucket, BuildHasherDefault<SampleHasher>>,
    len: usize,
}

impl SpkiMemo {
    /// At most this many keys (a few hundred bytes each).
    const CAPACITY: usize = 256;

    pub(crate) fn new() -> Self {
        Self {
            map: Mutex::new(Entries::default()),
            capacity: Self::CAPACITY,
        }
    }

    pub(crate) fn clear(&self) {
        if let Ok(mut m) = self.map.lock() {
            *m = Entries::default();
        }
    }

    /// SHA-256 of `spki` (a DER SubjectPublicKeyInfo).
    pub(crate) fn hash(&self, spki: &[u8]) -> SpkiHash {
        let sample = sample(spki);
        if let Ok(m) = self.map.lock() {
            if let Some(bucket) = m.by_sample.get(&sample) {
                if let Some((_, h)) = bucket.iter().find(|(k, _)| **k == *spki) {
                    return *h;
                }
            }
        }
        let h = SpkiHash::of_spki(spki);
        if let Ok(mut m) = self.map.lock() {
            if m.len >= self.capacity {
                *m = Entries::default();
            }
            let bucket = m.by_sample.entry(sample).or_default();
            if !bucket.iter().any(|(k, _)| **k == *spki) {
                bucket.push((spki.into(), h));
                m.len += 1;
            }
        }
        h
    }
}

fn sample(spki: &[u8]) -> Sample {
    let end = spki.len().saturating_sub(SAMPLE_END_GAP);
    let start = end.saturating_sub(SAMPLE);
    let mut out = [0u8; SAMPLE];
    out[..end - start].copy_from_slice(&spki[start..end]);
    (spki.len(), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hit_is_the_digest_of_the_same_bytes() {
        let memo = SpkiMemo {
            map: Mutex::new(Entries::default()),
            capacity: 4,
        };
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
        assert!(memo.map.lock().unwrap().len <= 4);
        assert_eq!(memo.hash(&a), SpkiHash::of_spki(&a));
    }
}

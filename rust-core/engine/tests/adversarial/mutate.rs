//! Mutations of certificate chains, described by plain data so that a violation prints as a
//! reproducer (a base chain and a list of steps) and can be minimized by dropping steps.
//! Indices are taken modulo the current chain (or certificate) length when a step is applied,
//! so a step keeps a meaning when the steps before it are dropped.

use super::corpus::Corpus;
use super::der::{self, Field, Node};

/// A deterministic xorshift64* generator.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Where a certificate, a name or a key comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Donor {
    /// A known CA's certificate (data/interception/certs), by index.
    Known(usize),
    /// A Mozilla root, by index.
    Public(usize),
    /// ISRG Root X1.
    Isrg,
    /// A test-CA certificate, by index.
    Test(usize),
    /// A certificate of the chain being mutated, by index.
    Chain(usize),
}

/// One step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mutation {
    /// Flip bit `bit` of byte `pos` of certificate `cert`.
    BitFlip { cert: usize, pos: usize, bit: u8 },
    /// Set byte `pos` of certificate `cert`.
    SetByte { cert: usize, pos: usize, value: u8 },
    /// Add `delta` to the first length byte of the `header`th element header (pre-order),
    /// in place: the enclosing lengths are not fixed.
    LengthEdit {
        cert: usize,
        header: usize,
        delta: i8,
    },
    /// Add a zero byte to (or drop the last byte of) the content of the `node`th primitive
    /// element, with every enclosing length re-encoded.
    Resize {
        cert: usize,
        node: usize,
        grow: bool,
    },
    /// Insert a copy of extension `ext` after it (re-encoded).
    DupExtension { cert: usize, ext: usize },
    /// Shuffle the extensions (re-encoded).
    ReorderExtensions { cert: usize, seed: u64 },
    /// Replace the issuer Name with the donor's subject (re-encoded; not re-signed).
    SetIssuer { cert: usize, name: Donor },
    /// Replace the issuer Name of the chain's last certificate (the platform's anchor) with the
    /// donor's subject.
    SetAnchorIssuer(Donor),
    /// Keep only the certificates at these indices (the leaf always stays): what minimization
    /// leaves of a chain.
    Keep(Vec<usize>),
    /// Replace the subject Name with the donor's subject.
    SetSubject { cert: usize, name: Donor },
    /// Replace the SubjectPublicKeyInfo with the donor's.
    SetSpki { cert: usize, key: Donor },
    /// Append the donor certificate.
    Append(Donor),
    /// Append bytes the DER walker refuses (a junk "certificate").
    AppendUnreadable(u8),
    /// Insert the donor certificate at `at` (at least 1: the leaf stays first).
    Insert { at: usize, donor: Donor },
    /// Remove the certificate at this index modulo the length (never the leaf: index 0 means 1).
    Remove(usize),
    /// Insert a copy of a certificate right after it.
    Duplicate(usize),
    /// Shuffle the certificates after the leaf.
    ReorderNonLeaf(u64),
    /// Reverse the whole chain (servers that send it root first).
    Reverse,
    /// Pad with copies of the donor until the chain has `n` certificates.
    PadTo { n: usize, donor: Donor },
}

impl Mutation {
    /// Only changes which certificates the chain holds and where, never a certificate (and
    /// keeps the leaf first, and the chain within the limit): the operations the monotonicity
    /// invariant applies.
    pub fn is_monotone_op(&self) -> bool {
        matches!(
            self,
            Mutation::Append(_)
                | Mutation::Insert { .. }
                | Mutation::Duplicate(_)
                | Mutation::ReorderNonLeaf(_)
                | Mutation::PadTo { .. }
        )
    }
}

fn donor_der(c: &Corpus, chain: &[Vec<u8>], d: Donor) -> Vec<u8> {
    match d {
        Donor::Known(i) => c.known[i % c.known.len()].1.clone(),
        Donor::Public(i) => c.public[i % c.public.len()].clone(),
        Donor::Isrg => c.isrg.clone(),
        Donor::Test(i) => c.test[i % c.test.len()].clone(),
        Donor::Chain(i) if !chain.is_empty() => chain[i % chain.len()].clone(),
        Donor::Chain(_) => c.isrg.clone(),
    }
}

/// A short description of a donor, for reproducers.
pub fn describe_donor(c: &Corpus, d: Donor) -> String {
    let name = |der: &[u8]| {
        qorgan::Certificate::from_der(der.to_vec(), 1)
            .ok()
            .and_then(|c| qorgan::CertificateFacts::of(&c, 1).ok())
            .map(|f| f.display_name())
            .unwrap_or_default()
    };
    match d {
        Donor::Known(i) => format!("known CA \"{}\"", c.known[i % c.known.len()].0.label),
        Donor::Public(i) => format!("Mozilla root \"{}\"", name(&c.public[i % c.public.len()])),
        Donor::Isrg => "ISRG Root X1".into(),
        Donor::Test(i) => format!(
            "test-CA certificate \"{}\"",
            name(&c.test[i % c.test.len()])
        ),
        Donor::Chain(i) => format!("chain certificate #{i} (mod length)"),
    }
}

fn with_cert(chain: &mut [Vec<u8>], cert: usize, f: impl FnOnce(&[u8]) -> Option<Vec<u8>>) {
    if chain.is_empty() {
        return;
    }
    let i = cert % chain.len();
    if let Some(new) = f(&chain[i]) {
        chain[i] = new;
    }
}

fn shuffle<T>(v: &mut [T], seed: u64) {
    let mut rng = Rng::new(seed);
    for i in (1..v.len()).rev() {
        let j = rng.below(i + 1);
        v.swap(i, j);
    }
}

/// Applies one step.
pub fn apply(c: &Corpus, chain: &mut Vec<Vec<u8>>, m: &Mutation) {
    let snapshot = chain.clone();
    match *m {
        Mutation::BitFlip { cert, pos, bit } => with_cert(chain, cert, |d| {
            let mut d = d.to_vec();
            let p = pos % d.len().max(1);
            if let Some(b) = d.get_mut(p) {
                *b ^= 1 << (bit % 8);
            }
            Some(d)
        }),
        Mutation::SetByte { cert, pos, value } => with_cert(chain, cert, |d| {
            let mut d = d.to_vec();
            let p = pos % d.len().max(1);
            if let Some(b) = d.get_mut(p) {
                *b = value;
            }
            Some(d)
        }),
        Mutation::LengthEdit {
            cert,
            header,
            delta,
        } => with_cert(chain, cert, |d| {
            let offsets = der::header_offsets(d);
            let off = *offsets.get(header % offsets.len().max(1))?;
            let mut d = d.to_vec();
            let b = d.get_mut(off + 1)?;
            *b = b.wrapping_add_signed(delta);
            Some(d)
        }),
        Mutation::Resize { cert, node, grow } => with_cert(chain, cert, |d| {
            let mut tree = der::parse(d)?;
            let n = tree.count();
            // the first primitive node at or after `node`
            for k in 0..n {
                let idx = (node + k) % n;
                if let Some(Node::Prim(_, content)) = tree.nth_mut(idx) {
                    if grow {
                        content.push(0);
                    } else {
                        content.pop();
                    }
                    return Some(tree.encode());
                }
            }
            None
        }),
        Mutation::DupExtension { cert, ext } => with_cert(chain, cert, |d| {
            let mut tree = der::parse(d)?;
            let exts = der::extensions_mut(&mut tree)?;
            if exts.is_empty() {
                return None;
            }
            let i = ext % exts.len();
            let copy = exts[i].clone();
            exts.insert(i + 1, copy);
            Some(tree.encode())
        }),
        Mutation::ReorderExtensions { cert, seed } => with_cert(chain, cert, |d| {
            let mut tree = der::parse(d)?;
            let exts = der::extensions_mut(&mut tree)?;
            shuffle(exts, seed);
            Some(tree.encode())
        }),
        Mutation::SetIssuer { cert, name } => with_cert(chain, cert, |d| {
            let subject = der::get_field(&donor_der(c, &snapshot, name), Field::Subject)?;
            der::set_field(d, Field::Issuer, &subject)
        }),
        Mutation::SetSubject { cert, name } => with_cert(chain, cert, |d| {
            let subject = der::get_field(&donor_der(c, &snapshot, name), Field::Subject)?;
            der::set_field(d, Field::Subject, &subject)
        }),
        Mutation::SetSpki { cert, key } => with_cert(chain, cert, |d| {
            let spki = der::get_field(&donor_der(c, &snapshot, key), Field::Spki)?;
            der::set_field(d, Field::Spki, &spki)
        }),
        Mutation::SetAnchorIssuer(name) => {
            let last = chain.len().saturating_sub(1);
            with_cert(chain, last, |d| {
                let subject = der::get_field(&donor_der(c, &snapshot, name), Field::Subject)?;
                der::set_field(d, Field::Issuer, &subject)
            })
        }
        Mutation::Keep(ref keep) => {
            *chain = chain
                .iter()
                .enumerate()
                .filter(|(i, _)| *i == 0 || keep.contains(i))
                .map(|(_, d)| d.clone())
                .collect();
        }
        Mutation::Append(d) => chain.push(donor_der(c, &snapshot, d)),
        Mutation::AppendUnreadable(b) => chain.push(vec![0x31, 0x03, b, b, b]),
        Mutation::Insert { at, donor } => {
            let d = donor_der(c, &snapshot, donor);
            let at = 1 + at % chain.len().max(1);
            chain.insert(at.min(chain.len()), d);
        }
        Mutation::Remove(i) => {
            if chain.len() > 1 {
                chain.remove((i % chain.len()).max(1));
            }
        }
        Mutation::Duplicate(i) => {
            if !chain.is_empty() {
                let i = i % chain.len();
                let d = chain[i].clone();
                chain.insert(i + 1, d);
            }
        }
        Mutation::ReorderNonLeaf(seed) => {
            if chain.len() > 2 {
                shuffle(&mut chain[1..], seed);
            }
        }
        Mutation::Reverse => chain.reverse(),
        Mutation::PadTo { n, donor } => {
            let d = donor_der(c, &snapshot, donor);
            while chain.len() < n {
                chain.push(d.clone());
            }
        }
    }
}

/// A random certificate-level or chain-level step.
pub fn random_step(rng: &mut Rng, c: &Corpus) -> Mutation {
    let cert = rng.below(8);
    let donor = |rng: &mut Rng| match rng.below(5) {
        0 | 1 => Donor::Known(rng.below(c.known.len())),
        2 => Donor::Isrg,
        3 => Donor::Public(rng.below(c.public.len())),
        _ => Donor::Test(rng.below(c.test.len())),
    };
    match rng.below(21) {
        20 => Mutation::SetAnchorIssuer(if rng.chance(50) {
            Donor::Isrg
        } else {
            donor(rng)
        }),
        0..=3 => Mutation::BitFlip {
            cert,
            pos: rng.below(1 << 16),
            bit: rng.below(8) as u8,
        },
        4 | 5 => Mutation::SetByte {
            cert,
            pos: rng.below(1 << 16),
            value: rng.next() as u8,
        },
        6 => Mutation::LengthEdit {
            cert,
            header: rng.below(256),
            delta: [-2i8, -1, 1, 2, 0x40, -0x40][rng.below(6)],
        },
        7 => Mutation::Resize {
            cert,
            node: rng.below(256),
            grow: rng.chance(50),
        },
        8 => Mutation::DupExtension {
            cert,
            ext: rng.below(8),
        },
        9 => Mutation::ReorderExtensions {
            cert,
            seed: rng.next(),
        },
        10 | 11 => Mutation::SetIssuer {
            cert,
            name: if rng.chance(50) {
                donor(rng)
            } else {
                Donor::Chain(rng.below(8))
            },
        },
        12 => Mutation::SetSubject {
            cert,
            name: donor(rng),
        },
        13 | 14 => Mutation::SetSpki {
            cert,
            key: donor(rng),
        },
        15 => Mutation::Append(donor(rng)),
        16 => Mutation::AppendUnreadable(rng.next() as u8),
        17 => match rng.below(4) {
            0 => Mutation::Reverse,
            1 => Mutation::Remove(rng.below(8)),
            2 => Mutation::Duplicate(rng.below(8)),
            _ => Mutation::ReorderNonLeaf(rng.next()),
        },
        18 => Mutation::Insert {
            at: rng.below(8),
            donor: donor(rng),
        },
        _ => Mutation::PadTo {
            n: 45 + rng.below(8),
            donor: if rng.chance(50) {
                Donor::Chain(rng.below(8))
            } else {
                donor(rng)
            },
        },
    }
}

/// A random monotone operation (see [`Mutation::is_monotone_op`]).
pub fn random_monotone(rng: &mut Rng, c: &Corpus) -> Mutation {
    let donor = match rng.below(4) {
        0 => Donor::Known(rng.below(c.known.len())),
        1 => Donor::Public(rng.below(c.public.len())),
        2 => Donor::Test(rng.below(c.test.len())),
        _ => Donor::Chain(rng.below(8)),
    };
    match rng.below(5) {
        0 => Mutation::Append(donor),
        1 => Mutation::Insert {
            at: rng.below(8),
            donor,
        },
        2 => Mutation::Duplicate(rng.below(8)),
        3 => Mutation::ReorderNonLeaf(rng.next()),
        _ => Mutation::PadTo {
            n: 10 + rng.below(41),
            donor,
        },
    }
}

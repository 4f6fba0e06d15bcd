//! What Qorgan knows about trust anchors, matched by SPKI SHA-256.
//!
//! Three sources, all generated at build time from `data/` (see its READMEs):
//! - [`programs`]: the public root programs (Mozilla, Apple, Android). An anchor is public when
//!   any current program holds its key; a key removed for cause is never public.
//! - [`known`]: known interception and blocked CAs (the Kazakh government roots, vendor MITM
//!   roots with leaked keys, Chromium's blocklist).
//! - caller anchors, given to [`crate::Engine`]: the device store, an enterprise store, a test
//!   store.

pub mod known;
pub mod programs;

/// The generated tables (`build.rs`), with the row types they are made of.
///
/// Their bytes and text live in two arrays, `BYTES` and `TEXT`; rows hold [`tables::Bytes`]
/// and [`tables::Text`] spans into them rather than `&'static` slices, which a shared library
/// must relocate one by one when it is loaded.
pub(crate) mod tables {
    use super::known::KnownCaCategory;

    /// Bytes of the tables: offset and length in `BYTES`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) struct Bytes(u32, u32);

    impl Bytes {
        pub(crate) fn get(self) -> &'static [u8] {
            let (start, len) = (self.0 as usize, self.1 as usize);
            let bytes: &'static [u8] = &BYTES;
            bytes.get(start..start + len).unwrap_or_default()
        }
    }

    /// The bytes of the tables, shipped deflated (four fifths of their size: keys do not
    /// compress) and inflated on first use: path building's anchors borrow them. Should they
    /// not inflate (a test checks they do), every span is empty.
    static BYTES: once_cell::sync::Lazy<Vec<u8>> =
        once_cell::sync::Lazy::new(|| crate::deflated::bytes(BYTES_DEFLATED));

    /// Text of the tables: offset and length in `TEXT`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) struct Text(u32, u32);

    impl Text {
        pub(crate) fn get(self) -> &'static str {
            let (start, len) = (self.0 as usize, self.1 as usize);
            let text: &'static str = &TEXT;
            text.get(start..start + len).unwrap_or_default()
        }
    }

    /// The text of the tables, shipped deflated (a quarter of its size) and inflated on first
    /// use. Should it not inflate (a test checks it does), every text is empty.
    static TEXT: once_cell::sync::Lazy<String> =
        once_cell::sync::Lazy::new(|| crate::deflated::text(TEXT_DEFLATED));

    /// One known interception or blocked CA.
    pub(crate) struct KnownCaRow {
        pub spki: [u8; 32],
        pub label: Text,
        pub party: Text,
        pub country: Option<Text>,
        pub year: Option<Text>,
        pub category: KnownCaCategory,
        #[allow(dead_code)] // the subject as published; the table matches by key
        pub subject: Option<Text>,
        /// What the engine uses of the published certificate, when there is one.
        pub cert: Option<KnownCertRow>,
        pub source: Text,
    }

    /// What the engine uses of a known CA's published certificate, read from it by build.rs
    /// (the certificate itself is not shipped).
    pub(crate) struct KnownCertRow {
        /// The subject Name as a webpki trust anchor holds it (contents of the SEQUENCE).
        pub subject: Bytes,
        /// The SubjectPublicKeyInfo, likewise.
        pub spki: Bytes,
        pub name_constraints: Option<Bytes>,
        /// For a CA certificate (basicConstraints cA), its first common name, trimmed and
        /// lower-cased, as [`super::known::NAMES`] holds them.
        pub ca_name: Option<Text>,
    }

    /// One key held by at least one current root program.
    pub(crate) struct ProgramRootRow {
        pub spki: [u8; 32],
        pub name: Text,
        #[allow(dead_code)] // kept for audits of expiring roots
        pub not_after: Text,
        pub mozilla: bool,
        pub apple: bool,
        pub android: bool,
    }

    /// A trust anchor Mozilla lacks: subject and SPKI contents (without the SEQUENCE header).
    pub(crate) struct ExtraAnchorRow {
        #[allow(dead_code)] // checked against the computed hash in tests
        pub spki_hash: [u8; 32],
        pub subject: Bytes,
        pub spki: Bytes,
    }

    /// One of Mozilla's roots as a webpki trust anchor (contents of the SEQUENCEs), extracted
    /// from webpki-root-certs by build.rs.
    pub(crate) struct MozillaAnchorRow {
        pub subject: Bytes,
        pub spki: Bytes,
        pub name_constraints: Option<Bytes>,
    }

    /// A key removed from root programs for cause.
    pub(crate) struct DistrustedRow {
        pub spki: [u8; 32],
        pub name: Text,
        pub reason: Text,
        pub reason_id: Text,
        pub removed: Text,
    }

    /// The version of one program's store that the tables were made from.
    pub(crate) struct ProgramVersionRow {
        pub program: Text,
        pub store_version: Text,
        pub date: Text,
        pub source: Text,
    }

    include!(concat!(env!("OUT_DIR"), "/tables.rs"));
}

use once_cell::sync::Lazy;
use pki_types::TrustAnchor;

use crate::cert::SpkiHash;

/// The bundled path-building anchors, in the order path building tries them: known CAs first
/// (so that a chain that reaches one is named), then the public programs. Each with its key
/// hash, computed once per process.
pub(crate) static BUNDLED: Lazy<Vec<(TrustAnchor<'static>, SpkiHash)>> = Lazy::new(|| {
    known::ANCHORS
        .iter()
        .chain(programs::ANCHORS.iter())
        .cloned()
        .collect()
});

/// The positions in [`BUNDLED`] sorted by subject (contents of the Name), and by position
/// among equal subjects. See [`bundled_with_subject`].
static BUNDLED_SUBJECT_ORDER: Lazy<Vec<u32>> = Lazy::new(|| {
    let bundled: &[(TrustAnchor<'static>, SpkiHash)] = &BUNDLED;
    let mut order: Vec<u32> = (0..bundled.len())
        .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
        .collect();
    // Positions are unique: an unstable sort gives the same order, with less code.
    order.sort_unstable_by_key(|&i| (bundled[i as usize].0.subject.as_ref(), i));
    order
});

/// The positions in [`BUNDLED`] of the anchors whose subject (contents of the Name) is
/// `subject`, in increasing order.
pub(crate) fn bundled_with_subject(subject: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let bundled: &'static [(TrustAnchor<'static>, SpkiHash)] = &BUNDLED;
    let order: &'static [u32] = &BUNDLED_SUBJECT_ORDER;
    let subject_at = move |i: u32| bundled[i as usize].0.subject.as_ref();
    let start = order.partition_point(|&i| subject_at(i) < subject);
    order[start..]
        .iter()
        .take_while(move |&&i| subject_at(i) == subject)
        .map(|&i| i as usize)
}

/// Hashes the SPKI of a webpki trust anchor, which holds the SEQUENCE contents only.
pub(crate) fn anchor_spki_hash(contents: &[u8]) -> SpkiHash {
    SpkiHash::of_spki(&sequence_of(contents))
}

/// A DER SEQUENCE with these contents: a webpki trust anchor's subject or SPKI (which it holds
/// without their tag and length) as a whole element.
pub(crate) fn sequence_of(contents: &[u8]) -> Vec<u8> {
    let mut der = Vec::with_capacity(contents.len() + 4);
    der.push(0x30);
    let len = contents.len();
    if len < 0x80 {
        der.push(len as u8);
    } else if len < 0x100 {
        der.extend_from_slice(&[0x81, len as u8]);
    } else if len < 0x10000 {
        der.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]);
    } else {
        der.extend_from_slice(&[0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8]);
    }
    der.extend_from_slice(contents);
    der
}

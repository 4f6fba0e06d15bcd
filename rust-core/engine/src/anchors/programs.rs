//! The public root programs: Mozilla, Apple and Android.
//!
//! "Public" means held by at least one current program. Mozilla's list alone raises false
//! alarms on phones: 80 roots that Apple or Android trust are not in it (DigiCert Global Root
//! CA, GlobalSign Root CA, ...), and real chains still end at them.

use once_cell::sync::Lazy;
use pki_types::{Der, TrustAnchor};
use serde::Serialize;

use super::tables::{
    DistrustedRow, ProgramRootRow, DISTRUSTED, EXTRA_ANCHORS, MOZILLA_ANCHORS, PROGRAM_ROOTS,
    PROGRAM_VERSIONS,
};
use crate::cert::{SpkiHash, SpkiHashMap};

/// A root program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Program {
    /// Mozilla's root store (Firefox, most Linux distributions, webpki-roots).
    Mozilla,
    /// Apple's trust store (iOS, macOS).
    Apple,
    /// Android's system store (AOSP Conscrypt).
    Android,
}

impl Program {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Mozilla => "mozilla",
            Self::Apple => "apple",
            Self::Android => "android",
        }
    }
}

/// Which device's view of "public" applies.
///
/// On iOS no API lists profile-installed roots, so the Apple column is the only source; on
/// Android the platform's own word (`user:` aliases, `isUserAddedCertificate`) wins, and the
/// shell passes it in with each anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlatformView {
    /// Public in any program (desktops, the CLI).
    #[default]
    Any,
    /// Android.
    Android,
    /// iOS: public only when Apple's store has it.
    Ios,
}

/// The version of one program's store shipped in this build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoreVersion {
    /// The program.
    pub program: String,
    /// Its store version.
    pub store_version: String,
    /// The date of that version.
    pub date: String,
    /// Where the facts come from.
    pub source: String,
}

/// The store versions compiled into this build.
pub fn store_versions() -> Vec<StoreVersion> {
    PROGRAM_VERSIONS
        .iter()
        .map(|r| StoreVersion {
            program: r.program.get().into(),
            store_version: r.store_version.get().into(),
            date: r.date.get().into(),
            source: r.source.get().into(),
        })
        .collect()
}

static BY_SPKI: Lazy<SpkiHashMap<&'static ProgramRootRow>> = Lazy::new(|| {
    PROGRAM_ROOTS
        .iter()
        .map(|r| (SpkiHash(r.spki), r))
        .collect()
});

static DISTRUSTED_BY_SPKI: Lazy<SpkiHashMap<&'static DistrustedRow>> =
    Lazy::new(|| DISTRUSTED.iter().map(|r| (SpkiHash(r.spki), r)).collect());

/// The id of a removal reason's translations (`distrust-reason` in the catalogs), found by its
/// English text: None for a reason the tables do not hold (one a signed bundle brought).
pub(crate) fn distrust_reason_id(reason: &str) -> Option<&'static str> {
    DISTRUSTED
        .iter()
        .find(|r| r.reason.get() == reason)
        .map(|r| r.reason_id.get())
}

/// The programs that hold this key today (empty when none).
pub fn programs_of(spki: &SpkiHash) -> Vec<Program> {
    let Some(row) = BY_SPKI.get(spki) else {
        return Vec::new();
    };
    let mut v = Vec::with_capacity(3);
    if row.mozilla {
        v.push(Program::Mozilla);
    }
    if row.apple {
        v.push(Program::Apple);
    }
    if row.android {
        v.push(Program::Android);
    }
    v
}

/// The root's name as the programs list it.
pub fn program_root_name(spki: &SpkiHash) -> Option<&'static str> {
    BY_SPKI.get(spki).map(|r| r.name.get())
}

/// Whether this key is public in the given view. A distrusted key never is.
pub fn is_public(spki: &SpkiHash, view: PlatformView) -> bool {
    if DISTRUSTED_BY_SPKI.contains_key(spki) {
        return false;
    }
    match (BY_SPKI.get(spki), view) {
        (None, _) => false,
        (Some(r), PlatformView::Ios) => r.apple,
        (Some(r), _) => r.mozilla || r.apple || r.android,
    }
}

/// A key removed from root programs for cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Distrusted {
    /// The root's name.
    pub name: String,
    /// Why it was removed.
    pub reason: String,
    /// When.
    pub removed: String,
}

/// Whether this key was removed from the root programs for cause.
pub(crate) fn is_distrusted(spki: &SpkiHash) -> bool {
    DISTRUSTED_BY_SPKI.contains_key(spki)
}

/// Looks up a key removed for cause.
pub fn distrusted(spki: &SpkiHash) -> Option<Distrusted> {
    DISTRUSTED_BY_SPKI.get(spki).map(|r| Distrusted {
        name: r.name.get().into(),
        reason: r.reason.get().into(),
        removed: r.removed.get().into(),
    })
}

/// Every public anchor for path building: Mozilla's certificates (webpki-root-certs) and the
/// anchors only Apple or Android hold; never a distrusted key. Each with its key hash.
pub(crate) static ANCHORS: Lazy<Vec<(TrustAnchor<'static>, SpkiHash)>> = Lazy::new(|| {
    let mut v: Vec<TrustAnchor<'static>> = MOZILLA_ANCHORS
        .iter()
        .map(|r| TrustAnchor {
            subject: Der::from_slice(r.subject.get()),
            subject_public_key_info: Der::from_slice(r.spki.get()),
            name_constraints: r.name_constraints.map(|n| Der::from_slice(n.get())),
        })
        .collect();
    v.extend(EXTRA_ANCHORS.iter().map(|r| TrustAnchor {
        subject: Der::from_slice(r.subject.get()),
        subject_public_key_info: Der::from_slice(r.spki.get()),
        name_constraints: None,
    }));
    v.into_iter()
        .map(|a| {
            let spki = super::anchor_spki_hash(&a.subject_public_key_info);
            (a, spki)
        })
        .filter(|(_, spki)| !DISTRUSTED_BY_SPKI.contains_key(spki))
        .collect()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mozilla_anchors_are_webpki_root_certs_as_webpki_reads_them() {
        let expected: Vec<TrustAnchor<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .filter_map(|c| webpki::anchor_from_trusted_cert(c).ok())
            .collect();
        assert_eq!(MOZILLA_ANCHORS.len(), expected.len());
        for (row, a) in MOZILLA_ANCHORS.iter().zip(&expected) {
            assert_eq!(row.subject.get(), a.subject.as_ref());
            assert_eq!(row.spki.get(), a.subject_public_key_info.as_ref());
            assert_eq!(
                row.name_constraints.map(|n| n.get()),
                a.name_constraints.as_ref().map(|n| n.as_ref())
            );
        }
    }

    #[test]
    fn extra_anchor_hashes_match_their_keys() {
        for r in EXTRA_ANCHORS {
            assert_eq!(
                super::super::anchor_spki_hash(r.spki.get()),
                SpkiHash(r.spki_hash)
            );
        }
    }
}

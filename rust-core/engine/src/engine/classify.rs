//! What an anchor is: its class, its name, what the caller and the app's policy say of it, and
//! the findings it alone calls for.
//!
//! Anchors are known by key, never by name: one Kazakh name was used by nine roots, and a
//! name is what an attacker writes. Where a name is used at all ([`Engine::anchors_named`]), it
//! only finds the candidates; a signature decides ([`Engine::parent_anchor`]).

use std::collections::HashMap;

use super::chain::Presented;
use super::knowledge::Knowledge;
use super::messages;
use super::path::Built;
use super::Engine;
use crate::anchors::programs;
use crate::cert::SpkiHash;
use crate::verdict::{AnchorClass, AnchorInfo, Finding, FindingCode, Severity};

/// One of the engine's anchors: a path-building one (index into `anchors`) or a skipped one
/// (index into `skipped_certs`).
#[derive(Debug, Clone, Copy)]
pub(super) enum AnchorRef {
    Path(usize),
    Skipped(usize),
}

impl Engine {
    /// The class of the anchor with this key: one rule for every verdict and for
    /// [`Engine::validated_clean`].
    pub(super) fn anchor_class(&self, k: &Knowledge, spki: &SpkiHash) -> AnchorClass {
        let user_added = self.caller.get(spki).is_some_and(|c| c.user_added);
        if k.is_interception(spki) {
            AnchorClass::KnownInterception
        } else if k.is_distrusted(spki) {
            AnchorClass::Distrusted
        } else if !user_added && programs::is_public(spki, self.platform) {
            AnchorClass::PublicRoot
        } else {
            AnchorClass::NonPublicRoot
        }
    }

    /// Describes the anchor with this key.
    pub(super) fn anchor_info(
        &self,
        k: &Knowledge,
        spki: SpkiHash,
        subject_hint: impl FnOnce() -> String,
    ) -> AnchorInfo {
        let known = k.known(&spki);
        let distrusted = k.distrusted(&spki);
        let caller = self.caller.get(&spki);
        let user_added = caller.map(|c| c.user_added).unwrap_or(false);
        let programs = programs::programs_of(&spki);
        let class = self.anchor_class(k, &spki);
        // Named by the caller's certificate, the program, the known-CA entry, then the anchor
        // certificate: never by a leaf that merely carries the anchor's key.
        let subject = match (caller, programs::program_root_name(&spki), &known) {
            (Some(c), _, _) => c.subject.clone(),
            (None, Some(name), _) => name.to_string(),
            (None, None, Some(k)) => k.label.clone(),
            (None, None, None) => subject_hint(),
        };
        AnchorInfo {
            subject,
            spki_sha256: spki.hex(),
            spki_sha256_b64: spki.base64(),
            class,
            programs,
            known,
            distrusted,
            from_caller: caller.is_some(),
            user_added,
            allowed: self.allowed.contains(&spki),
        }
    }

    /// Describes the anchor with this key, as the pin policy sees it for `host` (see
    /// [`Engine::apply_policy_anchors`]).
    pub(super) fn anchor_info_for(
        &self,
        k: &Knowledge,
        spki: SpkiHash,
        host: Option<&str>,
        subject_hint: impl FnOnce() -> String,
    ) -> AnchorInfo {
        let mut anchor = self.anchor_info(k, spki, subject_hint);
        Self::apply_policy_anchors(k, &mut anchor, spki, host);
        anchor
    }

    /// The anchor path building reached, as the pin policy sees it for `host`; when no one
    /// else names it, named by its certificate if the server sent it, else by its key.
    pub(super) fn reached_anchor(
        &self,
        k: &Knowledge,
        b: &Built,
        presented: &Presented<'_>,
        host: Option<&str>,
    ) -> AnchorInfo {
        self.anchor_info_for(k, b.anchor_spki, host, || {
            b.anchor_index
                .filter(|&i| i < presented.info.len())
                .map(|i| presented.name(i))
                .unwrap_or_else(|| b.anchor_spki.pin())
        })
    }

    /// Marks the anchor allowed when the pin policy accepts it for `host`.
    fn apply_policy_anchors(
        k: &Knowledge,
        anchor: &mut AnchorInfo,
        spki: SpkiHash,
        host: Option<&str>,
    ) {
        if let (Some(p), Some(h)) = (&k.pins, host) {
            if p.allowed_anchors_for(h).contains(&spki) {
                anchor.allowed = true;
            }
        }
    }

    /// The caller anchors' classes, for audits.
    pub(crate) fn classify_anchor(
        &self,
        k: &Knowledge,
        spki: SpkiHash,
        subject: String,
    ) -> AnchorInfo {
        self.anchor_info(k, spki, || subject)
    }

    /// The DER SubjectPublicKeyInfo and key hash of an anchor.
    pub(super) fn anchor_key(&self, r: AnchorRef) -> (std::borrow::Cow<'_, [u8]>, SpkiHash) {
        match r {
            AnchorRef::Path(i) => (
                std::borrow::Cow::Owned(crate::anchors::sequence_of(
                    self.anchors[i].subject_public_key_info.as_ref(),
                )),
                self.anchor_keys[i],
            ),
            AnchorRef::Skipped(i) => (
                std::borrow::Cow::Borrowed(self.skipped_certs[i].spki_der()),
                self.skipped_certs[i].spki_hash(),
            ),
        }
    }

    /// The anchors whose subject is `issuer` (a DER Name, tag included), compared as RFC 5280
    /// compares names; in the engine's order, skipped caller anchors last.
    pub(super) fn anchors_named(&self, issuer: &[u8]) -> &[AnchorRef] {
        let index = self.by_comparable_name.get_or_init(|| {
            let mut index: HashMap<Vec<u8>, Vec<AnchorRef>> = HashMap::new();
            for (i, a) in self.anchors.iter().enumerate() {
                let der = crate::anchors::sequence_of(a.subject.as_ref());
                index
                    .entry(crate::names::comparable_name(&der))
                    .or_default()
                    .push(AnchorRef::Path(i));
            }
            for (i, c) in self.skipped_certs.iter().enumerate() {
                index
                    .entry(crate::names::comparable_name(c.subject_der()))
                    .or_default()
                    .push(AnchorRef::Skipped(i));
            }
            index
        });
        index
            .get(&crate::names::comparable_name(issuer))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The anchor that verifiably signed `cert_der` (whose issuer is `issuer`, a DER Name):
    /// found by name, decided by signature with any algorithm and key size a platform accepts.
    /// `accept` filters the candidates by key hash before any signature is checked.
    pub(super) fn parent_anchor(
        &self,
        cert_der: &[u8],
        issuer: &[u8],
        accept: impl Fn(&SpkiHash) -> bool,
    ) -> Option<SpkiHash> {
        self.anchors_named(issuer).iter().find_map(|&r| {
            let (spki, key) = self.anchor_key(r);
            (accept(&key) && crate::signature::signed_by(cert_der, &spki)).then_some(key)
        })
    }
}

/// The findings an anchor calls for by itself: a non-public one (not a known CA, which has its
/// own finding) is named as able to read the traffic, with the platform's and the app's word
/// about it.
pub(super) fn anchor_findings(a: &AnchorInfo, findings: &mut Vec<Finding>) {
    if a.class != AnchorClass::NonPublicRoot {
        return;
    }
    if a.known.is_some() {
        // a government root: already reported with its own code
        return;
    }
    findings.push(
        Finding::new(
            FindingCode::NonPublicAnchor,
            Severity::Warning,
            messages::non_public_anchor(&a.subject, a.user_added),
        )
        .about(a.subject.clone()),
    );
    if a.user_added {
        findings.push(Finding::new(
            FindingCode::UserAddedAnchor,
            Severity::Info,
            messages::user_added_anchor(&a.subject),
        ));
    }
    if a.allowed {
        findings.push(Finding::new(
            FindingCode::AllowedAnchor,
            Severity::Info,
            messages::allowed_anchor(&a.subject),
        ));
    }
}

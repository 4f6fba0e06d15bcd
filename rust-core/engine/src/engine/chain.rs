//! The presented chain: what is read of each certificate, the leaf put first, and the path as
//! a verdict reports it.

use std::borrow::Cow;
use std::sync::Arc;

use super::messages;
use super::path::Built;
use super::Engine;
use crate::cert::Certificate;
use crate::cert_info::CertInfo;
use crate::error::Error;
use crate::facts::CertificateFacts;
use crate::verdict::{
    AnchorInfo, Finding, FindingCode, PathEntry, PathRole, Severity, Verdict, VerdictKind,
};

/// A chain as the server presented it, leaf first, with what was read of each certificate.
pub(super) struct Presented<'a> {
    /// The certificates; a copy put in order when the server sent them reversed (see
    /// [`leaf_first`]).
    pub(super) certs: Cow<'a, [Certificate]>,
    /// The typed reading of each, at the same index (shared with the engine's memo).
    pub(super) info: Vec<Arc<CertInfo>>,
}

impl Presented<'_> {
    /// Certificate `i`'s name for messages ([`CertInfo::display_name`]).
    pub(super) fn name(&self, i: usize) -> String {
        self.info[i].display_name(&self.certs[i])
    }
}

impl Engine {
    /// [`Engine::analyze`] of a chain as it came off the wire (DER, leaf first), for callers
    /// that must say what they saw whatever the server sent (a probe, a platform-rejected
    /// handshake): a certificate the DER walker cannot read is left out with an
    /// `unreadable_certificate` finding, a chain over the limit is analysed up to it and the
    /// known keys of the certificates past it are still looked up. An error only when nothing
    /// can be analysed (no readable certificate, an invalid host name).
    pub fn analyze_presented(
        &self,
        ders: Vec<Vec<u8>>,
        host: Option<&str>,
        time: Option<i64>,
    ) -> Result<Verdict, Error> {
        let mut unreadable = Vec::new();
        let certs: Vec<Certificate> = ders
            .into_iter()
            .enumerate()
            .filter_map(|(i, der)| {
                Certificate::from_der(der, i + 1)
                    .map_err(|e| unreadable.push(e))
                    .ok()
            })
            .collect();
        let (analyzed, beyond) =
            certs.split_at(certs.len().min(crate::error::MAX_CHAIN_CERTIFICATES));
        let k = self.knowledge();
        let mut v = self.analyze_unsaid(&k, analyzed, host, time, true)?;
        v.findings.extend(unreadable.iter().map(|e| {
            Finding::new(
                FindingCode::UnreadableCertificate,
                Severity::Warning,
                messages::unusable_presented_certificate(e),
            )
        }));
        // The analysis looked up the keys it read; those past the limit are looked up here.
        for f in self.known_key_findings(&k, beyond) {
            if !v
                .findings
                .iter()
                .any(|g| g.code == f.code && g.message == f.message && g.subject == f.subject)
            {
                v.findings.push(f);
            }
        }
        if v.findings
            .iter()
            .any(|f| f.code == FindingCode::KnownInterceptionCa)
        {
            v.verdict = VerdictKind::InterceptedKnown;
        }
        Verdict::sort_findings(&mut v.findings);
        Ok(self.said(v))
    }

    /// Reads every certificate of `chain` (through the memo) and puts its leaf first; a
    /// certificate read now has its text made from the same parse with `with_text` (the facts
    /// will be shown).
    ///
    /// A certificate x509-parser cannot read stays in the analysis with a placeholder, and a
    /// finding says so: its key is looked up like any other (see [`CertInfo::unreadable`]).
    pub(super) fn read_chain<'a>(
        &self,
        chain: &'a [Certificate],
        findings: &mut Vec<Finding>,
        with_text: bool,
    ) -> Presented<'a> {
        let mut unreadable = Vec::new();
        let info: Vec<Arc<CertInfo>> = chain
            .iter()
            .enumerate()
            .map(|(i, c)| {
                self.info_memo
                    .info(c, i + 1, with_text)
                    .unwrap_or_else(|e| {
                        unreadable.push((i, e));
                        Arc::new(CertInfo::unreadable(c))
                    })
            })
            .collect();
        findings.extend(unreadable.iter().map(|(i, e)| {
            let name = info[*i].display_name(&chain[*i]);
            Finding::new(
                FindingCode::UnreadableCertificate,
                Severity::Warning,
                messages::unreadable_certificate(&name, e),
            )
            .about(name)
        }));
        match leaf_first(chain, &info) {
            Some(order) => Presented {
                certs: Cow::Owned(order.iter().map(|&i| chain[i].clone()).collect()),
                info: order.iter().map(|&i| info[i].clone()).collect(),
            },
            None => Presented {
                certs: Cow::Borrowed(chain),
                info,
            },
        }
    }
}

/// Servers should send the leaf first; some send the chain reversed. When the first
/// certificate is a CA, the first presented certificate that is not a CA and issues nothing
/// else is the leaf. Returns the new order, or `None` when the order is fine.
fn leaf_first(chain: &[Certificate], info: &[Arc<CertInfo>]) -> Option<Vec<usize>> {
    if chain.len() < 2 || !info[0].is_ca {
        return None;
    }
    let leaves: Vec<usize> = (0..chain.len())
        .filter(|&i| {
            !info[i].is_ca
                && !chain
                    .iter()
                    .enumerate()
                    .any(|(j, o)| j != i && o.issuer_der() == chain[i].subject_der())
        })
        .collect();
    // Among several, the first sent: a certificate appended later must not change which one
    // is the leaf (nor so the verdict).
    let leaf = *leaves.first()?;
    let mut order: Vec<usize> = (0..chain.len()).filter(|&i| i != leaf).collect();
    order.insert(0, leaf);
    Some(order)
}

/// The path a verdict reports: the certificates on the built path, leaf first, then its
/// anchor (the presented certificate, or the anchor's name when it was not sent); the
/// presented chain when no path was built. With `with_facts`, the report is where the facts'
/// display strings are made, from the typed readings, for the certificates it shows; without,
/// the entries have no facts and nothing is made.
pub(super) fn build_path_entries(
    presented: &Presented<'_>,
    built: Option<&Built>,
    anchor: Option<&AnchorInfo>,
    with_facts: bool,
) -> Vec<PathEntry> {
    let facts_of = |i: usize| CertificateFacts::from_info(&presented.certs[i], &presented.info[i]);
    let facts_of = |i: usize| with_facts.then(|| facts_of(i));
    let Some(b) = built else {
        return (0..presented.certs.len())
            .map(|i| presented_entry(i, facts_of(i)))
            .collect();
    };

    let on_path: Vec<(usize, usize)> = b
        .path_indices
        .iter()
        .copied()
        .enumerate()
        .filter(|&(_, i)| Some(i) != b.anchor_index || i == 0)
        .collect();
    let anchor_presented = b.anchor_index.filter(|&i| i != 0);
    // Each certificate's facts move into the path; an index used twice gets a copy.
    let mut uses = vec![0usize; presented.certs.len()];
    for &(_, i) in &on_path {
        uses[i] += 1;
    }
    if let Some(i) = anchor_presented {
        uses[i] += 1;
    }
    // Only the certificates shown get facts.
    let mut facts: Vec<Option<CertificateFacts>> = uses
        .iter()
        .enumerate()
        .map(|(i, &n)| if n > 0 { facts_of(i) } else { None })
        .collect();
    let mut take = |i: usize| -> Option<CertificateFacts> {
        uses[i] -= 1;
        if uses[i] == 0 {
            facts[i].take()
        } else {
            facts[i].clone()
        }
    };
    let mut v: Vec<PathEntry> = on_path
        .iter()
        .map(|&(pos, i)| presented_entry(pos, take(i)))
        .collect();
    match b.anchor_index {
        Some(i) if i != 0 => v.push(PathEntry {
            role: PathRole::Anchor,
            facts: take(i),
            anchor_subject: None,
            presented: true,
        }),
        Some(_) => {}
        None => v.push(PathEntry {
            role: PathRole::Anchor,
            facts: None,
            anchor_subject: anchor.map(|a| a.subject.clone()),
            presented: false,
        }),
    }
    v
}

/// A presented certificate at position `pos` of a path: the leaf first, then intermediates.
fn presented_entry(pos: usize, facts: Option<CertificateFacts>) -> PathEntry {
    PathEntry {
        role: if pos == 0 {
            PathRole::Leaf
        } else {
            PathRole::Intermediate
        },
        facts,
        anchor_subject: None,
        presented: true,
    }
}

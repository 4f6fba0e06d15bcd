//! A caller's anchor found by signatures alone, for a chain rustls-webpki could take to no
//! anchor.
//!
//! Path building can fail while a local anchor did sign the chain: rustls-webpki refuses the
//! anchor itself (see [`super::SkippedAnchor`]), a certificate on the way, or spends its budget
//! on decoys. Whoever installed that anchor must not turn interception into "untrusted" by
//! such a chain, so the engine follows signatures from the leaf to the caller's non-public
//! anchors itself, within a fixed budget.

use super::knowledge::Knowledge;
use super::messages;
use super::path::Built;
use super::Engine;
use crate::cert::{Certificate, SpkiHash};
use crate::verdict::{AnchorClass, AnchorInfo, Finding, FindingCode};

/// At most this many signatures are checked by [`Engine::local_signer`] for one chain: more
/// than a device store holds anchors (about 150 system roots and a few user ones), so that no
/// order of same-named anchors hides the one that signed; at about 50 µs a check, tens of
/// milliseconds in the worst case, and only for a chain path building could not take anywhere.
const LOCAL_SIGNER_CHECKS: usize = 1024;

impl Engine {
    /// A local anchor that verifiably signed the leaf or a certificate leading to it (see
    /// [`Engine::local_signer`]), described, with the path to it; the `no_path` finding, which
    /// it answers, is withdrawn.
    pub(super) fn local_anchor(
        &self,
        k: &Knowledge,
        chain: &[Certificate],
        host: Option<&str>,
        findings: &mut Vec<Finding>,
    ) -> Option<(Built, AnchorInfo)> {
        let local = self.local_signer(k, chain)?;
        findings.retain(|f| f.code != FindingCode::NoPath);
        let anchor = self.anchor_info_for(k, local.anchor_spki, host, || {
            messages::unnamed_anchor(&local.anchor_spki)
        });
        Some((local, anchor))
    }

    /// The caller's anchor that is not a public root and verifiably signed the leaf or a
    /// presented certificate that verifiably signed it, and so on up (a path checked by
    /// signatures alone, for a chain path building could not take to any anchor); the leaf
    /// itself when it is one.
    ///
    /// Neither the order of the anchors nor that of the chain decides: among the anchors found,
    /// the most severe class wins, then the lowest key hash; the walk visits certificates by
    /// key hash; at most [`LOCAL_SIGNER_CHECKS`] signatures are checked.
    fn local_signer(&self, knowledge: &Knowledge, chain: &[Certificate]) -> Option<Built> {
        let local = |k: &SpkiHash| {
            self.caller.contains_key(k)
                && self.anchor_class(knowledge, k) != AnchorClass::PublicRoot
        };
        let rank = |k: &SpkiHash| match self.anchor_class(knowledge, k) {
            AnchorClass::KnownInterception => 3,
            AnchorClass::Distrusted => 2,
            _ => 1,
        };
        let mut best: Option<(u8, SpkiHash, usize)> = None;
        let mut consider = |k: SpkiHash, at: usize| {
            let r = rank(&k);
            if best
                .is_none_or(|(br, bk, _)| (r, std::cmp::Reverse(k)) > (br, std::cmp::Reverse(bk)))
            {
                best = Some((r, k, at));
            }
        };
        if local(&chain[0].spki_hash()) {
            consider(chain[0].spki_hash(), 0);
        }
        // Breadth first from the leaf; `parent[i]` is the certificate i signed.
        let mut parent: Vec<Option<usize>> = vec![None; chain.len()];
        let mut reached = vec![false; chain.len()];
        reached[0] = true;
        let mut queue = vec![0usize];
        let mut checks = 0usize;
        while let Some(i) = queue.pop() {
            let cert = &chain[i];
            for &r in self.anchors_named(cert.issuer_der()) {
                let (spki, key) = self.anchor_key(r);
                if !local(&key) || checks >= LOCAL_SIGNER_CHECKS {
                    continue;
                }
                checks += 1;
                if crate::signature::signed_by(cert.der(), &spki) {
                    consider(key, i);
                }
            }
            let issuer = crate::names::comparable_name(cert.issuer_der());
            let mut next: Vec<usize> = (0..chain.len())
                .filter(|&j| !reached[j])
                .filter(|&j| crate::names::comparable_name(chain[j].subject_der()) == issuer)
                .collect();
            // `next` is in increasing order: with the position last, an unstable sort gives
            // the order a stable one would, with less code.
            next.sort_unstable_by_key(|&j| (chain[j].spki_hash(), chain[j].fingerprint(), j));
            next.dedup_by_key(|j| chain[*j].fingerprint());
            for j in next {
                if checks >= LOCAL_SIGNER_CHECKS {
                    break;
                }
                checks += 1;
                if crate::signature::signed_by(cert.der(), chain[j].spki_der()) {
                    reached[j] = true;
                    parent[j] = Some(i);
                    if local(&chain[j].spki_hash()) {
                        consider(chain[j].spki_hash(), j);
                    }
                    queue.insert(0, j);
                }
            }
        }
        let (_, anchor_spki, at) = best?;
        let mut path_indices = vec![at];
        while let Some(p) = parent[*path_indices.last()?] {
            path_indices.push(p);
        }
        path_indices.reverse();
        let anchor_index = (chain[at].spki_hash() == anchor_spki).then_some(at);
        if anchor_index.is_some() && at != 0 {
            path_indices.pop();
        }
        Some(Built {
            anchor_spki,
            anchor_index,
            path_indices,
            weak_only: false,
            verified_at_t: false,
        })
    }
}

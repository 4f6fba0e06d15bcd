//! The in-app fast path, for a chain the platform already validated: the per-handshake check
//! ([`Engine::validated_clean`]) and its verdict ([`Engine::analyze_validated`]).

use super::classify::anchor_findings;
use super::known_cas::known_ca_finding;
use super::{last_index, messages, now_unix, Engine};
use crate::cert::{Certificate, SpkiHash};
use crate::cert_info::CertInfo;
use crate::der::CertLayout;
use crate::error::Error;
use crate::pinning::{check_pins, ChainKey, PinResult};
use crate::verdict::{AnchorClass, Finding, FindingCode, Severity, Verdict, VerdictKind};

/// At most this many certificates (a few KB each) in [`Engine`]'s parent memo: the
/// intermediates of an app's servers.
const PARENT_MEMO_CAPACITY: usize = 64;

impl Engine {
    /// The in-app fast path, for a chain the platform already validated (leaf first, anchor
    /// last): no parsing beyond the DER outline, no signature checks; hashes and lookups only.
    ///
    /// The platform has verified signatures, names and dates; what it cannot know is whether
    /// the anchor it accepted is public, and whether any key in the chain belongs to a known
    /// interceptor. That is what this answers.
    pub fn analyze_validated(&self, chain: &[&[u8]], host: Option<&str>) -> Result<Verdict, Error> {
        let last = last_index(chain.len())?;
        let k = self.knowledge();
        let mut findings = Vec::new();
        let mut keys: Vec<ChainKey<'_>> = Vec::with_capacity(chain.len() + 1);
        let mut last_layout = None;
        for (i, der) in chain.iter().enumerate() {
            let (spki, layout) = self.chain_entry(der, i + 1)?;
            last_layout = Some(layout);
            keys.push(ChainKey {
                spki,
                name: None,
                der: Some(der),
            });
            if let Some(known) = k.known(&spki) {
                findings.push(known_ca_finding(&known));
            }
        }
        let anchor_spki = match last_layout {
            Some(layout) => self.validated_anchor(chain[last], layout, keys[last].spki),
            None => return Err(Error::Empty),
        };
        if !keys.iter().any(|k| k.spki == anchor_spki) {
            // An anchor the platform's chain stops below: a known CA among the caller's anchors
            // is named as surely as one that was sent.
            if let Some(known) = k.known(&anchor_spki) {
                findings.push(known_ca_finding(&known));
            }
        }
        // A key removed for cause below the anchor (a cross-signed certificate of a distrusted
        // CA under a public root): said as analyze says it, and never clean (validated_clean).
        for key in &keys {
            if key.spki != anchor_spki && k.known(&key.spki).is_none() {
                if let Some(d) = k.distrusted(&key.spki) {
                    findings.push(Finding::new(
                        FindingCode::DistrustedRoot,
                        Severity::Warning,
                        messages::distrusted_key(&d),
                    ));
                }
            }
        }
        let last_der = chain[last];
        let anchor = self.anchor_info_for(&k, anchor_spki, host, || {
            // The last certificate names the anchor only when it is the anchor.
            Some(&last_der)
                .filter(|_| keys[last].spki == anchor_spki)
                .and_then(|der| Certificate::from_der(der.to_vec(), last + 1).ok())
                .map(|c| {
                    CertInfo::read(&c)
                        .unwrap_or_else(|_| CertInfo::unreadable(&c))
                        .display_name(&c)
                })
                .unwrap_or_else(|| messages::unnamed_anchor(&anchor_spki))
        });
        if anchor.class == AnchorClass::Distrusted {
            findings.push(Finding::new(
                FindingCode::DistrustedRoot,
                Severity::Critical,
                messages::distrusted_anchor(&anchor.subject),
            ));
        }
        anchor_findings(&anchor, &mut findings);
        // Pins: every certificate the platform validated, and the anchor when the platform's
        // chain stops below it.
        let now = now_unix();
        if let (Some(policy), Some(h)) = (&k.pins, host) {
            if !keys.iter().any(|k| k.spki == anchor_spki) {
                keys.push(ChainKey {
                    spki: anchor_spki,
                    name: Some(anchor.subject.clone()),
                    der: None,
                });
            }
            check_pins(
                policy,
                h,
                &keys,
                &anchor,
                anchor_spki,
                self.dangerous_debug_build,
                now,
                &mut findings,
            );
        }
        let verdict = VerdictKind::decide(&findings, Some(&anchor));
        Verdict::sort_findings(&mut findings);
        Ok(self.said(Verdict {
            verdict,
            host: host.map(str::to_string),
            findings,
            path: Vec::new(),
            anchor: Some(anchor),
            time: now,
        }))
    }

    /// The key hash (through the memo of keys seen before) and the outline of one certificate
    /// of a validated chain.
    fn chain_entry(&self, der: &[u8], index: usize) -> Result<(SpkiHash, CertLayout), Error> {
        let layout = crate::cert::layout_of(der, index)?;
        Ok((
            self.spki_memo.hash(&der[layout.spki.0..layout.spki.1]),
            layout,
        ))
    }

    /// The anchor of a validated chain.
    ///
    /// The platform's validated chain ends at the trust anchor it used, so the last
    /// certificate's own key decides: it is the anchor when the engine knows it as one (bundled
    /// or the caller's), or when it is self-issued. Only a chain that stops below its anchor
    /// (its last certificate a known anchor's child) has a parent anchor, and only one that
    /// verifiably signed it: a name alone is what an attacker writes (a user-installed CA whose
    /// issuer field copies a public root's name must be judged as itself, not as that root).
    /// Otherwise the last certificate's key is the anchor: a CA the device trusts that the
    /// engine does not know, and so not a public root.
    fn validated_anchor(&self, last_der: &[u8], last: CertLayout, last_spki: SpkiHash) -> SpkiHash {
        let (s, e) = last.issuer;
        let (ss, se) = last.subject;
        if self.anchor_set.contains_key(&last_spki) || last_der[s..e] == last_der[ss..se] {
            return last_spki;
        }
        if let Some(parent) = self
            .parent_memo
            .lock()
            .ok()
            .and_then(|m| m.get(last_der).copied())
        {
            return parent.unwrap_or(last_spki);
        }
        let parent = self.parent_anchor(last_der, &last_der[s..e], |_| true);
        if let Ok(mut m) = self.parent_memo.lock() {
            if m.len() >= PARENT_MEMO_CAPACITY {
                m.clear();
            }
            m.insert(last_der.to_vec(), parent);
        }
        parent.unwrap_or(last_spki)
    }

    /// Whether [`Engine::analyze_validated`] would answer a clean `trusted` verdict with nothing
    /// to report ([`Verdict::needs_report`] false), computed without building the verdict: the
    /// per-handshake check of the Android trust manager's native fast path, which runs on every
    /// connection and must cost about what a pin check costs.
    ///
    /// Only ever errs towards `false`: `false` means "ask [`Engine::analyze_validated`]", which
    /// says what is wrong and decides. So it stops at the first thing that would produce a
    /// finding of warning severity or above: a known CA's key anywhere in the chain (or as its
    /// anchor), an anchor that is not a public root for this platform (distrusted, user-added,
    /// in no program), a pin policy for `host` that has expired or has no matching key. The same
    /// errors as `analyze_validated` for bad input.
    pub fn validated_clean(&self, chain: &[&[u8]], host: Option<&str>) -> Result<bool, Error> {
        let last = last_index(chain.len())?;
        let knowledge = self.knowledge();
        // On the stack, room for the anchor too: no allocation on this path.
        let mut keys = [SpkiHash([0; 32]); crate::error::MAX_CHAIN_CERTIFICATES + 1];
        let mut last_layout = None;
        let mut clean = true;
        for (i, der) in chain.iter().enumerate() {
            // Every certificate is read even after a known key: bad input must fail here as
            // it fails in analyze_validated.
            let (spki, layout) = self.chain_entry(der, i + 1)?;
            keys[i] = spki;
            last_layout = Some(layout);
            clean &= !knowledge.is_known(&spki) && !knowledge.is_distrusted(&spki);
        }
        let Some(last_layout) = last_layout.filter(|_| clean) else {
            return Ok(false);
        };
        let anchor = self.validated_anchor(chain[last], last_layout, keys[last]);
        if self.anchor_class(&knowledge, &anchor) != AnchorClass::PublicRoot
            || knowledge.is_known(&anchor)
        {
            return Ok(false);
        }
        if let (Some(policy), Some(h)) = (&knowledge.pins, host) {
            let mut n = chain.len();
            if !keys[..n].contains(&anchor) {
                keys[n] = anchor;
                n += 1;
            }
            let result = policy.evaluate(h, &keys[..n], now_unix()).result;
            if !matches!(result, PinResult::NotPinned | PinResult::Success) {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

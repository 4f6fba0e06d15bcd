//! Known interception, government and blocked CAs in a chain: by key, by signature, and by a
//! name on another key.
//!
//! Every key of the chain is looked up, not just the anchor's (Chrome does this for every
//! SPKI): an interceptor's intermediate or a leaf made with its CA's key is as telling as its
//! root. A certificate a known CA verifiably signed leads to it even when path building cannot
//! (the root neither sent nor installed, or a legacy 1024-bit key). A known CA's name on a key
//! that is not one of its keys is reported, never trusted: it may be the same interceptor's
//! new key, or an imitation.

use std::borrow::Cow;

use super::chain::Presented;
use super::knowledge::Knowledge;
use super::messages;
use super::path::Built;
use super::Engine;
use crate::anchors::known::{self, KnownCa, KnownCaCategory};
use crate::cert::{Certificate, SpkiHash};
use crate::verdict::{
    known_category_severity, AnchorInfo, Finding, FindingCode, Severity, Verdict,
};

/// The finding for a known CA in a chain: interception wording for interceptors, an accurate
/// one for a government root with no documented interception. One place, so that the full
/// analysis and the fast path say the same thing.
pub(super) fn known_ca_finding(k: &KnownCa) -> Finding {
    let (code, message) = if k.category == KnownCaCategory::GovernmentRoot {
        (FindingCode::GovernmentRoot, messages::government_root(k))
    } else {
        (
            FindingCode::KnownInterceptionCa,
            messages::known_interception_ca(k),
        )
    };
    Finding::new(code, known_category_severity(k.category), message).about(k.label.clone())
}

/// Every key of the chain and of the anchor path building reached against the known-CA list
/// and the distrusted roots.
pub(super) fn known_keys(
    k: &Knowledge,
    presented: &Presented<'_>,
    built: Option<&Built>,
    anchor: Option<&AnchorInfo>,
    findings: &mut Vec<Finding>,
) {
    let chain = &presented.certs;
    // Each key with where its name comes from (a presented certificate, else the anchor's
    // subject), named only for a finding.
    let mut keys: Vec<(SpkiHash, Option<usize>)> = chain
        .iter()
        .enumerate()
        .map(|(i, c)| (c.spki_hash(), Some(i)))
        .collect();
    if let (Some(b), Some(_)) = (built, anchor) {
        if !keys.iter().any(|(k, _)| *k == b.anchor_spki) {
            keys.push((b.anchor_spki, None));
        }
    }
    let name_of = |f: &Option<usize>| match (f, anchor) {
        (Some(i), _) => presented.name(*i),
        (None, Some(a)) => a.subject.clone(),
        (None, None) => String::new(),
    };
    for (i, (spki, named)) in keys.iter().enumerate() {
        if let Some(known) = k.known(spki) {
            if known.category == KnownCaCategory::Blocked && i == 0 && !presented.info[0].is_ca {
                // A blocked server certificate (revoked after misissuance) is not an
                // interception CA: the chain is refused, the verdict is `invalid`.
                findings.push(
                    Finding::new(
                        FindingCode::BlockedCertificate,
                        Severity::Critical,
                        messages::blocked_certificate(&known),
                    )
                    .about(name_of(named)),
                );
                continue;
            }
            findings.push(known_ca_finding(&known));
        } else if let Some(d) = k.distrusted(spki) {
            let anchors_it = built.is_some_and(|b| b.anchor_spki == *spki);
            findings.push(
                Finding::new(
                    FindingCode::DistrustedRoot,
                    if anchors_it {
                        Severity::Critical
                    } else {
                        Severity::Warning
                    },
                    messages::distrusted_key(&d),
                )
                .about(name_of(named)),
            );
        }
    }
}

/// What the certificates a known CA verifiably signed say about a chain.
pub(super) struct KnownSigners {
    /// Some certificate of the chain was signed by a known CA.
    pub(super) any: bool,
    /// The key of the first known CA that signed one, the anchor the chain leads to when path
    /// building reached none.
    pub(super) first: Option<SpkiHash>,
}

/// The certificates of the chain that a known CA verifiably signed, with a finding for each
/// one an interception CA signed (unless it carries a known key, which has its finding
/// already). When one did, a bad signature or a missing path was a known CA's legacy key, not
/// a forgery: those findings are withdrawn.
pub(super) fn known_signers(
    knowledge: &Knowledge,
    presented: &Presented<'_>,
    findings: &mut Vec<Finding>,
) -> KnownSigners {
    let mut signed_by_known = false;
    let mut known_signer: Option<SpkiHash> = None;
    for (i, c) in presented.certs.iter().enumerate() {
        if let Some(k) = known::signed_by_known(c) {
            signed_by_known = true;
            known_signer = known_signer.or_else(|| SpkiHash::from_hex(&k.spki_sha256));
            // A certificate carrying a known key (the CA itself, or a leaf made with the
            // CA's key, as interception tools do) has its finding already; its signature
            // only says which anchor the chain leads to.
            if !k.category.is_interception() || knowledge.is_known(&c.spki_hash()) {
                continue;
            }
            findings.push(
                Finding::new(
                    FindingCode::KnownInterceptionCa,
                    known_category_severity(k.category),
                    messages::signed_by_known_ca(&presented.name(i), &k),
                )
                .about(k.label.clone()),
            );
        }
    }
    if signed_by_known {
        // The signature webpki could not check was a known CA's legacy key, not a forgery.
        findings.retain(|f| f.code != FindingCode::BadSignature && f.code != FindingCode::NoPath);
    }
    KnownSigners {
        any: signed_by_known,
        first: known_signer,
    }
}

/// Certificates that carry a known interception CA's name on another key, and, unless the
/// chain leads to a known CA (by its anchor or a signature), certificates that name one as
/// their issuer.
pub(super) fn impersonation(
    k: &Knowledge,
    presented: &Presented<'_>,
    anchor: Option<&AnchorInfo>,
    signed_by_known: bool,
    findings: &mut Vec<Finding>,
) {
    let anchored_at_known = anchor.is_some_and(|a| a.known.is_some()) || signed_by_known;
    for (i, (c, f)) in presented.certs.iter().zip(&presented.info).enumerate() {
        if let Some(cn) = &f.common_name {
            if let Some(keys) = known::NAMES.get(&*name_key(cn)) {
                if !keys.contains(&c.spki_hash()) && !k.is_known(&c.spki_hash()) {
                    findings.push(
                        Finding::new(
                            FindingCode::ImpersonatesKnownCa,
                            Severity::Warning,
                            messages::impersonates_known_ca(cn),
                        )
                        .about(presented.name(i)),
                    );
                }
            }
        }
        // A certificate that names a known interception CA as its issuer, but whose
        // signature did not lead to that CA.
        if !anchored_at_known {
            if let Some(issuer_cn) = &f.issuer_cn {
                if known::NAMES.contains_key(&*name_key(issuer_cn)) && !f.self_issued {
                    findings.push(
                        Finding::new(
                            FindingCode::ImpersonatesKnownCa,
                            Severity::Warning,
                            messages::claims_known_issuer(&presented.name(i), issuer_cn),
                        )
                        .about(presented.name(i)),
                    );
                }
            }
        }
    }
}

/// A common name as [`known::NAMES`] holds them: trimmed and lower-cased (borrowed when it is
/// ASCII without upper-case letters, which lower-casing leaves as it is).
fn name_key(cn: &str) -> Cow<'_, str> {
    let cn = cn.trim();
    if cn.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(cn)
    } else {
        Cow::Owned(cn.to_lowercase())
    }
}

impl Engine {
    /// Findings for the certificates among `certs` that carry a known CA's key or that a known
    /// CA verifiably signed: what a caller that cannot analyze a chain (too long, its leaf
    /// unreadable) must still say about it.
    pub(crate) fn known_key_findings(&self, k: &Knowledge, certs: &[Certificate]) -> Vec<Finding> {
        let mut findings = Vec::new();
        for c in certs {
            if let Some(k) = k.known(&c.spki_hash()) {
                findings.push(known_ca_finding(&k));
            } else if let Some(k) = known::signed_by_known(c) {
                findings.push(known_ca_finding(&k));
            }
        }
        Verdict::sort_findings(&mut findings);
        findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keys_are_trimmed_lower_case_names() {
        for cn in [
            "",
            " kz root ",
            "Sectigo RSA Domain Validation Secure Server CA",
            "*.peg.a2z.com",
            "ÉTAT Root ",
            "ΣΊΣΥΦΟΣ",
            "İstanbul",
            "\tTab\n",
        ] {
            assert_eq!(name_key(cn), cn.trim().to_lowercase(), "{cn:?}");
        }
        assert!(matches!(
            name_key(" a.b "),
            std::borrow::Cow::Borrowed("a.b")
        ));
    }
}

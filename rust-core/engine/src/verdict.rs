//! What Qorgan says about a chain: one verdict, findings, the path and its anchor.

use serde::Serialize;

use crate::anchors::known::{KnownCa, KnownCaCategory};
use crate::anchors::programs::{Distrusted, Program};
use crate::facts::CertificateFacts;
use crate::i18n::{Arg, Lang, Message};

/// The one-word answer for a chain.
///
/// Precedence, highest first (the first that applies is the verdict):
/// 1. `intercepted_known`: a known interception or blocked CA is in the chain, anchors it, or
///    signed a certificate of it. It wins over everything, even an expired chain: who is
///    intercepting is what the user needs to hear.
/// 2. `pin_violation`: the app's pins do not match the validated chain (the pinning layer).
/// 3. `invalid`: the chain builds to an anchor, but the host name, dates, key usage or
///    constraints are wrong. A platform refuses such a chain, so nothing was intercepted
///    through it; a `non_public_anchor` finding still names a non-public anchor.
/// 4. `intercepted_local`: the chain builds only to an anchor that the device (or caller)
///    trusts and no public program holds: a user-installed, enterprise or government CA.
/// 5. `untrusted`: the chain builds to no anchor at all.
/// 6. `trusted`: the chain builds to a public root, and nothing above applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictKind {
    /// Builds to a public root; nothing wrong.
    Trusted,
    /// Known interception or blocked CA in the chain.
    InterceptedKnown,
    /// Builds only to a non-public anchor that the device trusts.
    InterceptedLocal,
    /// Builds to no anchor.
    Untrusted,
    /// Builds, but the certificate is wrong for this host or time.
    Invalid,
    /// The app's pins do not match the validated chain.
    PinViolation,
}

impl VerdictKind {
    /// The snake_case name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Trusted => "trusted",
            Self::InterceptedKnown => "intercepted_known",
            Self::InterceptedLocal => "intercepted_local",
            Self::Untrusted => "untrusted",
            Self::Invalid => "invalid",
            Self::PinViolation => "pin_violation",
        }
    }

    /// The verdict from the findings and the anchor, by the precedence documented on
    /// [`VerdictKind`]: the first that applies, in that order.
    pub(crate) fn decide(findings: &[Finding], anchor: Option<&AnchorInfo>) -> VerdictKind {
        use FindingCode as F;
        if findings.iter().any(|f| f.code == F::KnownInterceptionCa) {
            return VerdictKind::InterceptedKnown;
        }
        if findings
            .iter()
            .any(|f| f.code == F::PinMismatch && f.severity == Severity::Critical)
        {
            return VerdictKind::PinViolation;
        }
        let Some(anchor) = anchor else {
            return VerdictKind::Untrusted;
        };
        if findings.iter().any(|f| f.code.invalidates_chain()) {
            return VerdictKind::Invalid;
        }
        if matches!(
            anchor.class,
            AnchorClass::NonPublicRoot | AnchorClass::Distrusted
        ) {
            return VerdictKind::InterceptedLocal;
        }
        VerdictKind::Trusted
    }
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; nothing is wrong because of it.
    Info,
    /// Something is wrong or suspicious.
    Warning,
    /// Someone can read or change this traffic, or the connection must not be trusted.
    Critical,
}

impl Severity {
    /// The place of this severity when the most severe come first: 0 for critical.
    pub(crate) fn rank(self) -> u32 {
        Severity::Critical as u32 - self as u32
    }
}

/// Sorts `items` by `rank`, items of equal rank in the order they had (as a stable sort does).
/// One sort of (rank, position) pairs serves every caller: `sort_by_key` builds a stable sort
/// for each item type, about 4 KB of code each in the phone library.
pub(crate) fn sort_by_rank<T>(items: &mut Vec<T>, rank: impl Fn(&T) -> u32) {
    let mut order: Vec<(u32, usize)> = items.iter().map(&rank).zip(0..).collect();
    order.sort_unstable();
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .iter()
            .filter_map(|&(_, i)| slots.get_mut(i).and_then(Option::take)),
    );
}

/// A stable code for each kind of finding (JSON, reports and apps switch on these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingCode {
    /// A known interception or blocked CA is in the chain or anchors it.
    KnownInterceptionCa,
    /// A government root outside every public program (no documented interception).
    GovernmentRoot,
    /// The chain ends at an anchor no public program holds.
    NonPublicAnchor,
    /// A key that root programs removed for cause.
    DistrustedRoot,
    /// A certificate carries the name of a known interception CA but not its key.
    ImpersonatesKnownCa,
    /// The leaf is not valid for the host name.
    HostnameMismatch,
    /// A certificate has expired.
    Expired,
    /// A certificate is not valid yet.
    NotYetValid,
    /// No path to any anchor.
    NoPath,
    /// A signature does not verify.
    BadSignature,
    /// RSA under 2048 bits or EC under 256 bits.
    WeakKey,
    /// RSA public exponent 3 (the 2019 Kazakh interceptor's leaves used it).
    #[serde(rename = "rsa_exponent_3")]
    RsaExponent3,
    /// Signed with SHA-1 or MD5.
    Sha1Signature,
    /// A leaf with no embedded Signed Certificate Timestamps.
    NoSct,
    /// A server leaf stripped of the extensions public CAs always include.
    StrippedLeaf,
    /// The leaf is not allowed for TLS servers, or a CA is used as a leaf.
    WrongKeyUsage,
    /// The chain breaks a name constraint or path length limit.
    ConstraintViolation,
    /// The chain could not be checked within the path-building budget.
    PathTooComplex,
    /// A certificate could not be checked for another reason.
    InvalidCertificate,
    /// The anchor is not public, but the app's configuration allows it.
    AllowedAnchor,
    /// The anchor was installed by the user (the platform's own word).
    UserAddedAnchor,
    /// The server's certificate is on a browser blocklist (revoked after misissuance).
    BlockedCertificate,
    /// A pin set applies and no certificate of the validated chain matches it.
    PinMismatch,
    /// The pin policy has expired and is not enforced.
    PinPolicyExpired,
    /// A certificate's outline (key, names) could be read but not the rest of it: it was kept
    /// in the analysis, its key looked up, and nothing else is claimed about it.
    UnreadableCertificate,
}

impl FindingCode {
    /// Whether this finding makes a chain that builds to an anchor unacceptable (the verdict
    /// `invalid`): wrong name, dates, key usage, constraints, weak key or signature, blocked.
    pub fn invalidates_chain(self) -> bool {
        matches!(
            self,
            Self::HostnameMismatch
                | Self::Expired
                | Self::NotYetValid
                | Self::WrongKeyUsage
                | Self::ConstraintViolation
                | Self::Sha1Signature
                | Self::BadSignature
                | Self::WeakKey
                | Self::BlockedCertificate
                // With an anchor only when the anchor was found by signature after
                // rustls-webpki refused a certificate (Engine::local_signer): the chain leads to
                // that anchor, and a platform may refuse it as malformed.
                | Self::InvalidCertificate
        )
    }
}

/// One thing Qorgan noticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code.
    pub code: FindingCode,
    /// How much it matters.
    pub severity: Severity,
    /// One sentence a person understands, in the engine's language
    /// ([`crate::EngineConfig::lang`]; see [`Verdict::localize`]).
    pub message: String,
    /// The certificate it is about (its subject), when it is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The id of `message` in the catalogs (`finding-expired`): with `args`, what an app needs
    /// to say it in its own words.
    #[serde(skip)]
    pub message_id: String,
    /// The arguments of `message` (the CA's label, the host, a date, a count).
    #[serde(skip)]
    pub args: Vec<MessageArg>,
}

/// One named argument of a finding's message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageArg {
    /// Its name in the catalogs (`label`, `host`, `date`).
    pub name: String,
    /// Its value as text.
    pub value: String,
    /// Its value as a number, when it is one (a count, which selects a plural form).
    pub number: Option<i64>,
}

impl Finding {
    /// A finding whose sentence is `message`, said in English until [`Finding::localize`].
    pub(crate) fn new(code: FindingCode, severity: Severity, message: Message) -> Self {
        Self {
            code,
            severity,
            message: message.render(Lang::En),
            subject: None,
            message_id: message.id.to_string(),
            args: message
                .args
                .into_iter()
                .map(|(name, v)| match v {
                    Arg::Text(t) => MessageArg {
                        name: name.to_string(),
                        value: t,
                        number: None,
                    },
                    Arg::Number(n) => MessageArg {
                        name: name.to_string(),
                        value: n.to_string(),
                        number: Some(n),
                    },
                })
                .collect(),
        }
    }

    pub(crate) fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// Says the message again in `lang` (from `message_id` and `args`). A finding without an
    /// id (made by a caller) keeps its text.
    pub fn localize(&mut self, lang: Lang) {
        if self.message_id.is_empty() {
            return;
        }
        let args: Vec<(&str, Arg)> = self
            .args
            .iter()
            .map(|a| {
                let v = match a.number {
                    Some(n) => Arg::Number(n),
                    None => Arg::Text(a.value.clone()),
                };
                (a.name.as_str(), v)
            })
            .collect();
        self.message = crate::i18n::render(lang, &self.message_id, &args);
    }
}

/// What kind of anchor a chain ends at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnchorClass {
    /// A known interception or blocked CA.
    KnownInterception,
    /// Held by at least one public root program.
    PublicRoot,
    /// Trusted by the device or caller, held by no public program.
    NonPublicRoot,
    /// Removed from root programs for cause.
    Distrusted,
}

/// The anchor a chain was built to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnchorInfo {
    /// Its subject (or the program's name for it).
    pub subject: String,
    /// SHA-256 of its key, hex.
    pub spki_sha256: String,
    /// SHA-256 of its key, base64 (pin form).
    pub spki_sha256_b64: String,
    /// What kind of anchor it is.
    pub class: AnchorClass,
    /// The public programs that hold it (empty when none).
    pub programs: Vec<Program>,
    /// The known-CA entry, when it is one.
    pub known: Option<KnownCa>,
    /// Why it was distrusted, when it was.
    pub distrusted: Option<Distrusted>,
    /// Supplied by the caller (device store, enterprise or test store) rather than bundled.
    pub from_caller: bool,
    /// The platform says the user installed it.
    pub user_added: bool,
    /// The app's configuration allows this non-public anchor (an enterprise proxy).
    pub allowed: bool,
}

impl AnchorInfo {
    /// A short name for messages.
    pub fn name(&self) -> &str {
        match &self.known {
            Some(k) => &k.label,
            None => &self.subject,
        }
    }
}

/// A certificate on the built path (or of the presented chain when no path was built).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathEntry {
    /// `leaf`, `intermediate` or `anchor`.
    pub role: PathRole,
    /// The certificate's facts. For an anchor that was not sent by the server and is known
    /// only by subject and key (some bundled anchors), `None`.
    #[serde(flatten)]
    pub facts: Option<CertificateFacts>,
    /// For an anchor without facts: its subject and key hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor_subject: Option<String>,
    /// Where it came from: the presented chain, or an anchor store.
    pub presented: bool,
}

/// The place of a certificate in a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PathRole {
    /// The server's certificate.
    Leaf,
    /// A CA between the leaf and the anchor.
    Intermediate,
    /// The trust anchor.
    Anchor,
}

/// Qorgan's answer for one chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The one-word answer.
    pub verdict: VerdictKind,
    /// The host the chain was checked for.
    pub host: Option<String>,
    /// Everything noticed, most severe first.
    pub findings: Vec<Finding>,
    /// The path that was built, leaf first; the presented chain when none was built.
    pub path: Vec<PathEntry>,
    /// The anchor the path ends at, when one was found.
    pub anchor: Option<AnchorInfo>,
    /// The validation time used, seconds since the Unix epoch.
    pub time: i64,
}

impl Verdict {
    /// The most severe finding's severity, or `None` when there is no finding.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    /// True when this finding code is present.
    pub fn has(&self, code: FindingCode) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }

    /// The known interception CA behind a verdict of `intercepted_known`, if any.
    pub fn interception_ca(&self) -> Option<&str> {
        self.anchor
            .as_ref()
            .and_then(|a| a.known.as_ref())
            .map(|k| k.label.as_str())
            .or_else(|| {
                self.findings
                    .iter()
                    .find(|f| f.code == FindingCode::KnownInterceptionCa)
                    .and_then(|f| f.subject.as_deref())
            })
    }

    /// Whether enforce mode may let the connection through: a trusted chain, or a chain to a
    /// non-public anchor that the app's configuration allows (still reported).
    pub fn is_acceptable(&self) -> bool {
        match self.verdict {
            VerdictKind::Trusted => true,
            VerdictKind::InterceptedLocal => self.anchor.as_ref().is_some_and(|a| {
                a.allowed && a.class == AnchorClass::NonPublicRoot && a.known.is_none()
            }),
            _ => false,
        }
    }

    /// The finding that explains the verdict: for `invalid`, the first finding that
    /// invalidates the chain (not, say, a `non_public_anchor` warning of higher rank);
    /// otherwise the most severe finding at warning or above.
    pub fn main_finding(&self) -> Option<&Finding> {
        main_finding(self.verdict == VerdictKind::Invalid, &self.findings)
    }

    /// Whether this deserves a report: any verdict but `trusted`, or a `trusted` one with a
    /// finding at warning or above (a report-only pin mismatch, a non-public anchor the app
    /// allows, an expired pin policy).
    pub fn needs_report(&self) -> bool {
        self.verdict != VerdictKind::Trusted
            || self
                .findings
                .iter()
                .any(|f| f.severity >= Severity::Warning || f.code == FindingCode::PinPolicyExpired)
    }

    /// Says every finding again in `lang`.
    pub fn localize(&mut self, lang: Lang) {
        for f in &mut self.findings {
            f.localize(lang);
        }
    }

    pub(crate) fn sort_findings(findings: &mut Vec<Finding>) {
        // The most severe first, then by code.
        sort_by_rank(findings, |f| (f.severity.rank() << 16) | f.code as u32);
        // Two known CAs may share name, country and year (nine Kazakh roots share one name):
        // their findings differ by subject, and both stay.
        findings
            .dedup_by(|a, b| a.code == b.code && a.message == b.message && a.subject == b.subject);
    }
}

pub(crate) fn known_category_severity(cat: KnownCaCategory) -> Severity {
    match cat {
        KnownCaCategory::GovernmentRoot => Severity::Warning,
        _ => Severity::Critical,
    }
}

/// See [`Verdict::main_finding`]; shared with probe results, which carry findings too.
pub(crate) fn main_finding(invalid: bool, findings: &[Finding]) -> Option<&Finding> {
    if invalid {
        if let Some(f) = findings.iter().find(|f| f.code.invalidates_chain()) {
            return Some(f);
        }
    }
    findings.iter().find(|f| f.severity >= Severity::Warning)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_by_rank_is_a_stable_sort() {
        let items: Vec<(u32, usize)> = (0..200u32)
            .map(|i| ((i * 7919 + 13) % 11, i as usize))
            .collect();
        let mut expected = items.clone();
        expected.sort_by_key(|&(r, _)| r);
        let mut sorted = items;
        sort_by_rank(&mut sorted, |&(r, _)| r);
        assert_eq!(sorted, expected);
        let mut empty: Vec<u8> = Vec::new();
        sort_by_rank(&mut empty, |&b| u32::from(b));
        assert!(empty.is_empty());
    }

    #[test]
    fn ranks_put_the_most_severe_first() {
        assert!(Severity::Critical.rank() < Severity::Warning.rank());
        assert!(Severity::Warning.rank() < Severity::Info.rank());
        assert!(Severity::Info.rank() < 3);
    }
}

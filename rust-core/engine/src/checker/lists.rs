//! The checker screen's two lists, beside the advice: every probed site with a short verdict,
//! grouped by the certificate authority that vouched for what it showed, and the certificates
//! installed on the device, each with what it is and how to remove it.
//!
//! The advice says what matters; the lists show everything that was looked at, so that a
//! person finds their bank among the sites and the certificate a text message told them to
//! install among the certificates. Both are built here so Android, iOS and the desktop show the
//! same groups and the same words.

use serde::Serialize;

use super::{DevicePlatform, Say};
use crate::anchors::known::{KnownCa, KnownCaCategory};
use crate::audit::{AuditEntry, AuditReport, CertificateClass};
use crate::i18n::Message;
use crate::probe::{CheckVerdict, ProbeErrorCode, ProbeResult};
use crate::verdict::Severity;

/// One probed site, as a line of the screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckedSite {
    /// The host name probed.
    pub host: String,
    /// The port probed.
    pub port: u16,
    /// The probe's verdict (its stable code is [`CheckVerdict::as_str`]).
    pub verdict: CheckVerdict,
    /// How much this site's answer matters.
    pub severity: Severity,
    /// A few words for the person: "Intercepted", "Blocked on this network", "Fine".
    pub summary: String,
}

/// The sites one certificate authority vouched for (or that were refused, or not reached).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteGroup {
    /// The group's heading, naming the authority when there is one.
    pub title: String,
    /// The authority the group is about: a known interception CA by its own name, another
    /// anchor by its subject. None for the public-CA, refused and not-reached groups.
    pub certificate_authority: Option<String>,
    /// The most severe of its sites.
    pub severity: Severity,
    /// Its sites, in the order they were probed.
    pub sites: Vec<CheckedSite>,
}

/// A certificate installed on the device, as the screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstalledCertificate {
    /// Its label when Qorgan knows it, else the name it gives itself.
    pub name: String,
    /// SHA-256 of its SubjectPublicKeyInfo, hex (what identifies it: names can be copied).
    pub spki_sha256: String,
    /// Installed by a person, an app or a profile (not shipped with the system).
    pub user_added: bool,
    /// How much its presence matters.
    pub severity: Severity,
    /// What it is, in plain language.
    pub what_it_is: String,
    /// How to remove it on this platform.
    pub how_to_remove: String,
}

/// What an installed certificate is, as the checker tells it.
pub(super) enum InstalledKind<'a> {
    /// A known interception CA (not merely blocked by browsers).
    Interception(&'a KnownCa),
    /// A CA browsers block after compromise or misconduct.
    Blocked,
    /// A root no public program holds: a government's, one a person installed, or another.
    NonPublic(&'static str),
    /// A root the public programs hold too.
    Public,
    /// Not a certificate authority.
    NotACa,
}

impl<'a> InstalledKind<'a> {
    pub(super) fn of(e: &'a AuditEntry) -> Self {
        match (e.class, e.known.as_ref()) {
            (CertificateClass::KnownInterception, Some(k))
                if k.category != KnownCaCategory::Blocked =>
            {
                Self::Interception(k)
            }
            (CertificateClass::KnownInterception, _) => Self::Blocked,
            (CertificateClass::NonPublicRoot, known) => Self::NonPublic(
                if known.is_some_and(|k| k.category == KnownCaCategory::GovernmentRoot) {
                    "government"
                } else if e.user_added {
                    "user"
                } else {
                    "other"
                },
            ),
            (CertificateClass::PublicRoot, _) => Self::Public,
            (CertificateClass::NotACa, _) => Self::NotACa,
        }
    }

    pub(super) fn severity(&self) -> Severity {
        match self {
            Self::Interception(_) => Severity::Critical,
            Self::Blocked | Self::NonPublic(_) => Severity::Warning,
            Self::Public | Self::NotACa => Severity::Info,
        }
    }

    /// What it is, in a sentence or two.
    pub(super) fn what_it_is(&self, say: &Say, name: &str) -> String {
        match self {
            Self::Interception(k) => {
                let party_kind = if matches!(
                    k.category,
                    KnownCaCategory::GovernmentInterception | KnownCaCategory::GovernmentRoot
                ) {
                    "government"
                } else {
                    "other"
                };
                say.msg(
                    crate::engine::messages::known(
                        Message::new("checker-installed-interception-text"),
                        k,
                    )
                    .arg("party_kind", party_kind)
                    .arg("party", &k.party),
                )
            }
            Self::Blocked => {
                say.msg(Message::new("checker-installed-blocked-text").arg("name", name))
            }
            Self::NonPublic(_) => {
                say.msg(Message::new("checker-installed-non-public-text").arg("name", name))
            }
            Self::Public => {
                say.msg(Message::new("checker-installed-public-text").arg("name", name))
            }
            Self::NotACa => {
                say.msg(Message::new("checker-installed-not-ca-text").arg("name", name))
            }
        }
    }
}

/// The name the checker gives an audited certificate.
pub(super) fn entry_name(e: &AuditEntry) -> String {
    e.label.clone().unwrap_or_else(|| e.facts.display_name())
}

/// The certificates worth listing: every one a person, app or profile added, and any known
/// interception CA, also one shipped with the system. Most severe first, then in store order.
pub(super) fn installed(
    audit: Option<&AuditReport>,
    platform: DevicePlatform,
    say: &Say,
) -> Vec<InstalledCertificate> {
    let Some(audit) = audit else {
        return Vec::new();
    };
    let mut list: Vec<InstalledCertificate> = audit
        .certificates
        .iter()
        .filter(|e| e.user_added || e.class == CertificateClass::KnownInterception)
        .map(|e| {
            let kind = InstalledKind::of(e);
            let name = entry_name(e);
            InstalledCertificate {
                what_it_is: kind.what_it_is(say, &name),
                severity: kind.severity(),
                how_to_remove: say.removal(platform, None),
                spki_sha256: e.spki_sha256.clone(),
                user_added: e.user_added,
                name,
            }
        })
        .collect();
    list.sort_by_key(|c| std::cmp::Reverse(c.severity));
    list
}

/// Which group a probed site falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GroupKind {
    /// Through a known interception CA.
    Known,
    /// Through an anchor only this device trusts.
    Local,
    /// Not the certificate the app's pins expect (the CA may well be public).
    Pinned,
    /// Through the public root programs.
    Public,
    /// Refused by the device (no trusted root, or a certificate that does not fit).
    Refused,
    /// Not reached.
    Unreachable,
}

impl GroupKind {
    fn of(verdict: CheckVerdict) -> Self {
        match verdict {
            CheckVerdict::InterceptedKnown => Self::Known,
            CheckVerdict::InterceptedLocal => Self::Local,
            CheckVerdict::PinViolation => Self::Pinned,
            CheckVerdict::Trusted => Self::Public,
            CheckVerdict::Untrusted | CheckVerdict::Invalid => Self::Refused,
            CheckVerdict::Unreachable => Self::Unreachable,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Self::Known => "known",
            Self::Local => "local",
            Self::Pinned => "pinned",
            Self::Public => "public",
            Self::Refused => "refused",
            Self::Unreachable => "unreachable",
        }
    }

    /// Intercepted groups are one per authority (ten sites behind one CA are one thing to
    /// fix); the others are one group each.
    fn per_authority(self) -> bool {
        matches!(self, Self::Known | Self::Local | Self::Pinned)
    }
}

fn severity(verdict: CheckVerdict) -> Severity {
    match verdict {
        CheckVerdict::InterceptedKnown
        | CheckVerdict::InterceptedLocal
        | CheckVerdict::PinViolation => Severity::Critical,
        CheckVerdict::Untrusted | CheckVerdict::Invalid => Severity::Warning,
        CheckVerdict::Trusted | CheckVerdict::Unreachable => Severity::Info,
    }
}

/// Why a site was not reached, as the catalogs' selector.
fn unreachable_reason(p: &ProbeResult) -> &'static str {
    match p.error.as_ref().map(|e| e.code) {
        Some(ProbeErrorCode::ResetAfterClientHello | ProbeErrorCode::TlsAlert) => "blocked",
        Some(ProbeErrorCode::NotTls) => "not_tls",
        Some(ProbeErrorCode::ConnectionRefused) => "refused",
        Some(ProbeErrorCode::DnsFailed) => "no_address",
        Some(ProbeErrorCode::Timeout) => "timeout",
        _ => "other",
    }
}

/// The probed sites grouped by who vouched for them: interception groups first (one per
/// authority), then refused, public and not-reached sites.
pub(super) fn site_groups(probes: &[ProbeResult], say: &Say) -> Vec<SiteGroup> {
    let mut groups: Vec<(GroupKind, Option<String>, Vec<CheckedSite>)> = Vec::new();
    for p in probes {
        let kind = GroupKind::of(p.verdict);
        let ca = if kind.per_authority() {
            super::probe_ca(p)
        } else {
            None
        };
        let site = CheckedSite {
            host: p.host.clone(),
            port: p.port,
            verdict: p.verdict,
            severity: severity(p.verdict),
            summary: say.msg(
                Message::new("checker-site")
                    .arg("verdict", p.verdict.as_str())
                    .arg("reason", unreachable_reason(p)),
            ),
        };
        match groups.iter_mut().find(|g| g.0 == kind && g.1 == ca) {
            Some(g) => g.2.push(site),
            None => groups.push((kind, ca, vec![site])),
        }
    }
    let rank = |k: GroupKind| match k {
        GroupKind::Known => 0,
        GroupKind::Pinned => 1,
        GroupKind::Local => 2,
        GroupKind::Refused => 3,
        GroupKind::Public => 4,
        GroupKind::Unreachable => 5,
    };
    // A stable sort: groups of one kind stay in the order their first site was probed.
    groups.sort_by_key(|g| rank(g.0));
    groups
        .into_iter()
        .map(|(kind, ca, sites)| SiteGroup {
            title: say.msg(
                Message::new("checker-group")
                    .arg("kind", kind.code())
                    .arg("ca", ca.clone().unwrap_or_default())
                    .arg("ca_known", if ca.is_some() { "yes" } else { "no" }),
            ),
            severity: sites
                .iter()
                .map(|s| s.severity)
                .max()
                .unwrap_or(Severity::Info),
            certificate_authority: ca,
            sites,
        })
        .collect()
}

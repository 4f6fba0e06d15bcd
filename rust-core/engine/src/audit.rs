//! Auditing a trust store: what each anchor is, and whether any lets someone intercept.

use serde::Serialize;

use crate::anchors::known::{KnownCa, KnownCaCategory};
use crate::anchors::programs::{self, Distrusted, Program, StoreVersion};
use crate::cert::Certificate;
use crate::cert_info::CertInfo;
use crate::engine::{now_unix, CallerAnchor, Engine, Knowledge};
use crate::facts::CertificateFacts;
use crate::i18n::Message;
use crate::verdict::{known_category_severity, Finding, FindingCode, Severity, Verdict};

/// What a certificate in a trust store is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateClass {
    /// A known interception or blocked CA.
    KnownInterception,
    /// A root no public program holds: user-installed, enterprise, government, or removed.
    NonPublicRoot,
    /// Held by at least one public root program.
    PublicRoot,
    /// Not a CA at all (a leaf in the store).
    NotACa,
}

/// One certificate of an audited store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Position in the input, from 1.
    pub index: u32,
    /// Subject.
    pub subject: String,
    /// SHA-256 of the key, hex.
    pub spki_sha256: String,
    /// SHA-256 of the key, base64.
    pub spki_sha256_b64: String,
    /// What it is.
    pub class: CertificateClass,
    /// Its label, when Qorgan knows it (a known CA's label, or the program's name for it).
    pub label: Option<String>,
    /// The public programs that hold it.
    pub programs: Vec<Program>,
    /// The known-CA entry, when it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known: Option<KnownCa>,
    /// Why it was distrusted, when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distrusted: Option<Distrusted>,
    /// The platform says the user installed it.
    pub user_added: bool,
    /// What Qorgan noticed, most severe first.
    pub findings: Vec<Finding>,
    /// All facts.
    pub facts: CertificateFacts,
}

/// Counts and the overall answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditSummary {
    /// Certificates audited.
    pub total: u32,
    /// Known interception or blocked CAs (class `known_interception`).
    pub known_interception: u32,
    /// Of those, CAs that browsers block after a compromise or misconduct (not built for
    /// interception).
    pub blocked: u32,
    /// Roots no public program holds.
    pub non_public_root: u32,
    /// Public roots.
    pub public_root: u32,
    /// Certificates that are not CAs.
    pub not_a_ca: u32,
    /// The most severe finding, if any.
    pub max_severity: Option<Severity>,
    /// The findings that matter (warning or above), most severe first, one per certificate.
    pub findings: Vec<Finding>,
}

/// The result of an audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    /// Each certificate, most severe first, then in input order.
    pub certificates: Vec<AuditEntry>,
    /// The totals.
    pub summary: AuditSummary,
    /// The root-program versions this build compares against.
    pub store_versions: Vec<StoreVersion>,
}

impl Engine {
    /// Audits certificates from a trust store (no platform information).
    pub fn audit(&self, certs: &[Certificate]) -> AuditReport {
        let entries: Vec<CallerAnchor> = certs.iter().cloned().map(CallerAnchor::new).collect();
        self.audit_store(&entries)
    }

    /// Audits a store whose entries carry the platform's word on who installed them.
    pub fn audit_store(&self, certs: &[CallerAnchor]) -> AuditReport {
        let now = now_unix();
        let k = self.knowledge();
        let mut entries: Vec<AuditEntry> = certs
            .iter()
            .enumerate()
            .map(|(i, a)| {
                // A certificate whose facts cannot be read stays in the audit, classified by its
                // key like any other: an interception CA must not leave a store's audit by being
                // oddly encoded.
                let (info, unreadable) = match CertInfo::read_with_text(&a.certificate) {
                    Ok(info) => (info, None),
                    Err(e) => (
                        CertInfo::unreadable(&a.certificate),
                        Some(crate::error::Error::not_a_certificate(i + 1, e)),
                    ),
                };
                let mut entry = self.audit_one(
                    &k,
                    u32::try_from(i + 1).unwrap_or(u32::MAX),
                    &a.certificate,
                    a.user_added,
                    &info,
                    now,
                );
                if let Some(e) = unreadable {
                    let name = entry.facts.display_name();
                    entry.findings.push(
                        Finding::new(
                            FindingCode::UnreadableCertificate,
                            Severity::Warning,
                            crate::engine::messages::unreadable_certificate(&name, e),
                        )
                        .about(name),
                    );
                    crate::verdict::Verdict::sort_findings(&mut entry.findings);
                }
                entry
            })
            .collect();
        // The most severe first; entries without findings last.
        crate::verdict::sort_by_rank(&mut entries, |e| {
            e.findings.first().map_or(3, |f| f.severity.rank())
        });
        if self.lang() != crate::i18n::Lang::En {
            for f in entries.iter_mut().flat_map(|e| e.findings.iter_mut()) {
                f.localize(self.lang());
            }
        }
        let mut summary = AuditSummary {
            total: u32::try_from(entries.len()).unwrap_or(u32::MAX),
            known_interception: 0,
            blocked: 0,
            non_public_root: 0,
            public_root: 0,
            not_a_ca: 0,
            max_severity: None,
            findings: Vec::new(),
        };
        for e in &entries {
            match e.class {
                CertificateClass::KnownInterception => {
                    summary.known_interception += 1;
                    if e.known
                        .as_ref()
                        .is_some_and(|k| k.category == KnownCaCategory::Blocked)
                    {
                        summary.blocked += 1;
                    }
                }
                CertificateClass::NonPublicRoot => summary.non_public_root += 1,
                CertificateClass::PublicRoot => summary.public_root += 1,
                CertificateClass::NotACa => summary.not_a_ca += 1,
            }
            if let Some(f) = e.findings.first() {
                summary.max_severity = summary.max_severity.max(Some(f.severity));
                if f.severity >= Severity::Warning {
                    summary.findings.push(f.clone());
                }
            }
        }
        AuditReport {
            certificates: entries,
            summary,
            store_versions: programs::store_versions(),
        }
    }

    fn audit_one(
        &self,
        k: &Knowledge,
        index: u32,
        cert: &Certificate,
        user_added: bool,
        cert_info: &CertInfo,
        now: i64,
    ) -> AuditEntry {
        let spki = cert.spki_hash();
        let name = cert_info.display_name(cert);
        let info = self.classify_anchor(k, spki, name.clone());
        let mut findings = Vec::new();
        let known = k.known(&spki);
        let class = match &known {
            Some(k) if k.category.is_interception() => {
                // In a store, a CA that browsers block after misconduct (TrustCor, DigiNotar) is
                // a warning; one built or leaked for interception is critical.
                let severity = match k.category {
                    KnownCaCategory::Blocked => Severity::Warning,
                    c => known_category_severity(c),
                };
                findings.push(
                    Finding::new(
                        FindingCode::KnownInterceptionCa,
                        severity,
                        crate::engine::messages::known(
                            Message::new("finding-installed-interception-ca"),
                            k,
                        ),
                    )
                    .about(name.clone()),
                );
                CertificateClass::KnownInterception
            }
            Some(k) => {
                debug_assert_eq!(k.category, KnownCaCategory::GovernmentRoot);
                findings.push(
                    Finding::new(
                        FindingCode::GovernmentRoot,
                        Severity::Warning,
                        crate::engine::messages::known(
                            Message::new("finding-installed-government-root"),
                            k,
                        ),
                    )
                    .about(name.clone()),
                );
                CertificateClass::NonPublicRoot
            }
            None if !cert_info.is_ca && !cert_info.self_issued => {
                findings.push(
                    Finding::new(
                        FindingCode::WrongKeyUsage,
                        Severity::Info,
                        Message::new("finding-store-not-a-ca").arg("name", &name),
                    )
                    .about(name.clone()),
                );
                CertificateClass::NotACa
            }
            None if info.distrusted.is_some() => {
                findings.push(
                    Finding::new(
                        FindingCode::DistrustedRoot,
                        Severity::Warning,
                        distrusted_message(
                            "finding-store-distrusted",
                            &name,
                            info.distrusted.as_ref(),
                        ),
                    )
                    .about(name.clone()),
                );
                CertificateClass::NonPublicRoot
            }
            None if info.class == crate::verdict::AnchorClass::PublicRoot => {
                CertificateClass::PublicRoot
            }
            None => {
                findings.push(
                    Finding::new(
                        FindingCode::NonPublicAnchor,
                        Severity::Warning,
                        Message::new("finding-store-non-public")
                            .arg("name", &name)
                            .arg("user_added", user_added),
                    )
                    .about(name.clone()),
                );
                CertificateClass::NonPublicRoot
            }
        };
        if let (Some(d), Some(_)) = (&info.distrusted, &known) {
            // blocked by browsers and also removed from the root programs
            findings.push(
                Finding::new(
                    FindingCode::DistrustedRoot,
                    Severity::Warning,
                    distrusted_message("finding-store-also-distrusted", &name, Some(d)),
                )
                .about(name.clone()),
            );
        }
        if now > cert_info.not_after {
            findings.push(
                Finding::new(
                    FindingCode::Expired,
                    Severity::Info,
                    Message::new("finding-expired")
                        .arg("name", &name)
                        .arg("date", crate::facts::rfc3339(cert_info.not_after)),
                )
                .about(name.clone()),
            );
        }
        if cert_info.key.is_weak() {
            findings.push(
                Finding::new(
                    FindingCode::WeakKey,
                    Severity::Info,
                    Message::new("finding-store-weak-key")
                        .arg("name", &name)
                        .arg("bits", cert_info.key.bits)
                        .arg(
                            "algorithm",
                            crate::facts::key_algorithm_name(&cert_info.key.algorithm),
                        ),
                )
                .about(name.clone()),
            );
        }
        Verdict::sort_findings(&mut findings);
        let label = known
            .as_ref()
            .map(|k| k.label.clone())
            .or_else(|| programs::program_root_name(&spki).map(str::to_string));
        // The report's display strings, made here from the typed reading.
        let facts = CertificateFacts::from_info(cert, cert_info);
        AuditEntry {
            index,
            subject: facts.subject.clone(),
            spki_sha256: spki.hex(),
            spki_sha256_b64: spki.base64(),
            class,
            label,
            programs: info.programs,
            known,
            distrusted: info.distrusted,
            user_added,
            findings,
            facts,
        }
    }
}

/// A store certificate removed from the root programs for cause: its name, year and reason.
fn distrusted_message(
    id: &'static str,
    name: &str,
    d: Option<&crate::anchors::programs::Distrusted>,
) -> Message {
    let m = Message::new(id).arg("name", name);
    match d {
        Some(d) => {
            crate::engine::messages::distrust_reason(m.arg("removed", &d.removed), &d.reason)
        }
        None => crate::engine::messages::distrust_reason(m.arg("removed", "?"), "?"),
    }
}

//! The checker's report model: what a small app screen (or the CLI) tells a person after the
//! trust-store audit and the probes, in plain language, with what to do.
//!
//! Built here, once, so that Android, iOS and the desktop say the same thing. The Kotlin and
//! Swift `Checker`s only gather the inputs (the store, the probes) and show this.

use serde::Serialize;

mod lists;

use lists::{entry_name, InstalledKind};
pub use lists::{CheckedSite, InstalledCertificate, SiteGroup};

use crate::audit::AuditReport;
use crate::i18n::{Lang, Message};
use crate::probe::{CheckVerdict, ProbeErrorCode, ProbeResult};
use crate::verdict::Severity;

/// Where the person is: the removal steps differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DevicePlatform {
    /// Android phones and tablets.
    Android,
    /// iPhone and iPad.
    Ios,
    /// Desktops (the `qorgan` CLI).
    Desktop,
}

/// The one-word answer for the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// Nothing could be checked: nothing was learned. The headline says why: the device is
    /// offline, the sites are blocked, the connections were refused, or the servers do not
    /// speak TLS.
    Offline,
    /// No interception seen.
    Safe,
    /// Something needs attention, but no interception was seen.
    Warning,
    /// Traffic is being intercepted, or a root that allows it is installed.
    Intercepted,
}

/// One thing to tell the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckAdvice {
    /// How much it matters.
    pub severity: Severity,
    /// A short title.
    pub title: String,
    /// What it means, in plain language.
    pub explanation: String,
    /// What to do about it.
    pub action: String,
    /// The site it is about, if any.
    pub host: Option<String>,
    /// The certificate authority it is about, if any.
    pub certificate_authority: Option<String>,
}

/// What the screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckerReport {
    /// The overall answer.
    pub status: CheckStatus,
    /// One sentence for the top of the screen.
    pub headline: String,
    /// Each thing to tell, most severe first.
    pub advice: Vec<CheckAdvice>,
    /// Sites probed.
    pub hosts_checked: u32,
    /// Sites that could not be reached.
    pub hosts_unreachable: u32,
    /// Sites whose connection was intercepted.
    pub hosts_intercepted: u32,
    /// Every probed site with a short verdict, grouped by the authority that vouched for it:
    /// interception first, then refused, public and not reached.
    pub site_groups: Vec<SiteGroup>,
    /// The certificates a person, an app or a profile installed, and any known interception
    /// CA the device trusts, each with what it is and how to remove it (most severe first).
    /// Empty when the platform let no audit be made (iOS).
    pub installed: Vec<InstalledCertificate>,
}

impl DevicePlatform {
    /// The selector of the catalogs' platform-specific messages.
    fn code(self) -> &'static str {
        match self {
            DevicePlatform::Android => "android",
            DevicePlatform::Ios => "ios",
            DevicePlatform::Desktop => "desktop",
        }
    }
}

/// Says messages in one language.
struct Say(Lang);

impl Say {
    fn msg(&self, m: Message) -> String {
        m.render(self.0)
    }

    fn id(&self, id: &'static str) -> String {
        Message::new(id).render(self.0)
    }

    /// How to remove a certificate on this platform, after a lead-in ("If you do not know why
    /// it is there:") when there is one.
    fn removal(&self, platform: DevicePlatform, lead: Option<&'static str>) -> String {
        let steps = self.msg(Message::new("checker-removal").arg("platform", platform.code()));
        match lead {
            Some(lead) => format!("{} {steps}", self.id(lead)),
            None => steps,
        }
    }

    /// "a.com", "a.com and b.com", "a.com, b.com and 3 more".
    fn sites(&self, hosts: &[String]) -> String {
        let first = hosts.first().cloned().unwrap_or_default();
        let second = hosts.get(1).cloned().unwrap_or_default();
        self.msg(
            Message::new("checker-sites")
                .arg("count", hosts.len())
                .arg("first", first)
                .arg("second", second)
                .arg("rest", hosts.len().saturating_sub(2)),
        )
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Builds the screen's model from an audit of the device's store (when the platform lets one
/// be made) and the probes, in English. See [`checker_report_in`].
pub fn checker_report(
    audit: Option<&AuditReport>,
    probes: &[ProbeResult],
    platform: DevicePlatform,
) -> CheckerReport {
    checker_report_in(audit, probes, platform, Lang::En)
}

/// Builds the screen's model, its sentences in `lang`.
pub fn checker_report_in(
    audit: Option<&AuditReport>,
    probes: &[ProbeResult],
    platform: DevicePlatform,
    lang: Lang,
) -> CheckerReport {
    let say = Say(lang);
    let mut advice = Vec::new();

    if let Some(audit) = audit {
        for e in &audit.certificates {
            let name = entry_name(e);
            let kind = InstalledKind::of(e);
            let (title, action) = match kind {
                InstalledKind::Interception(_) => (
                    say.id("checker-installed-interception-title"),
                    say.removal(platform, None),
                ),
                InstalledKind::Blocked => (
                    say.id("checker-installed-blocked-title"),
                    say.removal(platform, None),
                ),
                InstalledKind::NonPublic(kind) => (
                    say.msg(Message::new("checker-installed-non-public-title").arg("kind", kind)),
                    say.removal(platform, Some("checker-if-unknown")),
                ),
                InstalledKind::Public | InstalledKind::NotACa => continue,
            };
            advice.push(CheckAdvice {
                severity: kind.severity(),
                title,
                explanation: kind.what_it_is(&say, &name),
                action,
                host: None,
                certificate_authority: Some(name),
            });
        }
    }

    let mut intercepted = 0usize;
    let mut unreachable = 0usize;
    // Interception is grouped by who does it: ten sites behind one CA are one thing to fix. The
    // screen's site groups already are those groups.
    let site_groups = lists::site_groups(probes, &say);
    for p in probes {
        let ca = probe_ca(p);
        let host = p.host.clone();
        let item = match p.verdict {
            CheckVerdict::Trusted => continue,
            CheckVerdict::PinViolation => {
                // Not a device-only CA (the one that vouched may be public): the app's pins say
                // this is not the site's certificate. The finding says which pins.
                intercepted += 1;
                CheckAdvice {
                    severity: Severity::Critical,
                    title: say.msg(Message::new("checker-pinned-title").arg("host", &host)),
                    explanation: localized_main_finding(p, lang),
                    action: say.msg(Message::new("checker-untrusted-action").arg("host", &host)),
                    host: Some(host),
                    certificate_authority: ca,
                }
            }
            CheckVerdict::InterceptedKnown | CheckVerdict::InterceptedLocal => {
                intercepted += 1;
                continue;
            }
            CheckVerdict::Untrusted => CheckAdvice {
                severity: Severity::Warning,
                title: say.msg(Message::new("checker-untrusted-title").arg("host", &host)),
                explanation: say.msg(Message::new("checker-untrusted-text").arg("host", &host)),
                action: say.msg(Message::new("checker-untrusted-action").arg("host", &host)),
                host: Some(host),
                certificate_authority: ca,
            },
            CheckVerdict::Invalid => {
                // The finding's own sentence, whole: pasting it into another sentence doubled
                // its words ("The certificate is the certificate is not for ...").
                let problem = localized_main_finding(p, lang);
                CheckAdvice {
                    severity: Severity::Warning,
                    title: say.msg(Message::new("checker-invalid-title").arg("host", &host)),
                    explanation: say
                        .msg(Message::new("checker-invalid-text").arg("problem", problem)),
                    action: say.id("checker-invalid-action"),
                    host: Some(host),
                    certificate_authority: ca,
                }
            }
            CheckVerdict::Unreachable => {
                unreachable += 1;
                let code = p.error.as_ref().map(|e| e.code);
                if code != Some(ProbeErrorCode::ResetAfterClientHello) {
                    continue;
                }
                CheckAdvice {
                    severity: Severity::Info,
                    title: say.msg(Message::new("checker-blocked-title").arg("host", &host)),
                    explanation: say.id("checker-blocked-text"),
                    action: say.id("checker-blocked-action"),
                    host: Some(host),
                    certificate_authority: None,
                }
            }
        };
        advice.push(item);
    }
    for g in &site_groups {
        let (known, ca) = match g.sites.first().map(|s| s.verdict) {
            Some(CheckVerdict::InterceptedKnown) => (true, g.certificate_authority.clone()),
            Some(CheckVerdict::InterceptedLocal) => (false, g.certificate_authority.clone()),
            _ => continue,
        };
        let hosts: Vec<String> = g.sites.iter().map(|s| s.host.clone()).collect();
        let sites = say.sites(&hosts);
        let host = (hosts.len() == 1).then(|| hosts[0].clone());
        let ca_text = ca.clone().unwrap_or_default();
        advice.push(if known {
            CheckAdvice {
                severity: Severity::Critical,
                title: say.msg(
                    Message::new("checker-intercepted-known-title")
                        .arg("count", hosts.len())
                        .arg("sites", &sites),
                ),
                explanation: say.msg(
                    Message::new("checker-intercepted-known-text")
                        .arg("count", hosts.len())
                        .arg("sites", &sites)
                        .arg("ca", &ca_text)
                        .arg("ca_known", ca.is_some()),
                ),
                action: format!(
                    "{} {}",
                    say.msg(Message::new("checker-intercepted-known-action").arg("sites", &sites)),
                    say.removal(platform, None)
                ),
                host,
                certificate_authority: ca,
            }
        } else {
            CheckAdvice {
                severity: Severity::Critical,
                title: say.msg(
                    Message::new("checker-intercepted-local-title")
                        .arg("count", hosts.len())
                        .arg("sites", &sites),
                ),
                explanation: say.msg(
                    Message::new("checker-intercepted-local-text")
                        .arg("sites", &sites)
                        .arg("ca", &ca_text)
                        .arg("ca_known", ca.is_some()),
                ),
                action: say.removal(platform, Some("checker-if-unexpected")),
                host,
                certificate_authority: ca,
            }
        });
    }
    crate::verdict::sort_by_rank(&mut advice, |a| a.severity.rank());

    let reached = probes.len() - unreachable;
    let any_critical = advice.iter().any(|a| a.severity == Severity::Critical);
    let any_warning = advice.iter().any(|a| a.severity == Severity::Warning);
    let status = if any_critical {
        CheckStatus::Intercepted
    } else if any_warning {
        CheckStatus::Warning
    } else if reached == 0 && audit.is_none_or(|a| a.summary.total == 0) {
        CheckStatus::Offline
    } else {
        CheckStatus::Safe
    };
    let headline = match status {
        CheckStatus::Intercepted if intercepted > 0 => say.msg(
            Message::new("checker-headline-intercepted")
                .arg("intercepted", intercepted)
                .arg("checked", probes.len()),
        ),
        CheckStatus::Intercepted => say.id("checker-headline-installed"),
        CheckStatus::Warning => say.id("checker-headline-warning"),
        CheckStatus::Safe if reached > 0 => {
            say.msg(Message::new("checker-headline-safe-sites").arg("reached", reached))
        }
        CheckStatus::Safe => say.id("checker-headline-safe-store"),
        CheckStatus::Offline => say.id(unreachable_headline(probes)),
    };
    CheckerReport {
        status,
        headline,
        advice,
        hosts_checked: count(probes.len()),
        hosts_unreachable: count(unreachable),
        hosts_intercepted: count(intercepted),
        site_groups,
        installed: lists::installed(audit, platform, &say),
    }
}

/// The sentence of the finding that explains a probe's verdict, in `lang`.
fn localized_main_finding(p: &ProbeResult, lang: Lang) -> String {
    p.main_finding()
        .map(|f| {
            let mut f = f.clone();
            f.localize(lang);
            f.message
        })
        .unwrap_or_default()
}

/// The authority a probe's chain went through: a known CA by its own name (the label carries
/// notes), another anchor by its subject, else the subject the first finding names.
fn probe_ca(p: &ProbeResult) -> Option<String> {
    p.anchor
        .as_ref()
        .map(|a| {
            a.known
                .as_ref()
                .map_or_else(|| a.subject.clone(), |k| k.name.clone())
        })
        .or_else(|| p.findings.first().and_then(|f| f.subject.clone()))
}

/// Why no site could be checked, as the headline's id. Offline only when nothing resolved and
/// nothing connected anywhere; blocking (a cut after the ClientHello, a TLS alert, a timeout
/// after connecting, or timeouts for only some names) before a plain-HTTP answer before a
/// refused or unreachable host.
fn unreachable_headline(probes: &[ProbeResult]) -> &'static str {
    let codes: Vec<(ProbeErrorCode, bool)> = probes
        .iter()
        .filter_map(|p| p.error.as_ref().map(|e| (e.code, p.address.is_some())))
        .collect();
    let any = |f: &dyn Fn(ProbeErrorCode, bool) -> bool| codes.iter().any(|(c, a)| f(*c, *a));
    let offline_like = |c: ProbeErrorCode, connected: bool| {
        matches!(
            c,
            ProbeErrorCode::DnsFailed | ProbeErrorCode::Timeout | ProbeErrorCode::ConnectFailed
        ) && !connected
    };
    let timeouts = codes
        .iter()
        .filter(|(c, _)| *c == ProbeErrorCode::Timeout)
        .count();
    let blocked = any(&|c, connected| {
        matches!(
            c,
            ProbeErrorCode::ResetAfterClientHello | ProbeErrorCode::TlsAlert
        ) || (c == ProbeErrorCode::Timeout && connected)
    }) || (timeouts > 0
        && timeouts < codes.len()
        && !codes.iter().all(|(c, a)| offline_like(*c, *a)));
    if codes.is_empty() || codes.iter().all(|(c, a)| offline_like(*c, *a)) && !blocked {
        "checker-headline-offline"
    } else if blocked {
        "checker-headline-blocked"
    } else if any(&|c, _| c == ProbeErrorCode::NotTls) {
        "checker-headline-not-tls"
    } else if any(&|c, _| {
        matches!(
            c,
            ProbeErrorCode::ConnectionRefused | ProbeErrorCode::ConnectFailed
        )
    }) {
        "checker-headline-refused"
    } else {
        "checker-headline-unreachable"
    }
}

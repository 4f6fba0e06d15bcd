//! The checker's report model: what a small app screen (or the CLI) tells a person after the
//! trust-store audit and the probes, in plain language, with what to do.
//!
//! Built here, once, so that Android, iOS and the desktop say the same thing. The Kotlin and
//! Swift `Checker`s only gather the inputs (the store, the probes) and show this.

use serde::Serialize;

use crate::anchors::known::KnownCaCategory;
use crate::audit::{AuditReport, CertificateClass};
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
    /// Nothing could be checked (no network): nothing was learned.
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
}

fn removal_steps(platform: DevicePlatform) -> &'static str {
    match platform {
        DevicePlatform::Android => "Remove it: open Settings › Security (or Security & privacy) › More security settings › Encryption & credentials › Trusted credentials › User, tap the certificate and choose Remove. If a work profile or an app installed it, remove that profile or app.",
        DevicePlatform::Ios => "Remove it: open Settings › General › VPN & Device Management, tap the profile that installed it and choose Remove Profile; then check Settings › General › About › Certificate Trust Settings. If your device is managed by an organisation, ask it.",
        DevicePlatform::Desktop => "Remove it from the system's trust store (on Linux: /usr/local/share/ca-certificates, then update-ca-certificates; on macOS: Keychain Access › System; on Windows: certmgr.msc › Trusted Root Certification Authorities).",
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// "a.com", "a.com and b.com", "a.com, b.com and 3 more".
fn host_list(hosts: &[String]) -> String {
    match hosts {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Builds the screen's model from an audit of the device's store (when the platform lets one
/// be made) and the probes.
pub fn checker_report(
    audit: Option<&AuditReport>,
    probes: &[ProbeResult],
    platform: DevicePlatform,
) -> CheckerReport {
    let mut advice = Vec::new();
    let removal = removal_steps(platform);

    if let Some(audit) = audit {
        for e in &audit.certificates {
            let name = e.label.clone().unwrap_or_else(|| e.facts.display_name());
            match (e.class, e.known.as_ref()) {
                (CertificateClass::KnownInterception, Some(k)) if k.category != KnownCaCategory::Blocked => {
                    advice.push(CheckAdvice {
                        severity: Severity::Critical,
                        title: "An interception certificate is installed".into(),
                        explanation: format!(
                            "\"{name}\" is {}. While it is trusted on this device, {} can read and change everything you send over HTTPS (passwords, messages, payments) without any warning.",
                            k.category.describe(),
                            k.party
                        ),
                        action: removal.into(),
                        host: None,
                        certificate_authority: Some(name),
                    });
                }
                (CertificateClass::KnownInterception, _) => advice.push(CheckAdvice {
                    severity: Severity::Warning,
                    title: "A certificate authority that browsers block is trusted".into(),
                    explanation: format!(
                        "\"{name}\" was distrusted by browsers after a compromise or misconduct. Certificates it issues should not be believed."
                    ),
                    action: removal.into(),
                    host: None,
                    certificate_authority: Some(name),
                }),
                (CertificateClass::NonPublicRoot, known) => {
                    let government = known.is_some_and(|k| k.category == KnownCaCategory::GovernmentRoot);
                    advice.push(CheckAdvice {
                        severity: Severity::Warning,
                        title: if government {
                            "A government root certificate is installed".into()
                        } else if e.user_added {
                            "A certificate authority was installed on this device".into()
                        } else {
                            "A certificate authority outside every public program is trusted".into()
                        },
                        explanation: format!(
                            "\"{name}\" is not part of any public root program. Whoever holds its key can create a certificate for any website, and this device will believe it: they could read and change your HTTPS traffic. Employers, schools and some apps install such certificates on purpose."
                        ),
                        action: format!("If you do not know why it is there, {}", lower_first(removal)),
                        host: None,
                        certificate_authority: Some(name),
                    });
                }
                _ => {}
            }
        }
    }

    let mut intercepted = 0usize;
    let mut unreachable = 0usize;
    // Interception is grouped by who does it: ten sites behind one CA are one thing to fix.
    let mut groups: Vec<(bool, Option<String>, Vec<String>)> = Vec::new();
    for p in probes {
        let ca = p
            .anchor
            .as_ref()
            .map(|a| a.name().to_string())
            .or_else(|| p.findings.first().and_then(|f| f.subject.clone()));
        let host = p.host.clone();
        let item = match p.verdict {
            CheckVerdict::Trusted => continue,
            CheckVerdict::InterceptedKnown | CheckVerdict::InterceptedLocal | CheckVerdict::PinViolation => {
                intercepted += 1;
                let known = p.verdict == CheckVerdict::InterceptedKnown;
                match groups.iter_mut().find(|g| g.0 == known && g.1 == ca) {
                    Some(g) => g.2.push(host),
                    None => groups.push((known, ca, vec![host])),
                }
                continue;
            }
            CheckVerdict::Untrusted => CheckAdvice {
                severity: Severity::Warning,
                title: format!("{host} answered with a certificate nobody trusts"),
                explanation: format!(
                    "Something between you and {host} presented a certificate that no trusted authority vouches for. Your device refuses such connections, so nothing was read, but it can mean someone is trying to intercept."
                ),
                action: format!("Never accept a certificate warning for {host}. Try again on another network."),
                host: Some(host),
                certificate_authority: ca,
            },
            CheckVerdict::Invalid => CheckAdvice {
                severity: Severity::Warning,
                title: format!("{host} answered with a certificate that does not fit"),
                explanation: format!(
                    "The certificate is {}. A captive portal (hotel or airport Wi-Fi), a wrong clock on this device, or an interception attempt can cause this; your device refuses the connection.",
                    p.main_finding()
                        .map(|f| f.message.trim_end_matches('.').to_lowercase())
                        .unwrap_or_else(|| "not valid here".into())
                ),
                action: "Check that this device's date and time are right, sign in to the Wi-Fi if it asks, and try again.".into(),
                host: Some(host),
                certificate_authority: ca,
            },
            CheckVerdict::Unreachable => {
                unreachable += 1;
                let code = p.error.as_ref().map(|e| e.code);
                if code != Some(ProbeErrorCode::ResetAfterClientHello) {
                    continue;
                }
                CheckAdvice {
                    severity: Severity::Info,
                    title: format!("{host} seems to be blocked on this network"),
                    explanation: "The connection was cut as soon as the site's name was sent. This is how networks usually block a site by name; it is not interception, and nothing was read.".into(),
                    action: "A trusted VPN or another network may reach it.".into(),
                    host: Some(host),
                    certificate_authority: None,
                }
            }
        };
        advice.push(item);
    }
    for (known, ca, hosts) in groups {
        let ca_text = ca
            .clone()
            .unwrap_or_else(|| "an unknown certificate authority".into());
        let sites = host_list(&hosts);
        let host = (hosts.len() == 1).then(|| hosts[0].clone());
        advice.push(if known {
            CheckAdvice {
                severity: Severity::Critical,
                title: if hosts.len() == 1 {
                    format!("Your connection to {sites} is being intercepted")
                } else {
                    format!("Your connections to {} sites are being intercepted", hosts.len())
                },
                explanation: format!(
                    "Someone between you and {sites} (your network operator, or whoever controls it) replaced {} from {ca_text}, a known interception authority. They can read and change what you send there, including passwords.",
                    if hosts.len() == 1 {
                        "the site's certificate with one"
                    } else {
                        "the sites' certificates with ones"
                    }
                ),
                action: format!(
                    "Do not sign in or send anything private to {sites} on this network. Switch to another network (mobile data, another Wi-Fi) or a VPN you trust, and if a certificate with this name is installed on your device, {}",
                    lower_first(removal)
                ),
                host,
                certificate_authority: ca,
            }
        } else {
            CheckAdvice {
                severity: Severity::Critical,
                title: if hosts.len() == 1 {
                    format!("Your connection to {sites} goes through a certificate installed on this device")
                } else {
                    format!("Your connections to {} sites go through a certificate installed on this device", hosts.len())
                },
                explanation: format!(
                    "{sites} {} vouched for by \"{ca_text}\", which this device trusts but no public root program does. Whoever holds it can read and change what you send there. This is how company networks inspect traffic, and how government interception worked in Kazakhstan.",
                    if hosts.len() == 1 { "was" } else { "were" }
                ),
                action: format!("If you did not expect this, {}", lower_first(removal)),
                host,
                certificate_authority: ca,
            }
        });
    }
    advice.sort_by_key(|a| std::cmp::Reverse(a.severity));

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
        CheckStatus::Intercepted if intercepted > 0 => format!(
            "Your HTTPS traffic is being intercepted: {intercepted} of {} sites checked.",
            probes.len()
        ),
        CheckStatus::Intercepted => {
            "A certificate that allows interception is installed on this device.".into()
        }
        CheckStatus::Warning => "No interception seen, but something needs your attention.".into(),
        CheckStatus::Safe if reached > 0 => {
            format!("No interception seen on the {reached} sites that answered.")
        }
        CheckStatus::Safe => "No interception certificate is installed.".into(),
        CheckStatus::Offline => "Nothing could be checked: this device seems to be offline.".into(),
    };
    CheckerReport {
        status,
        headline,
        advice,
        hosts_checked: count(probes.len()),
        hosts_unreachable: count(unreachable),
        hosts_intercepted: count(intercepted),
    }
}

//! The pin check as the engine runs it: on the validated chain only, with the debug override,
//! report-only and expiry rules, and OkHttp's ready-to-paste failure message.

use crate::cert::SpkiHash;
use crate::i18n::Message;
use crate::pinning::policy::{AnchorSource, PinPolicy, PinResult};
use crate::verdict::{AnchorClass, AnchorInfo, Finding, FindingCode, Severity};

/// One key of the validated chain, with what names it in a message.
pub(crate) struct ChainKey<'a> {
    pub spki: SpkiHash,
    /// Its subject, when already known.
    pub name: Option<String>,
    /// Its DER, to find the subject only when a message needs it (the fast path).
    pub der: Option<&'a [u8]>,
}

impl ChainKey<'_> {
    fn subject(&self) -> String {
        if let Some(n) = &self.name {
            return n.clone();
        }
        self.der
            .and_then(|der| {
                let layout = crate::der::cert_layout(der).ok()?;
                let (s, e) = layout.subject;
                crate::names::read_text_and_common_name(&der[s..e]).map(|(text, _)| text)
            })
            .unwrap_or_else(|| "(subject unreadable)".into())
    }
}

/// Reports expired pins for `host` (for a chain that was not validated, so not pin-checked).
pub(crate) fn expired_pins(policy: &PinPolicy, host: &str, now: i64, findings: &mut Vec<Finding>) {
    if let Some(rule) = policy.rule_for(host) {
        if rule.is_pinned() && rule.is_expired(now) {
            findings.push(expired_finding(rule, host));
        }
    }
}

fn expired_finding(rule: &crate::pinning::DomainRule, host: &str) -> Finding {
    Finding::new(
        FindingCode::PinPolicyExpired,
        Severity::Warning,
        Message::new("finding-pin-policy-expired")
            .arg("pattern", rule.pattern())
            .arg("date", rule.expiration.as_deref().unwrap_or("?"))
            .arg("host", host),
    )
}

/// True when a debug override lets this anchor bypass pins.
fn debug_override_applies(policy: &PinPolicy, anchor: &AnchorInfo, anchor_spki: SpkiHash) -> bool {
    let Some(d) = policy.debug_overrides() else {
        return false;
    };
    if !d.override_pins || anchor.known.is_some() || anchor.class == AnchorClass::KnownInterception
    {
        return false;
    }
    d.sources.iter().any(|s| match s {
        AnchorSource::System => anchor.class == AnchorClass::PublicRoot,
        AnchorSource::User => {
            anchor.user_added || (anchor.from_caller && anchor.class == AnchorClass::NonPublicRoot)
        }
        AnchorSource::Key(k) => *k == anchor_spki,
    })
}

/// Checks `keys` (the validated chain, leaf first, anchor last) against the rule for `host`
/// and records the outcome as findings: nothing when no pin applies or a pin matches,
/// `pin_policy_expired` for expired pins, `pin_mismatch` (critical when enforced, warning when
/// report-only or overridden in a debug build) otherwise.
#[allow(clippy::too_many_arguments)]
pub(crate) fn check_pins(
    policy: &PinPolicy,
    host: &str,
    keys: &[ChainKey<'_>],
    anchor: &AnchorInfo,
    anchor_spki: SpkiHash,
    dangerous_debug_build: bool,
    now: i64,
    findings: &mut Vec<Finding>,
) {
    let spkis: Vec<SpkiHash> = keys.iter().map(|k| k.spki).collect();
    let ev = policy.evaluate(host, &spkis, now);
    let Some(rule) = ev.rule else { return };
    match ev.result {
        PinResult::NotPinned | PinResult::Success => {}
        PinResult::PolicyExpired => findings.push(expired_finding(rule, host)),
        PinResult::NoMatchingPin => {
            let overridden =
                dangerous_debug_build && debug_override_applies(policy, anchor, anchor_spki);
            let chain: String = keys
                .iter()
                .map(|k| format!("\n    {}: {}", k.spki.pin(), k.subject()))
                .collect();
            let pins: String = rule
                .pins
                .iter()
                .map(|p| format!("\n    {}", p.pin()))
                .collect();
            let (severity, enforcement) = if overridden {
                (Severity::Warning, "debug_override")
            } else if !rule.enforce {
                (Severity::Warning, "report_only")
            } else {
                (Severity::Critical, "enforced")
            };
            let msg = Message::new("finding-pin-mismatch")
                .arg("chain", chain)
                .arg("host", host)
                .arg("pins", pins)
                .arg("pattern", rule.pattern())
                .arg("enforcement", enforcement)
                .arg("subject", &anchor.subject);
            findings.push(Finding::new(FindingCode::PinMismatch, severity, msg));
        }
    }
}

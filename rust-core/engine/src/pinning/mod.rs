//! In-app certificate pinning: per-domain SPKI pin sets, from Android's Network Security
//! Config XML, a JSON file with the same meaning, or a builder.
//!
//! The threat: a CA the app's user did not choose, or chose under pressure (a government root
//! installed "for security", an enterprise proxy, a forensic tool), issues a certificate for
//! the app's server; the platform accepts the chain; the app talks to the interceptor. Pins
//! name the keys the app expects, so such a chain fails even though the platform trusts it.
//!
//! Safer to operate than OkHttp's `CertificatePinner` and TrustKit:
//! - The policy is checked when it is loaded ([`PolicyError`] says what to fix, with a line and
//!   column for XML); risky choices are [`PolicyWarning`]s, not crashes: a single pin (no
//!   backup), an expired pin set, `overridePins` outside `<debug-overrides>`.
//! - Pins are checked on the chain the platform validated, never on what the server sent: a
//!   CA certificate the server adds outside the validated path cannot satisfy a pin
//!   (TrustKit's rule). A locally installed anchor never bypasses pins; only an explicit
//!   `<debug-overrides>` with `overridePins="true"`, in an engine built with
//!   `dangerous_debug_build`, does, and the mismatch is still reported.
//! - One rule applies to a host, the most specific (see [`PinPolicy`] and `policy.rs`'s
//!   documentation, including where OkHttp's union of matching patterns differs).
//! - Expired pins are not enforced (the app fails open, not bricked) and say so every time
//!   (`pin_policy_expired`).
//! - A mismatch message lists the chain's pins and the configured ones, ready to paste, as
//!   OkHttp's does.
//!
//! Warning, as OkHttp says: pinning is dangerous. A pin set that no longer matches your
//! server's keys locks every installed copy of the app out until users update. Pin at least
//! two keys (one a backup you hold or a second CA's), set an expiration, and use report-only
//! first.

mod error;
mod evaluate;
mod idn;
mod json;
mod nsc;
mod policy;
mod psl;
mod xml;

pub use error::{PolicyError, PolicyErrorKind, PolicyLocation, PolicyWarning, PolicyWarningKind};
pub use idn::IdnError;
pub use nsc::ResourceResolver;
pub use policy::{
    AnchorSource, DebugOverrides, DomainRule, DomainScope, PinEvaluation, PinPolicy,
    PinPolicyBuilder, PinResult, PolicyFormat, MAX_POLICY_BYTES,
};

pub(crate) use evaluate::{check_pins, expired_pins, ChainKey};

use policy::{validate, PolicyFormat as F};

impl PinPolicy {
    /// Loads a policy from text, Network Security Config XML or JSON, told apart by the first
    /// character that is not white space (`<` or `{`).
    pub fn from_text(text: &str) -> Result<Self, PolicyError> {
        Self::from_text_with(text, None)
    }

    /// As [`PinPolicy::from_text`], with a way to read the certificates behind
    /// `src="@raw/name"` trust anchors of an XML policy.
    pub fn from_text_with(
        text: &str,
        resolver: Option<ResourceResolver<'_>>,
    ) -> Result<Self, PolicyError> {
        if text.len() > MAX_POLICY_BYTES {
            return Err(PolicyError::new(
                PolicyErrorKind::TooLarge {
                    size: text.len(),
                    limit: MAX_POLICY_BYTES,
                },
                None,
            ));
        }
        let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        match start.chars().next() {
            Some('<') => Self::from_nsc_xml_with(text, resolver),
            Some('{') => Self::from_json(text),
            _ => Err(PolicyError::new(PolicyErrorKind::UnknownFormat, None)),
        }
    }

    /// Loads an Android Network Security Config file as-is
    /// (`res/xml/network_security_config.xml`).
    pub fn from_nsc_xml(xml: &str) -> Result<Self, PolicyError> {
        Self::from_nsc_xml_with(xml, None)
    }

    /// As [`PinPolicy::from_nsc_xml`], reading `@raw/...` trust anchors through `resolver`.
    pub fn from_nsc_xml_with(
        xml: &str,
        resolver: Option<ResourceResolver<'_>>,
    ) -> Result<Self, PolicyError> {
        let raw = nsc::parse(xml, resolver)?;
        validate(raw, F::NetworkSecurityConfig, crate::engine::now_unix())
    }

    /// Loads a policy in Qorgan's JSON format (documented in `pinning/json.rs`).
    pub fn from_json(text: &str) -> Result<Self, PolicyError> {
        let raw = json::parse(text)?;
        validate(raw, F::Json, crate::engine::now_unix())
    }
}

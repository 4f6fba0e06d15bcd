//! Reports: what an app sends home when a connection was refused or would have been.
//!
//! The JSON follows RFC 7469 section 3 and TrustKit's reports so that existing collectors read
//! it; Qorgan adds its verdict, findings and the interception CA if any.
//!
//! | key | from |
//! |---|---|
//! | `date-time` | when the report was made, RFC 3339 (`2015-06-08T01:58:05Z`) |
//! | `hostname`, `port` | the connection |
//! | `noted-hostname` | the domain of the pin rule that applied (the host itself when none did) |
//! | `include-subdomains` | whether that rule reaches below its domain (`**.`, `*.`, includeSubdomains) |
//! | `effective-expiration-date` | the rule's pin expiration, RFC 3339, or `null` |
//! | `enforce-pinning` | `false` for a report-only rule (TrustKit's key) |
//! | `known-pins` | the rule's pins as `pin-sha256="<base64>"` (RFC 7469 syntax) |
//! | `served-certificate-chain` | what the server sent, PEM |
//! | `validated-certificate-chain` | what the platform validated, PEM (empty when it failed) |
//! | `validation-result` | TrustKit's codes: 0 success, 1 no matching pin, 2 chain not trusted |
//! | `qorgan-verdict`, `qorgan-findings`, `qorgan-interception-ca` | Qorgan's answer |
//! | `qorgan-bundle` | the signed bundle in use (`version`, `issued`, `expires`, `key-id`), only with one ([`Report::with_bundle`]) |
//!
//! The app fields of TrustKit (`app-bundle-id`, `app-version`, `app-platform`, ...) are added by
//! the Kotlin and Swift uploaders, which know them.

use base64::Engine as _;
use serde_json::{json, Value};

use crate::bundle::BundleInfo;

use crate::facts::rfc3339;
use crate::pinning::{DomainScope, PinPolicy};
use crate::verdict::{FindingCode, Verdict, VerdictKind};

/// TrustKit's `validation-result`: the pins matched (or none applied).
pub const VALIDATION_SUCCESS: u32 = 0;
/// TrustKit's `validation-result`: no key of the validated chain is pinned.
pub const VALIDATION_NO_MATCHING_PIN: u32 = 1;
/// TrustKit's `validation-result`: the chain itself was not trusted.
pub const VALIDATION_CHAIN_NOT_TRUSTED: u32 = 2;

/// One report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The host connected to.
    pub hostname: String,
    /// The port connected to.
    pub port: u16,
    /// When, RFC 3339.
    pub date_time: String,
    /// Qorgan's verdict on the connection.
    pub verdict: Verdict,
    /// The known interception CA, when there is one.
    pub interception_ca: Option<String>,
    /// The chain the server sent, PEM.
    pub served_certificate_chain: Vec<String>,
    /// The chain the platform validated, PEM (empty when validation failed).
    pub validated_certificate_chain: Vec<String>,
    /// The domain of the pin rule that applied, or the host name when none did.
    pub noted_hostname: String,
    /// The rule reaches below its domain.
    pub include_subdomains: bool,
    /// `false` when the rule is report-only.
    pub enforce_pinning: bool,
    /// The rule's pin expiration, RFC 3339, when it has one.
    pub effective_expiration_date: Option<String>,
    /// The rule's pins, `pin-sha256="<base64>"`.
    pub known_pins: Vec<String>,
    /// TrustKit's code: 0 success, 1 no matching pin, 2 chain not trusted.
    pub validation_result: u32,
    /// Where the rule asks reports to go (empty when it names none).
    pub report_uris: Vec<String>,
    /// The whole report as JSON (RFC 7469 / TrustKit fields plus Qorgan's).
    pub json: String,
}

fn pem(der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut s = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        s.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        s.push('\n');
    }
    s.push_str("-----END CERTIFICATE-----\n");
    s
}

impl Report {
    /// Builds the report for a checked connection: `served` is what the server sent,
    /// `validated` what the platform validated (empty when validation failed), `now` the time
    /// (seconds since the epoch), `policy` the pin policy whose rule for the host fills the
    /// pin fields.
    pub fn new(
        hostname: String,
        port: u16,
        served: &[Vec<u8>],
        validated: &[Vec<u8>],
        verdict: Verdict,
        now: i64,
        policy: Option<&PinPolicy>,
    ) -> Self {
        let served: Vec<String> = served.iter().map(|d| pem(d)).collect();
        let validated: Vec<String> = validated.iter().map(|d| pem(d)).collect();
        let date_time = rfc3339(now);
        let interception_ca = verdict.interception_ca().map(str::to_string);
        let rule = policy.and_then(|p| p.rule_for(&hostname));
        let noted_hostname = rule
            .map(|r| r.domain.clone())
            .unwrap_or_else(|| hostname.clone());
        let include_subdomains = rule.is_some_and(|r| r.scope != DomainScope::Exact);
        let enforce_pinning = rule.is_none_or(|r| r.enforce);
        let effective_expiration_date = rule.and_then(|r| r.expiration_unix).map(rfc3339);
        let known_pins: Vec<String> = rule
            .map(|r| {
                r.pins
                    .iter()
                    .map(|p| format!("pin-sha256=\"{}\"", p.base64()))
                    .collect()
            })
            .unwrap_or_default();
        let report_uris = rule.map(|r| r.report_uris.clone()).unwrap_or_default();
        let validation_result = if validated.is_empty()
            || matches!(
                verdict.verdict,
                VerdictKind::Untrusted | VerdictKind::Invalid
            ) {
            VALIDATION_CHAIN_NOT_TRUSTED
        } else if verdict.has(FindingCode::PinMismatch) {
            VALIDATION_NO_MATCHING_PIN
        } else {
            VALIDATION_SUCCESS
        };
        let json = json!({
            "date-time": date_time,
            "hostname": hostname,
            "port": port,
            "noted-hostname": noted_hostname,
            "include-subdomains": include_subdomains,
            "effective-expiration-date": effective_expiration_date,
            "enforce-pinning": enforce_pinning,
            "served-certificate-chain": served,
            "validated-certificate-chain": validated,
            "known-pins": known_pins,
            "validation-result": validation_result,
            "qorgan-verdict": verdict.verdict.as_str(),
            "qorgan-findings": verdict.findings,
            "qorgan-interception-ca": interception_ca,
        })
        .to_string();
        Self {
            hostname,
            port,
            date_time,
            verdict,
            interception_ca,
            served_certificate_chain: served,
            validated_certificate_chain: validated,
            noted_hostname,
            include_subdomains,
            enforce_pinning,
            effective_expiration_date,
            known_pins,
            validation_result,
            report_uris,
            json,
        }
    }

    /// The report saying which signed bundle the engine's knowledge came from
    /// ([`crate::Engine::bundle_info`]): a `qorgan-bundle` object is added to its JSON. Without
    /// a bundle the report is unchanged.
    pub fn with_bundle(mut self, bundle: Option<&BundleInfo>) -> Self {
        let Some(b) = bundle else {
            return self;
        };
        if let Ok(Value::Object(mut map)) = serde_json::from_str::<Value>(&self.json) {
            map.insert(
                "qorgan-bundle".into(),
                json!({
                    "version": b.version,
                    "issued": b.issued,
                    "expires": b.expires,
                    "key-id": b.key_id,
                }),
            );
            self.json = Value::Object(map).to_string();
        }
        self
    }

    /// Same host, port, chains and result → same key.
    pub fn dedup_key(&self) -> [u8; 32] {
        let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
        ctx.update(self.hostname.as_bytes());
        ctx.update(&self.port.to_be_bytes());
        for c in self
            .served_certificate_chain
            .iter()
            .chain(&self.validated_certificate_chain)
        {
            ctx.update(c.as_bytes());
        }
        ctx.update(self.verdict.verdict.as_str().as_bytes());
        for f in &self.verdict.findings {
            ctx.update(f.message.as_bytes());
        }
        let mut out = [0u8; 32];
        out.copy_from_slice(ctx.finish().as_ref());
        out
    }
}

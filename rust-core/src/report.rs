//! Reports: what an app sends home when a connection was refused or would have been.
//!
//! The JSON follows RFC 7469 section 3 and TrustKit's reports so that existing collectors read
//! it; Qorgan adds its verdict, findings and the interception CA if any.

use base64::Engine as _;
use serde_json::json;

use crate::facts::rfc3339;
use crate::verdict::Verdict;

/// One report.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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
    pub(crate) fn new(
        hostname: String,
        port: u16,
        served: &[Vec<u8>],
        validated: &[Vec<u8>],
        verdict: Verdict,
        now: i64,
    ) -> Self {
        let served: Vec<String> = served.iter().map(|d| pem(d)).collect();
        let validated: Vec<String> = validated.iter().map(|d| pem(d)).collect();
        let date_time = rfc3339(now);
        let interception_ca = verdict.interception_ca().map(str::to_string);
        let json = json!({
            "date-time": date_time,
            "hostname": hostname,
            "port": port,
            "noted-hostname": hostname,
            "served-certificate-chain": served,
            "validated-certificate-chain": validated,
            "known-pins": [],
            "validation-result": if validated.is_empty() { 1 } else { 0 },
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
            json,
        }
    }

    /// Same host, port, chains and result → same key.
    pub(crate) fn dedup_key(&self) -> [u8; 32] {
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

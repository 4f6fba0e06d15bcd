//! One crossing per handshake (issue 14): what every shell decides on one connection, from one
//! verdict, so that Kotlin and Swift no longer keep their own copies of the rules that choose
//! the explaining finding or the responsible CA.
//!
//! Plain Rust: the FFI crate (`qorgan-ffi`, `Qorgan.evaluate_validated` and
//! `evaluate_rejected`) wraps a [`Decision`] with the verdict, the failure and the report into
//! the `Evaluation` record Kotlin and Swift see.

use crate::verdict::{AnchorClass, Finding, FindingCode, Verdict};

/// What a shell decides on one connection, given Qorgan's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Whether the connection may proceed under the caller's mode.
    pub acceptable: bool,
    /// Whether the verdict deserves a report ([`Verdict::needs_report`]).
    pub needs_report: bool,
    /// The finding that explains the verdict (the one a refusal names), if any.
    pub main_finding: Option<Finding>,
    /// The CA responsible (see [`responsible_ca`]).
    pub interception_ca: Option<String>,
    /// What the app's owner can do about a refusal (see [`Remedy`]).
    pub remedy: Remedy,
}

/// What the app's owner can do about a verdict; each shell words it in its own API
/// (`QorganTrustManager.Builder().allowAnchor(pin)`, `QorganConfig.allowedAnchorPins`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remedy {
    /// Nothing to configure (a trusted chain, a wrong host name, an expired certificate).
    None,
    /// The chain ends at a non-public root that is not a known interception CA and that the
    /// configuration does not allow yet: if it is the owner's own (an enterprise proxy, a test
    /// CA), allowing this pin lets it through (still reported).
    AllowAnchor {
        /// The anchor's pin, `sha256/<base64>`.
        pin: String,
    },
    /// A known interception CA: it can never be allowed; whoever holds its key can read the
    /// traffic, and the device's owner should remove it.
    RemoveKnownCa,
}

impl Remedy {
    /// The remedy for `verdict`.
    pub fn of(verdict: &Verdict) -> Self {
        use crate::verdict::VerdictKind;
        let Some(a) = verdict.anchor.as_ref() else {
            return if verdict.verdict == VerdictKind::InterceptedKnown {
                Remedy::RemoveKnownCa
            } else {
                Remedy::None
            };
        };
        if verdict.verdict == VerdictKind::InterceptedKnown
            || a.class == AnchorClass::KnownInterception
            || a.known.is_some()
        {
            return Remedy::RemoveKnownCa;
        }
        if verdict.verdict == VerdictKind::InterceptedLocal
            && a.class == AnchorClass::NonPublicRoot
            && !a.allowed
            && !verdict.has(FindingCode::KnownInterceptionCa)
        {
            return Remedy::AllowAnchor {
                pin: format!("sha256/{}", a.spki_sha256_b64),
            };
        }
        Remedy::None
    }
}

impl Decision {
    /// A chain the platform validated: acceptable in enforce mode when
    /// [`Verdict::is_acceptable`] says so, always in report-only mode.
    pub fn validated(verdict: &Verdict, enforce: bool) -> Self {
        Self::of(verdict, !enforce || verdict.is_acceptable())
    }

    /// A chain the platform rejected: never acceptable (Qorgan never accepts what the platform
    /// refused); the rest says who was in the middle.
    pub fn rejected(verdict: &Verdict) -> Self {
        Self::of(verdict, false)
    }

    /// Whether a connection may proceed when the engine could not decide: only a chain the
    /// platform validated, in report-only mode. Enforce mode fails closed.
    pub fn failure_acceptable(platform_validated: bool, enforce: bool) -> bool {
        platform_validated && !enforce
    }

    fn of(verdict: &Verdict, acceptable: bool) -> Self {
        Self {
            acceptable,
            needs_report: verdict.needs_report(),
            main_finding: verdict.main_finding().cloned(),
            interception_ca: responsible_ca(verdict),
            remedy: Remedy::of(verdict),
        }
    }
}

/// The CA responsible for a verdict: a known interception CA's label (or a government root's
/// name), else the non-public anchor's name. `None` when no CA is to blame (a wrong host name
/// under a public root, for example).
pub fn responsible_ca(verdict: &Verdict) -> Option<String> {
    if let Some(named) = verdict.findings.iter().find(|f| {
        matches!(
            f.code,
            FindingCode::KnownInterceptionCa | FindingCode::GovernmentRoot
        ) && f.subject.is_some()
    }) {
        return named.subject.clone();
    }
    if let Some(label) = verdict.interception_ca() {
        return Some(label.to_string());
    }
    let anchor = verdict.anchor.as_ref()?;
    (anchor.class != AnchorClass::PublicRoot).then(|| anchor.name().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse_store, Engine, EngineConfig};

    fn superfish() -> Verdict {
        let pem = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/test-ca/superfish/chain.pem"
        ))
        .expect("superfish chain");
        let chain = parse_store(&pem).expect("certificates");
        let ders: Vec<&[u8]> = chain.iter().map(|c| c.der().as_ref()).collect();
        Engine::new(EngineConfig::default())
            .expect("engine")
            .analyze_validated(&ders, Some("localhost"))
            .expect("verdict")
    }

    #[test]
    fn a_known_interceptor_is_refused_in_enforce_mode_named_and_reported() {
        let v = superfish();
        let enforce = Decision::validated(&v, true);
        assert!(!enforce.acceptable && enforce.needs_report, "{enforce:?}");
        assert_eq!(
            enforce.main_finding.as_ref().map(|f| f.code),
            Some(FindingCode::KnownInterceptionCa)
        );
        assert!(enforce
            .interception_ca
            .as_deref()
            .is_some_and(|ca| ca.contains("Superfish")));
        // Report-only lets a platform-validated chain through with the same explanation; a
        // chain the platform rejected is never acceptable.
        let report_only = Decision::validated(&v, false);
        assert!(report_only.acceptable);
        assert_eq!(report_only.main_finding, enforce.main_finding);
        assert!(!Decision::rejected(&v).acceptable);
    }

    #[test]
    fn only_report_only_lets_an_undecided_validated_chain_through() {
        assert!(Decision::failure_acceptable(true, false));
        assert!(!Decision::failure_acceptable(true, true));
        assert!(!Decision::failure_acceptable(false, false));
        assert!(!Decision::failure_acceptable(false, true));
    }
}

//! The pin-policy builder Kotlin and Swift wrap (`QorganPinPolicy.Builder` on both): the Rust
//! [`qorgan::PinPolicyBuilder`], exported through UniFFI so that the policy is built, checked
//! and written once, here.
//!
//! Immutable, like the Swift builder: every call returns a new builder and leaves this one as
//! it was, so one can be shared across threads and extended. [`PinPolicyBuilder::build`]
//! checks everything and gives the policy's canonical text ([`qorgan::PinPolicy::to_text`]) and
//! its warnings, or [`QorganError::InvalidConfig`] naming the entry at fault.

use std::collections::HashMap;
use std::sync::Arc;

use qorgan::pinning::{PolicyError, PolicyLocation};

use crate::api::QorganError;

/// A built pin policy: the text for `QorganConfig.pinPolicy` and what was risky in it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BuiltPinPolicy {
    /// Qorgan's JSON format, canonical (as `PinPolicy::to_text` writes it).
    pub text: String,
    /// What was risky (a single pin without a backup, expired pins), one sentence each.
    pub warnings: Vec<String>,
}

/// Builds a pin policy in code, as OkHttp's `CertificatePinner.Builder` does. Patterns are
/// OkHttp's (`example.com`, `*.example.com`, `**.example.com`); pins are `sha256/<base64>` or
/// bare base64 of a SubjectPublicKeyInfo's SHA-256. Calls never fail; `build` checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Object)]
#[uniffi::export(Eq)]
pub struct PinPolicyBuilder {
    inner: qorgan::PinPolicyBuilder,
}

impl PinPolicyBuilder {
    fn with(
        &self,
        change: impl FnOnce(qorgan::PinPolicyBuilder) -> qorgan::PinPolicyBuilder,
    ) -> Arc<Self> {
        Arc::new(Self {
            inner: change(self.inner.clone()),
        })
    }
}

/// `pin policy: QorganPinPolicy.Builder entry "example.com": ...`: the builder's entries are
/// named as the app wrote them.
fn config_error(e: PolicyError) -> QorganError {
    let reason = match &e.location {
        Some(PolicyLocation::Entry(pattern)) => {
            format!(
                "pin policy: QorganPinPolicy.Builder entry {pattern:?}: {}",
                e.kind
            )
        }
        _ => format!("pin policy: {e}"),
    };
    QorganError::InvalidConfig { reason }
}

#[uniffi::export]
impl PinPolicyBuilder {
    /// An empty policy (pins nothing).
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Pins `pins` for hosts matching `pattern`; adding a pattern again adds pins to its entry.
    pub fn add(&self, pattern: String, pins: Vec<String>) -> Arc<Self> {
        self.with(|b| b.add(&pattern, &pins))
    }

    /// Stops enforcing `pattern`'s pins from `date` (`yyyy-MM-dd`, 00:00 UTC).
    pub fn expiration(&self, pattern: String, date: String) -> Arc<Self> {
        self.with(|b| b.expiration(&pattern, &date))
    }

    /// Makes `pattern` report-only: mismatches are reported, connections not refused.
    pub fn report_only(&self, pattern: String) -> Arc<Self> {
        self.with(|b| b.report_only(&pattern))
    }

    /// Adds a report URI for `pattern`.
    pub fn report_uri(&self, pattern: String, uri: String) -> Arc<Self> {
        self.with(|b| b.report_uri(&pattern, &uri))
    }

    /// Hosts matching `pattern` are not pinned; it must lie under an added entry's domain.
    pub fn exclude(&self, pattern: String) -> Arc<Self> {
        self.with(|b| b.exclude(&pattern))
    }

    /// Accepts a non-public anchor by key: for every host when `pattern` is `None`, else for
    /// that entry only (replacing the policy-wide list there).
    pub fn allow_anchor(&self, pin: String, pattern: Option<String>) -> Arc<Self> {
        self.with(|b| match &pattern {
            Some(p) => b.allow_anchor_for(p, &pin),
            None => b.allow_anchor(&pin),
        })
    }

    /// **Dangerous.** Anchors with this key (or `"user"`, `"system"`) bypass pins in an engine
    /// built with `dangerousDebugBuild`; mismatches are still reported.
    pub fn dangerous_debug_override(&self, anchor: String) -> Arc<Self> {
        self.with(|b| b.dangerous_debug_override(&anchor))
    }

    /// Checks every entry and gives the policy's canonical text and warnings.
    pub fn build(&self) -> Result<BuiltPinPolicy, QorganError> {
        let policy = self.inner.clone().build().map_err(config_error)?;
        Ok(BuiltPinPolicy {
            text: policy.to_text(),
            warnings: policy.warnings().iter().map(|w| w.to_string()).collect(),
        })
    }
}

/// Loads a pin policy as `QorganConfig.pinPolicy` does (a Network Security Config document or
/// Qorgan's JSON format, told apart by content) and gives it in Qorgan's canonical JSON with
/// its warnings: what the engine understood, to compare with what Android's own parser reads
/// from the same file, or to hand iOS the policy of an Android app. `resources` holds the
/// certificate files behind `<certificates src="@raw/name"/>` anchors, keyed as written
/// (`"@raw/name"`, PEM or DER); a resource not given is only warned about, as before.
#[uniffi::export]
pub fn pin_policy_to_json(
    policy: String,
    resources: HashMap<String, Vec<u8>>,
) -> Result<BuiltPinPolicy, QorganError> {
    crate::api::guarded("pin_policy_to_json", || {
        let resolve = |name: &str| resources.get(name.trim()).cloned();
        let resolver: qorgan::pinning::ResourceResolver<'_> = &resolve;
        let policy = qorgan::PinPolicy::from_text_with(&policy, Some(resolver)).map_err(|e| {
            QorganError::InvalidConfig {
                reason: format!("pin policy: {e}"),
            }
        })?;
        Ok(BuiltPinPolicy {
            text: policy.to_text(),
            warnings: policy.warnings().iter().map(|w| w.to_string()).collect(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    const B: &str = "sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=";

    #[test]
    fn pinning_builder_text_round_trips_and_is_immutable() {
        let base = PinPolicyBuilder::new()
            .allow_anchor(A.into(), None)
            .add("**.example.com".into(), vec![A.into(), B.into()])
            .expiration("**.example.com".into(), "2099-01-31".into())
            .report_only("**.example.com".into())
            .report_uri("**.example.com".into(), "https://r.example/p".into())
            .exclude("cdn.example.com".into())
            .add("api.example.com".into(), vec![B.into(), A.into()])
            .allow_anchor(B.into(), Some("api.example.com".into()))
            .dangerous_debug_override("user".into());
        let built = base.build().unwrap();
        let expected = format!(
            "{{\n  \"allowed-anchors\": [\"{A}\"],\n  \"domains\": [\n    {{\n      \"domain\": \"example.com\",\n      \"include-subdomains\": true,\n      \"pins\": [\"{A}\", \"{B}\"],\n      \"expiration\": \"2099-01-31\",\n      \"enforce\": false,\n      \"report-uris\": [\"https://r.example/p\"],\n      \"excluded-subdomains\": [\"cdn.example.com\"]\n    }},\n    {{\n      \"domain\": \"api.example.com\",\n      \"include-subdomains\": false,\n      \"pins\": [\"{B}\", \"{A}\"],\n      \"enforce\": true,\n      \"allowed-anchors\": [\"{B}\"]\n    }}\n  ],\n  \"debug-overrides\": {{\"override-pins\": true, \"anchors\": [\"user\"]}}\n}}\n"
        );
        assert_eq!(built.text, expected);
        assert!(built.warnings.is_empty(), "{:?}", built.warnings);
        let again = qorgan::PinPolicy::from_json(&built.text).unwrap();
        assert_eq!(again.to_text(), built.text);
        let extended = base.report_only("api.example.com".into());
        assert_ne!(*extended, *base);
        assert_eq!(base.build().unwrap(), built);
        assert_eq!(
            PinPolicyBuilder::new().build().unwrap().text,
            "{\n  \"domains\": []\n}\n"
        );
    }

    #[test]
    fn pinning_builder_errors_name_the_entry() {
        let e = PinPolicyBuilder::new()
            .add("example.com".into(), vec!["sha256/not-base64!".into()])
            .build()
            .unwrap_err();
        let QorganError::InvalidConfig { reason } = e else {
            panic!("{e:?}")
        };
        assert!(
            reason.starts_with("pin policy: QorganPinPolicy.Builder entry \"example.com\": ")
                && reason.contains("sha256/not-base64!"),
            "{reason}"
        );
        let e = PinPolicyBuilder::new()
            .add("example.com".into(), vec![A.into(), B.into()])
            .exclude("cdn.example.org".into())
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("cdn.example.org"), "{e}");
        assert!(e.to_string().contains("not under any added pattern"), "{e}");
    }

    #[test]
    fn an_nsc_file_in_canonical_json_with_its_raw_anchor_read_when_given() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../engine/tests/data/policies/app/res"
        );
        let xml =
            std::fs::read_to_string(format!("{dir}/xml/network_security_config.xml")).unwrap();
        let der = std::fs::read(format!("{dir}/raw/good_root.der")).unwrap();
        let root = qorgan::Certificate::from_der(der.clone(), 1)
            .unwrap()
            .spki_hash()
            .pin();

        let without = pin_policy_to_json(xml.clone(), HashMap::new()).unwrap();
        // (the root's key is also one of good.com's pins: only allowed-anchors tells them apart)
        assert!(
            !without.text.contains("allowed-anchors"),
            "{}",
            without.text
        );
        assert!(
            without
                .warnings
                .iter()
                .any(|w| w.contains("@raw/good_root")),
            "{:?}",
            without.warnings
        );
        let json = qorgan::PinPolicy::from_json(&without.text).unwrap();
        let good = json.rule_for("www.good.com").unwrap();
        assert_eq!(good.pattern(), "**.good.com");
        assert_eq!(good.expiration.as_deref(), Some("2099-01-01"));
        assert_eq!(good.pins.len(), 2);

        let with =
            pin_policy_to_json(xml, HashMap::from([("@raw/good_root".to_string(), der)])).unwrap();
        assert!(
            with.text
                .contains(&format!("\"allowed-anchors\": [\"{root}\"]")),
            "{}",
            with.text
        );
        assert!(!with.warnings.iter().any(|w| w.contains("@raw/good_root")));

        let e = pin_policy_to_json(
            "<network-security-config><domain-config><domain>a.example</domain><pin-set><pin digest=\"SHA-1\">AAAAAAAAAAAAAAAAAAAAAAAAAAA=</pin></pin-set></domain-config></network-security-config>".into(),
            HashMap::new(),
        )
        .unwrap_err();
        assert!(
            matches!(e, QorganError::InvalidConfig { .. }) && e.to_string().contains("SHA-1"),
            "{e}"
        );
    }
}

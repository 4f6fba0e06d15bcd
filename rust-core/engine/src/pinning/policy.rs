//! The pin policy model, validation shared by all formats, host matching and the builder.

use std::collections::HashSet;

use base64::Engine as _;

use crate::cert::SpkiHash;
use crate::pinning::error::{
    PolicyError, PolicyErrorKind as K, PolicyLocation, PolicyWarning, PolicyWarningKind as W,
};
use crate::pinning::{idn, psl};

/// The largest policy text Qorgan reads (a Network Security Config file of a large app is a
/// few kilobytes).
pub const MAX_POLICY_BYTES: usize = 1024 * 1024;

/// How far a rule reaches below its domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DomainScope {
    /// The domain itself only (`example.com`).
    Exact,
    /// Exactly one more label (`*.example.com`).
    OneLabel,
    /// The domain and every name under it (`**.example.com`, `includeSubdomains`).
    Subdomains,
}

/// One domain's rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainRule {
    /// The domain, lower case, punycode, without wildcard or trailing dot.
    pub domain: String,
    /// How far below the domain the rule reaches.
    pub scope: DomainScope,
    /// The accepted keys (SPKI SHA-256). Empty: the domain is not pinned (an excluded
    /// subdomain, or a domain listed without pins).
    pub pins: Vec<SpkiHash>,
    /// When the pins stop being enforced: `yyyy-MM-dd` as written.
    pub expiration: Option<String>,
    /// The same, as seconds since the epoch (00:00 UTC that day).
    pub expiration_unix: Option<i64>,
    /// `false` for report-only: a mismatch is reported, the connection is not refused.
    pub enforce: bool,
    /// Where the app sends reports for this domain (the app's uploader reads these).
    pub report_uris: Vec<String>,
    /// Listed as an excluded subdomain of a broader rule.
    pub excluded: bool,
    /// Non-public anchors the owner accepts for this domain (an enterprise proxy), by key.
    /// `None`: the policy-wide list applies; `Some`: it replaces that list, as a
    /// `<domain-config>`'s `<trust-anchors>` replace the `<base-config>`'s.
    pub allowed_anchors: Option<Vec<SpkiHash>>,
    /// The policy trusts user-installed CAs for this domain (`<certificates src="user"/>`).
    /// Informational: such anchors are still reported, and never bypass pins.
    pub trusts_user_anchors: bool,
}

impl DomainRule {
    /// The rule as an OkHttp-style pattern: `example.com`, `*.example.com`, `**.example.com`.
    pub fn pattern(&self) -> String {
        match self.scope {
            DomainScope::Exact => self.domain.clone(),
            DomainScope::OneLabel => format!("*.{}", self.domain),
            DomainScope::Subdomains => format!("**.{}", self.domain),
        }
    }

    /// True when the rule pins keys (it is neither excluded nor empty).
    pub fn is_pinned(&self) -> bool {
        !self.pins.is_empty()
    }

    /// True when the pins have expired at `now` (seconds since the epoch).
    pub fn is_expired(&self, now: i64) -> bool {
        self.expiration_unix.is_some_and(|e| now >= e)
    }

    /// Whether the (normalized) host is matched by this rule's pattern, by OkHttp's rules for
    /// one pattern.
    pub(crate) fn matches(&self, host: &str) -> bool {
        match self.scope {
            DomainScope::Exact => host == self.domain,
            DomainScope::OneLabel => host
                .strip_suffix(self.domain.as_str())
                .and_then(|p| p.strip_suffix('.'))
                .is_some_and(|label| !label.contains('.')),
            DomainScope::Subdomains => {
                host == self.domain
                    || host
                        .strip_suffix(self.domain.as_str())
                        .is_some_and(|p| p.ends_with('.'))
            }
        }
    }
}

/// Where a debug override lets anchors bypass pins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnchorSource {
    /// Public roots (`src="system"`).
    System,
    /// Anchors the platform reports as user-installed, or other non-public anchors the
    /// caller trusts (`src="user"`).
    User,
    /// One key (a resolved `@raw/...` certificate, or a pin in JSON).
    Key(SpkiHash),
}

/// `<debug-overrides>`: honoured only when the engine is built with
/// `dangerous_debug_build`, and only when `overridePins="true"` is written out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebugOverrides {
    /// Anchors from these sources bypass pins in a debug build (mismatches are still
    /// reported).
    pub override_pins: bool,
    /// The sources.
    pub sources: Vec<AnchorSource>,
}

/// Where a policy came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyFormat {
    /// Android's Network Security Config XML.
    NetworkSecurityConfig,
    /// Qorgan's JSON format.
    Json,
    /// [`PinPolicyBuilder`].
    Builder,
}

/// An app's pin policy: immutable, checked when loaded.
///
/// Load one with [`PinPolicy::from_text`] (XML or JSON, told apart by content),
/// [`PinPolicy::from_nsc_xml`], [`PinPolicy::from_json`] or [`PinPolicy::builder`]; give it to
/// the engine in [`crate::EngineConfig::pin_policy`].
///
/// # Which rule applies to a host
///
/// Exactly one rule applies to a host, the most specific one that matches (TrustKit and
/// Android's Network Security Config do the same):
///
/// 1. the rule whose domain is longest wins (`api.example.com` over `**.example.com`);
/// 2. on equal domains, `example.com` (exact) beats `*.example.com` (one label), which beats
///    `**.example.com` / `includeSubdomains` (any depth).
///
/// A rule without pins (an excluded subdomain, a `<domain-config>` without `<pin-set>`) still
/// wins: its host is not pinned. Hosts and patterns are compared in lower case and in
/// punycode (`σkhttp.com` is `xn--khttp-fde.com`); a trailing dot is ignored. A pattern that
/// IDNA would have to map first (`ΣKHTTP.com`, `ﬁ`, full-width letters) is refused
/// ([`crate::PolicyErrorKind::UnnormalizedName`]) rather than pinned under a guessed name.
///
/// Patterns: `example.com` matches only itself; `*.example.com` matches one more label
/// (`a.example.com`, not `example.com`, not `a.b.example.com`); `**.example.com`, like
/// `example.com` with `includeSubdomains`, matches `example.com` and every name under it.
///
/// **Where OkHttp differs.** OkHttp's `CertificatePinner` takes the union of the pins of
/// every matching pattern: with `*.example.com` → A and `a.example.com` → B, a chain with
/// either A or B passes for `a.example.com`. Qorgan uses only the most specific rule, so only
/// B passes: a broad rule cannot weaken a narrow one. Write the pins you accept into the
/// narrow rule. The pattern syntax and the matching of each single pattern are OkHttp's.
///
/// # Expiration
///
/// A pin set with an expiration date stops being enforced at the start of that day (00:00
/// UTC; Android uses the device's time zone), as Android and TrustKit do, so that an old app
/// that nobody updates fails open rather than bricked. Each check of a host whose pins expired
/// gives a `pin_policy_expired` finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinPolicy {
    pub(crate) rules: Vec<DomainRule>,
    pub(crate) allowed_anchors: Vec<SpkiHash>,
    pub(crate) trusts_user_anchors: bool,
    pub(crate) debug_overrides: Option<DebugOverrides>,
    pub(crate) warnings: Vec<PolicyWarning>,
    pub(crate) format: PolicyFormat,
}

/// The outcome of checking a chain's keys against the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinResult {
    /// No rule with pins applies to the host.
    NotPinned,
    /// A key of the chain is pinned.
    Success,
    /// No key of the chain is pinned.
    NoMatchingPin,
    /// The pins for this host have expired and were not checked.
    PolicyExpired,
}

/// What [`PinPolicy::evaluate`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinEvaluation<'a> {
    /// The rule that applied, if any (also for `NotPinned` when an excluded or empty rule
    /// matched).
    pub rule: Option<&'a DomainRule>,
    /// The outcome.
    pub result: PinResult,
    /// The pinned key found in the chain, on success.
    pub matched: Option<SpkiHash>,
}

impl PinPolicy {
    /// An OkHttp-like builder.
    pub fn builder() -> PinPolicyBuilder {
        PinPolicyBuilder::default()
    }

    /// The rules, in the order they were given.
    pub fn rules(&self) -> &[DomainRule] {
        &self.rules
    }

    /// What was risky in the policy when it was loaded (a single pin, an expired pin set,
    /// an ignored `overridePins`).
    pub fn warnings(&self) -> &[PolicyWarning] {
        &self.warnings
    }

    /// Where the policy came from.
    pub fn format(&self) -> PolicyFormat {
        self.format
    }

    /// The policy-wide non-public anchors the owner accepts.
    pub fn allowed_anchors(&self) -> &[SpkiHash] {
        &self.allowed_anchors
    }

    /// The debug overrides, when the policy has them.
    pub fn debug_overrides(&self) -> Option<&DebugOverrides> {
        self.debug_overrides.as_ref()
    }

    /// The most specific rule for `host`, or `None` when no rule matches.
    pub fn rule_for(&self, host: &str) -> Option<&DomainRule> {
        let host = normalize_host(host)?;
        self.rules
            .iter()
            .filter(|r| r.matches(&host))
            .max_by(|a, b| {
                a.domain
                    .len()
                    .cmp(&b.domain.len())
                    .then(b.scope.cmp(&a.scope))
            })
    }

    /// The non-public anchors the owner accepts for `host`: the matching rule's list when it
    /// has one, else the policy-wide list.
    pub fn allowed_anchors_for(&self, host: &str) -> &[SpkiHash] {
        match self
            .rule_for(host)
            .and_then(|r| r.allowed_anchors.as_deref())
        {
            Some(list) => list,
            None => &self.allowed_anchors,
        }
    }

    /// Checks the keys of a validated chain (leaf first, anchor last; every key the platform
    /// validated, nothing the server merely sent) for `host` at `now` (seconds since the
    /// epoch). Does nothing (`NotPinned`) when no pinned rule applies.
    pub fn evaluate(&self, host: &str, validated: &[SpkiHash], now: i64) -> PinEvaluation<'_> {
        let rule = self.rule_for(host);
        let result = match rule {
            None => PinResult::NotPinned,
            Some(r) if !r.is_pinned() => PinResult::NotPinned,
            Some(r) if r.is_expired(now) => PinResult::PolicyExpired,
            Some(r) => match validated.iter().find(|k| r.pins.contains(k)) {
                Some(k) => {
                    return PinEvaluation {
                        rule,
                        result: PinResult::Success,
                        matched: Some(*k),
                    }
                }
                None => PinResult::NoMatchingPin,
            },
        };
        PinEvaluation {
            rule,
            result,
            matched: None,
        }
    }

    /// The policy in Qorgan's JSON format (see `pinning::json`), pins as `sha256/<base64>`.
    pub fn to_json(&self) -> serde_json::Value {
        crate::pinning::json::to_json(self)
    }

    /// The policy's canonical text in Qorgan's JSON format: [`PinPolicy::to_json`], keys in
    /// the format's order, one per line. What `QorganPinPolicy.Builder` gives on Android and
    /// iOS; [`PinPolicy::from_json`] reads it back to the same policy.
    pub fn to_text(&self) -> String {
        crate::pinning::json::to_text(self)
    }
}

/// Lower case, punycode, no trailing dot. `None` for an empty name, and for a name that would
/// need IDNA mapping ([`idn`]): no rule matches it. Hosts reach the engine as ASCII
/// (`ServerName`), so this concerns only callers of [`PinPolicy::rule_for`] and
/// [`PinPolicy::evaluate`] with a Unicode host, which should give the name the platform
/// resolved.
pub(crate) fn normalize_host(host: &str) -> Option<String> {
    normalize_name(host).ok().flatten()
}

/// As [`normalize_host`], saying why a name cannot be normalized (`Ok(None)`: empty).
fn normalize_name(host: &str) -> Result<Option<String>, idn::IdnError> {
    let h = host.trim();
    let h = h.strip_suffix('.').unwrap_or(h);
    if h.is_empty() {
        return Ok(None);
    }
    idn::to_ascii(h).map(Some)
}

// ---------------------------------------------------------------------------------------------
// The raw policy: what each format (XML, JSON, builder) reads, before validation. All checks
// are made once, in `validate`, so that the three formats mean the same thing.

/// A pin as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawPin {
    /// The digest algorithm named beside it (`digest="SHA-256"`), or `None` when the value
    /// carries its own prefix or none.
    pub digest: Option<String>,
    pub value: String,
    pub loc: Option<PolicyLocation>,
}

/// A trust-anchor source as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RawAnchor {
    System,
    User,
    Pin(RawPin),
    /// A key resolved from a certificate file.
    Key(SpkiHash),
    /// A source whose certificate Qorgan cannot see.
    Unresolved,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawRule {
    pub pattern: String,
    pub include_subdomains: bool,
    pub loc: Option<PolicyLocation>,
    /// `None`: no pin set.
    pub pins: Option<Vec<RawPin>>,
    pub pins_loc: Option<PolicyLocation>,
    pub expiration: Option<(String, Option<PolicyLocation>)>,
    pub enforce: bool,
    pub report_uris: Vec<String>,
    pub excluded: bool,
    /// `None`: inherit the policy-wide anchors.
    pub anchors: Option<Vec<RawAnchor>>,
}

impl RawRule {
    pub(crate) fn new(pattern: impl Into<String>, loc: Option<PolicyLocation>) -> Self {
        Self {
            pattern: pattern.into(),
            include_subdomains: false,
            loc,
            pins: None,
            pins_loc: None,
            expiration: None,
            enforce: true,
            report_uris: Vec::new(),
            excluded: false,
            anchors: None,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct RawDebug {
    pub override_pins: bool,
    pub anchors: Vec<RawAnchor>,
}

#[derive(Debug, Clone)]
pub(crate) struct RawPolicy {
    pub rules: Vec<RawRule>,
    pub anchors: Option<Vec<RawAnchor>>,
    pub debug: Option<RawDebug>,
    pub warnings: Vec<PolicyWarning>,
}

impl RawPolicy {
    pub(crate) fn new() -> Self {
        Self {
            rules: Vec::new(),
            anchors: None,
            debug: None,
            warnings: Vec::new(),
        }
    }
}

/// Decodes one pin: the digest must be SHA-256, the value base64 of 32 bytes.
pub(crate) fn decode_pin(pin: &RawPin) -> Result<SpkiHash, PolicyError> {
    let err = |kind| PolicyError::new(kind, pin.loc.clone());
    let mut value = pin.value.trim();
    let mut digest = pin.digest.clone();
    // As lenient as Android's Base64.decode and Apple's NSData: trailing bits and missing
    // padding are accepted (TrustKit's own test pin "BBBB...B=" has trailing bits).
    let b64 = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let bare_ok = b64.decode(value.as_bytes()).is_ok_and(|b| b.len() == 32);
    if let Some((prefix, rest)) = value.split_once('/').filter(|_| !bare_ok) {
        // "sha256/..." (OkHttp, TrustKit-Android). A '/' is also a base64 character, so a
        // prefix counts only when the whole value is not a pin by itself.
        if (2..=10).contains(&prefix.len())
            && prefix.starts_with(|c: char| c.is_ascii_alphabetic())
            && prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            if digest.is_some() {
                return Err(err(K::UnknownDigest {
                    digest: prefix.to_string(),
                }));
            }
            digest = Some(prefix.to_string());
            value = rest;
        }
    }
    if let Some(d) = &digest {
        let norm = d.to_ascii_lowercase().replace('-', "");
        if norm != "sha256" {
            return Err(err(K::UnknownDigest { digest: d.clone() }));
        }
    }
    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = b64.decode(compact.as_bytes()).map_err(|e| {
        err(K::BadBase64 {
            pin: pin.value.clone(),
            reason: e.to_string(),
        })
    })?;
    let arr: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
        err(K::WrongDigestLength {
            pin: pin.value.clone(),
            length: bytes.len(),
        })
    })?;
    Ok(SpkiHash(arr))
}

/// `yyyy-MM-dd` (exactly four, two and two digits, a real day of the proleptic Gregorian
/// calendar) → seconds since the epoch at 00:00 UTC.
pub(crate) fn parse_date(value: &str) -> Option<i64> {
    let b = value.trim().as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0i64, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    let (year, month, day) = (number(&b[..4])?, number(&b[5..7])?, number(&b[8..])?);
    if !crate::civil::is_date(year, month, day) {
        return None;
    }
    Some(crate::civil::days_from_civil(year, month, day) * 86_400)
}

fn parse_pattern(rule: &RawRule) -> Result<(String, DomainScope), PolicyError> {
    let pattern = rule.pattern.trim();
    let invalid = |reason: &str| {
        PolicyError::new(
            K::InvalidPattern {
                pattern: rule.pattern.clone(),
                reason: reason.to_string(),
            },
            rule.loc.clone(),
        )
    };
    let (rest, mut scope) = if let Some(r) = pattern.strip_prefix("**.") {
        (r, DomainScope::Subdomains)
    } else if let Some(r) = pattern.strip_prefix("*.") {
        (r, DomainScope::OneLabel)
    } else {
        (pattern, DomainScope::Exact)
    };
    if rule.include_subdomains {
        match scope {
            DomainScope::OneLabel => {
                return Err(invalid(
                    "*. matches exactly one label, which contradicts include-subdomains; write **. instead",
                ))
            }
            _ => scope = DomainScope::Subdomains,
        }
    }
    if rest.contains('*') {
        return Err(invalid(
            "a wildcard may only stand alone as the first label (*. or **.)",
        ));
    }
    let domain = normalize_name(rest)
        .map_err(|reason| {
            PolicyError::new(
                K::UnnormalizedName {
                    pattern: rule.pattern.clone(),
                    reason,
                },
                rule.loc.clone(),
            )
        })?
        .ok_or_else(|| invalid("not a valid domain name"))?;
    if domain.len() > 253 {
        return Err(invalid("longer than 253 characters"));
    }
    let is_ip = domain.parse::<std::net::IpAddr>().is_ok();
    if !is_ip {
        for label in domain.split('.') {
            if label.is_empty() {
                return Err(invalid("it has an empty label"));
            }
            if label.len() > 63 {
                return Err(invalid("a label is longer than 63 characters"));
            }
            if !label
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
            {
                return Err(invalid(
                    "only letters, digits, '-' and '_' may appear in a label",
                ));
            }
        }
    } else if scope != DomainScope::Exact {
        return Err(invalid("an IP address has no subdomains"));
    }
    if scope != DomainScope::Exact && !is_ip && psl::is_public_suffix(&domain) {
        return Err(PolicyError::new(
            K::PublicSuffix {
                pattern: rule.pattern.clone(),
                domain,
            },
            rule.loc.clone(),
        ));
    }
    Ok((domain, scope))
}

fn decode_anchors(
    anchors: &[RawAnchor],
    keys: &mut Vec<SpkiHash>,
    trusts_user: &mut bool,
) -> Result<(), PolicyError> {
    for a in anchors {
        match a {
            RawAnchor::Pin(p) => keys.push(decode_pin(p)?),
            RawAnchor::Key(k) => keys.push(*k),
            RawAnchor::User => *trusts_user = true,
            RawAnchor::System | RawAnchor::Unresolved => {}
        }
    }
    keys.sort_unstable();
    keys.dedup();
    Ok(())
}

/// Checks everything and builds the policy. `now` decides the "expired" warnings.
pub(crate) fn validate(
    raw: RawPolicy,
    format: PolicyFormat,
    now: i64,
) -> Result<PinPolicy, PolicyError> {
    let mut warnings = raw.warnings;
    let mut rules: Vec<DomainRule> = Vec::with_capacity(raw.rules.len());
    let mut seen: HashSet<(String, bool)> = HashSet::new();
    for r in &raw.rules {
        let (domain, scope) = parse_pattern(r)?;
        // One entry per domain (Network Security Config refuses duplicates too); `*.x` may
        // sit beside `x` or `**.x`, since it means something else.
        if !seen.insert((domain.clone(), scope == DomainScope::OneLabel)) {
            return Err(PolicyError::new(
                K::DuplicateDomain {
                    domain: if scope == DomainScope::OneLabel {
                        format!("*.{domain}")
                    } else {
                        domain
                    },
                },
                r.loc.clone(),
            ));
        }
        let mut pins = Vec::new();
        if let Some(raw_pins) = &r.pins {
            for p in raw_pins {
                let k = decode_pin(p)?;
                if !pins.contains(&k) {
                    pins.push(k);
                }
            }
        }
        let (expiration, expiration_unix) = match &r.expiration {
            Some((value, loc)) => {
                let t = parse_date(value).ok_or_else(|| {
                    PolicyError::new(
                        K::InvalidDate {
                            value: value.clone(),
                        },
                        loc.clone().or_else(|| r.loc.clone()),
                    )
                })?;
                (Some(value.trim().to_string()), Some(t))
            }
            None => (None, None),
        };
        let pattern_name = match scope {
            DomainScope::Exact => domain.clone(),
            DomainScope::OneLabel => format!("*.{domain}"),
            DomainScope::Subdomains => format!("**.{domain}"),
        };
        let loc = r.pins_loc.clone().or_else(|| r.loc.clone());
        if !r.excluded {
            match (&r.pins, pins.len()) {
                (Some(_), 0) => warnings.push(PolicyWarning::new(
                    W::EmptyPinSet,
                    loc.clone(),
                    format!("the pin set for {pattern_name} is empty, so {pattern_name} is not pinned; add pins or remove the pin set"),
                )),
                (Some(_), 1) => warnings.push(PolicyWarning::new(
                    W::SinglePin,
                    loc.clone(),
                    format!("{pattern_name} has a single pin: add a backup pin (a spare key you hold, or a second CA's key) so that a key change does not lock every installed app out"),
                )),
                _ => {}
            }
        }
        if let (Some(e), Some(t)) = (&expiration, expiration_unix) {
            if now >= t && !pins.is_empty() {
                warnings.push(PolicyWarning::new(
                    W::Expired,
                    loc.clone(),
                    format!("the pins for {pattern_name} expired on {e} and are not enforced: ship current pins with a later expiration"),
                ));
            }
        }
        let mut trusts_user = false;
        let allowed_anchors = match &r.anchors {
            Some(a) => {
                let mut keys = Vec::new();
                decode_anchors(a, &mut keys, &mut trusts_user)?;
                Some(keys)
            }
            None => None,
        };
        rules.push(DomainRule {
            domain,
            scope,
            pins: if r.excluded { Vec::new() } else { pins },
            expiration,
            expiration_unix,
            enforce: r.enforce,
            report_uris: r.report_uris.clone(),
            excluded: r.excluded,
            allowed_anchors,
            trusts_user_anchors: trusts_user,
        });
    }
    let mut allowed = Vec::new();
    let mut trusts_user = false;
    if let Some(a) = &raw.anchors {
        decode_anchors(a, &mut allowed, &mut trusts_user)?;
    }
    let debug_overrides = match &raw.debug {
        Some(d) => {
            let mut sources = Vec::new();
            for a in &d.anchors {
                match a {
                    RawAnchor::System => sources.push(AnchorSource::System),
                    RawAnchor::User => sources.push(AnchorSource::User),
                    RawAnchor::Pin(p) => sources.push(AnchorSource::Key(decode_pin(p)?)),
                    RawAnchor::Key(k) => sources.push(AnchorSource::Key(*k)),
                    RawAnchor::Unresolved => {}
                }
            }
            Some(DebugOverrides {
                override_pins: d.override_pins,
                sources,
            })
        }
        None => None,
    };
    Ok(PinPolicy {
        rules,
        allowed_anchors: allowed,
        trusts_user_anchors: trusts_user,
        debug_overrides,
        warnings,
        format,
    })
}

// ---------------------------------------------------------------------------------------------

/// Builds a [`PinPolicy`] in code, as OkHttp's `CertificatePinner.Builder` does:
///
/// ```
/// let policy = qorgan::PinPolicy::builder()
///     .add("**.example.com", ["sha256/C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=",
///                             "sha256/diGVwiVYbubAI3RW4hB9xU8e/CH2GnkuvVFZE8zmgzI="])
///     .expiration("**.example.com", "2030-01-01")
///     .build()
///     .expect("valid policy");
/// assert!(policy.rule_for("api.example.com").is_some());
/// ```
///
/// Calls never fail; [`PinPolicyBuilder::build`] checks everything and names the entry at
/// fault. Adding the same pattern twice adds pins to one entry.
///
/// Kotlin and Swift reach it through `kz.qorgan.ffi.PinPolicyBuilder` / `PinPolicyBuilder`
/// (`qorgan-ffi`'s `pins.rs`), which their `QorganPinPolicy.Builder`s wrap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PinPolicyBuilder {
    rules: Vec<RawRule>,
    anchors: Vec<RawAnchor>,
    debug_sources: Vec<RawAnchor>,
}

impl PinPolicyBuilder {
    fn entry(&mut self, pattern: &str) -> &mut RawRule {
        let i = match self.rules.iter().position(|r| r.pattern == pattern) {
            Some(i) => i,
            None => {
                self.rules.push(RawRule::new(
                    pattern,
                    Some(PolicyLocation::Entry(pattern.to_string())),
                ));
                self.rules.len() - 1
            }
        };
        &mut self.rules[i]
    }

    fn raw_pin(pattern: &str, pin: &str) -> RawPin {
        RawPin {
            digest: None,
            value: pin.to_string(),
            loc: Some(PolicyLocation::Entry(pattern.to_string())),
        }
    }

    /// Pins `pins` (`sha256/<base64>` or bare base64) for hosts matching `pattern`
    /// (`example.com`, `*.example.com`, `**.example.com`).
    pub fn add<I, S>(mut self, pattern: &str, pins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let e = self.entry(pattern);
        let list = e.pins.get_or_insert_with(Vec::new);
        for p in pins {
            list.push(Self::raw_pin(pattern, p.as_ref()));
        }
        self
    }

    /// Stops enforcing `pattern`'s pins from `date` (`yyyy-MM-dd`, 00:00 UTC).
    pub fn expiration(mut self, pattern: &str, date: &str) -> Self {
        let loc = Some(PolicyLocation::Entry(pattern.to_string()));
        self.entry(pattern).expiration = Some((date.to_string(), loc));
        self
    }

    /// Makes `pattern` report-only: mismatches are reported, connections not refused.
    pub fn report_only(mut self, pattern: &str) -> Self {
        self.entry(pattern).enforce = false;
        self
    }

    /// Adds a report URI for `pattern` (the app's uploader sends reports there).
    pub fn report_uri(mut self, pattern: &str, uri: &str) -> Self {
        self.entry(pattern).report_uris.push(uri.to_string());
        self
    }

    /// Excludes `pattern` from a broader rule: hosts it matches are not pinned.
    pub fn exclude(mut self, pattern: &str) -> Self {
        self.entry(pattern).excluded = true;
        self
    }

    /// An anchor as the JSON format names it: `"user"`, `"system"`, or a pin.
    fn raw_anchor(entry: &str, anchor: &str) -> RawAnchor {
        match anchor.trim() {
            "user" => RawAnchor::User,
            "system" => RawAnchor::System,
            _ => RawAnchor::Pin(Self::raw_pin(entry, anchor)),
        }
    }

    /// Accepts a non-public anchor (an enterprise proxy) by key, for every host.
    pub fn allow_anchor(mut self, pin: &str) -> Self {
        self.anchors.push(Self::raw_anchor("allowed anchor", pin));
        self
    }

    /// Accepts a non-public anchor by key for `pattern` only: the entry's list replaces the
    /// policy-wide one there.
    pub fn allow_anchor_for(mut self, pattern: &str, pin: &str) -> Self {
        let anchor = Self::raw_anchor(pattern, pin);
        self.entry(pattern)
            .anchors
            .get_or_insert_with(Vec::new)
            .push(anchor);
        self
    }

    /// Lets anchors with this key (or `"user"`, `"system"`) bypass pins in a debug build (the
    /// engine must also be built with `dangerous_debug_build`); mismatches are still reported.
    pub fn dangerous_debug_override(mut self, pin: &str) -> Self {
        self.debug_sources
            .push(Self::raw_anchor("debug override", pin));
        self
    }

    /// Checks every entry and builds the policy. An excluded pattern must lie under an added
    /// entry's domain, as in the JSON format.
    pub fn build(self) -> Result<PinPolicy, PolicyError> {
        let bare = |p: &str| {
            let p = p.trim().to_ascii_lowercase();
            let p = p
                .strip_prefix("**.")
                .or_else(|| p.strip_prefix("*."))
                .unwrap_or(&p)
                .to_string();
            p
        };
        let parents: Vec<&RawRule> = self.rules.iter().filter(|r| !r.excluded).collect();
        for r in self.rules.iter().filter(|r| r.excluded) {
            let name = bare(&r.pattern);
            if !parents
                .iter()
                .any(|p| name.ends_with(&format!(".{}", bare(&p.pattern))))
            {
                let added: Vec<&str> = parents.iter().map(|p| p.pattern.as_str()).collect();
                return Err(PolicyError::invalid(
                    format!(
                        "exclude({:?}) is not under any added pattern ({}); exclude a name under one of them",
                        r.pattern,
                        added.join(", ")
                    ),
                    r.loc.clone(),
                ));
            }
        }
        let mut raw = RawPolicy::new();
        raw.rules = self.rules;
        if !self.anchors.is_empty() {
            raw.anchors = Some(self.anchors);
        }
        if !self.debug_sources.is_empty() {
            raw.debug = Some(RawDebug {
                override_pins: true,
                anchors: self.debug_sources,
            });
        }
        validate(raw, PolicyFormat::Builder, crate::engine::now_unix())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    const B: &str = "sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=";

    #[test]
    fn most_specific_rule_wins() {
        let p = PinPolicy::builder()
            .add("**.example.com", [A, B])
            .add("*.example.com", [A, B])
            .add("api.example.com", [B, A])
            .build()
            .unwrap();
        assert_eq!(
            p.rule_for("api.example.com").unwrap().pattern(),
            "api.example.com"
        );
        assert_eq!(
            p.rule_for("www.example.com").unwrap().pattern(),
            "*.example.com"
        );
        assert_eq!(
            p.rule_for("a.b.example.com").unwrap().pattern(),
            "**.example.com"
        );
        assert_eq!(
            p.rule_for("EXAMPLE.com.").unwrap().pattern(),
            "**.example.com"
        );
        assert!(p.rule_for("example.org").is_none());
    }

    #[test]
    fn pins_are_checked() {
        let e = |pin: &str| {
            PinPolicy::builder()
                .add("a.com", [pin])
                .build()
                .unwrap_err()
        };
        assert!(matches!(e("sha256/abc!").kind, K::BadBase64 { .. }));
        assert!(matches!(
            e("sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAA=").kind,
            K::WrongDigestLength { length: 20, .. }
        ));
        assert!(matches!(
            e("sha1/AAAAAAAAAAAAAAAAAAAAAAAAAAA=").kind,
            K::UnknownDigest { .. }
        ));
        assert_eq!(e("x").location, Some(PolicyLocation::Entry("a.com".into())));
        let err = PinPolicy::builder()
            .add("**.co.uk", [A, B])
            .build()
            .unwrap_err();
        assert!(matches!(err.kind, K::PublicSuffix { .. }), "{err}");
        assert!(err.to_string().contains("co.uk"));
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-02"), Some(86_400));
        assert_eq!(parse_date(" 2000-03-01 "), Some(951_868_800));
        assert_eq!(parse_date("2024-02-29"), Some(1_709_164_800));
        assert_eq!(parse_date("1969-12-31"), Some(-86_400));
        assert_eq!(parse_date("0000-01-01"), Some(-62_167_219_200));
        assert_eq!(parse_date("9999-12-31"), Some(253_402_214_400));
        for bad in [
            "2015-1-01",
            "2015-02-30",
            "2023-02-29",
            "1900-02-29",
            "2015-13-01",
            "2015-00-10",
            "2015-01-00",
            "2015-04-31",
            "+015-01-01",
            "2015-01-0x",
            "2015/01/01",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    /// Every day from year 0 to 9999 as the `time` crate counts it (it parsed these dates
    /// before).
    #[test]
    fn dates_agree_with_time() {
        let mut date = time::Date::from_calendar_date(0, time::Month::January, 1).unwrap();
        loop {
            let text = format!(
                "{:04}-{:02}-{:02}",
                date.year(),
                u8::from(date.month()),
                date.day()
            );
            let expected = date.midnight().assume_utc().unix_timestamp();
            assert_eq!(parse_date(&text), Some(expected), "{text}");
            match date.next_day() {
                Some(d) if d.year() <= 9999 => date = d,
                _ => break,
            }
        }
    }
}

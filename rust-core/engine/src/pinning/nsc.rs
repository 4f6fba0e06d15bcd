//! Android's Network Security Config, read as-is from an app's
//! `res/xml/network_security_config.xml`, so that one file drives Android and iOS.
//!
//! What is read, with Android's meaning (AOSP `XmlConfigSource`):
//!
//! - `<domain-config>` with one or more `<domain includeSubdomains="true|false">`; nested
//!   `<domain-config>`s inherit their parent's `<pin-set>` and `<trust-anchors>` unless they
//!   set their own. A `<domain-config>` without a `<pin-set>` (and no parent's to inherit)
//!   leaves its domains unpinned, which is how a subdomain is excluded from a broader rule.
//! - `<pin-set expiration="yyyy-MM-dd">` with `<pin digest="SHA-256">base64</pin>`.
//! - `<trust-anchors>` with `<certificates src="system|user|@raw/name">`: in a
//!   `<domain-config>` or `<base-config>`, certificates from `@raw/...` resources are anchors
//!   the owner accepts (an enterprise proxy), when their file can be read (the CLI finds
//!   `res/raw/name.*` beside the XML file); `src="user"` is noted and still reported.
//!   `overridePins="true"` there is read and refused with a warning: a locally installed
//!   anchor never bypasses pins.
//! - `<debug-overrides>`: its `<trust-anchors>` may bypass pins, but only with
//!   `overridePins="true"` written on the `<certificates>` element (Android's implicit
//!   default is not taken) and only in an engine built with `dangerous_debug_build`.
//!
//! Refused, as Android refuses them: a second `<base-config>` or `<debug-overrides>`, a
//! `<pin-set>` or `<domain>` outside `<domain-config>`, two `<pin-set>`s or `<trust-anchors>`
//! in one config, a `<domain-config>` without `<domain>`, a domain listed twice, a digest
//! other than `SHA-256` (in any case, as `Pin.isSupportedDigestAlgorithm`; not `SHA256`), an
//! unknown `src`, and XML that is not well formed (Android's build refuses to compile it),
//! each with its line and column. `<domain-config>`s nested more than 64 deep are refused too. Elements Android ignores (`cleartextTrafficPermitted`, `<certificateTransparency>`,
//! unknown tags) are ignored. A `<domain>` Android reads otherwise (`*.example.com`, a final
//! dot, Unicode letters: Android matches no host with it) is read as the name it stands for, with a
//! warning. Every NSC pin set is enforced (NSC has no report-only mode; use
//! the JSON format for that).

use crate::pinning::xml::{Document, Node, MAX_DEPTH};

use crate::pinning::error::{
    PolicyError, PolicyErrorKind as K, PolicyLocation, PolicyWarning, PolicyWarningKind as W,
};
use crate::pinning::policy::{RawAnchor, RawDebug, RawPin, RawPolicy, RawRule};

/// Reads the certificate file behind a `src="@raw/name"` trust anchor (PEM or DER), when the
/// caller can.
pub type ResourceResolver<'a> = &'a dyn Fn(&str) -> Option<Vec<u8>>;

fn loc(node: Node<'_>) -> Option<PolicyLocation> {
    let (line, column) = node.position();
    Some(PolicyLocation::Text { line, column })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Base,
    Domain,
    Debug,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::Base => "base-config",
            Self::Domain => "domain-config",
            Self::Debug => "debug-overrides",
        }
    }
}

/// A `<pin-set>`: its pins, its expiration (with where it was written), and where it is.
type PinSetParts = (
    Vec<RawPin>,
    Option<(String, Option<PolicyLocation>)>,
    Option<PolicyLocation>,
);

/// What a config passes to its nested configs.
#[derive(Clone, Default)]
struct Inherited {
    pins: Option<PinSetParts>,
    anchors: Option<Vec<RawAnchor>>,
}

struct Parser<'r> {
    resolver: Option<ResourceResolver<'r>>,
    raw: RawPolicy,
    seen_domains: std::collections::HashSet<String>,
}

fn bool_attr(node: Node<'_>, name: &str) -> Result<Option<bool>, PolicyError> {
    match node.attribute(name) {
        None => Ok(None),
        Some(v) if v.trim().eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(v) if v.trim().eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(v) => Err(PolicyError::invalid(
            format!(
                "{name}=\"{v}\" on <{}> must be \"true\" or \"false\"",
                node.name()
            ),
            loc(node),
        )),
    }
}

/// What is wrong with a `<domain>` that Android reads otherwise than Qorgan: AOSP
/// `XmlConfigSource` keeps the lower-cased, trimmed text as it is and compares host names with
/// it, so a wildcard, a final dot or Unicode letters match no host there, while Qorgan reads the
/// name they stand for (tested against Android's parser by scripts/test-android.sh).
fn android_reads_otherwise(domain: &str) -> Option<String> {
    if let Some(rest) = domain.strip_prefix("*.") {
        Some(format!("<domain>{domain}</domain>: Android compares the name as written and matches no host with it, while Qorgan pins every name one label below {rest}; to pin the subdomains on both, write <domain includeSubdomains=\"true\">{rest}</domain>"))
    } else if let Some(rest) = domain.strip_suffix('.') {
        Some(format!("<domain>{domain}</domain>: Android keeps the final dot and matches no host with it, while Qorgan pins {rest}; write {rest} without the dot"))
    } else if !domain.is_ascii() {
        Some(format!("<domain>{domain}</domain>: Android compares the Unicode name with the ASCII host names of TLS and matches no host with it, while Qorgan pins its ASCII (punycode, xn--) form; write that form"))
    } else {
        None
    }
}

/// The text of an element that must hold only text.
fn text_only(node: Node<'_>, what: &str) -> Result<String, PolicyError> {
    if node.elements().next().is_some() {
        return Err(PolicyError::invalid(
            format!("<{what}> must hold only text, not other elements"),
            loc(node),
        ));
    }
    Ok(node.text().trim().to_string())
}

impl Parser<'_> {
    fn pin_set(&mut self, node: Node<'_>) -> Result<PinSetParts, PolicyError> {
        let expiration = node
            .attribute("expiration")
            .map(|v| (v.to_string(), loc(node)));
        let mut pins = Vec::new();
        for child in node.elements() {
            if child.name() != "pin" {
                continue;
            }
            // Android (AOSP Pin.isSupportedDigestAlgorithm) takes "SHA-256" in any case, as
            // written: not "SHA256", not with spaces around it.
            let digest = child.attribute("digest").unwrap_or("(none)");
            if !digest.eq_ignore_ascii_case("SHA-256") {
                return Err(PolicyError::new(
                    K::UnknownDigest {
                        digest: digest.into(),
                    },
                    loc(child),
                ));
            }
            let value = text_only(child, "pin")?;
            if value.is_empty() {
                return Err(PolicyError::invalid(
                    "<pin> is empty: write the base64 SHA-256 of a public key between <pin digest=\"SHA-256\"> and </pin>",
                    loc(child),
                ));
            }
            pins.push(RawPin {
                digest: Some(digest.to_string()),
                value,
                loc: loc(child),
            });
        }
        Ok((pins, expiration, loc(node)))
    }

    fn trust_anchors(
        &mut self,
        node: Node<'_>,
        kind: Kind,
    ) -> Result<(Vec<RawAnchor>, bool), PolicyError> {
        let mut anchors = Vec::new();
        let mut override_pins = false;
        for c in node.elements() {
            if c.name() != "certificates" {
                continue;
            }
            let src = c.attribute("src").ok_or_else(|| {
                PolicyError::invalid(
                    "<certificates> needs a src attribute: \"system\", \"user\" or \"@raw/name\"",
                    loc(c),
                )
            })?;
            let over = bool_attr(c, "overridePins")?;
            let anchor = match src.trim() {
                "system" => RawAnchor::System,
                "user" => RawAnchor::User,
                "wfa" => RawAnchor::Unresolved,
                s if s.starts_with('@') => {
                    match self.resolver.and_then(|r| r(s)) {
                        Some(bytes) => {
                            let certs = crate::input::parse_store(&bytes).map_err(|e| {
                                PolicyError::invalid(
                                    format!("the certificate file behind src=\"{s}\" is unusable: {e}"),
                                    loc(c),
                                )
                            })?;
                            for cert in &certs[1..] {
                                anchors.push(RawAnchor::Key(cert.spki_hash()));
                            }
                            RawAnchor::Key(certs[0].spki_hash())
                        }
                        None => {
                            self.raw.warnings.push(PolicyWarning::new(
                                W::UnresolvedAnchor,
                                loc(c),
                                format!("Qorgan cannot read the certificate behind src=\"{s}\", so it does not count as an allowed anchor here; give its key in the JSON policy's allowed-anchors, or run the CLI on the file inside res/xml/ so that res/raw/ is found"),
                            ));
                            RawAnchor::Unresolved
                        }
                    }
                }
                other => {
                    return Err(PolicyError::invalid(
                        format!("unknown certificates src=\"{other}\": use \"system\", \"user\" or a resource such as \"@raw/my_ca\""),
                        loc(c),
                    ))
                }
            };
            if kind == Kind::Debug {
                match over {
                    Some(true) => override_pins = true,
                    Some(false) => {}
                    None => self.raw.warnings.push(PolicyWarning::new(
                        W::DebugOverridesImplicit,
                        loc(c),
                        format!("in <debug-overrides>, Android lets src=\"{src}\" bypass pins unless overridePins=\"false\"; Qorgan requires overridePins=\"true\" written out, so pins still apply to it"),
                    )),
                }
            } else {
                if over == Some(true) {
                    self.raw.warnings.push(PolicyWarning::new(
                        W::OverridePinsIgnored,
                        loc(c),
                        format!("overridePins=\"true\" on src=\"{src}\" in <{}> is ignored: a locally installed anchor never bypasses pins in Qorgan (only <debug-overrides> may, in a debug build)", kind.name()),
                    ));
                }
                if matches!(anchor, RawAnchor::User) {
                    self.raw.warnings.push(PolicyWarning::new(
                        W::UserAnchors,
                        loc(c),
                        format!("<{}> trusts user-installed CAs (src=\"user\"): anyone who can install a CA on the device can intercept these connections; Qorgan still reports such anchors and pins still apply", kind.name()),
                    ));
                }
            }
            anchors.push(anchor);
        }
        Ok((anchors, override_pins))
    }

    fn config(
        &mut self,
        node: Node<'_>,
        kind: Kind,
        parent: &Inherited,
        depth: usize,
    ) -> Result<Inherited, PolicyError> {
        if depth > MAX_DEPTH {
            return Err(PolicyError::invalid(
                format!("<domain-config>s are nested more than {MAX_DEPTH} deep: nest fewer (a nested config only needs to differ from its parent)"),
                loc(node),
            ));
        }
        let mut own = Inherited::default();
        let mut domains: Vec<(String, bool, Option<PolicyLocation>)> = Vec::new();
        let mut nested = Vec::new();
        let mut override_pins = false;
        for c in node.elements() {
            let name = c.name();
            match name {
                "domain" => {
                    if kind != Kind::Domain {
                        return Err(PolicyError::invalid(
                            format!(
                                "<domain> is not allowed in <{}>: put it in a <domain-config>",
                                kind.name()
                            ),
                            loc(c),
                        ));
                    }
                    let include = bool_attr(c, "includeSubdomains")?.unwrap_or(false);
                    let text = text_only(c, "domain")?.to_lowercase();
                    if text.is_empty() {
                        return Err(PolicyError::invalid(
                            "<domain> is empty: write a host name such as api.example.com",
                            loc(c),
                        ));
                    }
                    if let Some(why) = android_reads_otherwise(&text) {
                        self.raw.warnings.push(PolicyWarning::new(
                            W::DomainReadOtherwise,
                            loc(c),
                            why,
                        ));
                    }
                    // Android refuses a domain listed twice, whatever includeSubdomains says.
                    if !self.seen_domains.insert(text.clone()) {
                        return Err(PolicyError::new(
                            K::DuplicateDomain { domain: text },
                            loc(c),
                        ));
                    }
                    domains.push((text, include, loc(c)));
                }
                "pin-set" => {
                    if kind != Kind::Domain {
                        return Err(PolicyError::invalid(
                            format!("<pin-set> is not allowed in <{}>: pins belong in a <domain-config>", kind.name()),
                            loc(c),
                        ));
                    }
                    if own.pins.is_some() {
                        return Err(PolicyError::invalid(
                            "a <domain-config> may hold only one <pin-set>: merge the pins into one",
                            loc(c),
                        ));
                    }
                    own.pins = Some(self.pin_set(c)?);
                }
                "trust-anchors" => {
                    if own.anchors.is_some() {
                        return Err(PolicyError::invalid(
                            format!(
                                "<{}> may hold only one <trust-anchors>: merge them into one",
                                kind.name()
                            ),
                            loc(c),
                        ));
                    }
                    let (anchors, over) = self.trust_anchors(c, kind)?;
                    override_pins |= over;
                    own.anchors = Some(anchors);
                }
                "domain-config" => {
                    if kind != Kind::Domain {
                        return Err(PolicyError::invalid(
                            format!("<domain-config> is not allowed in <{}>", kind.name()),
                            loc(c),
                        ));
                    }
                    nested.push(c);
                }
                _ => {}
            }
        }
        if kind == Kind::Domain && domains.is_empty() {
            return Err(PolicyError::invalid(
                "this <domain-config> has no <domain>: add <domain includeSubdomains=\"true\">example.com</domain>",
                loc(node),
            ));
        }
        let effective = Inherited {
            pins: own.pins.clone().or_else(|| parent.pins.clone()),
            anchors: own.anchors.clone().or_else(|| parent.anchors.clone()),
        };
        match kind {
            Kind::Base => self.raw.anchors = own.anchors.clone(),
            Kind::Debug => {
                self.raw.debug = Some(RawDebug {
                    override_pins,
                    anchors: own.anchors.clone().unwrap_or_default(),
                })
            }
            Kind::Domain => {
                for (domain, include, dloc) in domains {
                    let mut r = RawRule::new(domain, dloc);
                    r.include_subdomains = include;
                    if let Some((pins, exp, ploc)) = &effective.pins {
                        r.pins = Some(pins.clone());
                        r.expiration = exp.clone();
                        r.pins_loc = ploc.clone();
                    }
                    r.anchors = effective.anchors.clone();
                    self.raw.rules.push(r);
                }
            }
        }
        for n in nested {
            self.config(n, Kind::Domain, &effective, depth + 1)?;
        }
        Ok(effective)
    }
}

/// Parses a Network Security Config file into the raw policy.
pub(crate) fn parse(
    text: &str,
    resolver: Option<ResourceResolver<'_>>,
) -> Result<RawPolicy, PolicyError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = Document::parse(text).map_err(|e| {
        PolicyError::new(
            K::MalformedXml { reason: e.reason },
            Some(PolicyLocation::Text {
                line: e.line,
                column: e.column,
            }),
        )
    })?;
    let root = doc.root();
    if root.name() != "network-security-config" {
        return Err(PolicyError::invalid(
            format!(
                "the root element is <{}>, expected <network-security-config>",
                root.name()
            ),
            loc(root),
        ));
    }
    let mut p = Parser {
        resolver,
        raw: RawPolicy::new(),
        seen_domains: Default::default(),
    };
    // Android parses in document order, and a <domain-config> before <base-config> does not
    // inherit from it; Qorgan resolves base-config anchors at check time, so order does not
    // matter here.
    let mut seen_base = false;
    let mut seen_debug = false;
    for c in root.elements() {
        match c.name() {
            "base-config" => {
                if seen_base {
                    return Err(PolicyError::invalid(
                        "only one <base-config> is allowed",
                        loc(c),
                    ));
                }
                seen_base = true;
                p.config(c, Kind::Base, &Inherited::default(), 1)?;
            }
            "domain-config" => {
                p.config(c, Kind::Domain, &Inherited::default(), 1)?;
            }
            "debug-overrides" => {
                if seen_debug {
                    return Err(PolicyError::invalid(
                        "only one <debug-overrides> is allowed",
                        loc(c),
                    ));
                }
                seen_debug = true;
                p.config(c, Kind::Debug, &Inherited::default(), 1)?;
            }
            _ => {}
        }
    }
    Ok(p.raw)
}

//! Qorgan's JSON pin policy: the same meaning as a Network Security Config file, plus what
//! NSC cannot say (report-only, report URIs, allowed anchors by key).
//!
//! ```json
//! {
//!   "allowed-anchors": ["sha256/<base64>"],
//!   "domains": [
//!     {
//!       "domain": "example.com",
//!       "include-subdomains": true,
//!       "pins": ["sha256/<base64>", "sha256/<base64 of a backup key>"],
//!       "expiration": "2027-01-31",
//!       "enforce": true,
//!       "report-uris": ["https://reports.example.com/pins"],
//!       "excluded-subdomains": ["cdn.example.com"],
//!       "allowed-anchors": ["sha256/<base64>"],
//!       "trust-user-anchors": false
//!     }
//!   ],
//!   "debug-overrides": { "override-pins": true, "anchors": ["user", "sha256/<base64>"] }
//! }
//! ```
//!
//! - `domain`: a host name, `*.example.com` (one more label) or `**.example.com` (any depth,
//!   the same as `include-subdomains: true`). Required.
//! - `pins`: `sha256/<base64>` or bare base64 of the SHA-256 of a SubjectPublicKeyInfo.
//!   Without `pins` the domain is listed but not pinned.
//! - `expiration`: `yyyy-MM-dd`; from 00:00 UTC that day the pins are not enforced.
//! - `enforce`: `false` makes the domain report-only. Default `true`.
//! - `excluded-subdomains`: patterns under `domain` that are not pinned.
//! - `allowed-anchors`: non-public anchors the owner accepts (an enterprise proxy); a
//!   domain's list replaces the top-level one for that domain.
//! - `trust-user-anchors`: the app trusts user-installed CAs here (informational, as
//!   `<certificates src="user"/>`: they are still reported and never bypass pins).
//! - `debug-overrides`: anchors (`"user"`, `"system"` or a pin) that bypass pins in an engine
//!   built with `dangerous_debug_build`, when `override-pins` is `true`.
//!
//! Unknown keys are refused (a typo must not silently drop a pin); keys starting with `_` are
//! comments.

use serde_json::{json, Map, Value};

use crate::pinning::error::{PolicyError, PolicyErrorKind as K, PolicyLocation};
use crate::pinning::policy::{
    AnchorSource, DomainRule, DomainScope, PinPolicy, RawAnchor, RawDebug, RawPin, RawPolicy,
    RawRule,
};

fn at(path: &str) -> Option<PolicyLocation> {
    Some(PolicyLocation::Path(path.to_string()))
}

fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>, PolicyError> {
    v.as_object()
        .ok_or_else(|| PolicyError::invalid("expected a JSON object", at(path)))
}

fn check_keys(obj: &Map<String, Value>, known: &[&str], path: &str) -> Result<(), PolicyError> {
    for k in obj.keys() {
        if !k.starts_with('_') && !known.contains(&k.as_str()) {
            return Err(PolicyError::invalid(
                format!("unknown key {k:?}; known keys here: {}", known.join(", ")),
                at(path),
            ));
        }
    }
    Ok(())
}

fn string(v: &Value, path: &str) -> Result<String, PolicyError> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| PolicyError::invalid("expected a string", at(path)))
}

fn boolean(v: &Value, path: &str) -> Result<bool, PolicyError> {
    v.as_bool()
        .ok_or_else(|| PolicyError::invalid("expected true or false", at(path)))
}

fn strings(v: &Value, path: &str) -> Result<Vec<(String, String)>, PolicyError> {
    let arr = v
        .as_array()
        .ok_or_else(|| PolicyError::invalid("expected an array of strings", at(path)))?;
    arr.iter()
        .enumerate()
        .map(|(i, s)| {
            let p = format!("{path}[{i}]");
            Ok((string(s, &p)?, p))
        })
        .collect()
}

fn pins(v: &Value, path: &str) -> Result<Vec<RawPin>, PolicyError> {
    Ok(strings(v, path)?
        .into_iter()
        .map(|(value, p)| RawPin {
            digest: None,
            value,
            loc: at(&p),
        })
        .collect())
}

fn anchors(v: &Value, path: &str) -> Result<Vec<RawAnchor>, PolicyError> {
    Ok(strings(v, path)?
        .into_iter()
        .map(|(value, p)| match value.as_str() {
            "user" => RawAnchor::User,
            "system" => RawAnchor::System,
            _ => RawAnchor::Pin(RawPin {
                digest: None,
                value,
                loc: at(&p),
            }),
        })
        .collect())
}

const DOMAIN_KEYS: &[&str] = &[
    "domain",
    "include-subdomains",
    "pins",
    "expiration",
    "enforce",
    "report-uris",
    "excluded-subdomains",
    "allowed-anchors",
    "trust-user-anchors",
];

/// Parses a JSON policy into the raw policy.
pub(crate) fn parse(text: &str) -> Result<RawPolicy, PolicyError> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        PolicyError::new(
            K::MalformedJson {
                reason: e.to_string(),
            },
            Some(PolicyLocation::Text {
                line: u32::try_from(e.line()).unwrap_or(u32::MAX),
                column: u32::try_from(e.column()).unwrap_or(u32::MAX),
            }),
        )
    })?;
    let top = object(&v, "(top level)")?;
    check_keys(
        top,
        &["domains", "allowed-anchors", "debug-overrides"],
        "(top level)",
    )?;
    let mut raw = RawPolicy::new();
    if let Some(a) = top.get("allowed-anchors") {
        raw.anchors = Some(anchors(a, "allowed-anchors")?);
    }
    let domains = match top.get("domains") {
        Some(d) => d
            .as_array()
            .ok_or_else(|| PolicyError::invalid("expected an array of domains", at("domains")))?
            .as_slice(),
        None => &[],
    };
    for (i, d) in domains.iter().enumerate() {
        let path = format!("domains[{i}]");
        let obj = object(d, &path)?;
        check_keys(obj, DOMAIN_KEYS, &path)?;
        let pattern = match obj.get("domain") {
            Some(v) => string(v, &format!("{path}.domain"))?,
            None => {
                return Err(PolicyError::invalid(
                    "missing \"domain\": add \"domain\": \"example.com\"",
                    at(&path),
                ))
            }
        };
        let mut r = RawRule::new(pattern, at(&format!("{path}.domain")));
        if let Some(v) = obj.get("include-subdomains") {
            r.include_subdomains = boolean(v, &format!("{path}.include-subdomains"))?;
        }
        if let Some(v) = obj.get("pins") {
            r.pins = Some(pins(v, &format!("{path}.pins"))?);
            r.pins_loc = at(&format!("{path}.pins"));
        }
        if let Some(v) = obj.get("expiration") {
            let p = format!("{path}.expiration");
            r.expiration = Some((string(v, &p)?, at(&p)));
        }
        if let Some(v) = obj.get("enforce") {
            r.enforce = boolean(v, &format!("{path}.enforce"))?;
        }
        if let Some(v) = obj.get("report-uris") {
            r.report_uris = strings(v, &format!("{path}.report-uris"))?
                .into_iter()
                .map(|(s, _)| s)
                .collect();
        }
        let mut list = match obj.get("allowed-anchors") {
            Some(v) => Some(anchors(v, &format!("{path}.allowed-anchors"))?),
            None => None,
        };
        if let Some(v) = obj.get("trust-user-anchors") {
            if boolean(v, &format!("{path}.trust-user-anchors"))? {
                list.get_or_insert_with(Vec::new).push(RawAnchor::User);
            }
        }
        r.anchors = list;
        let excluded = match obj.get("excluded-subdomains") {
            Some(v) => strings(v, &format!("{path}.excluded-subdomains"))?,
            None => Vec::new(),
        };
        let parent_domain = r
            .pattern
            .trim()
            .trim_start_matches("**.")
            .trim_start_matches("*.")
            .to_ascii_lowercase();
        raw.rules.push(r);
        for (pattern, p) in excluded {
            let bare = pattern
                .trim()
                .trim_start_matches("**.")
                .trim_start_matches("*.")
                .to_ascii_lowercase();
            if !bare.ends_with(&format!(".{parent_domain}")) {
                return Err(PolicyError::invalid(
                    format!("excluded subdomain {pattern:?} is not under {parent_domain:?}"),
                    at(&p),
                ));
            }
            let mut e = RawRule::new(pattern, at(&p));
            e.excluded = true;
            raw.rules.push(e);
        }
    }
    if let Some(d) = top.get("debug-overrides") {
        let obj = object(d, "debug-overrides")?;
        check_keys(obj, &["override-pins", "anchors"], "debug-overrides")?;
        let override_pins = match obj.get("override-pins") {
            Some(v) => boolean(v, "debug-overrides.override-pins")?,
            None => false,
        };
        let list = match obj.get("anchors") {
            Some(v) => anchors(v, "debug-overrides.anchors")?,
            None => Vec::new(),
        };
        raw.debug = Some(RawDebug {
            override_pins,
            anchors: list,
        });
    }
    Ok(raw)
}

/// The entry an excluded rule is written under: the most specific other rule whose domain
/// contains it (the JSON format nests exclusions; [`parse`] checks the same "under").
fn exclusion_parent<'a>(p: &'a PinPolicy, x: &DomainRule) -> Option<&'a DomainRule> {
    p.rules
        .iter()
        .filter(|r| !r.excluded && x.domain.ends_with(&format!(".{}", r.domain)))
        .max_by(|a, b| {
            a.domain
                .len()
                .cmp(&b.domain.len())
                .then(b.scope.cmp(&a.scope))
        })
}

fn pin_list(keys: &[crate::SpkiHash]) -> Vec<String> {
    keys.iter().map(|k| k.pin()).collect()
}

/// The policy in the JSON format above (excluded subdomains become entries of their own).
pub(crate) fn to_json(p: &PinPolicy) -> Value {
    let domains: Vec<Value> = p
        .rules
        .iter()
        .filter(|r| !r.excluded)
        .map(|r| {
            let mut o = Map::new();
            let (domain, include) = match r.scope {
                DomainScope::Exact => (r.domain.clone(), false),
                DomainScope::OneLabel => (format!("*.{}", r.domain), false),
                DomainScope::Subdomains => (r.domain.clone(), true),
            };
            o.insert("domain".into(), json!(domain));
            o.insert("include-subdomains".into(), json!(include));
            if !r.pins.is_empty() {
                o.insert("pins".into(), json!(pin_list(&r.pins)));
            }
            if let Some(e) = &r.expiration {
                o.insert("expiration".into(), json!(e));
            }
            o.insert("enforce".into(), json!(r.enforce));
            if !r.report_uris.is_empty() {
                o.insert("report-uris".into(), json!(r.report_uris));
            }
            let excluded: Vec<String> = p
                .rules
                .iter()
                .filter(|x| {
                    x.excluded && exclusion_parent(p, x).is_some_and(|e| std::ptr::eq(e, r))
                })
                .map(|x| x.pattern())
                .collect();
            if !excluded.is_empty() {
                o.insert("excluded-subdomains".into(), json!(excluded));
            }
            if let Some(a) = &r.allowed_anchors {
                o.insert("allowed-anchors".into(), json!(pin_list(a)));
            }
            if r.trusts_user_anchors {
                o.insert("trust-user-anchors".into(), json!(true));
            }
            Value::Object(o)
        })
        .collect();
    let mut top = Map::new();
    if !p.allowed_anchors.is_empty() || p.trusts_user_anchors {
        let mut list = pin_list(&p.allowed_anchors);
        if p.trusts_user_anchors {
            list.push("user".to_string());
        }
        top.insert("allowed-anchors".into(), json!(list));
    }
    top.insert("domains".into(), Value::Array(domains));
    if let Some(d) = &p.debug_overrides {
        let anchors: Vec<String> = d
            .sources
            .iter()
            .map(|s| match s {
                AnchorSource::System => "system".to_string(),
                AnchorSource::User => "user".to_string(),
                AnchorSource::Key(k) => k.pin(),
            })
            .collect();
        top.insert(
            "debug-overrides".into(),
            json!({ "override-pins": d.override_pins, "anchors": anchors }),
        );
    }
    Value::Object(top)
}

/// The keys of a policy in the order the format above lists them.
const TOP_KEYS: &[&str] = &["allowed-anchors", "domains", "debug-overrides"];

/// The policy's canonical text: [`to_json`] laid out as the format above, keys in its order,
/// one key per line, lists of strings and `debug-overrides` on one line, ending in a newline.
/// The builders of every platform give this text (`PinPolicyBuilder` through UniFFI).
pub(crate) fn to_text(p: &PinPolicy) -> String {
    fn inline(v: &Value) -> String {
        match v {
            Value::Array(items) => {
                let items: Vec<String> = items.iter().map(inline).collect();
                format!("[{}]", items.join(", "))
            }
            Value::Object(o) => {
                let fields: Vec<String> = ordered(o, &["override-pins", "anchors"])
                    .into_iter()
                    .map(|(k, v)| format!("{}: {}", Value::from(k), inline(v)))
                    .collect();
                format!("{{{}}}", fields.join(", "))
            }
            other => other.to_string(),
        }
    }
    fn ordered<'a>(o: &'a Map<String, Value>, keys: &[&str]) -> Vec<(&'a str, &'a Value)> {
        let mut out: Vec<(&str, &Value)> = keys
            .iter()
            .filter_map(|k| o.get_key_value(*k).map(|(k, v)| (k.as_str(), v)))
            .collect();
        out.extend(
            o.iter()
                .filter(|(k, _)| !keys.contains(&k.as_str()))
                .map(|(k, v)| (k.as_str(), v)),
        );
        out
    }
    let v = to_json(p);
    let empty = Map::new();
    let top = v.as_object().unwrap_or(&empty);
    let mut fields = Vec::new();
    for (k, v) in ordered(top, TOP_KEYS) {
        let value = match (k, v) {
            ("domains", Value::Array(domains)) if !domains.is_empty() => {
                let entries: Vec<String> = domains
                    .iter()
                    .map(|d| {
                        let o = d.as_object().unwrap_or(&empty);
                        let lines: Vec<String> = ordered(o, DOMAIN_KEYS)
                            .into_iter()
                            .map(|(k, v)| format!("      {}: {}", Value::from(k), inline(v)))
                            .collect();
                        format!("    {{\n{}\n    }}", lines.join(",\n"))
                    })
                    .collect();
                format!("[\n{}\n  ]", entries.join(",\n"))
            }
            _ => inline(v),
        };
        fields.push(format!("  {}: {}", Value::from(k), value));
    }
    format!("{{\n{}\n}}\n", fields.join(",\n"))
}

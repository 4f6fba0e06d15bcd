//! "Is this domain a public suffix?", from a trimmed copy of the Public Suffix List
//! (`data/public-suffix/`, MPL-2.0; its README gives the provenance and the trimming).
//!
//! Used only to refuse `includeSubdomains` (and `*.`/`**.` patterns) on a suffix such as `com`
//! or `co.uk`, as TrustKit does: such a rule would pin every site under it.

use std::collections::HashSet;

use once_cell::sync::Lazy;

static LIST: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/public-suffix/public_suffix_list.dat"
));

struct Rules {
    /// `co.uk`: a public suffix.
    exact: HashSet<String>,
    /// `*.ck` is stored as `ck`: every label under it is a public suffix.
    wildcard: HashSet<String>,
    /// `!www.ck` is stored as `www.ck`: not a public suffix despite a wildcard.
    exception: HashSet<String>,
}

static RULES: Lazy<Rules> = Lazy::new(|| {
    let mut rules = Rules {
        exact: HashSet::new(),
        wildcard: HashSet::new(),
        exception: HashSet::new(),
    };
    for line in LIST.lines() {
        let Some(rule) = line.split_whitespace().next() else {
            continue;
        };
        if rule.starts_with("//") {
            continue;
        }
        let (set, name) = if let Some(rest) = rule.strip_prefix("*.") {
            (&mut rules.wildcard, rest)
        } else if let Some(rest) = rule.strip_prefix('!') {
            (&mut rules.exception, rest)
        } else {
            (&mut rules.exact, rule)
        };
        // The list writes internationalized suffixes in Unicode; hosts are compared in
        // punycode.
        match super::idn::to_ascii(name) {
            Ok(ascii) => set.insert(ascii),
            Err(_) => continue,
        };
    }
    rules
});

/// True when `domain` (lower case, punycode, no trailing dot) is a public suffix by the
/// list's rules, including the implicit `*` rule (every single label is a suffix).
pub(crate) fn is_public_suffix(domain: &str) -> bool {
    let rules = &*RULES;
    if rules.exception.contains(domain) {
        return false;
    }
    if rules.exact.contains(domain) {
        return true;
    }
    match domain.split_once('.') {
        // The implicit rule "*": a bare top-level label.
        None => true,
        Some((_, parent)) => rules.wildcard.contains(parent),
    }
}

#[cfg(test)]
mod tests {
    use super::is_public_suffix;

    #[test]
    fn suffixes_from_the_list() {
        for s in [
            "com",
            "uk",
            "co.uk",
            "com.au",
            "kz",
            "com.kz",
            "xn--p1ai",
            "anything.ck",
        ] {
            assert!(is_public_suffix(s), "{s}");
        }
        for s in [
            "example.com",
            "example.co.uk",
            "www.ck",
            "gov.kz.example",
            "good.com",
        ] {
            assert!(!is_public_suffix(s), "{s}");
        }
    }

    /// Every rule of the list converts: a rule skipped would let a pattern on that suffix
    /// load. The Unicode rules also check the IDN conversion against `idna` (UTS-46).
    #[test]
    fn every_rule_converts_as_idna_does() {
        let mut unicode = 0;
        for line in super::LIST.lines() {
            let Some(rule) = line.split_whitespace().next() else {
                continue;
            };
            if rule.starts_with("//") {
                continue;
            }
            let name = rule.trim_start_matches("*.").trim_start_matches('!');
            let ours = super::super::idn::to_ascii(name);
            if !name.is_ascii() {
                unicode += 1;
                assert_eq!(
                    ours.as_deref().ok(),
                    idna::domain_to_ascii(name).ok().as_deref(),
                    "{name}"
                );
            }
            assert!(ours.is_ok(), "{name}: {ours:?}");
        }
        assert!(unicode > 100, "{unicode}");
    }
}

//! "Is this domain a public suffix?", from a trimmed copy of the Public Suffix List
//! (`data/public-suffix/`, MPL-2.0; its README gives the provenance and the trimming).
//!
//! Used only to refuse `includeSubdomains` (and `*.`/`**.` patterns) on a suffix such as `com`
//! or `co.uk`, as TrustKit does: such a rule would pin every site under it.
//!
//! `build.rs` writes the list in ASCII (punycode), grouped by top-level label, deflated; see
//! `public_suffixes` there for the format. A lookup scans it: it runs only for the patterns of
//! a policy being loaded.

/// The list, inflated when a policy is first checked (`build.rs` ships it deflated).
static LIST: once_cell::sync::Lazy<String> =
    once_cell::sync::Lazy::new(|| crate::deflated::text(crate::deflated::PUBLIC_SUFFIXES));

/// True when `domain` (lower case, punycode, no trailing dot) is a public suffix by the
/// list's rules, including the implicit `*` rule (every single label is a suffix).
pub(crate) fn is_public_suffix(domain: &str) -> bool {
    // The implicit rule "*": a bare top-level label.
    let Some((rest, tld)) = domain.rsplit_once('.') else {
        return true;
    };
    let Some(items) = LIST.lines().find_map(|line| {
        let (label, items) = line.split_once(' ').unwrap_or((line, ""));
        (label == tld).then_some(items)
    }) else {
        return false;
    };
    let listed = |item: &str| items.split(' ').any(|i| i == item);
    if listed(&format!("!{rest}")) {
        return false;
    }
    if listed(rest) {
        return true;
    }
    // A wildcard on the parent: `*.ck` (item `*`) or `*.kawasaki.jp` (item `*kawasaki`).
    match rest.split_once('.') {
        None => listed("*"),
        Some((_, parent)) => listed(&format!("*{parent}")),
    }
}

#[cfg(test)]
mod tests {
    use super::is_public_suffix;
    use std::collections::HashSet;

    static RAW: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/public-suffix/public_suffix_list.dat"
    ));

    /// The list's rules as written: (mark, name), mark `*`, `!` or empty.
    fn raw_rules() -> Vec<(&'static str, &'static str)> {
        RAW.lines()
            .filter_map(|l| l.split_whitespace().next())
            .filter(|r| !r.starts_with("//"))
            .map(|r| match (r.strip_prefix("*."), r.strip_prefix('!')) {
                (Some(n), _) => ("*", n),
                (_, Some(n)) => ("!", n),
                _ => ("", r),
            })
            .collect()
    }

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
            "anything.kawasaki.jp",
            "unlisted-tld",
        ] {
            assert!(is_public_suffix(s), "{s}");
        }
        for s in [
            "example.com",
            "example.co.uk",
            "www.ck",
            "city.kawasaki.jp",
            "a.anything.kawasaki.jp",
            "gov.kz.example",
            "good.com",
            "example.unlisted-tld",
        ] {
            assert!(!is_public_suffix(s), "{s}");
        }
    }

    /// The compact form answers as the list read rule by rule does (the previous
    /// implementation: three sets), for every rule, a name under it and its parent.
    #[test]
    fn same_answers_as_the_list_rule_by_rule() {
        let (mut exact, mut wildcard, mut exception) =
            (HashSet::new(), HashSet::new(), HashSet::new());
        for (mark, name) in raw_rules() {
            let ascii = super::super::idn::to_ascii(name).unwrap();
            match mark {
                "*" => wildcard.insert(ascii),
                "!" => exception.insert(ascii),
                _ => exact.insert(ascii),
            };
        }
        let reference = |d: &str| {
            if exception.contains(d) {
                return false;
            }
            if exact.contains(d) {
                return true;
            }
            match d.split_once('.') {
                None => true,
                Some((_, parent)) => wildcard.contains(parent),
            }
        };
        let mut checked = 0;
        for (_, name) in raw_rules() {
            let ascii = super::super::idn::to_ascii(name).unwrap();
            let parent = ascii.split_once('.').map_or("x", |(_, p)| p).to_string();
            for d in [
                ascii.clone(),
                format!("a.{ascii}"),
                format!("b.a.{ascii}"),
                parent,
            ] {
                assert_eq!(is_public_suffix(&d), reference(&d), "{d}");
                checked += 1;
            }
        }
        assert!(checked > 20_000, "{checked}");
    }

    /// Every rule converts to ASCII as `idna` (UTS-46) converts it: build.rs refuses the build
    /// otherwise, and the Unicode rules check pinning/idn.rs against `idna`.
    #[test]
    fn every_rule_converts_as_idna_does() {
        let mut unicode = 0;
        for (_, name) in raw_rules() {
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

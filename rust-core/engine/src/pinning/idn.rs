//! Host names in the form pins are matched in: ASCII lower case, and each Unicode label as
//! UTS-46 (Unicode IDNA compatibility processing) writes it in ASCII, an `xn--` A-label.
//!
//! The conversion is the `idna` crate's, the reference implementation of UTS-46, with the
//! flags browsers use (the WHATWG URL standard's): nontransitional (`ß`, `ς` and the joiners
//! are kept, as browsers do since 2017), no STD3 ASCII rules (the caller checks the ASCII
//! characters of the result: letters, digits, `-` and `_`), no hyphen-position or DNS-length
//! checks (the caller checks the lengths). The bidi and joiner rules apply.
//!
//! UTS-46 also *maps* names before encoding them: `ﬁ` to `fi`, `ẞ` to `ß`, `Ｅｘａｍｐｌｅ`
//! to `example`, a soft hyphen to nothing, and it normalizes them to NFC (`e` plus a combining
//! acute accent to `é`; a Bengali e-kar plus aa-kar to o-kar; Hebrew and Arabic marks into
//! canonical order). Qorgan refuses a name UTS-46 would change ([`IdnError`], which says
//! what to write instead), other than ASCII upper case, for two reasons:
//!
//! - A pin policy is written by the app's developer, who can write the name in its plain
//!   form. A name that needs mapping is most likely a copy-and-paste accident, and a policy
//!   that silently pins a different name than the one written is worse than one that does
//!   not load: the error says which character to fix.
//! - Platforms have not always mapped alike (IDNA 2003 and 2008, transitional processing,
//!   Unicode versions). If Qorgan mapped a name differently from the platform that resolves
//!   and connects to it, the pins would sit on a name the app never uses, and the real host
//!   would be unpinned without anyone noticing. A name that needs no mapping has one A-label.

use std::fmt;

use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};

/// Why a host name cannot be written as an A-label without UTS-46 mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdnError {
    /// An upper-case letter outside ASCII (`Σ`, `ẞ`): write it in lower case, as UTS-46 maps it
    /// (the message gives that mapping).
    UpperCase(char),
    /// A compatibility, presentation or variant form (`ﬁ`, full-width `Ａ`, `①`, `ℌ`, `ｶ`):
    /// UTS-46 maps it to other characters; write those (the message names them).
    Compatibility(char),
    /// Characters that Unicode normalization (NFC, which UTS-46 applies) composes or puts in
    /// another order: `e` + U+0301 is `é`, a Bengali e-kar + aa-kar is an o-kar, Myanmar,
    /// Hebrew and Arabic marks have a canonical order. Write `normalized` instead of `written`.
    NotNormalized {
        /// The mark at which the written name stops being in NFC.
        character: char,
        /// The characters as written (from the one NFC changes to `character`).
        written: String,
        /// What NFC makes of them.
        normalized: String,
    },
    /// An invisible or formatting character (soft hyphen, zero-width joiner, variation
    /// selector, byte-order mark): UTS-46 removes it or allows it only in context.
    Invisible(char),
    /// A full stop other than `.` (`。`, `．`, `｡`): UTS-46 reads it as a label separator;
    /// write `.`.
    OtherDot(char),
    /// A character UTS-46 disallows (a control character, a space, a symbol, a private-use,
    /// non-character or unassigned code point): never part of a host name.
    Disallowed(char),
    /// A label (or name) that breaks one of UTS-46's contextual rules: the bidi rule (a
    /// right-to-left label with left-to-right letters, or a label starting with a digit in a
    /// name with right-to-left labels), a combining mark at the start of a label, or an
    /// `xn--` label that is not valid punycode.
    Contextual(String),
    /// A label of more than 63 characters: its A-label would exceed the DNS limit.
    TooLong,
}

impl IdnError {
    /// The character at fault, if one is.
    pub fn character(&self) -> Option<char> {
        match *self {
            Self::UpperCase(c)
            | Self::Compatibility(c)
            | Self::NotNormalized { character: c, .. }
            | Self::Invisible(c)
            | Self::OtherDot(c)
            | Self::Disallowed(c) => Some(c),
            Self::Contextual(_) | Self::TooLong => None,
        }
    }
}

/// `"é" (U+00E9)`; several characters as `"é" (U+0065 U+0301)`.
fn describe(s: &str) -> String {
    let points: Vec<String> = s
        .chars()
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect();
    format!("{s:?} ({})", points.join(" "))
}

/// What UTS-46 maps `c` to on its own (`None`: it disallows it).
fn mapping_of(c: char) -> Option<String> {
    let mut buf = [0u8; 4];
    let (m, r) = uts46().to_unicode(
        c.encode_utf8(&mut buf).as_bytes(),
        AsciiDenyList::EMPTY,
        Hyphens::Allow,
    );
    r.is_ok().then(|| m.into_owned())
}

impl fmt::Display for IdnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let u = |c: char| describe(c.encode_utf8(&mut [0u8; 4]));
        let instead = |c: char| match mapping_of(c) {
            Some(m) if !m.is_empty() => format!("write {} instead", describe(&m)),
            _ => "write its plain form instead".to_string(),
        };
        match self {
            Self::UpperCase(c) => write!(f, "{} is upper case: {}", u(*c), instead(*c)),
            Self::Compatibility(c) => write!(
                f,
                "{} is a compatibility or variant form that IDNA maps to other characters: {}",
                u(*c),
                instead(*c)
            ),
            Self::NotNormalized {
                written,
                normalized,
                ..
            } => write!(
                f,
                "{} is not in Unicode normalization form C, which IDNA applies (it composes characters and puts combining marks in canonical order): write {} instead",
                describe(written),
                describe(normalized)
            ),
            Self::Invisible(c) => write!(
                f,
                "{} is an invisible or formatting character that IDNA removes or allows only in context: remove it",
                u(*c)
            ),
            Self::OtherDot(c) => write!(f, "{} separates labels like '.': write '.'", u(*c)),
            Self::Disallowed(c) => write!(
                f,
                "{} cannot appear in a host name (IDNA disallows it): remove it",
                u(*c)
            ),
            Self::Contextual(label) => write!(
                f,
                "{} breaks a contextual rule of IDNA (right-to-left labels may not mix in left-to-right letters, and in a name with one no label may start with a digit; a label may not start with a combining mark; an xn-- label must be valid punycode): write the name as the site's own links spell it",
                describe(label)
            ),
            Self::TooLong => f.write_str(
                "a label is longer than 63 characters, the DNS limit for its A-label",
            ),
        }
    }
}

fn uts46() -> Uts46 {
    Uts46::new()
}

/// `name` with ASCII letters in lower case and each label that has a non-ASCII character as
/// its UTS-46 A-label (`xn--` and punycode). A name UTS-46 would map (other than ASCII upper
/// case) or refuses is an error that says what to write instead. ASCII labels are not
/// otherwise checked (the caller checks length and characters of the result); an ASCII name
/// is only lower-cased.
pub(crate) fn to_ascii(name: &str) -> Result<String, IdnError> {
    if name.is_ascii() {
        return Ok(name.to_ascii_lowercase());
    }
    let name = name.to_ascii_lowercase();
    for label in name.split('.').filter(|l| !l.is_ascii()) {
        if label.chars().count() > 63 {
            return Err(IdnError::TooLong);
        }
        let (mapped, result) =
            uts46().to_unicode(label.as_bytes(), AsciiDenyList::EMPTY, Hyphens::Allow);
        if result.is_err() || mapped != label {
            return Err(diagnose(label));
        }
    }
    // Every Unicode label is as UTS-46 writes it; the rules that span labels (bidi) remain.
    uts46()
        .to_ascii(
            name.as_bytes(),
            AsciiDenyList::EMPTY,
            Hyphens::Allow,
            DnsLength::Ignore,
        )
        .map(|a| a.into_owned())
        .map_err(|_| IdnError::Contextual(name.clone()))
}

/// Why UTS-46 maps or refuses `label` (lower case, at most 63 characters): the first
/// character at which a prefix of it stops being a label UTS-46 leaves as it is.
fn diagnose(label: &str) -> IdnError {
    for (i, c) in label.char_indices() {
        let prefix = &label[..i + c.len_utf8()];
        let (mapped, result) =
            uts46().to_unicode(prefix.as_bytes(), AsciiDenyList::EMPTY, Hyphens::Allow);
        if result.is_ok() && mapped == prefix {
            continue;
        }
        if c.is_ascii() {
            // ASCII is kept as it is: the context is at fault (bidi rule).
            return IdnError::Contextual(label.to_string());
        }
        if c.to_lowercase().ne([c]) {
            return IdnError::UpperCase(c);
        }
        if matches!(c, '\u{200C}' | '\u{200D}') {
            return IdnError::Invisible(c);
        }
        return match (mapping_of(c).as_deref(), result.is_ok()) {
            (Some("."), _) => IdnError::OtherDot(c),
            (Some(""), _) => IdnError::Invisible(c),
            (Some(m), _) if m.chars().ne([c]) => IdnError::Compatibility(c),
            // Kept alone (or refused alone, as a combining mark at the start of a label is),
            // and the prefix is valid but changed: NFC composed or reordered it.
            (_, true) => {
                let common: usize = prefix
                    .chars()
                    .zip(mapped.chars())
                    .take_while(|(a, b)| a == b)
                    .map(|(a, _)| a.len_utf8())
                    .sum();
                IdnError::NotNormalized {
                    character: c,
                    written: prefix[common..].to_string(),
                    normalized: mapped[common..].to_string(),
                }
            }
            (Some(_), false) => IdnError::Contextual(label.to_string()),
            // Refused alone and here: disallowed, unless it is valid after a letter (a
            // combining mark at the start of a label).
            (None, false) => {
                let (_, after_letter) = uts46().to_unicode(
                    format!("a{c}").as_bytes(),
                    AsciiDenyList::EMPTY,
                    Hyphens::Allow,
                );
                if after_letter.is_ok() {
                    IdnError::Contextual(label.to_string())
                } else {
                    IdnError::Disallowed(c)
                }
            }
        };
    }
    IdnError::Contextual(label.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_to_ascii() {
        assert_eq!(to_ascii("Example.COM").unwrap(), "example.com");
        assert_eq!(to_ascii("☃.net").unwrap(), "xn--n3h.net");
        assert_eq!(to_ascii("σkhttp.COM").unwrap(), "xn--khttp-fde.com");
        assert_eq!(to_ascii("Bücher.example").unwrap(), "xn--bcher-kva.example");
        assert_eq!(to_ascii("пример.рф").unwrap(), "xn--e1afmkfd.xn--p1ai");
        // ß is kept (UTS-46 nontransitional processing, as browsers do since 2017).
        assert_eq!(to_ascii("faß.de").unwrap(), "xn--fa-hia.de");
    }

    #[test]
    fn names_that_need_mapping_are_refused() {
        for (name, err) in [
            ("ΣKHTTP.com", IdnError::UpperCase('Σ')),
            ("stra\u{1E9E}e.de", IdnError::UpperCase('\u{1E9E}')),
            ("\u{FB01}le.example", IdnError::Compatibility('\u{FB01}')),
            ("\u{FF45}xample.com", IdnError::Compatibility('\u{FF45}')),
            ("\u{2460}.example", IdnError::Compatibility('\u{2460}')),
            (
                "e\u{301}cole.fr",
                IdnError::NotNormalized {
                    character: '\u{301}',
                    written: "e\u{301}".into(),
                    normalized: "\u{E9}".into(),
                },
            ),
            ("a\u{AD}b.example", IdnError::Invisible('\u{AD}')),
            ("a\u{200D}b.example", IdnError::Invisible('\u{200D}')),
            ("例え\u{3002}jp", IdnError::OtherDot('\u{3002}')),
            ("a\u{E000}.example", IdnError::Disallowed('\u{E000}')),
            ("a\u{A0}b.example", IdnError::Compatibility('\u{A0}')),
            ("\u{301}a.example", IdnError::Contextual("\u{301}a".into())),
            ("\u{5D0}a.example", IdnError::Contextual("\u{5D0}a".into())),
            (
                "1a.\u{5D0}.example",
                IdnError::Contextual("1a.\u{5D0}.example".into()),
            ),
            ("\u{2603}\u{378}.example", IdnError::Disallowed('\u{378}')),
        ] {
            assert_eq!(to_ascii(name), Err(err.clone()), "{name}");
            assert!(err.to_string().contains("U+"), "{err}");
        }
    }

    #[test]
    fn long_labels_are_refused_without_work() {
        let name: String = std::iter::repeat_n('a', 4000)
            .chain(['\u{10FFFD}'])
            .collect();
        assert_eq!(to_ascii(&name), Err(IdnError::TooLong));
        let name: String = std::iter::repeat_n('ü', 64).collect();
        assert_eq!(to_ascii(&name), Err(IdnError::TooLong));
        let name: String = std::iter::repeat_n('ü', 63).collect();
        assert!(to_ascii(&name).is_ok());
    }

    /// Names whose code points are each fine but whose sequence Unicode normalization (NFC,
    /// which UTS-46 applies) composes or reorders: written so, each would get an A-label no
    /// platform connects to. The first is what a Bengali keyboard types (e-kar then aa-kar for
    /// the o-kar of "সোনা"). Each is refused, and its NFC spelling is accepted with the A-label
    /// UTS-46 gives.
    const NOT_NFC_NAMES: &[(&str, &str)] = &[
        // Bengali o-kar typed as U+09C7 U+09BE; NFC composes U+09CB.
        (
            "\u{9B8}\u{9C7}\u{9BE}\u{9A8}\u{9BE}.example",
            "\u{9B8}\u{9CB}\u{9A8}\u{9BE}.example",
        ),
        // Tamil "கொழும்பு" (Colombo), o-sign typed as U+0BC6 U+0BBE; NFC composes U+0BCA.
        (
            "\u{B95}\u{BC6}\u{BBE}\u{BB4}\u{BC1}\u{BAE}\u{BCD}\u{BAA}\u{BC1}.example",
            "\u{B95}\u{BCA}\u{BB4}\u{BC1}\u{BAE}\u{BCD}\u{BAA}\u{BC1}.example",
        ),
        // Myanmar "သင့်", asat (ccc 9) typed before the dot below (ccc 7); NFC reorders them.
        (
            "\u{101E}\u{1004}\u{103A}\u{1037}.example",
            "\u{101E}\u{1004}\u{1037}\u{103A}.example",
        ),
        // Balinese: a vowel sign tedung (U+1B35) after akara (U+1B05); NFC composes U+1B06.
        (
            "\u{1B13}\u{1B05}\u{1B35}.example",
            "\u{1B13}\u{1B06}.example",
        ),
        // Arabic "محمّد", shadda (ccc 33) typed before fatha (ccc 30); NFC reorders them.
        (
            "\u{645}\u{62D}\u{645}\u{651}\u{64E}\u{62F}.example",
            "\u{645}\u{62D}\u{645}\u{64E}\u{651}\u{62F}.example",
        ),
        // Arabic alef (U+0627) with a combining madda (U+0653); NFC composes U+0622.
        (
            "\u{627}\u{653}\u{645}\u{646}.example",
            "\u{622}\u{645}\u{646}.example",
        ),
        // Hebrew "שָׁלוֹם", shin dot (ccc 24) typed before qamats (ccc 18); NFC reorders them.
        (
            "\u{5E9}\u{5C1}\u{5B8}\u{5DC}\u{5D5}\u{5B9}\u{5DD}.example",
            "\u{5E9}\u{5B8}\u{5C1}\u{5DC}\u{5D5}\u{5B9}\u{5DD}.example",
        ),
    ];

    #[test]
    fn sequences_nfc_changes_are_refused() {
        for (written, nfc) in NOT_NFC_NAMES {
            let reference = idna::domain_to_ascii(written).unwrap();
            assert_eq!(idna::domain_to_ascii(nfc).unwrap(), reference, "{nfc}");
            assert_eq!(to_ascii(nfc).unwrap(), reference, "{nfc}");
            let err = to_ascii(written).expect_err(written);
            assert!(
                matches!(err, IdnError::NotNormalized { .. }),
                "{written}: {err:?}"
            );
            // The message names what to write: the first code point NFC gives instead.
            let first_nfc = nfc
                .chars()
                .zip(written.chars())
                .find(|(a, b)| a != b)
                .unwrap()
                .0;
            let wanted = format!("U+{:04X}", u32::from(first_nfc));
            assert!(err.to_string().contains(&wanted), "{written}: {err}");
        }
    }

    /// Every code point, alone and between letters: where this module gives an A-label, UTS-46
    /// (`idna`, as browsers call it) gives the same one; where it refuses the name, UTS-46
    /// refuses or changes it. A different A-label would pin a name the app does not connect to.
    /// Planes 4 to 13 (unassigned) and 15 to 16 (private use) are sampled, every 257th code
    /// point, to keep the test under a minute in a debug build.
    #[test]
    fn agrees_with_idna_code_point_by_code_point() {
        let (mut accepted, mut refused) = (0, 0);
        let mut wrong = Vec::new();
        let all = (0x80..=0x3FFFF).chain(0xE0000..=0xEFFFF);
        let sampled = (0x40000..=0xDFFFF).chain(0xF0000..=0x10FFFF).step_by(257);
        for cp in all.chain(sampled) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            for name in [format!("{c}.example"), format!("a{c}b.example")] {
                let theirs = idna::domain_to_ascii(&name);
                match to_ascii(&name) {
                    Ok(ours) => {
                        accepted += 1;
                        if theirs.as_deref().ok() != Some(ours.as_str()) {
                            wrong.push(format!("U+{cp:04X} accepted"));
                        }
                    }
                    Err(_) => {
                        refused += 1;
                        let (unicode, result) = idna::domain_to_unicode(&name);
                        if result.is_ok() && unicode == name {
                            wrong.push(format!("U+{cp:04X} refused"));
                        }
                    }
                }
            }
        }
        wrong.dedup();
        assert!(wrong.is_empty(), "{}: {}", wrong.len(), wrong.join(" "));
        // Most code points are letters and ideographs that UTS-46 keeps as they are.
        assert!(accepted > 200_000, "{accepted}");
        eprintln!("accepted {accepted}, refused {refused}");
    }
}

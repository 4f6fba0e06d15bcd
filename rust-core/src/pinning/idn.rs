//! Host names in the form pins are matched in: ASCII lower case, and each Unicode label in
//! punycode (RFC 3492, with the `xn--` prefix of RFC 5890).
//!
//! This replaces a full UTS-46 implementation (the `idna` crate and its Unicode tables, about
//! 150 KB of a phone library) with the part a pin policy needs. UTS-46 would also *map*
//! names: `ﬁ` to `fi`, `ẞ` to `ss`, `Ｅｘａｍｐｌｅ` to `example`, `e` plus a combining acute
//! accent to `é`, a soft hyphen to nothing. Qorgan refuses such names instead
//! ([`IdnError`]), for two reasons:
//!
//! - A pin policy is written by the app's developer, who can write the name in its plain
//!   form. A name that needs mapping is most likely a copy-and-paste accident, and a policy
//!   that silently pins a different name than the one written is worse than one that does
//!   not load: the error says which character to fix.
//! - Guessing is the risky direction. If Qorgan mapped a name differently from the platform
//!   that resolves and connects to it, the pins would sit on a name the app never uses, and
//!   the real host would be unpinned without anyone noticing. Refusing cannot fail that way.
//!
//! Without Unicode's tables, "needs mapping" is decided by what can be known cheaply: upper
//! case (the standard library's case tables), and the blocks and code points where UTS-46
//! maps, removes or forbids characters (compatibility and presentation forms, combining marks
//! that NFC composes, invisible characters, other dots, private use). A test checks, code point
//! by code point, that every label this module accepts gets the same A-label from `idna`, or
//! one `idna` refuses as disallowed (unassigned code points, bidi rule, symbols), which no
//! platform resolves either.

use std::fmt;

/// Why a host name cannot be written in punycode without UTS-46 mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdnError {
    /// An upper-case letter outside ASCII (`Σ`, `ẞ`): write it in lower case (UTS-46 lower-cases
    /// most such letters, but maps some, like `ẞ` to `ss`, differently from plain lower case).
    UpperCase(char),
    /// A compatibility or presentation form (`ﬁ`, full-width `Ａ`, `①`, `ℌ`, `ｶ`): UTS-46 maps
    /// it to other characters; write those.
    Compatibility(char),
    /// A combining mark or conjoining jamo that Unicode normalization (NFC) composes with the
    /// character before it: write the precomposed character (`é`, not `e` + U+0301).
    NotComposed(char),
    /// An invisible or formatting character (soft hyphen, zero-width joiner, variation
    /// selector, byte-order mark): UTS-46 removes it or allows it only in context.
    Invisible(char),
    /// A full stop other than `.` (`。`, `．`, `｡`): UTS-46 reads it as a label separator;
    /// write `.`.
    OtherDot(char),
    /// A control character, a space, a private-use or non-character code point: never part
    /// of a host name.
    Disallowed(char),
    /// A label too long to encode (punycode counters overflow long before that; labels are
    /// at most 63 characters).
    TooLong,
}

impl IdnError {
    /// The character at fault, if one is.
    pub fn character(&self) -> Option<char> {
        match *self {
            Self::UpperCase(c)
            | Self::Compatibility(c)
            | Self::NotComposed(c)
            | Self::Invisible(c)
            | Self::OtherDot(c)
            | Self::Disallowed(c) => Some(c),
            Self::TooLong => None,
        }
    }
}

impl fmt::Display for IdnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let u = |c: char| format!("{c:?} (U+{:04X})", u32::from(c));
        match *self {
            Self::UpperCase(c) => write!(f, "{} is upper case: write it in lower case", u(c)),
            Self::Compatibility(c) => write!(
                f,
                "{} is a compatibility or presentation form that IDNA maps to other characters: write those instead",
                u(c)
            ),
            Self::NotComposed(c) => write!(
                f,
                "{} is a combining mark or jamo that Unicode normalization composes: write the precomposed character",
                u(c)
            ),
            Self::Invisible(c) => write!(
                f,
                "{} is an invisible or formatting character: remove it",
                u(c)
            ),
            Self::OtherDot(c) => write!(f, "{} separates labels like '.': write '.'", u(c)),
            Self::Disallowed(c) => write!(f, "{} cannot appear in a host name", u(c)),
            Self::TooLong => f.write_str("a label is too long to encode"),
        }
    }
}

/// `name` with ASCII letters in lower case and each label that has a non-ASCII character as
/// `xn--` followed by its punycode. Labels are not otherwise checked (the caller checks
/// length and characters of the result); an ASCII name is only lower-cased.
pub(crate) fn to_ascii(name: &str) -> Result<String, IdnError> {
    if name.is_ascii() {
        return Ok(name.to_ascii_lowercase());
    }
    let mut out = String::with_capacity(name.len() + 8);
    for (i, label) in name.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        if label.is_ascii() {
            out.push_str(&label.to_ascii_lowercase());
            continue;
        }
        let chars: Vec<char> = label
            .chars()
            .map(|c| c.to_ascii_lowercase())
            .map(|c| check(c).map(|()| c))
            .collect::<Result<_, _>>()?;
        out.push_str("xn--");
        out.push_str(&punycode(&chars).ok_or(IdnError::TooLong)?);
    }
    Ok(out)
}

/// Refuses a non-ASCII character that UTS-46 would map, remove or forbid (see the module
/// documentation); ASCII passes.
fn check(c: char) -> Result<(), IdnError> {
    let cp = u32::from(c);
    if cp < 0x80 {
        return Ok(());
    }
    if c.is_control() || c.is_whitespace() {
        return Err(IdnError::Disallowed(c));
    }
    if c.to_lowercase().ne([c]) {
        return Err(IdnError::UpperCase(c));
    }
    let in_any = |ranges: &[(u32, u32)]| ranges.iter().any(|&(a, b)| (a..=b).contains(&cp));
    if matches!(cp, 0x3002 | 0xFF0E | 0xFF61) {
        Err(IdnError::OtherDot(c))
    } else if in_any(INVISIBLE) {
        Err(IdnError::Invisible(c))
    } else if in_any(COMBINING) {
        Err(IdnError::NotComposed(c))
    } else if in_any(COMPATIBILITY) || in_any(MAPPED) || NOT_NFC.contains(&cp) {
        Err(IdnError::Compatibility(c))
    } else if in_any(DISALLOWED) || (cp & 0xFFFE) == 0xFFFE {
        Err(IdnError::Disallowed(c))
    } else {
        Ok(())
    }
}

/// Characters UTS-46 removes ("mapped to nothing") or allows only in context.
const INVISIBLE: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),   // soft hyphen
    (0x034F, 0x034F),   // combining grapheme joiner
    (0x180B, 0x180F),   // Mongolian variation selectors
    (0x200B, 0x200F),   // zero-width space, joiners, direction marks
    (0x202A, 0x202E),   // bidi embeddings
    (0x2060, 0x206F),   // word joiner, invisible operators
    (0xFE00, 0xFE0F),   // variation selectors
    (0xFEFF, 0xFEFF),   // byte-order mark
    (0x1BCA0, 0x1BCA3), // shorthand format controls
    (0xE0000, 0xE0FFF), // tags, variation selectors supplement
];

/// Combining marks of the blocks whose marks NFC composes with a Latin, Greek or Cyrillic
/// letter, and the conjoining jamo NFC composes into Hangul syllables. (Marks of other
/// scripts, such as Devanagari vowel signs, are written as they are and pass.)
const COMBINING: &[(u32, u32)] = &[
    (0x0300, 0x036F), // combining diacritical marks
    (0x1100, 0x11FF), // Hangul jamo
    (0x1AB0, 0x1AFF), // combining diacritical marks extended
    (0x1DC0, 0x1DFF), // combining diacritical marks supplement
    (0x20D0, 0x20FF), // combining marks for symbols
    (0x3099, 0x309A), // combining kana voiced marks
    (0xA960, 0xA97F), // Hangul jamo extended-A
    (0xD7B0, 0xD7FF), // Hangul jamo extended-B
    (0xFE20, 0xFE2F), // combining half marks
];

/// Blocks of compatibility and presentation forms, which UTS-46 maps to their plain
/// characters (or disallows).
const COMPATIBILITY: &[(u32, u32)] = &[
    (0x00A0, 0x00BF),   // Latin-1 punctuation, superscripts, fractions, ª º
    (0x02B0, 0x02FF),   // spacing modifier letters
    (0x1D2C, 0x1DBF),   // phonetic modifier letters
    (0x2000, 0x206F),   // general punctuation (spaces, dashes, primes)
    (0x2070, 0x209F),   // superscripts and subscripts
    (0x2100, 0x214F),   // letterlike symbols (ℌ, ℃, ™, K)
    (0x2150, 0x218F),   // number forms (⅓, Ⅻ)
    (0x2460, 0x24FF),   // enclosed alphanumerics (①, ⓐ)
    (0x2A0C, 0x2A0C),   // quadruple integral
    (0x2A74, 0x2A76),   // ::= == ===
    (0x2ADC, 0x2ADC),   // forking
    (0x2C7C, 0x2C7D),   // modifier letters
    (0x2D6F, 0x2D6F),   // Tifinagh modifier letter
    (0x2E9F, 0x2E9F),   // CJK radical mother
    (0x2EF3, 0x2EF3),   // CJK radical C-simplified turtle
    (0x2F00, 0x2FDF),   // Kangxi radicals
    (0x309B, 0x309C),   // spacing kana voiced marks
    (0x309F, 0x309F),   // hiragana digraph yori
    (0x30FF, 0x30FF),   // katakana digraph koto
    (0x3131, 0x318F),   // Hangul compatibility jamo
    (0x3192, 0x319F),   // kanbun marks
    (0x3200, 0x33FF),   // enclosed CJK letters, CJK compatibility
    (0xA69C, 0xA69D),   // Cyrillic modifier letters
    (0xA770, 0xA770),   // modifier letter us
    (0xA7F2, 0xA7F4),   // modifier letters
    (0xA7F8, 0xA7F9),   // modifier letters
    (0xAB5C, 0xAB5F),   // modifier letters
    (0xAB69, 0xAB69),   // modifier letter small turned w
    (0xF900, 0xFAFF),   // CJK compatibility ideographs
    (0xFB00, 0xFB4F),   // alphabetic presentation forms (ﬁ)
    (0xFB50, 0xFDFF),   // Arabic presentation forms-A
    (0xFE10, 0xFE1F),   // vertical forms
    (0xFE30, 0xFE6F),   // CJK compatibility forms, small form variants
    (0xFE70, 0xFEFE),   // Arabic presentation forms-B
    (0xFF00, 0xFFEF),   // half-width and full-width forms
    (0x10780, 0x107BF), // Latin extended-F (modifier letters)
    (0x1D15E, 0x1D164), // musical symbols with decompositions
    (0x1D1BB, 0x1D1C0), // musical symbols with decompositions
    (0x1D400, 0x1D7FF), // mathematical alphanumeric symbols
    (0x1E030, 0x1E08F), // Cyrillic extended-D (modifier letters)
    (0x1EE00, 0x1EEFF), // Arabic mathematical alphabetic symbols
    (0x1F100, 0x1F1FF), // enclosed alphanumeric supplement
    (0x1F200, 0x1F2FF), // enclosed ideographic supplement
    (0x1FBF0, 0x1FBF9), // segmented digits
    (0x2F800, 0x2FA1F), // CJK compatibility ideographs supplement
];

/// Lower-case letters and symbols that UTS-46 nevertheless maps, found by the test against
/// `idna` (`accepted_labels_agree_with_idna`): letters whose case folding differs from lower
/// case (Cherokee folds to upper case, Greek iota subscripts expand), variant letters, and
/// characters of recent Unicode versions.
const MAPPED: &[(u32, u32)] = &[
    (0x03D3, 0x03D4), // Greek upsilon symbols with acute or diaeresis
    (0x0558, 0x0558), // Armenian (Unicode 16)
    (0x058B, 0x058C), // Armenian (Unicode 16)
    (0x13F8, 0x13FD), // Cherokee small letters (folded to capitals)
    (0x17B4, 0x17B5), // Khmer inherent vowels (removed)
    (0x1C80, 0x1C88), // Cyrillic variant small letters (rounded ve, ...)
    (0x1F80, 0x1FAF), // Greek with ypogegrammeni (iota subscript expands)
    (0x1FB2, 0x1FB4), //   the same, with alpha
    (0x1FB7, 0x1FB7),
    (0x1FC2, 0x1FC4), //   with eta
    (0x1FC7, 0x1FC7),
    (0x1FF2, 0x1FF4), //   with omega
    (0x1FF7, 0x1FF7),
    (0x20A8, 0x20A8),   // rupee sign (Rs)
    (0x222C, 0x2230),   // multiple integrals
    (0xA7DD, 0xA7DD),   // Latin (Unicode 17)
    (0xA7E2, 0xA7E2),   // Latin (Unicode 17)
    (0xA7F1, 0xA7F1),   // Latin (Unicode 17)
    (0xAB6C, 0xAB6D),   // Latin (Unicode 17)
    (0xAB70, 0xABBF),   // Cherokee small letters (folded to capitals)
    (0x1B123, 0x1B126), // kana (Unicode 17)
    (0x1CCD6, 0x1CCF9), // outlined letters and digits (Unicode 16)
    (0x1D173, 0x1D17A), // musical formatting characters (removed)
    (0x1DF40, 0x1DFFF), // Latin extended-G additions (Unicode 17)
];

/// Single characters outside those blocks that NFC or UTS-46 replace (singleton
/// decompositions and compatibility characters among ordinary letters).
const NOT_NFC: &[u32] = &[
    0x0132, 0x0133, 0x013F, 0x0140, 0x0149, 0x017F, 0x01C4, 0x01C5, 0x01C6, 0x01C7, 0x01C8, 0x01C9,
    0x01CA, 0x01CB, 0x01CC, 0x01F1, 0x01F2, 0x01F3, 0x0340, 0x0341, 0x0343, 0x0344, 0x0374, 0x037A,
    0x037E, 0x0384, 0x0385, 0x0387, 0x03D0, 0x03D1, 0x03D2, 0x03D5, 0x03D6, 0x03F0, 0x03F1, 0x03F2,
    0x03F5, 0x0587, 0x0675, 0x0676, 0x0677, 0x0678, 0x0958, 0x0959, 0x095A, 0x095B, 0x095C, 0x095D,
    0x095E, 0x095F, 0x09DC, 0x09DD, 0x09DF, 0x0A33, 0x0A36, 0x0A59, 0x0A5A, 0x0A5B, 0x0A5E, 0x0B5C,
    0x0B5D, 0x0E33, 0x0EB3, 0x0EDC, 0x0EDD, 0x0F0C, 0x0F43, 0x0F4D, 0x0F52, 0x0F57, 0x0F5C, 0x0F69,
    0x0F73, 0x0F75, 0x0F76, 0x0F77, 0x0F78, 0x0F79, 0x0F81, 0x0F93, 0x0F9D, 0x0FA2, 0x0FA7, 0x0FAC,
    0x0FB9, 0x10FC, 0x1E9A, 0x1E9B, 0x1F71, 0x1F73, 0x1F75, 0x1F77, 0x1F79, 0x1F7B, 0x1F7D, 0x1FBB,
    0x1FBD, 0x1FBE, 0x1FBF, 0x1FC0, 0x1FC1, 0x1FC9, 0x1FCB, 0x1FCD, 0x1FCE, 0x1FCF, 0x1FD3, 0x1FDB,
    0x1FDD, 0x1FDE, 0x1FDF, 0x1FE3, 0x1FEB, 0x1FED, 0x1FEE, 0x1FEF, 0x1FF9, 0x1FFB, 0x1FFD, 0x1FFE,
    0x2329, 0x232A, 0x3036, 0x3038, 0x3039, 0x303A,
];

/// Private use and surrogates; the non-characters U+FDD0–FDEF (the others end in FFFE/FFFF);
/// planes 4 to 13 and the rest of plane 14, where nothing is assigned.
const DISALLOWED: &[(u32, u32)] = &[
    (0xD800, 0xF8FF),
    (0xFDD0, 0xFDEF),
    (0x40000, 0xDFFFF),
    (0xE1000, 0x10FFFF),
];

/// RFC 3492 punycode of `input` (section 6.3, with the parameters of section 5), without the
/// `xn--` prefix. `None` on overflow, which needs a label far over 63 characters.
pub(crate) fn punycode(input: &[char]) -> Option<String> {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    let digit = |d: u32| -> char {
        // 0..=25 → 'a'..='z', 26..=35 → '0'..='9'
        let d = u8::try_from(d).unwrap_or(0);
        char::from(if d < 26 { b'a' + d } else { b'0' + d - 26 })
    };
    let mut out: String = input.iter().filter(|c| c.is_ascii()).collect();
    let basic = u32::try_from(out.len()).ok()?;
    let total = u32::try_from(input.len()).ok()?;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (0x80u32, 0u32, 72u32, basic);
    while handled < total {
        // The smallest code point not yet handled (there is one: handled < total).
        let m = input
            .iter()
            .map(|&c| u32::from(c))
            .filter(|&c| c >= n)
            .min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in input {
            let c = u32::from(c);
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(out)
}

/// RFC 3492 section 6.1.
fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    const BASE: u32 = 36;
    let mut delta = if first { delta / 700 } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - 1) * 26) / 2 {
        delta /= BASE - 1;
        k += BASE;
    }
    k + (BASE * delta) / (delta + 38)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 3492 section 7.1, "Sample strings", (A) to (S): code points and punycode. The RFC
    /// writes some outputs with mixed-case annotations (upper-case digits where the input
    /// letter was "upper case"), which carry no meaning, so they compare case-insensitively.
    const RFC3492: &[(&[u32], &str)] = &[
        // (A) Arabic (Egyptian)
        (
            &[
                0x0644, 0x064A, 0x0647, 0x0645, 0x0627, 0x0628, 0x062A, 0x0643, 0x0644, 0x0645,
                0x0648, 0x0634, 0x0639, 0x0631, 0x0628, 0x064A, 0x061F,
            ],
            "egbpdaj6bu4bxfgehfvwxn",
        ),
        // (B) Chinese (simplified)
        (
            &[
                0x4ED6, 0x4EEC, 0x4E3A, 0x4EC0, 0x4E48, 0x4E0D, 0x8BF4, 0x4E2D, 0x6587,
            ],
            "ihqwcrb4cv8a8dqg056pqjye",
        ),
        // (C) Chinese (traditional)
        (
            &[
                0x4ED6, 0x5011, 0x7232, 0x4EC0, 0x9EBD, 0x4E0D, 0x8AAA, 0x4E2D, 0x6587,
            ],
            "ihqwctvzc91f659drss3x8bo0yb",
        ),
        // (D) Czech: Pročprostěnemluvíčesky
        (
            &[
                0x0050, 0x0072, 0x006F, 0x010D, 0x0070, 0x0072, 0x006F, 0x0073, 0x0074, 0x011B,
                0x006E, 0x0065, 0x006D, 0x006C, 0x0075, 0x0076, 0x00ED, 0x010D, 0x0065, 0x0073,
                0x006B, 0x0079,
            ],
            "Proprostnemluvesky-uyb24dma41a",
        ),
        // (E) Hebrew
        (
            &[
                0x05DC, 0x05DE, 0x05D4, 0x05D4, 0x05DD, 0x05E4, 0x05E9, 0x05D5, 0x05D8, 0x05DC,
                0x05D0, 0x05DE, 0x05D3, 0x05D1, 0x05E8, 0x05D9, 0x05DD, 0x05E2, 0x05D1, 0x05E8,
                0x05D9, 0x05EA,
            ],
            "4dbcagdahymbxekheh6e0a7fei0b",
        ),
        // (F) Hindi (Devanagari)
        (
            &[
                0x092F, 0x0939, 0x0932, 0x094B, 0x0917, 0x0939, 0x093F, 0x0928, 0x094D, 0x0926,
                0x0940, 0x0915, 0x094D, 0x092F, 0x094B, 0x0902, 0x0928, 0x0939, 0x0940, 0x0902,
                0x092C, 0x094B, 0x0932, 0x0938, 0x0915, 0x0924, 0x0947, 0x0939, 0x0948, 0x0902,
            ],
            "i1baa7eci9glrd9b2ae1bj0hfcgg6iyaf8o0a1dig0cd",
        ),
        // (G) Japanese (kanji and hiragana)
        (
            &[
                0x306A, 0x305C, 0x307F, 0x3093, 0x306A, 0x65E5, 0x672C, 0x8A9E, 0x3092, 0x8A71,
                0x3057, 0x3066, 0x304F, 0x308C, 0x306A, 0x3044, 0x306E, 0x304B,
            ],
            "n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa",
        ),
        // (H) Korean (Hangul syllables)
        (
            &[
                0xC138, 0xACC4, 0xC758, 0xBAA8, 0xB4E0, 0xC0AC, 0xB78C, 0xB4E4, 0xC774, 0xD55C,
                0xAD6D, 0xC5B4, 0xB97C, 0xC774, 0xD574, 0xD55C, 0xB2E4, 0xBA74, 0xC5BC, 0xB9C8,
                0xB098, 0xC88B, 0xC744, 0xAE4C,
            ],
            "989aomsvi5e83db1d2a355cv1e0vak1dwrv93d5xbh15a0dt30a5jpsd879ccm6fea98c",
        ),
        // (I) Russian (Cyrillic)
        (
            &[
                0x043F, 0x043E, 0x0447, 0x0435, 0x043C, 0x0443, 0x0436, 0x0435, 0x043E, 0x043D,
                0x0438, 0x043D, 0x0435, 0x0433, 0x043E, 0x0432, 0x043E, 0x0440, 0x044F, 0x0442,
                0x043F, 0x043E, 0x0440, 0x0443, 0x0441, 0x0441, 0x043A, 0x0438,
            ],
            "b1abfaaepdrnnbgefbaDotcwatmq2g4l",
        ),
        // (J) Spanish: PorquénopuedensimplementehablarenEspañol
        (
            &[
                0x0050, 0x006F, 0x0072, 0x0071, 0x0075, 0x00E9, 0x006E, 0x006F, 0x0070, 0x0075,
                0x0065, 0x0064, 0x0065, 0x006E, 0x0073, 0x0069, 0x006D, 0x0070, 0x006C, 0x0065,
                0x006D, 0x0065, 0x006E, 0x0074, 0x0065, 0x0068, 0x0061, 0x0062, 0x006C, 0x0061,
                0x0072, 0x0065, 0x006E, 0x0045, 0x0073, 0x0070, 0x0061, 0x00F1, 0x006F, 0x006C,
            ],
            "PorqunopuedensimplementehablarenEspaol-fmd56a",
        ),
        // (K) Vietnamese: TạisaohọkhôngthểchỉnóitiếngViệt
        (
            &[
                0x0054, 0x1EA1, 0x0069, 0x0073, 0x0061, 0x006F, 0x0068, 0x1ECD, 0x006B, 0x0068,
                0x00F4, 0x006E, 0x0067, 0x0074, 0x0068, 0x1EC3, 0x0063, 0x0068, 0x1EC9, 0x006E,
                0x00F3, 0x0069, 0x0074, 0x0069, 0x1EBF, 0x006E, 0x0067, 0x0056, 0x0069, 0x1EC7,
                0x0074,
            ],
            "TisaohkhngthchnitingVit-kjcr8268qyxafd2f1b9g",
        ),
        // (L) 3年B組金八先生
        (
            &[
                0x0033, 0x5E74, 0x0042, 0x7D44, 0x91D1, 0x516B, 0x5148, 0x751F,
            ],
            "3B-ww4c5e180e575a65lsy2b",
        ),
        // (M) 安室奈美恵-with-SUPER-MONKEYS
        (
            &[
                0x5B89, 0x5BA4, 0x5948, 0x7F8E, 0x6075, 0x002D, 0x0077, 0x0069, 0x0074, 0x0068,
                0x002D, 0x0053, 0x0055, 0x0050, 0x0045, 0x0052, 0x002D, 0x004D, 0x004F, 0x004E,
                0x004B, 0x0045, 0x0059, 0x0053,
            ],
            "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n",
        ),
        // (N) Hello-Another-Way-それぞれの場所
        (
            &[
                0x0048, 0x0065, 0x006C, 0x006C, 0x006F, 0x002D, 0x0041, 0x006E, 0x006F, 0x0074,
                0x0068, 0x0065, 0x0072, 0x002D, 0x0057, 0x0061, 0x0079, 0x002D, 0x305D, 0x308C,
                0x305E, 0x308C, 0x306E, 0x5834, 0x6240,
            ],
            "Hello-Another-Way--fc4qua05auwb3674vfr0b",
        ),
        // (O) ひとつ屋根の下2
        (
            &[
                0x3072, 0x3068, 0x3064, 0x5C4B, 0x6839, 0x306E, 0x4E0B, 0x0032,
            ],
            "2-u9tlzr9756bt3uc0v",
        ),
        // (P) MajiでKoiする5秒前
        (
            &[
                0x004D, 0x0061, 0x006A, 0x0069, 0x3067, 0x004B, 0x006F, 0x0069, 0x3059, 0x308B,
                0x0035, 0x79D2, 0x524D,
            ],
            "MajiKoi5-783gue6qz075azm5e",
        ),
        // (Q) パフィーdeルンバ
        (
            &[
                0x30D1, 0x30D5, 0x30A3, 0x30FC, 0x0064, 0x0065, 0x30EB, 0x30F3, 0x30D0,
            ],
            "de-jg4avhby1noc0d",
        ),
        // (R) そのスピードで
        (
            &[0x305D, 0x306E, 0x30B9, 0x30D4, 0x30FC, 0x30C9, 0x3067],
            "d9juau41awczczp",
        ),
        // (S) -> $1.00 <-
        (
            &[
                0x002D, 0x003E, 0x0020, 0x0024, 0x0031, 0x002E, 0x0030, 0x0030, 0x0020, 0x003C,
                0x002D,
            ],
            "-> $1.00 <--",
        ),
    ];

    #[test]
    fn rfc3492_sample_strings() {
        for (points, expected) in RFC3492 {
            let input: Vec<char> = points.iter().map(|&p| char::from_u32(p).unwrap()).collect();
            let got = punycode(&input).unwrap();
            assert!(got.eq_ignore_ascii_case(expected), "{got} != {expected}");
        }
    }

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
            ("e\u{301}cole.fr", IdnError::NotComposed('\u{301}')),
            ("a\u{AD}b.example", IdnError::Invisible('\u{AD}')),
            ("a\u{200D}b.example", IdnError::Invisible('\u{200D}')),
            ("例え\u{3002}jp", IdnError::OtherDot('\u{3002}')),
            ("a\u{E000}.example", IdnError::Disallowed('\u{E000}')),
            ("a\u{A0}b.example", IdnError::Disallowed('\u{A0}')),
        ] {
            assert_eq!(to_ascii(name), Err(err), "{name}");
            assert!(err.to_string().contains("U+"), "{err}");
        }
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        // 4,000 basic code points before U+10FFFF: the first delta, (0x10FFFF - 0x80) * 4,001,
        // does not fit in 32 bits.
        let mut label: Vec<char> = vec!['a'; 4000];
        label.push('\u{10FFFF}');
        assert_eq!(punycode(&label), None);
        let name: String = std::iter::repeat_n('a', 4000)
            .chain(['\u{10FFFD}'])
            .collect();
        assert_eq!(to_ascii(&name), Err(IdnError::Disallowed('\u{10FFFD}')));
        let name: String = std::iter::repeat_n('a', 40_000)
            .chain(['\u{20000}'])
            .collect();
        assert_eq!(to_ascii(&name), Err(IdnError::TooLong));
    }

    /// Every code point, alone and between letters: where this module gives an A-label, UTS-46
    /// (`idna`) gives the same one or refuses the name. A different A-label would pin a name
    /// the app does not connect to.
    #[test]
    fn accepted_labels_agree_with_idna() {
        let (mut accepted, mut idna_refused) = (0, 0);
        let mut differ = Vec::new();
        for cp in 0x80..=0x10FFFF {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            for name in [format!("{c}.example"), format!("a{c}b.example")] {
                let Ok(ours) = to_ascii(&name) else {
                    continue;
                };
                accepted += 1;
                match idna::domain_to_ascii(&name) {
                    Ok(theirs) if theirs != ours => differ.push(format!("U+{cp:04X}")),
                    Ok(_) => {}
                    Err(_) => idna_refused += 1,
                }
            }
        }
        differ.dedup();
        assert!(
            differ.is_empty(),
            "{} differ: {}",
            differ.len(),
            differ.join(" ")
        );
        // Most of what is accepted is letters and ideographs that UTS-46 keeps as they are.
        assert!(accepted > 200_000, "{accepted}");
        eprintln!("accepted {accepted}, of which idna refuses {idna_refused}");
    }
}

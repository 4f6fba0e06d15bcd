//! Distinguished names: read as x509-parser reads them, printed as it prints them.
//!
//! Reading is lenient in one way that matters: a Name is the run of well-formed RDNs from its
//! start; the first malformed one ends it and the rest is ignored (not an error). The Name's
//! raw bytes, which decide "self-issued", are the header and that run.
//!
//! Printing: `ABBREV=value`, RDNs joined with `", "`, the attributes of a multi-valued RDN with
//! `" + "`, no escaping. Values of string types must be UTF-8 (BMPString: UTF-16); any other
//! type is printed as upper-case hex of its contents; a string that does not decode makes the
//! whole name `<X509Error: Invalid X.509 name>`.

use super::oid;
use super::reader::{self, tag};
use super::X509Error;

/// One AttributeTypeAndValue.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attribute<'a> {
    pub oid: &'a [u8],
    pub value_tag: u32,
    pub value: &'a [u8],
}

/// A parsed Name: the RDNs that were read, and the bytes they were read from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Name<'a> {
    /// The contents of the RDNs that were read (re-read, without allocating, when needed).
    rdns: &'a [u8],
    /// The Name's header and the RDNs that were read.
    pub raw: &'a [u8],
}

const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];

/// What x509-parser prints for a name it cannot print.
const INVALID: &str = "<X509Error: Invalid X.509 name>";

impl<'a> Name<'a> {
    /// Reads a Name (a SEQUENCE of RDNs) at the start of `input`.
    pub(crate) fn read(input: &'a [u8]) -> Result<(Self, &'a [u8]), X509Error> {
        let (e, rest) = reader::expect(input, tag::SEQUENCE).map_err(|_| X509Error::BadName)?;
        let header_len = input.len() - rest.len() - e.content.len();
        let mut i = e.content;
        while let Some((_, after)) = read_rdn(i) {
            i = after;
        }
        let consumed = e.content.len() - i.len();
        Ok((
            Self {
                rdns: &e.content[..consumed],
                raw: &input[..header_len + consumed],
            },
            rest,
        ))
    }

    /// The attributes in order, each with its RDN's number.
    fn attributes(&self) -> impl Iterator<Item = (usize, Attribute<'a>)> {
        let mut rdns = self.rdns;
        let mut index = 0;
        let mut set: &'a [u8] = &[];
        std::iter::from_fn(move || loop {
            if let Some((a, after)) = read_attribute(set) {
                set = after;
                return Some((index - 1, a));
            }
            let (content, after) = read_rdn(rdns)?;
            rdns = after;
            set = content;
            index += 1;
        })
    }

    /// The first common name, when it is a string x509-parser's `as_str` reads (Numeric,
    /// Printable, UTF8 or IA5 string, valid UTF-8). Only the first CN is looked at.
    pub(crate) fn common_name(&self) -> Option<&'a str> {
        let (_, a) = self.attributes().find(|(_, a)| a.oid == COMMON_NAME)?;
        common_name_value(&a)
    }

    /// [`Self::text`] and [`Self::common_name`], from one walk of the attributes when the
    /// name prints.
    pub(crate) fn text_and_common_name(&self) -> (String, Option<&'a str>) {
        let mut first_cn = None;
        match self.render(&mut first_cn) {
            Some(s) => (s, first_cn.as_ref().and_then(common_name_value)),
            None => (INVALID.to_string(), self.common_name()),
        }
    }
}

/// A common name's value when it is a string x509-parser's `as_str` reads.
fn common_name_value<'a>(a: &Attribute<'a>) -> Option<&'a str> {
    match a.value_tag {
        18 | 19 | 12 | 22 => std::str::from_utf8(a.value).ok(),
        _ => None,
    }
}

/// Reads one RDN (a SET of at least one well-formed AttributeTypeAndValue; it ends at the
/// first malformed one) and returns the SET's contents; `None` ends the Name.
fn read_rdn(input: &[u8]) -> Option<(&[u8], &[u8])> {
    if input.is_empty() {
        return None;
    }
    let (set, rest) = reader::expect(input, tag::SET).ok()?;
    read_attribute(set.content)?;
    Some((set.content, rest))
}

fn read_attribute(input: &[u8]) -> Option<(Attribute<'_>, &[u8])> {
    if input.is_empty() {
        return None;
    }
    let (seq, rest) = reader::expect(input, tag::SEQUENCE).ok()?;
    let (oid, after) = reader::oid(seq.content).ok()?;
    let (value, _) = reader::element(after).ok()?;
    Some((
        Attribute {
            oid,
            value_tag: value.tag,
            value: value.content,
        },
        rest,
    ))
}

impl std::fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

impl<'a> Name<'a> {
    /// The printed name, as `to_string` gives it (without copying it into a second `String`).
    pub(crate) fn text(&self) -> String {
        self.render(&mut None)
            .unwrap_or_else(|| INVALID.to_string())
    }

    /// The printed name; `None` when a string value does not decode. Sets `first_cn` to the
    /// first common name attribute, if it is reached and `first_cn` is empty.
    fn render(&self, first_cn: &mut Option<Attribute<'a>>) -> Option<String> {
        let mut s = String::with_capacity(self.rdns.len());
        let mut last_rdn = None;
        for (rdn, a) in self.attributes() {
            match last_rdn {
                None => {}
                Some(r) if r == rdn => s.push_str(" + "),
                Some(_) => s.push_str(", "),
            }
            last_rdn = Some(rdn);
            if first_cn.is_none() && a.oid == COMMON_NAME {
                *first_cn = Some(a);
            }
            s.push_str(&oid::attribute_label(a.oid));
            s.push('=');
            push_value(&mut s, &a)?;
        }
        Some(s)
    }
}

/// Appends a value as x509-parser printed it; `None` when a string type does not decode.
fn push_value(s: &mut String, a: &Attribute<'_>) -> Option<()> {
    match a.value_tag {
        // Numeric, Visible, Printable, General, ObjectDescriptor, Graphic, T61, Videotex,
        // UTF8 and IA5 strings: taken as UTF-8.
        18 | 26 | 19 | 27 | 7 | 25 | 20 | 21 | 12 | 22 => {
            s.push_str(std::str::from_utf8(a.value).ok()?);
        }
        // BMPString: big-endian UTF-16 (an odd last octet stands alone).
        30 => {
            let units = a.value.chunks(2).map(|c| match c {
                [hi, lo] => (u16::from(*hi) << 8) | u16::from(*lo),
                [b] => u16::from(*b),
                _ => 0,
            });
            for c in char::decode_utf16(units) {
                s.push(c.ok()?);
            }
        }
        _ => {
            const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
            for b in a.value {
                s.push(char::from(DIGITS[usize::from(b >> 4)]));
                s.push(char::from(DIGITS[usize::from(b & 0xf)]));
            }
        }
    }
    Some(())
}

impl Name<'_> {
    /// The name in a form two names can be compared by, as RFC 5280 (7.1, with RFC 4518's
    /// string preparation) and the platforms compare them: string values decoded whatever their
    /// string type (PrintableString, UTF8String, BMPString, UniversalString, T61String taken as
    /// Latin-1), case-folded, with leading and trailing spaces dropped and inner runs of
    /// white space made one space; other values by their tag and bytes. `None` when a string
    /// value does not decode (such a name matches only byte for byte).
    ///
    /// Why: path building and the known-key check find a candidate signer by name before the
    /// signature decides. An interceptor that re-encodes its issuer's name (PrintableString for
    /// UTF8String, other case) must not make a certificate its key signed look unsigned.
    pub(crate) fn comparable(&self) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(self.rdns.len());
        let mut last_rdn = None;
        for (rdn, a) in self.attributes() {
            out.push(if last_rdn == Some(rdn) { b'+' } else { b',' });
            last_rdn = Some(rdn);
            push_len_prefixed(&mut out, a.oid);
            match string_value(&a) {
                Some(Ok(text)) => {
                    out.push(0);
                    let prepared: Vec<&str> = text.split_whitespace().collect();
                    let folded = prepared.join(" ").to_lowercase();
                    push_len_prefixed(&mut out, folded.as_bytes());
                }
                Some(Err(())) => return None,
                None => {
                    out.extend_from_slice(&a.value_tag.to_be_bytes());
                    push_len_prefixed(&mut out, a.value);
                }
            }
        }
        Some(out)
    }
}

/// [`Name::comparable`] of a DER Name (tag and length included); the bytes themselves when
/// the name does not read.
pub(crate) fn comparable_name(der: &[u8]) -> Vec<u8> {
    Name::read(der)
        .ok()
        .and_then(|(n, _)| n.comparable())
        .unwrap_or_else(|| der.to_vec())
}

fn push_len_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// The text of a value of a string type (`Err` when it does not decode); `None` for other
/// types.
fn string_value(a: &Attribute<'_>) -> Option<Result<String, ()>> {
    Some(match a.value_tag {
        // UTF8, Printable, IA5, Numeric, Visible strings.
        12 | 19 | 22 | 18 | 26 => std::str::from_utf8(a.value)
            .map(str::to_string)
            .map_err(|_| ()),
        // TeletexString: platforms take it as Latin-1.
        20 => Ok(a.value.iter().map(|&b| char::from(b)).collect()),
        // BMPString: UTF-16BE.
        30 => {
            if !a.value.len().is_multiple_of(2) {
                return Some(Err(()));
            }
            let units = a
                .value
                .chunks_exact(2)
                .map(|c| (u16::from(c[0]) << 8) | u16::from(c[1]));
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .map_err(|_| ())
        }
        // UniversalString: UTF-32BE.
        28 => {
            if !a.value.len().is_multiple_of(4) {
                return Some(Err(()));
            }
            a.value
                .chunks_exact(4)
                .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])).ok_or(()))
                .collect()
        }
        _ => return None,
    })
}

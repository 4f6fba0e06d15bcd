//! Distinguished names, read with x509-parser: their text for reports and messages, and the
//! form path building compares them in.

use x509_parser::prelude::FromDer;
use x509_parser::x509::{AttributeTypeAndValue, X509Name};

/// A Name's text as x509-parser prints it (`ABBREV=value`, RDNs joined with `", "`), and its
/// first common name when that is a string x509-parser's `as_str` reads.
pub(crate) fn text_and_common_name(name: &X509Name<'_>) -> (String, Option<String>) {
    let cn = name
        .iter_common_name()
        .next()
        .and_then(|c| c.as_str().ok())
        .map(str::to_string);
    (name.to_string(), cn)
}

/// [`text_and_common_name`] of a DER Name (tag and length included); `None` when x509-parser
/// cannot read it.
pub(crate) fn read_text_and_common_name(der: &[u8]) -> Option<(String, Option<String>)> {
    let (_, name) = X509Name::from_der(der).ok()?;
    Some(text_and_common_name(&name))
}

/// A DER Name (tag and length included) in a form two names can be compared by, as RFC 5280
/// (7.1, with RFC 4518's string preparation) and the platforms compare them: string values
/// decoded whatever their string type (PrintableString, UTF8String, BMPString,
/// UniversalString, T61String taken as Latin-1), case-folded, with leading and trailing spaces
/// dropped and inner runs of white space made one space; other values by their tag and bytes;
/// RDN boundaries and attribute types kept. The name's own bytes when x509-parser does not read
/// all of it or a string value does not decode: such a name matches only byte for byte.
///
/// Why: path building and the known-key check find a candidate signer by name before the
/// signature decides. An interceptor that re-encodes its issuer's name (PrintableString for
/// UTF8String, other case) must not make a certificate its key signed look unsigned. Never
/// looser than that: x509-parser stops reading a Name at its first malformed RDN, so a name
/// it did not read to the end is compared by its bytes (two names differing only after a
/// malformed RDN do not match).
pub(crate) fn comparable_name(der: &[u8]) -> Vec<u8> {
    match X509Name::from_der(der) {
        Ok((rest, name)) if rest.is_empty() && name.as_raw().len() == der.len() => {
            comparable(&name).unwrap_or_else(|| der.to_vec())
        }
        _ => der.to_vec(),
    }
}

fn comparable(name: &X509Name<'_>) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(name.as_raw().len());
    for rdn in name.iter_rdn() {
        let mut sep = b',';
        for a in rdn.iter() {
            out.push(sep);
            sep = b'+';
            push_len_prefixed(&mut out, a.attr_type().as_bytes());
            match string_value(a) {
                Some(Ok(text)) => {
                    out.push(0);
                    let prepared: Vec<&str> = text.split_whitespace().collect();
                    let folded = prepared.join(" ").to_lowercase();
                    push_len_prefixed(&mut out, folded.as_bytes());
                }
                Some(Err(())) => return None,
                None => {
                    // Class, form and tag number, then the contents.
                    let v = a.attr_value();
                    out.push(v.header.class() as u8);
                    out.push(u8::from(v.header.is_constructed()));
                    out.extend_from_slice(&v.header.tag().0.to_be_bytes());
                    push_len_prefixed(&mut out, v.data);
                }
            }
        }
    }
    Some(out)
}

fn push_len_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// The text of a value of a string type (`Err` when it does not decode); `None` for other
/// types (and for a constructed string, which DER forbids: compared by its bytes).
fn string_value(a: &AttributeTypeAndValue<'_>) -> Option<Result<String, ()>> {
    let v = a.attr_value();
    if v.header.is_constructed() || !v.header.is_universal() {
        return None;
    }
    let data = v.data;
    Some(match v.header.tag().0 {
        // UTF8, Printable, IA5, Numeric, Visible strings.
        12 | 19 | 22 | 18 | 26 => std::str::from_utf8(data)
            .map(str::to_string)
            .map_err(|_| ()),
        // TeletexString: platforms take it as Latin-1.
        20 => Ok(data.iter().map(|&b| char::from(b)).collect()),
        // BMPString: UTF-16BE.
        30 => {
            if !data.len().is_multiple_of(2) {
                return Some(Err(()));
            }
            let units = data
                .chunks_exact(2)
                .map(|c| (u16::from(c[0]) << 8) | u16::from(c[1]));
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .map_err(|_| ())
        }
        // UniversalString: UTF-32BE.
        28 => {
            if !data.len().is_multiple_of(4) {
                return Some(Err(()));
            }
            data.chunks_exact(4)
                .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])).ok_or(()))
                .collect()
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        assert!(content.len() < 128);
        let mut v = vec![tag, content.len() as u8];
        v.extend_from_slice(content);
        v
    }

    /// An attribute: OID 2.5.4.`attr`, value with `tag`.
    fn atv(attr: u8, tag: u8, value: &[u8]) -> Vec<u8> {
        let mut c = tlv(0x06, &[0x55, 0x04, attr]);
        c.extend(tlv(tag, value));
        tlv(0x30, &c)
    }

    fn name(rdns: &[Vec<Vec<u8>>]) -> Vec<u8> {
        let content: Vec<u8> = rdns
            .iter()
            .flat_map(|rdn| tlv(0x31, &rdn.concat()))
            .collect();
        tlv(0x30, &content)
    }

    const CN: u8 = 3;
    const O: u8 = 10;
    const UTF8: u8 = 0x0c;
    const PRINTABLE: u8 = 0x13;
    const BMP: u8 = 0x1e;

    #[test]
    fn string_types_case_and_spaces_fold() {
        let a = name(&[
            vec![atv(O, PRINTABLE, b"Example CA")],
            vec![atv(CN, PRINTABLE, b"Root  X1")],
        ]);
        let b = name(&[
            vec![atv(O, UTF8, b"  example ca ")],
            vec![atv(CN, UTF8, b"ROOT X1")],
        ]);
        let bmp: Vec<u8> = "Root X1"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let c = name(&[vec![atv(O, UTF8, b"EXAMPLE CA")], vec![atv(CN, BMP, &bmp)]]);
        assert_eq!(comparable_name(&a), comparable_name(&b));
        assert_eq!(comparable_name(&a), comparable_name(&c));
    }

    #[test]
    fn structure_types_and_values_still_count() {
        let base = name(&[vec![atv(O, UTF8, b"Example")], vec![atv(CN, UTF8, b"Root")]]);
        let others = [
            // one multi-valued RDN instead of two
            name(&[vec![atv(O, UTF8, b"Example"), atv(CN, UTF8, b"Root")]]),
            // another attribute type
            name(&[
                vec![atv(11, UTF8, b"Example")],
                vec![atv(CN, UTF8, b"Root")],
            ]),
            // another order
            name(&[vec![atv(CN, UTF8, b"Root")], vec![atv(O, UTF8, b"Example")]]),
            // another value, an inner space, a missing RDN
            name(&[
                vec![atv(O, UTF8, b"Example")],
                vec![atv(CN, UTF8, b"Root2")],
            ]),
            name(&[
                vec![atv(O, UTF8, b"Example")],
                vec![atv(CN, UTF8, b"Ro ot")],
            ]),
            name(&[vec![atv(CN, UTF8, b"Root")]]),
            // the same bytes as a non-string type
            name(&[vec![atv(O, 0x04, b"Example")], vec![atv(CN, UTF8, b"Root")]]),
        ];
        for o in &others {
            assert_ne!(comparable_name(&base), comparable_name(o), "{o:02x?}");
        }
    }

    #[test]
    fn names_not_read_to_the_end_or_not_decoded_match_only_byte_for_byte() {
        let good = vec![atv(CN, UTF8, b"Root")];
        // A malformed RDN (a SET holding an INTEGER) after a good one: x509-parser stops there.
        let mut a = name(std::slice::from_ref(&good));
        let mut b = a.clone();
        let junk_a = tlv(0x31, &tlv(0x02, &[1]));
        let junk_b = tlv(0x31, &tlv(0x02, &[2]));
        for (n, junk) in [(&mut a, junk_a), (&mut b, junk_b)] {
            n.truncate(2);
            let mut content = tlv(0x31, &good.concat());
            content.extend(junk);
            *n = tlv(0x30, &content);
        }
        assert_eq!(comparable_name(&a), a);
        assert_ne!(comparable_name(&a), comparable_name(&b));
        // Invalid UTF-8 in a UTF8String: bytes only, so a re-cased copy does not match.
        let bad = name(&[vec![atv(CN, UTF8, b"R\xffoot")]]);
        let bad_upper = name(&[vec![atv(CN, UTF8, b"R\xffOOT")]]);
        assert_eq!(comparable_name(&bad), bad);
        assert_ne!(comparable_name(&bad), comparable_name(&bad_upper));
        // Not a Name at all.
        assert_eq!(comparable_name(&[0x04, 0x00]), vec![0x04, 0x00]);
    }

    #[test]
    fn text_and_common_name_are_x509_parsers() {
        let n = name(&[
            vec![atv(O, UTF8, b"Example")],
            vec![atv(CN, PRINTABLE, b"Root")],
        ]);
        let (text, cn) = read_text_and_common_name(&n).unwrap();
        assert_eq!(text, "O=Example, CN=Root");
        assert_eq!(cn.as_deref(), Some("Root"));
    }
}

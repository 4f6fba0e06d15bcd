//! Reading one BER/DER element the way asn1-rs does, so that Qorgan accepts and refuses the
//! same certificates as the x509-parser it replaces.
//!
//! This reader is deliberately *not* strict DER: [`crate::der`] already checked the outline of
//! every certificate that reaches it (minimal lengths, one-byte tags, exact fields), and
//! inside that outline the facts have always been those of asn1-rs' readings, which accept
//! long-form lengths for short values and multi-byte tags. Matching its tolerances exactly is
//! what keeps the facts (and every verdict built on them) identical; the differential test
//! `tests/facts_differential.rs` holds the two to that.

use super::X509Error;

/// ASN.1 tag classes.
pub(crate) const UNIVERSAL: u8 = 0;
pub(crate) const CONTEXT: u8 = 2;

/// Universal tag numbers used by certificates.
pub(crate) mod tag {
    pub(crate) const BOOLEAN: u32 = 1;
    pub(crate) const INTEGER: u32 = 2;
    pub(crate) const BIT_STRING: u32 = 3;
    pub(crate) const OCTET_STRING: u32 = 4;
    pub(crate) const SEQUENCE: u32 = 16;
    pub(crate) const SET: u32 = 17;
    pub(crate) const UTC_TIME: u32 = 23;
    pub(crate) const GENERALIZED_TIME: u32 = 24;
}

/// The identifier and length of an element.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Header {
    pub class: u8,
    pub constructed: bool,
    /// The tag number; classes are compared separately, and only where asn1-rs compares them.
    pub tag: u32,
    /// `None` for the indefinite form (BER only).
    pub len: Option<usize>,
}

/// One element read in full: its header and its contents.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Element<'a> {
    pub class: u8,
    pub constructed: bool,
    pub tag: u32,
    pub content: &'a [u8],
}

/// Reads an identifier and a length. `ber` admits the indefinite form for constructed
/// elements; DER refuses it.
#[inline]
pub(crate) fn header(input: &[u8], ber: bool) -> Result<(Header, &[u8]), X509Error> {
    // The common case: a one-byte tag and a short length.
    if let [first, l, rest @ ..] = input {
        if first & 0x1f != 0x1f && *l < 0x80 {
            let h = Header {
                class: first >> 6,
                constructed: first & 0x20 != 0,
                tag: u32::from(first & 0x1f),
                len: Some(usize::from(*l)),
            };
            return Ok((h, rest));
        }
    }
    let (&first, _) = input.split_first().ok_or(X509Error::Truncated)?;
    let class = first >> 6;
    let constructed = first & 0x20 != 0;
    let mut tag = u32::from(first & 0x1f);
    let mut used = 1;
    if tag == 0x1f {
        // High tag numbers, as asn1-rs reads them: up to five more bytes, the value kept in
        // 32 bits.
        tag = 0;
        loop {
            let b = *input.get(used).ok_or(X509Error::BadTag)?;
            if used > 5 {
                return Err(X509Error::BadTag);
            }
            tag = (tag << 7) | u32::from(b & 0x7f);
            used += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let rest = &input[used..];
    let (&l, rest) = rest.split_first().ok_or(X509Error::Truncated)?;
    let (len, rest) = if l < 0x80 {
        (Some(usize::from(l)), rest)
    } else {
        let n = usize::from(l & 0x7f);
        if n == 0 {
            if ber && constructed {
                (None, rest)
            } else {
                return Err(X509Error::BadLength);
            }
        } else if n == 0x7f {
            return Err(X509Error::BadLength);
        } else {
            let bytes = rest.get(..n).ok_or(X509Error::Truncated)?;
            let mut v: u64 = 0;
            for &b in bytes {
                if v & 0xff00_0000_0000_0000 != 0 {
                    return Err(X509Error::BadLength);
                }
                v = (v << 8) | u64::from(b);
            }
            let v = usize::try_from(v).map_err(|_| X509Error::BadLength)?;
            (Some(v), &rest[n..])
        }
    };
    Ok((
        Header {
            class,
            constructed,
            tag,
            len,
        },
        rest,
    ))
}

/// Reads one DER element (definite length, contents present) and returns it with what follows.
pub(crate) fn element(input: &[u8]) -> Result<(Element<'_>, &[u8]), X509Error> {
    let (h, rest) = header(input, false)?;
    let len = h.len.ok_or(X509Error::BadLength)?;
    if rest.len() < len {
        return Err(X509Error::Truncated);
    }
    let (content, rest) = rest.split_at(len);
    Ok((
        Element {
            class: h.class,
            constructed: h.constructed,
            tag: h.tag,
            content,
        },
        rest,
    ))
}

/// Reads one DER element that must have tag number `tag` (any class, as x509-parser's
/// `parse_der_sequence_defined_g` and friends compare numbers only).
pub(crate) fn expect(input: &[u8], tag: u32) -> Result<(Element<'_>, &[u8]), X509Error> {
    let (e, rest) = element(input)?;
    if e.tag != tag {
        return Err(X509Error::UnexpectedTag(tag));
    }
    Ok((e, rest))
}

/// An OBJECT IDENTIFIER as asn1-rs reads one where it expects one: any primitive element (its
/// tag is not checked), the contents being the OID's bytes.
pub(crate) fn oid(input: &[u8]) -> Result<(&[u8], &[u8]), X509Error> {
    let (e, rest) = element(input)?;
    if e.constructed {
        return Err(X509Error::BadOid);
    }
    Ok((e.content, rest))
}

/// A DER BIT STRING: primitive, an unused-bits octet, and those bits zero in the last octet
/// (asn1-rs' check: `trailing_zeros() >= unused`). Returns the bits' octets.
pub(crate) fn bit_string(input: &[u8]) -> Result<(&[u8], &[u8]), X509Error> {
    let (e, rest) = element(input)?;
    if e.constructed {
        return Err(X509Error::BadBitString);
    }
    match e.content {
        [] => return Err(X509Error::BadBitString),
        [unused] if *unused != 0 => return Err(X509Error::BadBitString),
        [unused, .., last] if last.trailing_zeros() < u32::from(*unused) => {
            return Err(X509Error::BadBitString)
        }
        _ => {}
    }
    if e.tag != tag::BIT_STRING {
        return Err(X509Error::UnexpectedTag(tag::BIT_STRING));
    }
    Ok((&e.content[1..], rest))
}

/// A DER OCTET STRING (primitive, tag number 4): its contents.
pub(crate) fn octet_string(input: &[u8]) -> Result<(&[u8], &[u8]), X509Error> {
    let (e, rest) = element(input)?;
    if e.constructed {
        return Err(X509Error::Constructed);
    }
    if e.tag != tag::OCTET_STRING {
        return Err(X509Error::UnexpectedTag(tag::OCTET_STRING));
    }
    Ok((e.content, rest))
}

/// A DER INTEGER read as an unsigned 32-bit value (asn1-rs' `u32`): minimal encoding,
/// not negative, at most four significant octets.
pub(crate) fn u32_value(input: &[u8]) -> Result<(u32, &[u8]), X509Error> {
    let (e, rest) = element(input)?;
    if e.constructed {
        return Err(X509Error::Constructed);
    }
    match e.content {
        [] => return Err(X509Error::BadInteger),
        [0] => {}
        [0, b, ..] if *b < 0x80 => return Err(X509Error::BadInteger),
        [0xff, b, ..] if *b >= 0x80 => return Err(X509Error::BadInteger),
        _ => {}
    }
    if e.tag != tag::INTEGER {
        return Err(X509Error::UnexpectedTag(tag::INTEGER));
    }
    if e.content[0] & 0x80 != 0 {
        return Err(X509Error::BadInteger);
    }
    let digits = match e.content.iter().position(|&b| b != 0) {
        Some(i) => &e.content[i..],
        None => &[][..],
    };
    if digits.len() > 4 {
        return Err(X509Error::BadInteger);
    }
    let v = digits
        .iter()
        .fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
    Ok((v, rest))
}

/// der-parser's DER INTEGER (RSA key parts, DSA keys): tag number 2, definite, contents
/// present, no redundant leading zero octet. Returns the contents.
pub(crate) fn der_parser_integer(input: &[u8]) -> Result<(&[u8], &[u8]), X509Error> {
    let (h, rest) = header(input, false)?;
    if h.tag != tag::INTEGER {
        return Err(X509Error::UnexpectedTag(tag::INTEGER));
    }
    let len = h.len.ok_or(X509Error::BadLength)?;
    let content = rest.get(..len).ok_or(X509Error::Truncated)?;
    match content {
        [] | [0, 0, ..] => return Err(X509Error::BadInteger),
        [0, b, ..] if *b < 0x80 => return Err(X509Error::BadInteger),
        _ => {}
    }
    Ok((content, &rest[len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_tags_as_asn1_rs_reads_them() {
        // long form for a short value: accepted (the outline check refuses it where it looks)
        let (e, rest) = element(&[0x04, 0x81, 0x01, 0xaa, 0x00]).unwrap();
        assert_eq!((e.tag, e.content, rest), (4, &[0xaa][..], &[0x00][..]));
        // multi-byte tag number
        let (e, _) = element(&[0x9f, 0x81, 0x00, 0x00]).unwrap();
        assert_eq!((e.class, e.tag), (CONTEXT, 128));
        // indefinite: only BER, only constructed
        assert!(element(&[0x30, 0x80, 0x00, 0x00]).is_err());
        assert!(header(&[0x30, 0x80], true).unwrap().0.len.is_none());
        assert!(header(&[0x04, 0x80], true).is_err());
        assert!(element(&[0x04, 0x02, 0x00]).is_err());
        assert!(element(&[0x04, 0xff]).is_err());
    }

    #[test]
    fn bit_strings_and_integers() {
        assert_eq!(bit_string(&[0x03, 0x02, 0x01, 0x02]).unwrap().0, &[0x02]);
        assert!(bit_string(&[0x03, 0x02, 0x01, 0x01]).is_err());
        assert!(bit_string(&[0x03, 0x01, 0x01]).is_err());
        assert!(bit_string(&[0x03, 0x00]).is_err());
        assert_eq!(u32_value(&[0x02, 0x01, 0x02]).unwrap().0, 2);
        assert!(u32_value(&[0x02, 0x02, 0x00, 0x02]).is_err());
        assert!(u32_value(&[0x02, 0x01, 0x80]).is_err());
        assert!(u32_value(&[0x02, 0x05, 0x01, 0, 0, 0, 0]).is_err());
    }
}

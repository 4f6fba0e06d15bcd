//! The extensions the facts report on, read exactly as far as x509-parser read them.
//!
//! Every extension's envelope (OID, critical flag, OCTET STRING) must be well-formed or the
//! certificate is unreadable. Inside the envelope, an extension that does not parse is not an
//! error: x509-parser kept it as a parse error and the facts ignored it (a basicConstraints
//! that does not parse does not make a CA; a subjectAltName that does not parse gives no
//! names). So each reader below answers "parsed, with these values" or "did not parse", with
//! x509-parser's tolerances.

use super::reader::{self, tag, CONTEXT, UNIVERSAL};
use super::X509Error;

pub(crate) const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];
pub(crate) const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
pub(crate) const KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x0f];
pub(crate) const EXTENDED_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25];
pub(crate) const AUTHORITY_KEY_ID: &[u8] = &[0x55, 0x1d, 0x23];
pub(crate) const SCT_LIST: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02];

/// One extension: its OID and the contents of its extnValue.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Extension<'a> {
    pub oid: &'a [u8],
    pub value: &'a [u8],
}

/// Reads the `[3] EXPLICIT Extensions` that end a TBSCertificate (`input` is what follows the
/// unique identifiers, up to the end of the TBSCertificate's contents).
///
/// As x509-parser does: the `[3]` header's own length is not used; the SEQUENCE after it must
/// end exactly where the TBSCertificate does, and every Extension in it must be well-formed.
pub(crate) fn read_all(input: &[u8]) -> Result<Vec<Extension<'_>>, X509Error> {
    if input.is_empty() {
        return Ok(Vec::new());
    }
    let (h, after_header) = reader::header(input, false).map_err(|_| X509Error::BadExtensions)?;
    if h.tag != 3 {
        return Err(X509Error::BadExtensions);
    }
    let (seq, rest) =
        reader::expect(after_header, tag::SEQUENCE).map_err(|_| X509Error::BadExtensions)?;
    if !rest.is_empty() {
        return Err(X509Error::BadExtensions);
    }
    let mut out = Vec::with_capacity(12);
    let mut i = seq.content;
    while !i.is_empty() {
        let (ext, after) = read_one(i).ok_or(X509Error::BadExtensions)?;
        out.push(ext);
        i = after;
    }
    Ok(out)
}

/// `Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET
/// STRING }`; what follows extnValue inside the SEQUENCE is ignored.
fn read_one(input: &[u8]) -> Option<(Extension<'_>, &[u8])> {
    let (seq, rest) = reader::expect(input, tag::SEQUENCE).ok()?;
    let (oid, mut i) = reader::oid(seq.content).ok()?;
    // The critical flag is read as BER (some issuers write TRUE as 0x01): an element with the
    // BOOLEAN tag number must have exactly one content octet.
    if let Ok((h, after)) = reader::header(i, true) {
        if h.tag == tag::BOOLEAN {
            if h.len != Some(1) || after.is_empty() {
                return None;
            }
            i = &after[1..];
        }
    }
    let (value, _) = reader::octet_string(i).ok()?;
    Some((Extension { oid, value }, rest))
}

/// subjectAltName's GeneralNames, or `None` when it does not parse (every GeneralName must be
/// a well-formed context-specific element).
pub(crate) fn subject_alt_name(value: &[u8]) -> Option<GeneralNames<'_>> {
    let (seq, _) = reader::expect(value, tag::SEQUENCE).ok()?;
    let mut count = 0;
    let mut i = seq.content;
    while !i.is_empty() {
        let (e, after) = reader::element(i).ok()?;
        if e.class != CONTEXT {
            return None;
        }
        count += 1;
        i = after;
    }
    Some(GeneralNames {
        rest: seq.content,
        count,
    })
}

/// The GeneralNames of a subjectAltName that parsed: each name's tag number and contents.
/// dNSName is 2 (x509-parser accepted UTF-8 there, and skipped a name that is not UTF-8);
/// iPAddress is 7.
pub(crate) struct GeneralNames<'a> {
    rest: &'a [u8],
    /// How many names there are.
    pub count: usize,
}

impl<'a> Iterator for GeneralNames<'a> {
    type Item = (u32, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        // Every element was read once already, so this cannot fail before the end.
        let (e, after) = reader::element(self.rest).ok()?;
        self.rest = after;
        Some((e.tag, e.content))
    }
}

/// basicConstraints: `(cA, pathLenConstraint)`, or `None` when it does not parse.
///
/// x509-parser reads it with der-parser's generic BER reader: a constructed SEQUENCE of zero,
/// one (a BOOLEAN or an INTEGER) or two (BOOLEAN, INTEGER) elements; the integer must be a
/// non-negative 32-bit value; a BOOLEAN is true when its octet is not zero.
pub(crate) fn basic_constraints(value: &[u8]) -> Option<(bool, Option<u32>)> {
    let (h, after) = reader::header(value, false).ok()?;
    if h.tag != tag::SEQUENCE || !h.constructed {
        return None;
    }
    let content = after.get(..h.len?)?;
    let mut items = Vec::new();
    let mut i = content;
    while !i.is_empty() {
        let (h, after) = reader::header(i, true).ok()?;
        let len = h.len?;
        let data = after.get(..len)?;
        items.push((h, data));
        i = &after[len..];
        if items.len() > 2 {
            return None;
        }
    }
    let as_bool = |(h, d): &(reader::Header, &[u8])| {
        (h.class == UNIVERSAL && h.tag == tag::BOOLEAN && d.len() == 1).then(|| d[0] != 0)
    };
    let as_u32 = |(h, d): &(reader::Header, &[u8])| {
        if h.class != UNIVERSAL {
            return None;
        }
        match h.tag {
            tag::INTEGER => {
                if d.first().is_some_and(|b| b & 0x80 != 0) {
                    return None;
                }
                let digits = match d.iter().position(|&b| b != 0) {
                    Some(p) => &d[p..],
                    None => &[][..],
                };
                (digits.len() <= 4)
                    .then(|| digits.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b)))
            }
            // der-parser also reads a BIT STRING (up to 64 bits) and an ENUMERATED as numbers.
            tag::BIT_STRING if !h.constructed => {
                let (&padding, bits) = d.split_first()?;
                let size = (bits.len() * 8).checked_sub(usize::from(padding))?;
                if size > 64 {
                    return None;
                }
                let v = bits[..size.div_ceil(8)]
                    .iter()
                    .fold(0u64, |a, &b| (a << 8) | u64::from(b))
                    >> (padding % 8);
                u32::try_from(v).ok()
            }
            10 if !h.constructed => {
                let mut v: u64 = 0;
                for &b in *d {
                    if v & 0xff00_0000_0000_0000 != 0 {
                        return None;
                    }
                    v = (v << 8) | u64::from(b);
                }
                u32::try_from(v).ok()
            }
            _ => None,
        }
    };
    match items.as_slice() {
        [] => Some((false, None)),
        [one] => match as_bool(one) {
            Some(b) => Some((b, None)),
            None => as_u32(one).map(|u| (false, Some(u))),
        },
        [ca, len] => Some((as_bool(ca)?, Some(as_u32(len)?))),
        _ => None,
    }
}

/// keyUsage: the first octet of the bits (the seven usages the facts name all live there),
/// or `None` when it does not parse (der-parser's DER BIT STRING).
pub(crate) fn key_usage(value: &[u8]) -> Option<u8> {
    let (h, after) = reader::header(value, false).ok()?;
    if h.tag != tag::BIT_STRING || h.constructed {
        return None;
    }
    let content = after.get(..h.len?)?;
    let (&unused, bits) = content.split_first()?;
    if unused > 7 {
        return None;
    }
    if let Some(&last) = bits.last() {
        if last.trailing_zeros() < u32::from(unused) {
            return None;
        }
    }
    Some(bits.first().copied().unwrap_or(0))
}

/// extendedKeyUsage: the OIDs in order, or `None` when it does not parse.
pub(crate) fn extended_key_usage(value: &[u8]) -> Option<Vec<&[u8]>> {
    let (seq, _) = reader::expect(value, tag::SEQUENCE).ok()?;
    let mut out = Vec::new();
    let mut i = seq.content;
    while !i.is_empty() {
        let (oid, after) = reader::oid(i).ok()?;
        out.push(oid);
        i = after;
    }
    Some(out)
}

/// authorityKeyIdentifier: whether it parses (its SEQUENCE is read; x509-parser's reading
/// of the contents cannot fail).
pub(crate) fn authority_key_id_parses(value: &[u8]) -> bool {
    reader::expect(value, tag::SEQUENCE).is_ok()
}

/// Embedded SCTs (RFC 6962 `SignedCertificateTimestampList` in an OCTET STRING): the log IDs
/// of the SCTs that parse, up to the first that does not; `None` when not even one does.
pub(crate) fn sct_log_ids(value: &[u8]) -> Option<Vec<&[u8]>> {
    let (list, _) = reader::octet_string(value).ok()?;
    let (len, rest) = be_u16(list)?;
    let mut i = rest.get(..usize::from(len))?;
    let mut ids = Vec::new();
    while let Some((id, after)) = sct(i) {
        ids.push(id);
        i = after;
    }
    (!ids.is_empty()).then_some(ids)
}

fn be_u16(i: &[u8]) -> Option<(u16, &[u8])> {
    match i {
        [a, b, rest @ ..] => Some((u16::from_be_bytes([*a, *b]), rest)),
        _ => None,
    }
}

/// One SCT: version, 32-byte log ID, timestamp, extensions, signature. Returns the log ID.
fn sct(i: &[u8]) -> Option<(&[u8], &[u8])> {
    let (len, rest) = be_u16(i)?;
    let body = rest.get(..usize::from(len))?;
    let after = &rest[usize::from(len)..];
    // version (1), log id (32), timestamp (8)
    let id = body.get(1..33)?;
    let b = body.get(41..)?;
    let (ext_len, b) = be_u16(b)?;
    let b = b.get(usize::from(ext_len)..)?;
    // hash and signature algorithms, then the signature
    let b = b.get(2..)?;
    let (sig_len, b) = be_u16(b)?;
    b.get(..usize::from(sig_len))?;
    Some((id, after))
}

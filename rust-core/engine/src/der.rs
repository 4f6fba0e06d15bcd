//! A minimal DER walker that reaches a certificate's SubjectPublicKeyInfo without parsing it.
//!
//! The in-app fast path ([`crate::Engine::analyze_validated`]) runs on every handshake. A full
//! X.509 parse costs about 25 µs for a two-certificate chain on the project's machines, while
//! hashing the two SPKIs costs 0.4 µs; so the fast path walks the outer structure only, and
//! full facts are computed when somebody asks for them.

use crate::error::Error;

const SEQUENCE: u8 = 0x30;
const CONTEXT_0: u8 = 0xa0;

/// One tag-length-value element: its tag, the offset where its content starts and the content
/// length. Offsets are relative to the slice given to [`read_tlv`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tlv {
    pub tag: u8,
    pub header: usize,
    pub len: usize,
}

impl Tlv {
    pub fn total(&self) -> usize {
        self.header + self.len
    }
}

/// Why a DER walk stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DerError {
    /// The declared length runs past the end of the input.
    Truncated { declared: usize, available: usize },
    /// Not valid DER for what was expected.
    Malformed(&'static str),
}

/// Reads the header of the element at the start of `input` (definite lengths only, as DER
/// requires).
pub(crate) fn read_tlv(input: &[u8]) -> Result<Tlv, DerError> {
    let (&tag, rest) = input
        .split_first()
        .ok_or(DerError::Malformed("unexpected end of data"))?;
    if tag & 0x1f == 0x1f {
        return Err(DerError::Malformed(
            "multi-byte tags are not used in certificates",
        ));
    }
    let (&first, rest) = rest
        .split_first()
        .ok_or(DerError::Malformed("missing length"))?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 {
            return Err(DerError::Malformed("indefinite length is not DER"));
        }
        if n > 4 {
            return Err(DerError::Malformed("length field longer than 4 bytes"));
        }
        let bytes = rest
            .get(..n)
            .ok_or(DerError::Malformed("truncated length"))?;
        if bytes[0] == 0 {
            return Err(DerError::Malformed("non-minimal length encoding"));
        }
        let len = bytes
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        if len < 0x80 {
            return Err(DerError::Malformed("non-minimal length encoding"));
        }
        (len, 2 + n)
    };
    let available = input.len() - header;
    if len > available {
        return Err(DerError::Truncated {
            declared: len + header,
            available: input.len(),
        });
    }
    Ok(Tlv { tag, header, len })
}

/// Byte ranges of the parts of a certificate the fast path needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CertLayout {
    /// The whole SubjectPublicKeyInfo element, tag and length included (what SPKI pins hash).
    pub spki: (usize, usize),
    /// The issuer Name element.
    pub issuer: (usize, usize),
    /// The subject Name element.
    pub subject: (usize, usize),
}

/// Walks `Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version?, serial, sigAlg,
/// issuer, validity, subject, spki, ... }, ... }` and returns where the parts are.
///
/// The certificate must fill `der` exactly.
pub(crate) fn cert_layout(der: &[u8]) -> Result<CertLayout, DerError> {
    let outer = read_tlv(der)?;
    if outer.tag != SEQUENCE {
        return Err(DerError::Malformed("a certificate starts with a SEQUENCE"));
    }
    if outer.total() != der.len() {
        return Err(DerError::Malformed("trailing data after the certificate"));
    }
    let mut pos = outer.header;
    let tbs = read_tlv(&der[pos..])?;
    if tbs.tag != SEQUENCE {
        return Err(DerError::Malformed("tbsCertificate is not a SEQUENCE"));
    }
    let tbs_end = pos + tbs.total();
    pos += tbs.header;
    let next = |pos: &mut usize, what: &'static str| -> Result<(u8, usize, usize), DerError> {
        if *pos >= tbs_end {
            return Err(DerError::Malformed(what));
        }
        let t = read_tlv(&der[*pos..tbs_end])?;
        let start = *pos;
        *pos += t.total();
        Ok((t.tag, start, *pos))
    };
    let (mut tag, _, _) = next(&mut pos, "missing serial number")?;
    if tag == CONTEXT_0 {
        // explicit version; the serial follows
        tag = next(&mut pos, "missing serial number")?.0;
    }
    if tag != 0x02 {
        return Err(DerError::Malformed("serial number is not an INTEGER"));
    }
    let expect_seq = |(tag, s, e): (u8, usize, usize), what| {
        if tag == SEQUENCE {
            Ok((s, e))
        } else {
            Err(DerError::Malformed(what))
        }
    };
    expect_seq(
        next(&mut pos, "missing signature algorithm")?,
        "bad signature algorithm",
    )?;
    let issuer = expect_seq(next(&mut pos, "missing issuer")?, "issuer is not a Name")?;
    expect_seq(
        next(&mut pos, "missing validity")?,
        "validity is not a SEQUENCE",
    )?;
    let subject = expect_seq(next(&mut pos, "missing subject")?, "subject is not a Name")?;
    let spki = expect_seq(
        next(&mut pos, "missing subject public key info")?,
        "subject public key info is not a SEQUENCE",
    )?;
    Ok(CertLayout {
        spki,
        issuer,
        subject,
    })
}

/// Converts a walk failure into the public error for certificate number `index` (from 1).
pub(crate) fn to_error(index: usize, err: DerError) -> Error {
    match err {
        DerError::Truncated {
            declared,
            available,
        } => Error::Truncated {
            index,
            declared,
            available,
        },
        DerError::Malformed(reason) => Error::not_a_certificate(index, reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_indefinite_and_overlong_lengths() {
        assert!(matches!(
            read_tlv(&[0x30, 0x80]),
            Err(DerError::Malformed(_))
        ));
        assert!(matches!(
            read_tlv(&[0x30, 0x85, 1, 1, 1, 1, 1]),
            Err(DerError::Malformed(_))
        ));
        assert!(matches!(
            read_tlv(&[0x30, 0x81, 0x05]),
            Err(DerError::Malformed(_))
        ));
        assert!(matches!(
            read_tlv(&[0x30, 0x03, 0x01]),
            Err(DerError::Truncated { .. })
        ));
        assert!(read_tlv(&[]).is_err());
    }

    #[test]
    fn deeply_nested_input_does_not_recurse() {
        // The walker is iterative: 100,000 nested SEQUENCEs are just a wrong shape.
        let mut der = Vec::new();
        for _ in 0..100_000 {
            der.extend_from_slice(&[0x30, 0x80]);
        }
        assert!(cert_layout(&der).is_err());
    }
}

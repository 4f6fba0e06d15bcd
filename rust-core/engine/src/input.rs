//! Turning bytes from a file, a socket or a platform API into certificates.
//!
//! Accepts PEM (one or many `CERTIFICATE` sections, with any text around them, as in Android's
//! `/system/etc/security/cacerts` files, which follow the PEM with a text dump) and DER (one
//! certificate, or several concatenated). Every failure is a typed [`Error`] naming the
//! certificate and the problem; nothing here can panic on hostile input.

use pki_types::pem::{PemObject, SectionKind};

use crate::cert::Certificate;
use crate::der;
use crate::error::{Error, MAX_CHAIN_CERTIFICATES};

/// Parses a bundle or chain: PEM or DER, one certificate or many, in the order given.
///
/// Refuses more than [`MAX_CHAIN_CERTIFICATES`]; use [`parse_store`] for trust stores, which
/// legitimately hold hundreds.
pub fn parse_chain(input: &[u8]) -> Result<Vec<Certificate>, Error> {
    let certs = parse_any(input, MAX_CHAIN_CERTIFICATES)?;
    Ok(certs)
}

/// Parses a trust-store bundle (for example a Linux `ca-certificates.crt`), which may hold many
/// more certificates than a chain; limited to 10,000.
pub fn parse_store(input: &[u8]) -> Result<Vec<Certificate>, Error> {
    parse_any(input, 10_000)
}

/// Parses certificates that arrive already split (from a platform API: one DER per entry).
pub fn from_der_list(ders: Vec<Vec<u8>>) -> Result<Vec<Certificate>, Error> {
    if ders.len() > MAX_CHAIN_CERTIFICATES {
        return Err(Error::ChainTooLong {
            count: ders.len(),
            limit: MAX_CHAIN_CERTIFICATES,
        });
    }
    if ders.is_empty() {
        return Err(Error::Empty);
    }
    ders.into_iter()
        .enumerate()
        .map(|(i, d)| Certificate::from_der(d, i + 1))
        .collect()
}

fn parse_any(input: &[u8], limit: usize) -> Result<Vec<Certificate>, Error> {
    if input.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty);
    }
    if looks_like_pem(input) {
        parse_pem(input, limit)
    } else {
        parse_der(input, limit)
    }
}

fn looks_like_pem(input: &[u8]) -> bool {
    input.windows(11).any(|w| w == b"-----BEGIN ")
}

fn parse_pem(input: &[u8], limit: usize) -> Result<Vec<Certificate>, Error> {
    let mut out = Vec::new();
    for item in <(SectionKind, Vec<u8>) as PemObject>::pem_slice_iter(input) {
        let (kind, der) = item.map_err(|e| Error::MalformedPem {
            reason: pem_reason(&e),
        })?;
        if kind != SectionKind::Certificate {
            continue;
        }
        if out.len() == limit {
            return Err(Error::ChainTooLong {
                count: limit + 1,
                limit,
            });
        }
        out.push(Certificate::from_der(der, out.len() + 1)?);
    }
    if out.is_empty() {
        return Err(Error::NoCertificate);
    }
    Ok(out)
}

/// The PEM problem in words: pki-types' own messages print the marker as a list of bytes
/// ("missing section end marker: [67, 69, 82, ...]") and the base64 error as a Rust value
/// ("InvalidCharacter(33)").
fn pem_reason(e: &pki_types::pem::Error) -> String {
    use pki_types::pem::Error as E;
    let text = |b: &[u8]| String::from_utf8_lossy(b).trim().to_string();
    match e {
        E::MissingSectionEnd { end_marker } => format!(
            "no \"-----END {}-----\" line after its BEGIN line (the text may be cut short)",
            text(end_marker)
        ),
        E::IllegalSectionStart { line } => format!(
            "the line \"{}\" starts a section but is not a well-formed \"-----BEGIN ...-----\" line",
            text(line)
        ),
        E::Base64Decode(_) => "a section is not valid base64 (a character other than A-Z, a-z, 0-9, +, / and = between the BEGIN and END lines)".into(),
        E::SectionTooLarge => "a section is larger than 256 MB".into(),
        E::NoItemsFound => "no PEM section found".into(),
        other => other.to_string(),
    }
}

fn parse_der(input: &[u8], limit: usize) -> Result<Vec<Certificate>, Error> {
    let mut out = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        let index = out.len() + 1;
        if index > limit {
            return Err(Error::ChainTooLong {
                count: index,
                limit,
            });
        }
        if rest[0] != 0x30 {
            let reason = if index == 1 && rest.iter().all(|b| b.is_ascii()) {
                "the input is text but not PEM (no \"-----BEGIN CERTIFICATE-----\" line)"
            } else {
                "does not start with a DER SEQUENCE"
            };
            return Err(Error::not_a_certificate(index, reason));
        }
        let tlv = der::read_tlv(rest).map_err(|e| der::to_error(index, e))?;
        let (one, tail) = rest.split_at(tlv.total());
        out.push(Certificate::from_der(one.to_vec(), index)?);
        rest = tail;
    }
    Ok(out)
}

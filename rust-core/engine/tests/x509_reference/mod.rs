//! The reference for the facts' differential test: `CertificateFacts` computed with x509-parser,
//! exactly as `rust-core/engine/src/facts.rs` computed them straight from x509-parser's certificate
//! (before the hand-written reader, and before the typed reading the engine now decides on).
//! Kept verbatim (only made free-standing) so that the library's facts are compared with what
//! it used to return, not with a re-derivation.
#![allow(dead_code)]

pub mod corpus;

use std::borrow::Cow;

use base64::Engine as _;
use qorgan::{Certificate, CertificateFacts, KeyFacts};
use x509_parser::der_parser::oid::Oid;
use x509_parser::prelude::*;

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

/// `CertificateFacts::of` as it was: `Err` carries x509-parser's message.
pub fn facts(cert: &Certificate) -> Result<CertificateFacts, String> {
    let (_, x) = X509Certificate::from_der(cert.der()).map_err(|e| e.to_string())?;
    Ok(from_parsed(cert, &x, &cert.fingerprint()))
}

/// `CertificateFacts::with_issuer_cn`'s issuer common name as it was.
pub fn issuer_cn(cert: &Certificate) -> Result<Option<String>, String> {
    let (_, x) = X509Certificate::from_der(cert.der()).map_err(|e| e.to_string())?;
    let cn = x
        .issuer()
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .map(str::to_string);
    Ok(cn)
}

/// The subject as `pinning/evaluate.rs` printed it (the Name parsed on its own).
pub fn name_string(name_der: &[u8]) -> Option<String> {
    let (_, name) = x509_parser::x509::X509Name::from_der(name_der).ok()?;
    Some(name.to_string())
}

/// What `anchors/known.rs` read of a known CA's certificate: CA flag and common name (the
/// names index), subject DER, key algorithm OID, key bits and SPKI DER (the issuers list).
#[derive(Debug, PartialEq, Eq)]
pub struct KnownIssuerView {
    pub is_ca: bool,
    pub common_name: Option<String>,
    pub subject: Vec<u8>,
    pub key_algorithm: String,
    pub key: Vec<u8>,
    pub spki: Vec<u8>,
}

pub fn known_issuer_view(der: &[u8]) -> Option<KnownIssuerView> {
    let (_, x) = X509Certificate::from_der(der).ok()?;
    Some(KnownIssuerView {
        is_ca: basic_constraints(&x).0,
        common_name: common_name(&x),
        subject: x.subject().as_raw().to_vec(),
        key_algorithm: x.public_key().algorithm.algorithm.to_id_string(),
        key: x.public_key().subject_public_key.data.to_vec(),
        spki: x.public_key().raw.to_vec(),
    })
}

/// What `signed_by_known` read of a certificate: signature algorithm OID, signature bits and
/// the signed TBS bytes.
pub fn signed_parts(der: &[u8]) -> Option<(String, Vec<u8>, Vec<u8>)> {
    let (_, x) = X509Certificate::from_der(der).ok()?;
    Some((
        x.signature_algorithm.algorithm.to_id_string(),
        x.signature_value.data.to_vec(),
        x.tbs_certificate.as_ref().to_vec(),
    ))
}

fn from_parsed(
    cert: &Certificate,
    x: &X509Certificate<'_>,
    fingerprint: &[u8; 32],
) -> CertificateFacts {
    let mut san_dns = Vec::new();
    let mut san_ip = Vec::new();
    let mut sct_log_ids = Vec::new();
    let mut extensions = Vec::new();
    let mut eku_names = Vec::new();
    let mut ku_names = Vec::new();
    let mut is_ca = false;
    let mut path_len = None;
    let mut has_aki = false;
    for ext in x.extensions() {
        extensions.push(extension_name(&oid_id(&ext.oid)));
        match ext.parsed_extension() {
            ParsedExtension::SubjectAlternativeName(san) => {
                for name in &san.general_names {
                    match name {
                        GeneralName::DNSName(d) => san_dns.push((*d).to_string()),
                        GeneralName::IPAddress(ip) => san_ip.push(ip_to_string(ip)),
                        _ => {}
                    }
                }
            }
            ParsedExtension::BasicConstraints(bc) => {
                // the last one counts, as in `basic_constraints`
                is_ca = bc.ca;
                path_len = bc.path_len_constraint;
            }
            ParsedExtension::SCT(scts) => {
                for sct in scts {
                    sct_log_ids
                        .push(base64::engine::general_purpose::STANDARD.encode(sct.id.key_id));
                }
            }
            ParsedExtension::ExtendedKeyUsage(eku) => {
                let flags = [
                    (eku.any, "any"),
                    (eku.server_auth, "serverAuth"),
                    (eku.client_auth, "clientAuth"),
                    (eku.code_signing, "codeSigning"),
                    (eku.email_protection, "emailProtection"),
                    (eku.time_stamping, "timeStamping"),
                    (eku.ocsp_signing, "OCSPSigning"),
                ];
                eku_names.extend(flags.iter().filter(|f| f.0).map(|f| f.1.to_string()));
                eku_names.extend(eku.other.iter().map(|o| o.to_id_string()));
            }
            ParsedExtension::AuthorityKeyIdentifier(_) => has_aki = true,
            ParsedExtension::KeyUsage(ku) => {
                let flags = [
                    (ku.digital_signature(), "digitalSignature"),
                    (ku.non_repudiation(), "nonRepudiation"),
                    (ku.key_encipherment(), "keyEncipherment"),
                    (ku.data_encipherment(), "dataEncipherment"),
                    (ku.key_agreement(), "keyAgreement"),
                    (ku.key_cert_sign(), "keyCertSign"),
                    (ku.crl_sign(), "cRLSign"),
                ];
                ku_names.extend(flags.iter().filter(|f| f.0).map(|f| f.1.to_string()));
            }
            _ => {}
        }
    }
    let self_issued = x.subject().as_raw() == x.issuer().as_raw();
    let self_signed = self_issued && x.verify_signature(None).is_ok();
    let nb = x.validity().not_before.timestamp();
    let na = x.validity().not_after.timestamp();
    let spki = cert.spki_hash();
    CertificateFacts {
        subject: x.subject().to_string(),
        issuer: x.issuer().to_string(),
        common_name: common_name(x),
        serial: canonical_serial(x.raw_serial()),
        not_before: rfc3339(nb),
        not_after: rfc3339(na),
        not_before_unix: nb,
        not_after_unix: na,
        san_dns,
        san_ip,
        key: key_facts(x.public_key()),
        signature_algorithm: signature_name(&oid_id(&x.signature_algorithm.algorithm)),
        spki_sha256: spki.hex(),
        spki_sha256_b64: spki.base64(),
        sha256: hex(fingerprint),
        is_ca,
        path_len,
        self_issued,
        self_signed,
        sct_count: u32::try_from(sct_log_ids.len()).unwrap_or(u32::MAX),
        sct_log_ids,
        key_usage: ku_names,
        extended_key_usage: eku_names,
        extensions,
        has_authority_key_id: has_aki,
    }
}

/// basicConstraints (CA flag, path length) as the facts read it: the last such extension counts.
pub fn basic_constraints(x: &X509Certificate<'_>) -> (bool, Option<u32>) {
    let mut out = (false, None);
    for ext in x.extensions() {
        if let ParsedExtension::BasicConstraints(bc) = ext.parsed_extension() {
            out = (bc.ca, bc.path_len_constraint);
        }
    }
    out
}

/// The subject's first common name, when it is a string.
pub fn common_name(x: &X509Certificate<'_>) -> Option<String> {
    x.subject()
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .map(str::to_string)
}

/// Hex without leading zeros (the integer's value, as most tools print it).
fn canonical_serial(raw: &[u8]) -> String {
    let h = hex(raw);
    let t = h.trim_start_matches('0');
    if t.is_empty() {
        "0".into()
    } else {
        t.into()
    }
}

pub fn rfc3339(unix: i64) -> String {
    ::time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&::time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| unix.to_string())
}

fn ip_to_string(ip: &[u8]) -> String {
    match ip.len() {
        4 => std::net::Ipv4Addr::new(ip[0], ip[1], ip[2], ip[3]).to_string(),
        16 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(ip);
            std::net::Ipv6Addr::from(a).to_string()
        }
        _ => hex(ip),
    }
}

fn key_facts(spki: &SubjectPublicKeyInfo<'_>) -> KeyFacts {
    let alg = oid_id(&spki.algorithm.algorithm);
    let parsed = spki.parsed();
    match (alg.as_ref(), &parsed) {
        ("1.2.840.113549.1.1.1", Ok(x509_parser::public_key::PublicKey::RSA(rsa))) => KeyFacts {
            algorithm: "RSA".into(),
            bits: u32::try_from(rsa.key_size()).unwrap_or(0),
            rsa_exponent: rsa.try_exponent().ok(),
            curve: None,
        },
        ("1.2.840.10045.2.1", _) => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| oid_id(&o).into_owned());
            let (name, bits) = match curve.as_deref() {
                Some("1.2.840.10045.3.1.7") => ("P-256".to_string(), 256),
                Some("1.3.132.0.34") => ("P-384".to_string(), 384),
                Some("1.3.132.0.35") => ("P-521".to_string(), 521),
                Some(other) => (other.to_string(), key_bits(&parsed)),
                None => ("unknown".to_string(), key_bits(&parsed)),
            };
            KeyFacts {
                algorithm: "EC".into(),
                bits,
                rsa_exponent: None,
                curve: Some(name),
            }
        }
        ("1.3.101.112", _) => named_key("Ed25519", 256),
        ("1.3.101.113", _) => named_key("Ed448", 456),
        ("1.2.840.10040.4.1", _) => KeyFacts {
            algorithm: "DSA".into(),
            bits: key_bits(&parsed),
            rsa_exponent: None,
            curve: None,
        },
        _ => KeyFacts {
            algorithm: alg.into_owned(),
            bits: key_bits(&parsed),
            rsa_exponent: None,
            curve: None,
        },
    }
}

/// The OIDs the facts name, by their DER contents: recognising them by bytes spares formatting
/// each one as a dotted string (a tenth of the cost of a certificate's facts). Anything else,
/// and any other encoding of these, goes through `to_id_string` as before.
const KNOWN_OIDS: &[(&str, &[u8])] = &[
    ("2.5.29.14", &[0x55, 0x1d, 0x0e]),
    ("2.5.29.15", &[0x55, 0x1d, 0x0f]),
    ("2.5.29.17", &[0x55, 0x1d, 0x11]),
    ("2.5.29.19", &[0x55, 0x1d, 0x13]),
    ("2.5.29.30", &[0x55, 0x1d, 0x1e]),
    ("2.5.29.31", &[0x55, 0x1d, 0x1f]),
    ("2.5.29.32", &[0x55, 0x1d, 0x20]),
    ("2.5.29.35", &[0x55, 0x1d, 0x23]),
    ("2.5.29.37", &[0x55, 0x1d, 0x25]),
    (
        "1.3.6.1.5.5.7.1.1",
        &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01],
    ),
    (
        "1.3.6.1.4.1.11129.2.4.2",
        &[0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02],
    ),
    (
        "1.3.6.1.5.5.7.1.24",
        &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x18],
    ),
    (
        "1.2.840.113549.1.1.1",
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
    ),
    (
        "1.2.840.113549.1.1.2",
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x02],
    ),
    (
        "1.2.840.113549.1.1.4",
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04],
    ),
    (
        "1.2.840.113549.1.1.5",
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05],
    ),
    (
        "1.2.840.113549.1.1.10",
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a],
    ),
    (
        "1.2.840.113549.1.1.11",
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
    ),
    (
        "1.2.840.113549.1.1.12",
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c],
    ),
    (
        "1.2.840.113549.1.1.13",
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d],
    ),
    (
        "1.2.840.10045.2.1",
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01],
    ),
    (
        "1.2.840.10045.3.1.7",
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
    ),
    (
        "1.2.840.10045.4.1",
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01],
    ),
    (
        "1.2.840.10045.4.3.2",
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02],
    ),
    (
        "1.2.840.10045.4.3.3",
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03],
    ),
    (
        "1.2.840.10045.4.3.4",
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04],
    ),
    (
        "1.2.840.10040.4.1",
        &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01],
    ),
    (
        "1.2.840.10040.4.3",
        &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x03],
    ),
    ("1.3.101.112", &[0x2b, 0x65, 0x70]),
    ("1.3.101.113", &[0x2b, 0x65, 0x71]),
    ("1.3.132.0.34", &[0x2b, 0x81, 0x04, 0x00, 0x22]),
    ("1.3.132.0.35", &[0x2b, 0x81, 0x04, 0x00, 0x23]),
];

/// The dotted form of an OID (`to_id_string`), without formatting for the common ones.
fn oid_id(oid: &Oid<'_>) -> Cow<'static, str> {
    let bytes = oid.as_bytes();
    match KNOWN_OIDS.iter().find(|(_, der)| *der == bytes) {
        Some((id, _)) => Cow::Borrowed(id),
        None => Cow::Owned(oid.to_id_string()),
    }
}

fn named_key(name: &str, bits: u32) -> KeyFacts {
    KeyFacts {
        algorithm: name.into(),
        bits,
        rsa_exponent: None,
        curve: None,
    }
}

fn key_bits(
    parsed: &Result<x509_parser::public_key::PublicKey<'_>, x509_parser::error::X509Error>,
) -> u32 {
    parsed
        .as_ref()
        .map(|k| u32::try_from(k.key_size()).unwrap_or(0))
        .unwrap_or(0)
}

fn signature_name(oid: &str) -> String {
    match oid {
        "1.2.840.113549.1.1.2" => "md2WithRSAEncryption",
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        "1.2.840.10040.4.3" => "dsa-with-sha1",
        other => return other.to_string(),
    }
    .to_string()
}

fn extension_name(oid: &str) -> String {
    match oid {
        "2.5.29.14" => "subjectKeyIdentifier",
        "2.5.29.15" => "keyUsage",
        "2.5.29.17" => "subjectAltName",
        "2.5.29.19" => "basicConstraints",
        "2.5.29.30" => "nameConstraints",
        "2.5.29.31" => "cRLDistributionPoints",
        "2.5.29.32" => "certificatePolicies",
        "2.5.29.35" => "authorityKeyIdentifier",
        "2.5.29.37" => "extKeyUsage",
        "1.3.6.1.5.5.7.1.1" => "authorityInfoAccess",
        "1.3.6.1.4.1.11129.2.4.2" => "signedCertificateTimestampList",
        "1.3.6.1.5.5.7.1.24" => "tlsFeature",
        other => return other.to_string(),
    }
    .to_string()
}

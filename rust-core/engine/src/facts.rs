//! Everything a person or a report may want to know about one certificate.
//!
//! A presentation record: built on demand from the typed reading the engine decides on
//! ([`crate::cert_info::CertInfo`], read with x509-parser), for reports, the CLI and the apps.
//! The fast path and [`crate::Engine::analyze`] never call this.

use base64::Engine as _;
use serde::Serialize;
use x509_parser::der_parser::oid::Oid;

use crate::cert::{hex, Certificate};
use crate::cert_info::{CertInfo, Curve, KeyAlgorithm, KeyUsage};
use crate::error::Error;

/// The facts of one certificate, as shown by `qorgan inspect` and `qorgan audit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateFacts {
    /// Subject distinguished name (RFC 4514 style, most specific last as x509-parser prints it).
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// The subject's common name, when there is one (for short messages).
    pub common_name: Option<String>,
    /// Serial number, hex.
    pub serial: String,
    /// Start of validity, RFC 3339.
    pub not_before: String,
    /// End of validity, RFC 3339.
    pub not_after: String,
    /// Start of validity, seconds since the Unix epoch.
    pub not_before_unix: i64,
    /// End of validity, seconds since the Unix epoch.
    pub not_after_unix: i64,
    /// DNS names in the subjectAltName extension.
    pub san_dns: Vec<String>,
    /// IP addresses in the subjectAltName extension.
    pub san_ip: Vec<String>,
    /// The public key.
    pub key: KeyFacts,
    /// Signature algorithm name (for example `sha256WithRSAEncryption`), or its OID.
    pub signature_algorithm: String,
    /// SHA-256 of the SubjectPublicKeyInfo, hex.
    pub spki_sha256: String,
    /// SHA-256 of the SubjectPublicKeyInfo, base64 (the pin).
    pub spki_sha256_b64: String,
    /// SHA-256 of the whole certificate, hex.
    pub sha256: String,
    /// basicConstraints says this is a CA.
    pub is_ca: bool,
    /// basicConstraints path length, when set.
    pub path_len: Option<u32>,
    /// Subject and issuer are the same name.
    pub self_issued: bool,
    /// Self-issued and its signature verifies with its own key.
    pub self_signed: bool,
    /// Embedded Signed Certificate Timestamps (Certificate Transparency).
    pub sct_count: u32,
    /// The CT log IDs of those SCTs, base64.
    pub sct_log_ids: Vec<String>,
    /// Key usages, by name (`digitalSignature`, `keyCertSign`, ...).
    pub key_usage: Vec<String>,
    /// Extended key usages, by name.
    pub extended_key_usage: Vec<String>,
    /// Extensions present, by name (or OID when unnamed).
    pub extensions: Vec<String>,
    /// Has an authorityKeyIdentifier extension.
    pub has_authority_key_id: bool,
}

/// The public key of a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyFacts {
    /// `RSA`, `EC`, `Ed25519`, `Ed448`, `DSA` or the algorithm OID.
    pub algorithm: String,
    /// Size in bits (RSA modulus, EC field).
    pub bits: u32,
    /// RSA public exponent.
    pub rsa_exponent: Option<u64>,
    /// EC curve name (`P-256`, `P-384`, `P-521`) or OID.
    pub curve: Option<String>,
}

impl CertificateFacts {
    /// Parses `cert` fully. `index` (from 1) names the certificate in errors.
    pub fn of(cert: &Certificate, index: usize) -> Result<Self, Error> {
        let info =
            CertInfo::read_with_text(cert).map_err(|e| Error::not_a_certificate(index, e))?;
        Ok(Self::from_info(cert, &info))
    }

    /// The facts of `cert` from its typed reading.
    pub(crate) fn from_info(cert: &Certificate, info: &CertInfo) -> Self {
        let spki = cert.spki_hash();
        let text = info.text(cert);
        let (not_before, not_after) = if info.readable {
            (rfc3339(info.not_before), rfc3339(info.not_after))
        } else {
            (String::new(), String::new())
        };
        let ku = info.key_usage.unwrap_or_default();
        let eku = &info.extended_key_usage;
        let eku_flags = [
            (eku.any, "any"),
            (eku.server_auth, "serverAuth"),
            (eku.client_auth, "clientAuth"),
            (eku.code_signing, "codeSigning"),
            (eku.email_protection, "emailProtection"),
            (eku.time_stamping, "timeStamping"),
            (eku.ocsp_signing, "OCSPSigning"),
        ];
        let extended_key_usage = eku_flags
            .iter()
            .filter(|f| f.0)
            .map(|f| f.1.to_string())
            .chain(eku.other.iter().map(Oid::to_id_string))
            .collect();
        Self {
            subject: text.subject.clone(),
            issuer: text.issuer.clone(),
            common_name: info.common_name.clone(),
            serial: if info.readable {
                canonical_serial(&text.serial)
            } else {
                String::new()
            },
            not_before,
            not_after,
            not_before_unix: info.not_before,
            not_after_unix: info.not_after,
            san_dns: text.san_dns.clone(),
            san_ip: text.san_ip.iter().map(|ip| ip_to_string(ip)).collect(),
            key: key_facts(info),
            signature_algorithm: if info.readable {
                signature_name(&info.signature_algorithm.0)
            } else {
                String::new()
            },
            spki_sha256: spki.hex(),
            spki_sha256_b64: spki.base64(),
            sha256: hex(&text.fingerprint),
            is_ca: info.is_ca,
            path_len: info.path_len,
            self_issued: info.self_issued,
            self_signed: info.self_signed,
            sct_count: u32::try_from(text.sct_log_ids.len()).unwrap_or(u32::MAX),
            sct_log_ids: text
                .sct_log_ids
                .iter()
                .map(|id| base64::engine::general_purpose::STANDARD.encode(id))
                .collect(),
            key_usage: KEY_USAGES
                .iter()
                .filter(|(bit, _)| ku.has(*bit))
                .map(|(_, name)| (*name).to_string())
                .collect(),
            extended_key_usage,
            extensions: text.extensions.iter().map(extension_name).collect(),
            has_authority_key_id: info.has_authority_key_id,
        }
    }

    /// A short name for messages: the common name, else the whole subject, else the hash.
    pub fn display_name(&self) -> String {
        match &self.common_name {
            Some(cn) if !cn.is_empty() => cn.clone(),
            _ if !self.subject.is_empty() => self.subject.clone(),
            _ => format!("certificate with key sha256/{}", self.spki_sha256_b64),
        }
    }

    /// SHA-1 or MD5 signature: collisions make these forgeable.
    pub fn has_weak_signature(&self) -> bool {
        // The names, ignoring ASCII case (without a lower-cased copy): each one where an `s`
        // or an `m` starts.
        let s = self.signature_algorithm.as_bytes();
        let at = |i: usize, name: &[u8]| {
            s.get(i..i + name.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(name))
        };
        (0..s.len()).any(|i| match s[i] | 0x20 {
            b's' => at(i, b"sha1"),
            b'm' => at(i, b"md5") || at(i, b"md2"),
            _ => false,
        })
    }

    /// RSA under 2048 bits or an elliptic curve under 256 bits.
    pub fn has_weak_key(&self) -> bool {
        match self.key.algorithm.as_str() {
            "RSA" | "DSA" => self.key.bits < 2048,
            "EC" => self.key.bits < 256,
            _ => false,
        }
    }

    /// Valid at `unix` seconds.
    pub fn valid_at(&self, unix: i64) -> bool {
        self.not_before_unix <= unix && unix <= self.not_after_unix
    }
}

/// The seven key usages the facts name, in their order.
const KEY_USAGES: [(u16, &str); 7] = [
    (KeyUsage::DIGITAL_SIGNATURE, "digitalSignature"),
    (KeyUsage::NON_REPUDIATION, "nonRepudiation"),
    (KeyUsage::KEY_ENCIPHERMENT, "keyEncipherment"),
    (KeyUsage::DATA_ENCIPHERMENT, "dataEncipherment"),
    (KeyUsage::KEY_AGREEMENT, "keyAgreement"),
    (KeyUsage::KEY_CERT_SIGN, "keyCertSign"),
    (KeyUsage::CRL_SIGN, "cRLSign"),
];

/// The key's name, as the facts and messages print it.
pub(crate) fn key_algorithm_name(a: &KeyAlgorithm) -> String {
    match a {
        KeyAlgorithm::Rsa => "RSA".into(),
        KeyAlgorithm::Ec => "EC".into(),
        KeyAlgorithm::Ed25519 => "Ed25519".into(),
        KeyAlgorithm::Ed448 => "Ed448".into(),
        KeyAlgorithm::Dsa => "DSA".into(),
        KeyAlgorithm::Other(oid) => oid.to_id_string(),
        KeyAlgorithm::Unknown => String::new(),
    }
}

fn key_facts(info: &CertInfo) -> KeyFacts {
    KeyFacts {
        algorithm: key_algorithm_name(&info.key.algorithm),
        bits: info.key.bits,
        rsa_exponent: info.key.rsa_exponent,
        curve: info.key.curve.as_ref().map(|c| match c {
            Curve::P256 => "P-256".to_string(),
            Curve::P384 => "P-384".to_string(),
            Curve::P521 => "P-521".to_string(),
            Curve::Other(oid) => oid.to_id_string(),
            Curve::Unnamed => "unknown".to_string(),
        }),
    }
}

/// Hex without leading zeros (the integer's value, as most tools print it).
fn canonical_serial(raw: &[u8]) -> String {
    // Leading zero octets are leading "00"s; then the first other octet may start with a zero.
    let first = raw.iter().position(|&b| b != 0).unwrap_or(raw.len());
    match raw.get(first) {
        None => "0".to_string(),
        Some(b) if *b < 0x10 => {
            let mut h = hex(&raw[first..]);
            h.remove(0);
            h
        }
        Some(_) => hex(&raw[first..]),
    }
}

/// `YYYY-MM-DDThh:mm:ssZ` (RFC 3339 in UTC, as the `time` crate writes it), or the number
/// when the year is outside 0–9999 (which RFC 3339 cannot write).
pub(crate) fn rfc3339(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = crate::civil::civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return unix.to_string();
    }
    // Every value below is in 0..=99, so each is two ASCII digits.
    let digits = |v: i64| [b'0' + (v / 10) as u8, b'0' + (v % 10) as u8];
    let [y1, y2] = digits(y / 100);
    let [y3, y4] = digits(y % 100);
    let [m1, m2] = digits(m);
    let [d1, d2] = digits(d);
    let [h1, h2] = digits(secs / 3600);
    let [n1, n2] = digits(secs / 60 % 60);
    let [s1, s2] = digits(secs % 60);
    let bytes = [
        y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2, b'T', h1, h2, b':', n1, n2, b':', s1, s2, b'Z',
    ];
    String::from_utf8(bytes.to_vec()).unwrap_or_default()
}

pub(crate) fn ip_to_string(ip: &[u8]) -> String {
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

/// The dotted form of an OID, without formatting for the canonical encodings of the ones the
/// facts name (formatting every extension's OID was a tenth of the cost of a certificate's
/// facts). Anything else, including another encoding of these, goes through `to_id_string`.
fn dotted(oid: &Oid<'_>) -> std::borrow::Cow<'static, str> {
    const KNOWN: &[(&[u8], &str)] = &[
        (&[0x55, 0x1d, 0x0e], "2.5.29.14"),
        (&[0x55, 0x1d, 0x0f], "2.5.29.15"),
        (&[0x55, 0x1d, 0x11], "2.5.29.17"),
        (&[0x55, 0x1d, 0x13], "2.5.29.19"),
        (&[0x55, 0x1d, 0x1e], "2.5.29.30"),
        (&[0x55, 0x1d, 0x1f], "2.5.29.31"),
        (&[0x55, 0x1d, 0x20], "2.5.29.32"),
        (&[0x55, 0x1d, 0x23], "2.5.29.35"),
        (&[0x55, 0x1d, 0x25], "2.5.29.37"),
        (
            &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01],
            "1.3.6.1.5.5.7.1.1",
        ),
        (
            &[0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02],
            "1.3.6.1.4.1.11129.2.4.2",
        ),
        (
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05],
            "1.2.840.113549.1.1.5",
        ),
        (
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
            "1.2.840.113549.1.1.11",
        ),
        (
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c],
            "1.2.840.113549.1.1.12",
        ),
        (
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d],
            "1.2.840.113549.1.1.13",
        ),
        (
            &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02],
            "1.2.840.10045.4.3.2",
        ),
        (
            &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03],
            "1.2.840.10045.4.3.3",
        ),
    ];
    let bytes = oid.as_bytes();
    match KNOWN.iter().find(|(der, _)| *der == bytes) {
        Some((_, id)) => std::borrow::Cow::Borrowed(id),
        None => std::borrow::Cow::Owned(oid.to_id_string()),
    }
}

/// The signature algorithm's name, or its dotted OID.
pub(crate) fn signature_name(oid: &Oid<'_>) -> String {
    let id = dotted(oid);
    match id.as_ref() {
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
        _ => return id.into_owned(),
    }
    .to_string()
}

/// The extension's name, or its dotted OID.
fn extension_name(oid: &Oid<'_>) -> String {
    let id = dotted(oid);
    match id.as_ref() {
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
        _ => return id.into_owned(),
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The date formatting the facts used before, with the `time` crate.
    fn rfc3339_with_time(unix: i64) -> String {
        ::time::OffsetDateTime::from_unix_timestamp(unix)
            .ok()
            .and_then(|t| {
                t.format(&::time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_else(|| unix.to_string())
    }

    #[test]
    fn rfc3339_is_what_the_time_crate_writes() {
        let mut cases = vec![
            0,
            -1,
            86_399,
            86_400,
            951_782_400,   // 2000-02-29
            4_107_542_400, // 2100-02-28
            253_402_300_799,
            253_402_300_800,
            -62_167_219_200,
            -62_167_219_201,
            i64::MIN,
            i64::MAX,
        ];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            cases.push((x % 600_000_000_000) as i64 - 300_000_000_000);
        }
        for t in cases {
            assert_eq!(rfc3339(t), rfc3339_with_time(t), "{t}");
        }
    }

    #[test]
    fn weak_signatures_are_named_in_any_ascii_case() {
        let root = webpki_root_certs::TLS_SERVER_ROOT_CERTS[0].to_vec();
        let mut f = CertificateFacts::of(&Certificate::from_der(root, 1).unwrap(), 1).unwrap();
        for name in [
            "sha1WithRSAEncryption",
            "ecdsa-with-SHA1",
            "md5WithRSAEncryption",
            "md2WithRSAEncryption",
            "MD5",
            "sha256WithRSAEncryption",
            "ecdsa-with-SHA256",
            "1.2.840.113549.1.1.5",
            "Sha1",
            "sh",
            "",
            "ßha1",
            "\u{130}sha1",
        ] {
            f.signature_algorithm = name.to_string();
            let s = name.to_ascii_lowercase();
            let before = s.contains("sha1") || s.contains("md5") || s.contains("md2");
            assert_eq!(f.has_weak_signature(), before, "{name}");
        }
    }

    #[test]
    fn serials_lose_leading_zero_digits() {
        assert_eq!(canonical_serial(&[0x00, 0x0a, 0xbc]), "abc");
        assert_eq!(canonical_serial(&[0x00]), "0");
        assert_eq!(canonical_serial(&[]), "0");
        assert_eq!(canonical_serial(&[0x10]), "10");
        assert_eq!(canonical_serial(&[0x00, 0x00, 0x01, 0x00]), "100");
        assert_eq!(canonical_serial(&[0x00, 0x00]), "0");
        assert_eq!(canonical_serial(&[0x7f, 0x00]), "7f00");
    }
}

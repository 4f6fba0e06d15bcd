//! The typed reading of one certificate the engine decides on ([`CertInfo`]): read once with
//! x509-parser, remembered by the engine's memo, and turned into display strings
//! ([`crate::CertificateFacts`]) only when a report, the CLI or an app asks for them.

use x509_parser::der_parser::oid::Oid;
use x509_parser::error::X509Error;
use x509_parser::extensions::{
    parse_ct_signed_certificate_timestamp_list, AuthorityKeyIdentifier, BasicConstraints,
    ExtendedKeyUsage as Eku, GeneralName, KeyUsage as Ku, SubjectAlternativeName,
};
use x509_parser::nom::Parser as _;
use x509_parser::prelude::{FromDer, X509Certificate, X509CertificateParser};
use x509_parser::public_key::PublicKey;

use crate::cert::Certificate;

/// A subject public key's algorithm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyAlgorithm {
    Rsa,
    Ec,
    Ed25519,
    Ed448,
    Dsa,
    /// Any other: its OID.
    Other(Oid<'static>),
    /// Not read (an unreadable certificate).
    Unknown,
}

/// An EC key's curve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Curve {
    P256,
    P384,
    P521,
    /// A named curve that is none of those: its OID.
    Other(Oid<'static>),
    /// No parameters, or parameters that are not an OID.
    Unnamed,
}

/// The subject public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyInfo {
    pub algorithm: KeyAlgorithm,
    /// Size in bits as x509-parser computes it (RSA modulus, EC field, DSA/GOST key).
    pub bits: u32,
    pub rsa_exponent: Option<u64>,
    /// For EC keys.
    pub curve: Option<Curve>,
}

impl KeyInfo {
    /// RSA or DSA under 2048 bits, or an elliptic curve under 256 bits.
    pub(crate) fn is_weak(&self) -> bool {
        match self.algorithm {
            KeyAlgorithm::Rsa | KeyAlgorithm::Dsa => self.bits < 2048,
            KeyAlgorithm::Ec => self.bits < 256,
            _ => false,
        }
    }
}

/// keyUsage bits, as x509-parser numbers them (bit 0 is digitalSignature).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct KeyUsage(pub u16);

impl KeyUsage {
    pub(crate) const DIGITAL_SIGNATURE: u16 = 1 << 0;
    pub(crate) const NON_REPUDIATION: u16 = 1 << 1;
    pub(crate) const KEY_ENCIPHERMENT: u16 = 1 << 2;
    pub(crate) const DATA_ENCIPHERMENT: u16 = 1 << 3;
    pub(crate) const KEY_AGREEMENT: u16 = 1 << 4;
    pub(crate) const KEY_CERT_SIGN: u16 = 1 << 5;
    pub(crate) const CRL_SIGN: u16 = 1 << 6;

    pub(crate) fn has(self, bit: u16) -> bool {
        self.0 & bit != 0
    }
}

/// extendedKeyUsage: the purposes x509-parser names, and the other OIDs (each once).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ExtendedKeyUsage {
    pub any: bool,
    pub server_auth: bool,
    pub client_auth: bool,
    pub code_signing: bool,
    pub email_protection: bool,
    pub time_stamping: bool,
    pub ocsp_signing: bool,
    pub other: Vec<Oid<'static>>,
}

impl ExtendedKeyUsage {
    pub(crate) fn is_empty(&self) -> bool {
        !(self.any
            || self.server_auth
            || self.client_auth
            || self.code_signing
            || self.email_protection
            || self.time_stamping
            || self.ocsp_signing)
            && self.other.is_empty()
    }
}

/// A signature algorithm, as far as the engine judges it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignatureAlgorithm(pub Oid<'static>);

impl SignatureAlgorithm {
    /// MD2, MD5 or SHA-1: collisions make these forgeable.
    pub(crate) fn is_weak(&self) -> bool {
        const WEAK: [&[u8]; 6] = [
            // md2WithRSAEncryption, md5WithRSAEncryption, sha1WithRSAEncryption
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x02],
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04],
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05],
            // ecdsa-with-SHA1, dsa-with-sha1
            &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01],
            &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x03],
            // sha1WithRSA (OIW)
            &[0x2b, 0x0e, 0x03, 0x02, 0x1d],
        ];
        WEAK.contains(&self.0.as_bytes())
    }
}

/// One certificate as the engine reasons on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CertInfo {
    /// False for the placeholder of a certificate x509-parser refused
    /// ([`CertInfo::unreadable`]): no dates, usages, key or CA flag are claimed.
    pub readable: bool,
    /// The serial number's INTEGER contents.
    pub serial: Vec<u8>,
    /// The subject's text (for messages and reports) and first common name.
    pub subject: String,
    pub common_name: Option<String>,
    /// The issuer's text and first common name (the impersonation check compares it).
    pub issuer: String,
    pub issuer_cn: Option<String>,
    /// Validity, Unix seconds.
    pub not_before: i64,
    pub not_after: i64,
    pub key: KeyInfo,
    pub signature_algorithm: SignatureAlgorithm,
    /// basicConstraints (the last one that parses counts).
    pub is_ca: bool,
    pub path_len: Option<u32>,
    /// `None` without a readable keyUsage extension.
    pub key_usage: Option<KeyUsage>,
    pub extended_key_usage: ExtendedKeyUsage,
    pub san_dns: Vec<String>,
    /// IP addresses as encoded (4 or 16 octets, or anything else as sent).
    pub san_ip: Vec<Vec<u8>>,
    pub sct_log_ids: Vec<[u8; 32]>,
    /// Every extension's OID, in order.
    pub extensions: Vec<Oid<'static>>,
    pub has_authority_key_id: bool,
    /// Subject and issuer are the same bytes.
    pub self_issued: bool,
    /// Self-issued and its signature verifies with its own key.
    pub self_signed: bool,
    /// SHA-256 of the whole certificate (hashed once, with the reading the memo keeps).
    pub fingerprint: [u8; 32],
}

/// Reads a DER certificate with x509-parser, its extensions' envelopes only: the extensions the
/// engine uses are then read one by one ([`extension`]), with the same x509-parser parsers its
/// deep parse would call. The deep parse decodes every extension x509-parser knows (policies,
/// CRL distribution points, name constraints, ...), which nothing here reads and which cost
/// the phone library about 40 KB.
pub(crate) fn parse(der: &[u8]) -> Result<X509Certificate<'_>, X509Error> {
    let (_, x) = X509CertificateParser::new()
        .with_deep_parse_extensions(false)
        .parse(der)
        .map_err(|e| match e {
            x509_parser::nom::Err::Error(e) | x509_parser::nom::Err::Failure(e) => e,
            x509_parser::nom::Err::Incomplete(_) => X509Error::InvalidCertificate,
        })?;
    Ok(x)
}

/// One extension the engine reads, decoded as x509-parser's deep parse decodes it (the same
/// parser for the same OID bytes; an extension whose contents do not parse is ignored, as the
/// deep parse's `ParseError` was).
enum Extension<'a> {
    SubjectAltName(SubjectAlternativeName<'a>),
    BasicConstraints(BasicConstraints),
    Scts(Vec<[u8; 32]>),
    ExtendedKeyUsage(Eku<'a>),
    AuthorityKeyId,
    KeyUsage(Ku),
    Other,
}

const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];
const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
const EXTENDED_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25];
const AUTHORITY_KEY_ID: &[u8] = &[0x55, 0x1d, 0x23];
const KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x0f];
const SCT_LIST: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02];

fn extension<'a>(e: &x509_parser::extensions::X509Extension<'a>) -> Extension<'a> {
    let v = e.value;
    let parsed = match e.oid.as_bytes() {
        SUBJECT_ALT_NAME => SubjectAlternativeName::from_der(v)
            .ok()
            .map(|(_, s)| Extension::SubjectAltName(s)),
        BASIC_CONSTRAINTS => BasicConstraints::from_der(v)
            .ok()
            .map(|(_, b)| Extension::BasicConstraints(b)),
        SCT_LIST => parse_ct_signed_certificate_timestamp_list(v)
            .ok()
            .map(|(_, l)| Extension::Scts(l.iter().map(|s| *s.id.key_id).collect())),
        EXTENDED_KEY_USAGE => Eku::from_der(v)
            .ok()
            .map(|(_, k)| Extension::ExtendedKeyUsage(k)),
        AUTHORITY_KEY_ID => AuthorityKeyIdentifier::from_der(v)
            .ok()
            .map(|_| Extension::AuthorityKeyId),
        KEY_USAGE => Ku::from_der(v).ok().map(|(_, k)| Extension::KeyUsage(k)),
        _ => None,
    };
    parsed.unwrap_or(Extension::Other)
}

/// basicConstraints (CA flag, path length): the last one that parses counts.
pub(crate) fn basic_constraints(x: &X509Certificate<'_>) -> (bool, Option<u32>) {
    let mut out = (false, None);
    for e in x.extensions() {
        if let Extension::BasicConstraints(bc) = extension(e) {
            out = (bc.ca, bc.path_len_constraint);
        }
    }
    out
}

impl CertInfo {
    /// Reads `cert` with x509-parser; its error when x509-parser refuses it.
    pub(crate) fn read(cert: &Certificate) -> Result<Self, X509Error> {
        let mut info = Self::from_parsed(&parse(cert.der())?);
        info.fingerprint = cert.fingerprint();
        Ok(info)
    }

    fn from_parsed(x: &X509Certificate<'_>) -> Self {
        let mut info_ext = Vec::with_capacity(x.extensions().len());
        let mut san_dns = Vec::new();
        let mut san_ip = Vec::new();
        let mut sct_log_ids = Vec::new();
        let mut eku = ExtendedKeyUsage::default();
        let mut key_usage = None;
        let (mut is_ca, mut path_len) = (false, None);
        let mut has_aki = false;
        for ext in x.extensions() {
            info_ext.push(ext.oid.to_owned());
            match extension(ext) {
                Extension::SubjectAltName(san) => {
                    for name in &san.general_names {
                        match name {
                            GeneralName::DNSName(d) => san_dns.push((*d).to_string()),
                            GeneralName::IPAddress(ip) => san_ip.push(ip.to_vec()),
                            _ => {}
                        }
                    }
                }
                Extension::BasicConstraints(bc) => {
                    is_ca = bc.ca;
                    path_len = bc.path_len_constraint;
                }
                Extension::Scts(ids) => sct_log_ids.extend(ids),
                Extension::ExtendedKeyUsage(e) => {
                    eku.any |= e.any;
                    eku.server_auth |= e.server_auth;
                    eku.client_auth |= e.client_auth;
                    eku.code_signing |= e.code_signing;
                    eku.email_protection |= e.email_protection;
                    eku.time_stamping |= e.time_stamping;
                    eku.ocsp_signing |= e.ocsp_signing;
                    for o in &e.other {
                        if !eku.other.contains(o) {
                            eku.other.push(o.to_owned());
                        }
                    }
                }
                Extension::AuthorityKeyId => has_aki = true,
                Extension::KeyUsage(ku) => {
                    let prev = key_usage.map_or(0, |k: KeyUsage| k.0);
                    key_usage = Some(KeyUsage(prev | ku.flags));
                }
                Extension::Other => {}
            }
        }
        let self_issued = x.subject().as_raw() == x.issuer().as_raw();
        let self_signed = self_issued
            && crate::signature::verify(
                x.public_key(),
                &x.signature_algorithm,
                &x.signature_value.data,
                x.tbs_certificate.as_ref(),
            );
        let (subject, common_name) = crate::names::text_and_common_name(x.subject());
        let (issuer, issuer_cn) = crate::names::text_and_common_name(x.issuer());
        Self {
            readable: true,
            serial: x.raw_serial().to_vec(),
            subject,
            common_name,
            issuer,
            issuer_cn,
            not_before: x.validity().not_before.timestamp(),
            not_after: x.validity().not_after.timestamp(),
            key: key_info(x.public_key()),
            signature_algorithm: SignatureAlgorithm(x.signature_algorithm.algorithm.to_owned()),
            is_ca,
            path_len,
            key_usage,
            extended_key_usage: eku,
            san_dns,
            san_ip,
            sct_log_ids,
            extensions: info_ext,
            has_authority_key_id: has_aki,
            self_issued,
            self_signed,
            fingerprint: [0; 32],
        }
    }

    /// What can be said of a certificate x509-parser refused (the DER walker read its outline,
    /// so its key, names and fingerprint are known): a placeholder that keeps the certificate
    /// in the analysis, with no usages, no validity limits and no CA flag claimed.
    ///
    /// Why not an error: an interceptor can append one such certificate to any chain, and an
    /// error for the whole chain would hide the known keys the rest of it carries.
    pub(crate) fn unreadable(cert: &Certificate) -> Self {
        let (subject, common_name) =
            crate::names::read_text_and_common_name(cert.subject_der()).unwrap_or_default();
        let (issuer, issuer_cn) =
            crate::names::read_text_and_common_name(cert.issuer_der()).unwrap_or_default();
        Self {
            readable: false,
            serial: Vec::new(),
            subject,
            common_name,
            issuer,
            issuer_cn,
            not_before: i64::MIN,
            not_after: i64::MAX,
            key: KeyInfo {
                algorithm: KeyAlgorithm::Unknown,
                bits: 0,
                rsa_exponent: None,
                curve: None,
            },
            signature_algorithm: SignatureAlgorithm(Oid::new(std::borrow::Cow::Borrowed(&[]))),
            is_ca: false,
            path_len: None,
            key_usage: None,
            extended_key_usage: ExtendedKeyUsage::default(),
            san_dns: Vec::new(),
            san_ip: Vec::new(),
            sct_log_ids: Vec::new(),
            extensions: Vec::new(),
            has_authority_key_id: false,
            self_issued: cert.is_self_issued(),
            self_signed: false,
            fingerprint: cert.fingerprint(),
        }
    }

    /// A short name for messages: the common name, else the whole subject, else the key hash.
    pub(crate) fn display_name(&self, cert: &Certificate) -> String {
        match &self.common_name {
            Some(cn) if !cn.is_empty() => cn.clone(),
            _ if !self.subject.is_empty() => self.subject.clone(),
            _ => format!("certificate with key sha256/{}", cert.spki_hash().base64()),
        }
    }

    /// A server certificate that may sign certificates.
    pub(crate) fn may_sign_certificates(&self) -> bool {
        self.key_usage
            .is_some_and(|k| k.has(KeyUsage::KEY_CERT_SIGN))
    }
}

/// The key as x509-parser reads it, named as the facts always named it: the algorithm and the
/// curve by the OID's dotted form (a non-minimal encoding of a known OID prints, and so is
/// named, like it), the size by x509-parser's `key_size` (an RSA key that does not parse is not
/// called RSA), a named curve's size by the curve.
fn key_info(spki: &x509_parser::x509::SubjectPublicKeyInfo<'_>) -> KeyInfo {
    let parsed = spki.parsed();
    let size = parsed
        .as_ref()
        .map(|k| u32::try_from(k.key_size()).unwrap_or(0))
        .unwrap_or(0);
    let plain = |algorithm, bits| KeyInfo {
        algorithm,
        bits,
        rsa_exponent: None,
        curve: None,
    };
    let alg = &spki.algorithm.algorithm;
    // The usual encodings without formatting; anything else by its dotted form.
    let id: std::borrow::Cow<'_, str> = match alg.as_bytes() {
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01] => "1.2.840.113549.1.1.1".into(),
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01] => "1.2.840.10045.2.1".into(),
        _ => alg.to_id_string().into(),
    };
    match (id.as_ref(), &parsed) {
        ("1.2.840.113549.1.1.1", Ok(PublicKey::RSA(rsa))) => KeyInfo {
            algorithm: KeyAlgorithm::Rsa,
            bits: size,
            rsa_exponent: rsa.try_exponent().ok(),
            curve: None,
        },
        ("1.2.840.10045.2.1", _) => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok());
            let (curve, bits) = match curve {
                Some(c) => match c.as_bytes() {
                    [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07] => (Curve::P256, 256),
                    [0x2b, 0x81, 0x04, 0x00, 0x22] => (Curve::P384, 384),
                    [0x2b, 0x81, 0x04, 0x00, 0x23] => (Curve::P521, 521),
                    _ => match c.to_id_string().as_str() {
                        "1.2.840.10045.3.1.7" => (Curve::P256, 256),
                        "1.3.132.0.34" => (Curve::P384, 384),
                        "1.3.132.0.35" => (Curve::P521, 521),
                        _ => (Curve::Other(c.to_owned()), size),
                    },
                },
                None => (Curve::Unnamed, size),
            };
            KeyInfo {
                algorithm: KeyAlgorithm::Ec,
                bits,
                rsa_exponent: None,
                curve: Some(curve),
            }
        }
        ("1.3.101.112", _) => plain(KeyAlgorithm::Ed25519, 256),
        ("1.3.101.113", _) => plain(KeyAlgorithm::Ed448, 456),
        ("1.2.840.10040.4.1", _) => plain(KeyAlgorithm::Dsa, size),
        _ => plain(KeyAlgorithm::Other(alg.to_owned()), size),
    }
}

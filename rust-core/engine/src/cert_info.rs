//! The typed reading of one certificate the engine decides on ([`CertInfo`]): read once with
//! x509-parser, remembered by the engine's memo. Its display text ([`CertText`]: names, SANs,
//! SCT log IDs, extensions, serial, fingerprint) is made only when first asked for (a finding
//! that names a certificate by more than its common name, pins, facts), and display strings
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

/// One certificate as the engine reasons on it: what decisions need, read cheaply. The text a
/// person reads (names, SANs, SCT log IDs, extension names, serial, fingerprint) is in
/// [`CertText`], made on first use ([`CertInfo::text`]): when a finding names the certificate
/// by more than its common name, or its facts are asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CertInfo {
    /// False for the placeholder of a certificate x509-parser refused
    /// ([`CertInfo::unreadable`]): no dates, usages, key or CA flag are claimed.
    pub readable: bool,
    /// The subject's first common name (messages; the impersonation check compares it).
    pub common_name: Option<String>,
    /// The issuer's first common name (the impersonation check compares it).
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
    /// How many embedded SCTs parse (in every SCT list extension).
    pub sct_count: u32,
    pub has_authority_key_id: bool,
    /// Subject and issuer are the same bytes.
    pub self_issued: bool,
    /// Self-issued and its signature verifies with its own key.
    pub self_signed: bool,
    /// The text, made on first use from the certificate's DER (see [`CertInfo::text`]).
    text: TextCell,
}

/// The display text of one certificate ([`CertInfo::text`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct CertText {
    /// The serial number's INTEGER contents.
    pub serial: Vec<u8>,
    /// The subject's and the issuer's text, as x509-parser prints them.
    pub subject: String,
    pub issuer: String,
    pub san_dns: Vec<String>,
    /// IP addresses as encoded (4 or 16 octets, or anything else as sent).
    pub san_ip: Vec<Vec<u8>>,
    pub sct_log_ids: Vec<[u8; 32]>,
    /// Every extension's OID, in order.
    pub extensions: Vec<Oid<'static>>,
    /// SHA-256 of the whole certificate.
    pub fingerprint: [u8; 32],
}

/// A [`CertText`] made once. Equal to any other: the text is a function of the certificate's
/// DER, which the memo compares itself, and whether it was made yet is no part of a reading.
#[derive(Debug, Clone, Default)]
struct TextCell(std::sync::OnceLock<CertText>);

impl PartialEq for TextCell {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for TextCell {}

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

const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];
const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
const EXTENDED_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25];
const AUTHORITY_KEY_ID: &[u8] = &[0x55, 0x1d, 0x23];
const KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x0f];
const SCT_LIST: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02];

/// basicConstraints (CA flag, path length): the last one that parses counts. build.rs reads
/// the known CAs' certificates the same way; the tests compare the two.
#[cfg(test)]
pub(crate) fn basic_constraints(x: &X509Certificate<'_>) -> (bool, Option<u32>) {
    let mut out = (false, None);
    for e in x.extensions() {
        if e.oid.as_bytes() == BASIC_CONSTRAINTS {
            if let Ok((_, bc)) = BasicConstraints::from_der(e.value) {
                out = (bc.ca, bc.path_len_constraint);
            }
        }
    }
    out
}

impl CertInfo {
    /// Reads `cert` with x509-parser; its error when x509-parser refuses it.
    pub(crate) fn read(cert: &Certificate) -> Result<Self, X509Error> {
        Ok(Self::from_parsed(&parse(cert.der())?))
    }

    /// [`CertInfo::read`] with its text made now, from the same parse: for a caller that
    /// shows the certificate (its facts) in any case.
    pub(crate) fn read_with_text(cert: &Certificate) -> Result<Self, X509Error> {
        let x = parse(cert.der())?;
        let info = Self::from_parsed(&x);
        let _ = info.text.0.set(text_of(&x, cert));
        Ok(info)
    }

    /// What decisions need: no text beyond the common names, no fingerprint, and of the SCT
    /// lists only their count.
    fn from_parsed(x: &X509Certificate<'_>) -> Self {
        let mut sct_count = 0u32;
        let mut eku = ExtendedKeyUsage::default();
        let mut key_usage = None;
        let (mut is_ca, mut path_len) = (false, None);
        let mut has_aki = false;
        for ext in x.extensions() {
            match ext.oid.as_bytes() {
                BASIC_CONSTRAINTS => {
                    if let Ok((_, bc)) = BasicConstraints::from_der(ext.value) {
                        is_ca = bc.ca;
                        path_len = bc.path_len_constraint;
                    }
                }
                SCT_LIST => {
                    if let Ok((_, l)) = parse_ct_signed_certificate_timestamp_list(ext.value) {
                        sct_count =
                            sct_count.saturating_add(u32::try_from(l.len()).unwrap_or(u32::MAX));
                    }
                }
                EXTENDED_KEY_USAGE => {
                    if let Ok((_, e)) = Eku::from_der(ext.value) {
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
                }
                AUTHORITY_KEY_ID => {
                    has_aki |= AuthorityKeyIdentifier::from_der(ext.value).is_ok();
                }
                KEY_USAGE => {
                    if let Ok((_, ku)) = Ku::from_der(ext.value) {
                        let prev = key_usage.map_or(0, |k: KeyUsage| k.0);
                        key_usage = Some(KeyUsage(prev | ku.flags));
                    }
                }
                _ => {}
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
        Self {
            readable: true,
            common_name: crate::names::common_name(x.subject()),
            issuer_cn: crate::names::common_name(x.issuer()),
            not_before: x.validity().not_before.timestamp(),
            not_after: x.validity().not_after.timestamp(),
            key: key_info(x.public_key()),
            signature_algorithm: SignatureAlgorithm(x.signature_algorithm.algorithm.to_owned()),
            is_ca,
            path_len,
            key_usage,
            extended_key_usage: eku,
            sct_count,
            has_authority_key_id: has_aki,
            self_issued,
            self_signed,
            text: TextCell::default(),
        }
    }

    /// The display text of `cert` (the certificate this is the reading of), made on first use:
    /// x509-parser reads the certificate again, for its names, SANs, SCT log IDs, extensions.
    pub(crate) fn text(&self, cert: &Certificate) -> &CertText {
        self.text.0.get_or_init(|| match parse(cert.der()) {
            Ok(x) => text_of(&x, cert),
            // Only a placeholder has no readable DER, and its text is made with it.
            Err(_) => unreadable_text(cert),
        })
    }

    /// What can be said of a certificate x509-parser refused (the DER walker read its outline,
    /// so its key, names and fingerprint are known): a placeholder that keeps the certificate
    /// in the analysis, with no usages, no validity limits and no CA flag claimed.
    ///
    /// Why not an error: an interceptor can append one such certificate to any chain, and an
    /// error for the whole chain would hide the known keys the rest of it carries.
    pub(crate) fn unreadable(cert: &Certificate) -> Self {
        let (_, common_name) =
            crate::names::read_text_and_common_name(cert.subject_der()).unwrap_or_default();
        let (_, issuer_cn) =
            crate::names::read_text_and_common_name(cert.issuer_der()).unwrap_or_default();
        Self {
            readable: false,
            common_name,
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
            sct_count: 0,
            has_authority_key_id: false,
            self_issued: cert.is_self_issued(),
            self_signed: false,
            text: TextCell(std::sync::OnceLock::from(unreadable_text(cert))),
        }
    }

    /// A short name for messages: the common name, else the whole subject, else the key hash.
    pub(crate) fn display_name(&self, cert: &Certificate) -> String {
        match &self.common_name {
            Some(cn) if !cn.is_empty() => cn.clone(),
            _ => {
                let subject = &self.text(cert).subject;
                if subject.is_empty() {
                    format!("certificate with key sha256/{}", cert.spki_hash().base64())
                } else {
                    subject.clone()
                }
            }
        }
    }

    /// A server certificate that may sign certificates.
    pub(crate) fn may_sign_certificates(&self) -> bool {
        self.key_usage
            .is_some_and(|k| k.has(KeyUsage::KEY_CERT_SIGN))
    }
}

/// The text of a certificate x509-parser read.
fn text_of(x: &X509Certificate<'_>, cert: &Certificate) -> CertText {
    let mut t = CertText {
        serial: x.raw_serial().to_vec(),
        subject: crate::names::text(x.subject()),
        issuer: crate::names::text(x.issuer()),
        extensions: Vec::with_capacity(x.extensions().len()),
        fingerprint: cert.fingerprint(),
        ..CertText::default()
    };
    for ext in x.extensions() {
        t.extensions.push(ext.oid.to_owned());
        match ext.oid.as_bytes() {
            SUBJECT_ALT_NAME => {
                if let Ok((_, san)) = SubjectAlternativeName::from_der(ext.value) {
                    for name in &san.general_names {
                        match name {
                            GeneralName::DNSName(d) => t.san_dns.push((*d).to_string()),
                            GeneralName::IPAddress(ip) => t.san_ip.push(ip.to_vec()),
                            _ => {}
                        }
                    }
                }
            }
            SCT_LIST => {
                if let Ok((_, l)) = parse_ct_signed_certificate_timestamp_list(ext.value) {
                    t.sct_log_ids.extend(l.iter().map(|s| *s.id.key_id));
                }
            }
            _ => {}
        }
    }
    t
}

/// The text of a certificate x509-parser refused: its names as far as they read, and its
/// fingerprint.
fn unreadable_text(cert: &Certificate) -> CertText {
    let subject = crate::names::read_text_and_common_name(cert.subject_der()).unwrap_or_default();
    let issuer = crate::names::read_text_and_common_name(cert.issuer_der()).unwrap_or_default();
    CertText {
        subject: subject.0,
        issuer: issuer.0,
        fingerprint: cert.fingerprint(),
        ..CertText::default()
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

//! Everything a person or a report may want to know about one certificate.
//!
//! Read on demand with Qorgan's own reader ([`crate::x509`]): the fast path never calls this.

use base64::Engine as _;
use serde::Serialize;

use crate::cert::{hex, Certificate};
use crate::error::Error;
use crate::x509::{oid, X509};

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
        Self::of_with_fingerprint(cert, index, &cert.fingerprint())
    }

    /// As [`Self::of`], with the certificate's SHA-256 already computed.
    fn of_with_fingerprint(
        cert: &Certificate,
        index: usize,
        fingerprint: &[u8; 32],
    ) -> Result<Self, Error> {
        let x = X509::parse(cert.der()).map_err(|e| Error::not_a_certificate(index, e))?;
        Ok(Self::from_parsed(cert, &x, fingerprint).0)
    }

    /// As [`Self::of`], and from the same parse the issuer's first common name (when it is a
    /// string), which the impersonation check compares with known CAs' names.
    pub(crate) fn with_issuer_cn(
        cert: &Certificate,
        index: usize,
    ) -> Result<(Self, Option<String>), Error> {
        let x = X509::parse(cert.der()).map_err(|e| Error::not_a_certificate(index, e))?;
        let (facts, issuer_cn) = Self::from_parsed(cert, &x, &cert.fingerprint());
        Ok((facts, issuer_cn.map(str::to_string)))
    }

    /// What can be said of a certificate the X.509 reader refused (the DER walker read its
    /// outline, so its key, names and fingerprint are known): a placeholder that keeps the
    /// certificate in the analysis, with no usages, no validity limits and no CA flag claimed.
    ///
    /// Why not an error: an interceptor can append one such certificate to any chain, and an
    /// error for the whole chain would hide the known keys the rest of it carries.
    pub(crate) fn unreadable(cert: &Certificate) -> (Self, Option<String>) {
        let name = |der: &[u8]| {
            crate::x509::Name::read(der)
                .ok()
                .map(|(n, _)| (n.text(), n.common_name().map(str::to_string)))
        };
        let (subject, common_name) = name(cert.subject_der()).unwrap_or_default();
        let (issuer, issuer_cn) = name(cert.issuer_der()).unwrap_or_default();
        let spki = cert.spki_hash();
        let facts = Self {
            subject,
            issuer,
            common_name,
            serial: String::new(),
            not_before: String::new(),
            not_after: String::new(),
            not_before_unix: i64::MIN,
            not_after_unix: i64::MAX,
            san_dns: Vec::new(),
            san_ip: Vec::new(),
            key: KeyFacts {
                algorithm: String::new(),
                bits: 0,
                rsa_exponent: None,
                curve: None,
            },
            signature_algorithm: String::new(),
            spki_sha256: spki.hex(),
            spki_sha256_b64: spki.base64(),
            sha256: crate::cert::hex(&cert.fingerprint()),
            is_ca: false,
            path_len: None,
            self_issued: cert.is_self_issued(),
            self_signed: false,
            sct_count: 0,
            sct_log_ids: Vec::new(),
            key_usage: Vec::new(),
            extended_key_usage: Vec::new(),
            extensions: Vec::new(),
            has_authority_key_id: false,
        };
        (facts, issuer_cn)
    }

    /// The facts, and the issuer's first common name (when it is a string).
    fn from_parsed<'a>(
        cert: &Certificate,
        x: &X509<'a>,
        fingerprint: &[u8; 32],
    ) -> (Self, Option<&'a str>) {
        use crate::x509::extensions as ext;
        let mut san_dns = Vec::new();
        let mut san_ip = Vec::new();
        let mut sct_log_ids = Vec::new();
        let mut extensions = Vec::with_capacity(x.extensions.len());
        let mut eku_names = Vec::new();
        let mut ku_names = Vec::new();
        let mut is_ca = false;
        let mut path_len = None;
        let mut has_aki = false;
        for e in &x.extensions {
            extensions.push(extension_name(e.oid));
            match e.oid {
                ext::SUBJECT_ALT_NAME => {
                    if let Some(names) = ext::subject_alt_name(e.value) {
                        san_dns.reserve(names.count);
                        for (tag, name) in names {
                            match tag {
                                2 => {
                                    if let Ok(s) = std::str::from_utf8(name) {
                                        san_dns.push(s.to_string());
                                    }
                                }
                                7 => san_ip.push(ip_to_string(name)),
                                _ => {}
                            }
                        }
                    }
                }
                ext::BASIC_CONSTRAINTS => {
                    // the last one that parses counts, as in `X509::basic_constraints`
                    if let Some((ca, len)) = ext::basic_constraints(e.value) {
                        is_ca = ca;
                        path_len = len;
                    }
                }
                ext::SCT_LIST => {
                    for id in ext::sct_log_ids(e.value).unwrap_or_default() {
                        sct_log_ids.push(base64::engine::general_purpose::STANDARD.encode(id));
                    }
                }
                ext::EXTENDED_KEY_USAGE => {
                    if let Some(oids) = ext::extended_key_usage(e.value) {
                        eku_names.extend(extended_key_usage_names(&oids));
                    }
                }
                ext::AUTHORITY_KEY_ID if ext::authority_key_id_parses(e.value) => has_aki = true,
                ext::KEY_USAGE => {
                    if let Some(bits) = ext::key_usage(e.value) {
                        ku_names.extend(
                            KEY_USAGES
                                .iter()
                                .enumerate()
                                .filter(|(i, _)| bits & (0x80 >> i) != 0)
                                .map(|(_, name)| (*name).to_string()),
                        );
                    }
                }
                _ => {}
            }
        }
        let self_issued = x.subject.raw == x.issuer.raw;
        let self_signed = self_issued && x.self_signature_verifies();
        let spki = cert.spki_hash();
        let (subject, common_name) = x.subject.text_and_common_name();
        let (issuer, issuer_cn) = x.issuer.text_and_common_name();
        let facts = Self {
            subject,
            issuer,
            common_name: common_name.map(str::to_string),
            serial: canonical_serial(x.serial),
            not_before: rfc3339(x.not_before),
            not_after: rfc3339(x.not_after),
            not_before_unix: x.not_before,
            not_after_unix: x.not_after,
            san_dns,
            san_ip,
            key: crate::x509::key::facts(&x.public_key),
            signature_algorithm: signature_name(x.signature_algorithm.oid),
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
        };
        (facts, issuer_cn)
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

/// A copy of one certificate's facts (and one more string: the issuer's common name, for the
/// facts memo) with all their strings in one buffer.
///
/// The engine's facts memo keeps a copy of the facts of each certificate it meets. A deep clone
/// of [`CertificateFacts`] allocates every string again (a leaf with 48 DNS names: about 70
/// allocations), on the first sight of every certificate, and freeing the memo frees them all
/// one by one; this copy is three allocations. [`Self::unpack`] gives back facts equal to the
/// packed ones.
pub(crate) struct PackedFacts {
    /// The facts with every string and every list of strings empty (which allocates nothing);
    /// an optional string that was present is present and empty.
    shell: CertificateFacts,
    /// The number of strings in each list of the facts, in the order of [`Self::new`].
    counts: [u32; 6],
    /// Whether the extra string was given.
    has_extra: bool,
    /// Every string, one after the other, in the order of [`Self::new`].
    text: String,
    /// Where each string of `text` ends.
    ends: Vec<u32>,
}

impl PackedFacts {
    /// Packs `facts` and `extra`.
    pub(crate) fn new(facts: &CertificateFacts, extra: Option<&str>) -> Self {
        let CertificateFacts {
            subject,
            issuer,
            common_name,
            serial,
            not_before,
            not_after,
            not_before_unix,
            not_after_unix,
            san_dns,
            san_ip,
            key,
            signature_algorithm,
            spki_sha256,
            spki_sha256_b64,
            sha256,
            is_ca,
            path_len,
            self_issued,
            self_signed,
            sct_count,
            sct_log_ids,
            key_usage,
            extended_key_usage,
            extensions,
            has_authority_key_id,
        } = facts;
        let KeyFacts {
            algorithm,
            bits,
            rsa_exponent,
            curve,
        } = key;
        // An absent optional string is packed as an empty one; the shell says which it was.
        let singles: [&str; 13] = [
            subject,
            issuer,
            common_name.as_deref().unwrap_or_default(),
            serial,
            not_before,
            not_after,
            algorithm,
            curve.as_deref().unwrap_or_default(),
            signature_algorithm,
            spki_sha256,
            spki_sha256_b64,
            sha256,
            extra.unwrap_or_default(),
        ];
        let lists: [&[String]; 6] = [
            san_dns,
            san_ip,
            sct_log_ids,
            key_usage,
            extended_key_usage,
            extensions,
        ];
        let listed = || lists.iter().flat_map(|l| l.iter());
        let len = singles.iter().map(|s| s.len()).sum::<usize>()
            + listed().map(String::len).sum::<usize>();
        let count = singles.len() + lists.iter().map(|l| l.len()).sum::<usize>();
        let mut text = String::with_capacity(len);
        let mut ends = Vec::with_capacity(count);
        let mut push = |s: &str| {
            text.push_str(s);
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        };
        for s in singles {
            push(s);
        }
        for s in listed() {
            push(s);
        }
        let empty = |o: &Option<String>| o.as_ref().map(|_| String::new());
        Self {
            shell: CertificateFacts {
                subject: String::new(),
                issuer: String::new(),
                common_name: empty(common_name),
                serial: String::new(),
                not_before: String::new(),
                not_after: String::new(),
                not_before_unix: *not_before_unix,
                not_after_unix: *not_after_unix,
                san_dns: Vec::new(),
                san_ip: Vec::new(),
                key: KeyFacts {
                    algorithm: String::new(),
                    bits: *bits,
                    rsa_exponent: *rsa_exponent,
                    curve: empty(curve),
                },
                signature_algorithm: String::new(),
                spki_sha256: String::new(),
                spki_sha256_b64: String::new(),
                sha256: String::new(),
                is_ca: *is_ca,
                path_len: *path_len,
                self_issued: *self_issued,
                self_signed: *self_signed,
                sct_count: *sct_count,
                sct_log_ids: Vec::new(),
                key_usage: Vec::new(),
                extended_key_usage: Vec::new(),
                extensions: Vec::new(),
                has_authority_key_id: *has_authority_key_id,
            },
            counts: lists.map(|l| u32::try_from(l.len()).unwrap_or(u32::MAX)),
            has_extra: extra.is_some(),
            text,
            ends,
        }
    }

    /// The facts and the extra string, equal to those given to [`Self::new`].
    pub(crate) fn unpack(&self) -> (CertificateFacts, Option<String>) {
        let mut start = 0;
        let mut strings = self.ends.iter().map(|&end| {
            let s = self.text.get(start..end as usize).unwrap_or_default();
            start = end as usize;
            s
        });
        let mut next = || strings.next().unwrap_or_default().to_string();
        // The shell's strings and lists are empty: this clone allocates nothing. Its fields are
        // filled in the order of `new`, which names every field.
        let mut facts = self.shell.clone();
        // An optional string is set when the shell has it (present in the packed facts).
        let set = |o: &mut Option<String>, s: String| {
            if let Some(o) = o {
                *o = s;
            }
        };
        facts.subject = next();
        facts.issuer = next();
        set(&mut facts.common_name, next());
        facts.serial = next();
        facts.not_before = next();
        facts.not_after = next();
        facts.key.algorithm = next();
        set(&mut facts.key.curve, next());
        facts.signature_algorithm = next();
        facts.spki_sha256 = next();
        facts.spki_sha256_b64 = next();
        facts.sha256 = next();
        let extra = next();
        let extra = self.has_extra.then_some(extra);
        for (list, &count) in [
            &mut facts.san_dns,
            &mut facts.san_ip,
            &mut facts.sct_log_ids,
            &mut facts.key_usage,
            &mut facts.extended_key_usage,
            &mut facts.extensions,
        ]
        .into_iter()
        .zip(&self.counts)
        {
            *list = (0..count).map(|_| next()).collect();
        }
        (facts, extra)
    }
}

/// The seven key usages the facts name, in bit order (bit 0 is the first octet's high bit).
const KEY_USAGES: [&str; 7] = [
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
];

/// Extended key usages by name, each OID once, in the order x509-parser listed them: the
/// seven it names first (in its fixed order), then the others as dotted OIDs.
fn extended_key_usage_names(oids: &[&[u8]]) -> Vec<String> {
    const NAMED: [(&[u8], &str); 7] = [
        (&[0x55, 0x1d, 0x25, 0x00], "any"),
        (
            &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01],
            "serverAuth",
        ),
        (
            &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02],
            "clientAuth",
        ),
        (
            &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03],
            "codeSigning",
        ),
        (
            &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x04],
            "emailProtection",
        ),
        (
            &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08],
            "timeStamping",
        ),
        (
            &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x09],
            "OCSPSigning",
        ),
    ];
    let mut out: Vec<String> = NAMED
        .iter()
        .filter(|(der, _)| oids.contains(der))
        .map(|(_, name)| (*name).to_string())
        .collect();
    let mut others: Vec<&[u8]> = Vec::new();
    for o in oids {
        if !NAMED.iter().any(|(der, _)| der == o) && !others.contains(o) {
            others.push(o);
        }
    }
    out.extend(others.into_iter().map(oid::dotted));
    out
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

/// The signature algorithm's name, or its dotted OID.
fn signature_name(der: &[u8]) -> String {
    let id = oid::id(der);
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
fn extension_name(der: &[u8]) -> String {
    let id = oid::id(der);
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
    fn packed_facts_unpack_to_the_same_facts() {
        use pki_types::pem::PemObject;
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/real-chains/limbo-online"
        );
        let mut ders: Vec<Vec<u8>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .map(|c| c.to_vec())
            .collect();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "pem") {
                for c in pki_types::CertificateDer::pem_file_iter(&path).unwrap() {
                    ders.push(c.unwrap().to_vec());
                }
            }
        }
        let mut all = Vec::new();
        for (i, der) in ders.into_iter().enumerate() {
            let cert = Certificate::from_der(der, i + 1).unwrap();
            all.push(CertificateFacts::of(&cert, i + 1).unwrap());
        }
        assert!(all.iter().any(|f| f.san_dns.len() > 10 && f.sct_count > 0));
        assert!(all.iter().any(|f| f.common_name.is_none()));
        // Absent, empty and present optional strings; empty strings and lists.
        let mut odd = all[0].clone();
        odd.common_name = Some(String::new());
        odd.key.curve = None;
        odd.subject.clear();
        odd.extensions = vec![String::new(), "x".into(), String::new()];
        odd.san_ip = vec!["é".into()];
        all.push(odd.clone());
        odd.common_name = None;
        odd.key.curve = Some(String::new());
        all.push(odd);
        for f in &all {
            for extra in [None, Some(""), Some("Some CA")] {
                let (facts, e) = PackedFacts::new(f, extra).unpack();
                assert_eq!(&facts, f);
                assert_eq!(e.as_deref(), extra);
            }
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

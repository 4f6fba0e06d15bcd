//! Known interception and blocked CAs.
//!
//! Matched by key: a certificate (anywhere in a chain, as Chrome checks every SPKI) whose SPKI
//! SHA-256 is listed here is a known interceptor, whatever its name says.

use std::collections::HashMap;

use once_cell::sync::Lazy;
use pki_types::{Der, TrustAnchor};
use serde::Serialize;

use super::tables::{KnownCaRow, KNOWN_CAS};
use crate::cert::{Certificate, SpkiHash, SpkiHashMap};

/// Why a CA is on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KnownCaCategory {
    /// A state root deployed to intercept its citizens' HTTPS (the Kazakh roots).
    GovernmentInterception,
    /// A state root outside every public program with no documented interception (the Russian
    /// Trusted Root CA of 2022): whoever holds it can issue a certificate for any site.
    GovernmentRoot,
    /// A root shipped by a vendor whose private key leaked (Superfish, eDellRoot, ...):
    /// anyone can intercept with it.
    VendorMitm,
    /// The default CA of a commercial interception appliance, or a CA sold for interception.
    EnterpriseMitm,
    /// A key used by interception spyware (Hacking Team).
    Spyware,
    /// Blocked by browsers after compromise or misissuance (DigiNotar, ...).
    Blocked,
    /// A test certificate that browsers list so that their interception warnings can be tested.
    Test,
}

impl KnownCaCategory {
    /// Whether a chain through this CA is interception (as opposed to a government root that
    /// is only known to exist).
    pub fn is_interception(self) -> bool {
        !matches!(self, Self::GovernmentRoot)
    }

    /// The category's code, as in JSON (`government_interception`); also the selector of
    /// the catalogs' `ca-kind` message.
    pub fn code(self) -> &'static str {
        match self {
            Self::GovernmentInterception => "government_interception",
            Self::GovernmentRoot => "government_root",
            Self::VendorMitm => "vendor_mitm",
            Self::EnterpriseMitm => "enterprise_mitm",
            Self::Spyware => "spyware",
            Self::Blocked => "blocked",
            Self::Test => "test",
        }
    }
}

/// One known interception or blocked CA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KnownCa {
    /// SHA-256 of its key, hex.
    pub spki_sha256: String,
    /// What it is, for people (for example `Kazakhstan 2019 "Qaznet Trust Network" root`), in
    /// English: the data file's description, with its notes.
    pub label: String,
    /// Its own name, as sentences use it (`Qaznet Trust Network`): the common name of its
    /// published subject, else the label up to its notes. Never translated.
    pub name: String,
    /// Who operates or shipped it.
    pub party: String,
    /// ISO 3166 country, when one applies.
    pub country: Option<String>,
    /// Year of first use or compromise, when known.
    pub year: Option<String>,
    /// Why it is listed.
    pub category: KnownCaCategory,
    /// Where the entry comes from.
    pub source: String,
}

impl KnownCa {
    fn from_row(row: &KnownCaRow) -> Self {
        Self {
            spki_sha256: SpkiHash(row.spki).hex(),
            label: row.label.get().to_string(),
            name: own_name(row.subject.map(|t| t.get()), row.label.get()),
            party: row.party.get().to_string(),
            country: row.country.map(|t| t.get().to_string()),
            year: row.year.map(|t| t.get().to_string()),
            category: row.category,
            source: row.source.get().to_string(),
        }
    }
}

static BY_SPKI: Lazy<SpkiHashMap<&'static KnownCaRow>> =
    Lazy::new(|| KNOWN_CAS.iter().map(|r| (SpkiHash(r.spki), r)).collect());

/// Looks a key up.
pub fn lookup(spki: &SpkiHash) -> Option<KnownCa> {
    BY_SPKI.get(spki).map(|r| KnownCa::from_row(r))
}

pub(crate) fn contains(spki: &SpkiHash) -> bool {
    BY_SPKI.contains_key(spki)
}

/// Whether this key is a known interception CA (not a government root that is merely known).
pub(crate) fn is_interception(spki: &SpkiHash) -> bool {
    BY_SPKI
        .get(spki)
        .is_some_and(|r| r.category.is_interception())
}

/// Every entry, in data-file order.
pub fn all() -> Vec<KnownCa> {
    KNOWN_CAS.iter().map(KnownCa::from_row).collect()
}

/// Known CAs as trust anchors, so that a chain whose issuer is a known interception root is
/// recognised by signature even when the root itself was not sent.
/// Each with its key hash. The anchors borrow the tables, so an engine's copy of them
/// allocates nothing.
pub(crate) static ANCHORS: Lazy<Vec<(TrustAnchor<'static>, SpkiHash)>> = Lazy::new(|| {
    KNOWN_CAS
        .iter()
        .filter_map(|r| r.cert.as_ref())
        .map(|c| {
            let a = TrustAnchor {
                subject: Der::from_slice(c.subject.get()),
                subject_public_key_info: Der::from_slice(c.spki.get()),
                name_constraints: c.name_constraints.map(|n| Der::from_slice(n.get())),
            };
            let spki = super::anchor_spki_hash(&a.subject_public_key_info);
            (a, spki)
        })
        .collect()
});

/// Lower-cased common names of known CAs → their keys: to spot a certificate that borrows the
/// name of a known interception CA but not its key.
///
/// The names are those of the published CA certificates (basicConstraints cA), read at build
/// time as [`crate::CertificateFacts`] reads them.
pub(crate) static NAMES: Lazy<HashMap<&'static str, Vec<SpkiHash>>> = Lazy::new(|| {
    let mut map: HashMap<&'static str, Vec<SpkiHash>> = HashMap::new();
    for r in KNOWN_CAS {
        if let Some(name) = r.cert.as_ref().and_then(|c| c.ca_name) {
            map.entry(name.get()).or_default().push(SpkiHash(r.spki));
        }
    }
    map
});

/// A known CA that has a published certificate: its subject and key, for checking signatures
/// that path building cannot (ring refuses RSA keys under 2048 bits for path building, and
/// Superfish's and Aastra's keys are 1024-bit).
struct KnownIssuer {
    /// The subject Name, DER, as published.
    subject: Vec<u8>,
    /// The subject as names are compared ([`crate::names::comparable_name`]).
    comparable_subject: Vec<u8>,
    /// The DER SubjectPublicKeyInfo.
    spki_der: Vec<u8>,
    spki: SpkiHash,
}

static ISSUERS: Lazy<Vec<KnownIssuer>> = Lazy::new(|| {
    KNOWN_CAS
        .iter()
        .filter_map(|r| r.cert.as_ref().map(|c| (r, c)))
        .map(|(r, c)| {
            let subject = super::sequence_of(c.subject.get());
            KnownIssuer {
                comparable_subject: crate::names::comparable_name(&subject),
                subject,
                spki_der: super::sequence_of(c.spki.get()),
                spki: SpkiHash(r.spki),
            }
        })
        .collect()
});

/// If a known CA signed `cert`, returns that CA.
///
/// The issuer name finds the candidates, compared as RFC 5280 and the platforms compare names
/// (an interceptor may re-encode or re-case its CA's name); the signature decides, checked
/// with every algorithm and key size some platform accepts (a leaked 1024-bit key can sign
/// with SHA-384 or RSA-PSS as easily as with SHA-256), never through a validation library's
/// policy.
pub(crate) fn signed_by_known(cert: &Certificate) -> Option<KnownCa> {
    let issuer = cert.issuer_der();
    let mut comparable: Option<Vec<u8>> = None;
    ISSUERS
        .iter()
        .filter(|k| {
            k.subject == issuer
                || k.comparable_subject
                    == *comparable.get_or_insert_with(|| crate::names::comparable_name(issuer))
        })
        .find(|k| crate::signature::signed_by(cert.der(), &k.spki_der))
        .and_then(|k| lookup(&k.spki))
}

/// The common name in an RFC 4514 subject (`CN=Superfish\\, Inc.,C=US` gives `Superfish, Inc.`),
/// else `label` up to its first parenthesis or bracket.
pub(crate) fn own_name(subject: Option<&str>, label: &str) -> String {
    if let Some(s) = subject.filter(|s| *s != "-") {
        let mut rest = s;
        while let Some(i) = rest.find("CN=") {
            let at_start = i == 0 || rest[..i].ends_with(',');
            let value = &rest[i + 3..];
            if at_start {
                let mut out = String::new();
                let mut chars = value.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => out.extend(chars.next()),
                        ',' => break,
                        c => out.push(c),
                    }
                }
                if !out.trim().is_empty() {
                    return out.trim().to_string();
                }
            }
            rest = value;
        }
    }
    let end = [" (", " ["]
        .iter()
        .filter_map(|p| label.find(p))
        .min()
        .unwrap_or(label.len());
    label[..end].trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published certificates of data/interception, read as the engine read them when it
    /// shipped them whole: each row's with its file, in table order.
    fn published_certificates() -> Vec<(&'static KnownCaRow, Option<Certificate>)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/interception");
        let tsv = std::fs::read_to_string(dir.join("cas.tsv")).expect("cas.tsv");
        let mut lines = tsv
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
        let header: Vec<&str> = lines.next().expect("a header").split('\t').collect();
        let col = header
            .iter()
            .position(|h| *h == "certificate")
            .expect("certificate");
        let files: Vec<&str> = lines
            .map(|l| l.split('\t').nth(col).expect("column"))
            .collect();
        assert_eq!(files.len(), KNOWN_CAS.len());
        KNOWN_CAS
            .iter()
            .zip(files)
            .map(|(r, file)| {
                let cert = (file != "-" && !file.is_empty())
                    .then(|| std::fs::read(dir.join("certs").join(file)).expect("the file"))
                    .and_then(|bytes| crate::input::parse_chain(&bytes).ok())
                    .map(|certs| certs.into_iter().next().expect("one certificate"));
                (r, cert)
            })
            .collect()
    }

    #[test]
    fn tables_hold_what_the_engine_read_from_the_certificates() {
        let mut n = 0;
        let mut names: HashMap<String, Vec<SpkiHash>> = HashMap::new();
        for (r, cert) in published_certificates() {
            let label = r.label.get();
            let (Some(row), Some(cert)) = (r.cert.as_ref(), cert) else {
                assert!(
                    r.cert.is_none(),
                    "{label}: no certificate, but a table entry"
                );
                continue;
            };
            n += 1;
            assert_eq!(cert.spki_hash(), SpkiHash(r.spki), "{label}");
            // ANCHORS: what webpki made of the certificate.
            let a = webpki::anchor_from_trusted_cert(cert.der()).expect("an anchor");
            assert_eq!(row.subject.get(), a.subject.as_ref(), "{label}");
            assert_eq!(
                row.spki.get(),
                a.subject_public_key_info.as_ref(),
                "{label}"
            );
            assert_eq!(
                row.name_constraints.map(|n| n.get()),
                a.name_constraints.as_ref().map(|n| n.as_ref()),
                "{label}"
            );
            // ISSUERS: the certificate's subject and key as whole elements.
            assert_eq!(
                super::super::sequence_of(row.subject.get()),
                cert.subject_der()
            );
            assert_eq!(super::super::sequence_of(row.spki.get()), cert.spki_der());
            // NAMES: the CA flag and common name as cert_info reads them.
            let x = crate::cert_info::parse(cert.der()).expect("x509-parser reads it");
            let (is_ca, _) = crate::cert_info::basic_constraints(&x);
            let cn = x
                .subject()
                .iter_common_name()
                .next()
                .and_then(|c| c.as_str().ok());
            let expected = cn.filter(|_| is_ca).map(|cn| cn.trim().to_lowercase());
            assert_eq!(row.ca_name.map(|t| t.get()), expected.as_deref(), "{label}");
            if let Some(name) = expected {
                names.entry(name).or_default().push(cert.spki_hash());
            }
        }
        assert!(n > 20, "{n}");
        assert_eq!(ANCHORS.len(), n);
        assert_eq!(ISSUERS.len(), n);
        let table: HashMap<String, Vec<SpkiHash>> = NAMES
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        assert_eq!(table, names);
        assert!(!names.is_empty());
    }

    #[test]
    fn own_names() {
        assert_eq!(
            super::own_name(Some("CN=Superfish\\, Inc.,C=US"), "x"),
            "Superfish, Inc."
        );
        assert_eq!(
            super::own_name(
                Some("C=KZ,O=ISCA,CN=Information Security Certification Authority"),
                "x"
            ),
            "Information Security Certification Authority"
        );
        assert_eq!(
            super::own_name(None, "DigiNotar Root CA (compromised 2011)"),
            "DigiNotar Root CA"
        );
        assert_eq!(
            super::own_name(Some("-"), "Hacking Team key #1 [ab]"),
            "Hacking Team key #1"
        );
        for k in super::all() {
            assert!(!k.name.is_empty() && !k.name.contains('('), "{k:?}");
        }
    }
}

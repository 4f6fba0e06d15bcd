//! Known interception and blocked CAs.
//!
//! Matched by key: a certificate (anywhere in a chain, as Chrome checks every SPKI) whose SPKI
//! SHA-256 is listed here is a known interceptor, whatever its name says.

use std::collections::HashMap;

use once_cell::sync::Lazy;
use pki_types::{CertificateDer, TrustAnchor};
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

/// The bundled certificates of known CAs (those with one published), DER.
static CERTS: Lazy<Vec<CertificateDer<'static>>> = Lazy::new(|| {
    KNOWN_CAS
        .iter()
        .filter_map(|r| r.der)
        .map(|der| CertificateDer::from(der.get()))
        .collect()
});

/// Known CAs as trust anchors, so that a chain whose issuer is a known interception root is
/// recognised by signature even when the root itself was not sent.
/// Each with its key hash. The anchors borrow the bundled certificates, so an engine's copy of
/// them allocates nothing.
pub(crate) static ANCHORS: Lazy<Vec<(TrustAnchor<'static>, SpkiHash)>> = Lazy::new(|| {
    let certs: &'static [CertificateDer<'static>] = &CERTS;
    certs
        .iter()
        .filter_map(|c| webpki::anchor_from_trusted_cert(c).ok())
        .map(|a| {
            let spki = super::anchor_spki_hash(&a.subject_public_key_info);
            (a, spki)
        })
        .collect()
});

/// Lower-cased common names of known CAs → their keys: to spot a certificate that borrows the
/// name of a known interception CA but not its key.
///
/// Only the CA flag and the common name are read (as [`crate::CertificateFacts`] reads them), so
/// that building the index costs a parse per certificate, not a signature check: it runs on the
/// first `analyze` of a process.
pub(crate) static NAMES: Lazy<HashMap<String, Vec<SpkiHash>>> = Lazy::new(|| {
    let mut map: HashMap<String, Vec<SpkiHash>> = HashMap::new();
    for der in CERTS.iter() {
        let Ok(cert) = Certificate::from_der(der.to_vec(), 1) else {
            continue;
        };
        let Ok(x) = crate::cert_info::parse(cert.der()) else {
            continue;
        };
        let (is_ca, _) = crate::cert_info::basic_constraints(&x);
        if !is_ca {
            continue;
        }
        let cn = x
            .subject()
            .iter_common_name()
            .next()
            .and_then(|c| c.as_str().ok());
        if let Some(cn) = cn {
            map.entry(cn.trim().to_lowercase())
                .or_default()
                .push(cert.spki_hash());
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
    CERTS
        .iter()
        .filter_map(|der| {
            let cert = Certificate::from_der(der.to_vec(), 1).ok()?;
            Some(KnownIssuer {
                subject: cert.subject_der().to_vec(),
                comparable_subject: crate::names::comparable_name(cert.subject_der()),
                spki_der: cert.spki_der().to_vec(),
                spki: cert.spki_hash(),
            })
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

    #[test]
    fn bundled_certificates_are_the_listed_keys() {
        let mut n = 0;
        for r in KNOWN_CAS {
            if let Some(der) = r.der {
                let c = Certificate::from_der(der.get().to_vec(), 1).expect("a certificate");
                assert_eq!(c.spki_hash(), SpkiHash(r.spki), "{}", r.label.get());
                n += 1;
            }
        }
        assert_eq!(CERTS.len(), n);
        assert!(n > 20, "{n}");
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

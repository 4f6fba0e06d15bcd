//! Qorgan's own X.509 reader: everything [`crate::CertificateFacts`] reports, read straight
//! from the DER without building a full certificate model.
//!
//! # Why not a general X.509 library
//!
//! The facts used to come from x509-parser. Its complete parse (every extension decoded into
//! owned structures, allocation per name attribute) was about 12 µs per certificate, half of
//! the cost of `analyze` on a chain not seen before, and it and its parsers were ~150 KB of
//! the phone library. This module reads only what the facts need and allocates little.
//!
//! # Why it accepts what x509-parser accepted, no more and no less
//!
//! Facts are not a validation: the signatures and the path are rustls-webpki's job, and a
//! certificate whose facts cannot be read is reported as unreadable. What matters is that the
//! facts, and so every verdict and message built on them, did not change when the reader did.
//! So this reader keeps x509-parser's tolerances on purpose (long-form lengths inside the
//! outline, multi-byte tags, a malformed RDN ending a name, an extension whose contents do not
//! parse being ignored) and its refusals (a malformed extension envelope, a bad time, a bad key
//! BIT STRING). `tests/facts_differential.rs` compares the two on every certificate of the
//! test material and on single-byte variants of each.
//!
//! Input has passed [`crate::der::cert_layout`] (the outline: one-byte tags, minimal definite
//! lengths, the TBSCertificate's fields up to the key present with the right tags).

pub(crate) mod extensions;
pub(crate) mod key;
mod name;
pub(crate) mod oid;
mod reader;
pub(crate) mod signature;
mod time;

pub(crate) use extensions::Extension;
pub(crate) use name::{comparable_name, Name};

use reader::tag;

/// Why a certificate's facts cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum X509Error {
    /// An element runs past the end of its container.
    Truncated,
    /// A tag number longer than asn1-rs reads.
    BadTag,
    /// An indefinite, reserved or oversized length.
    BadLength,
    /// An element with another tag number where this one was expected.
    UnexpectedTag(u32),
    /// A constructed element where a primitive one is required.
    Constructed,
    /// An OBJECT IDENTIFIER that is not a primitive element.
    BadOid,
    /// A BIT STRING without its unused-bits octet or with non-zero unused bits.
    BadBitString,
    /// An INTEGER that is empty, not minimally encoded, negative or too large for its field.
    BadInteger,
    /// The version is not a small non-negative INTEGER in `[0]`.
    BadVersion,
    /// An AlgorithmIdentifier without a readable OID or parameters.
    BadAlgorithm,
    /// A Name that is not a SEQUENCE.
    BadName,
    /// A validity time that is not a valid UTCTime or GeneralizedTime.
    BadTime,
    /// The subject public key is not a valid BIT STRING.
    BadPublicKey,
    /// An issuer or subject unique identifier that is not a `[1]`/`[2]` BIT STRING.
    BadUniqueId,
    /// The extensions are not one `[3]` SEQUENCE of well-formed Extensions ending the
    /// TBSCertificate.
    BadExtensions,
    /// The signature value is not a valid BIT STRING.
    BadSignatureValue,
}

impl std::fmt::Display for X509Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = match self {
            Self::Truncated => "an element runs past the end of its container",
            Self::BadTag => "a tag number is too long",
            Self::BadLength => "an element has an indefinite or oversized length",
            Self::UnexpectedTag(_) => "an element has an unexpected tag",
            Self::Constructed => "a primitive element is constructed",
            Self::BadOid => "an object identifier is malformed",
            Self::BadBitString => "a BIT STRING is malformed",
            Self::BadInteger => "an INTEGER is malformed or out of range",
            Self::BadVersion => "the version is not a valid INTEGER",
            Self::BadAlgorithm => "an algorithm identifier is malformed",
            Self::BadName => "a name is not a SEQUENCE",
            Self::BadTime => "a validity date is not a valid UTCTime or GeneralizedTime",
            Self::BadPublicKey => "the subject public key is not a valid BIT STRING",
            Self::BadUniqueId => "a unique identifier is malformed",
            Self::BadExtensions => "the extensions are malformed",
            Self::BadSignatureValue => "the signature value is not a valid BIT STRING",
        };
        f.write_str(s)
    }
}

/// An AlgorithmIdentifier: its OID's contents and its parameters element, if any.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Algorithm<'a> {
    pub oid: &'a [u8],
    pub parameters: Option<reader::Element<'a>>,
}

/// The subject public key: algorithm, the key's bits, and the whole SubjectPublicKeyInfo as far
/// as it was read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PublicKeyInfo<'a> {
    pub algorithm: Algorithm<'a>,
    pub key: &'a [u8],
    /// Compared with x509-parser's in the tests.
    #[cfg_attr(not(test), allow(dead_code))]
    pub raw: &'a [u8],
}

/// What the facts read from one certificate.
#[derive(Debug, Clone)]
pub(crate) struct X509<'a> {
    /// The signed part, tag and length included.
    pub tbs: &'a [u8],
    pub serial: &'a [u8],
    pub issuer: Name<'a>,
    pub subject: Name<'a>,
    pub not_before: i64,
    pub not_after: i64,
    pub public_key: PublicKeyInfo<'a>,
    pub extensions: Vec<Extension<'a>>,
    pub signature_algorithm: Algorithm<'a>,
    pub signature: &'a [u8],
}

impl<'a> X509<'a> {
    /// Reads a certificate (`Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm,
    /// signatureValue }`); anything after signatureValue inside the SEQUENCE is ignored.
    pub(crate) fn parse(der: &'a [u8]) -> Result<Self, X509Error> {
        let (cert, _) = reader::expect(der, tag::SEQUENCE)?;
        let (tbs, rest) = reader::expect(cert.content, tag::SEQUENCE)?;
        let tbs_raw = &cert.content[..cert.content.len() - rest.len()];
        let (signature_algorithm, rest) = algorithm(rest)?;
        let (signature, _) = reader::bit_string(rest).map_err(|_| X509Error::BadSignatureValue)?;

        let mut i = tbs.content;
        // version [0] EXPLICIT INTEGER DEFAULT v1
        if !i.is_empty() {
            let (e, after) = reader::element(i)?;
            if e.tag == 0 {
                if e.class != reader::CONTEXT {
                    return Err(X509Error::BadVersion);
                }
                reader::u32_value(e.content).map_err(|_| X509Error::BadVersion)?;
                i = after;
            }
        }
        let (serial, after) = reader::expect(i, tag::INTEGER)?;
        let (_, after) = algorithm(after)?;
        let (issuer, after) = Name::read(after)?;
        let (validity, after) = reader::expect(after, tag::SEQUENCE)?;
        let (not_before, v) = time::read(validity.content)?;
        let (not_after, _) = time::read(v)?;
        let (subject, after) = Name::read(after)?;
        let (public_key, after) = public_key_info(after)?;
        let after = unique_id(after, 1)?;
        let after = unique_id(after, 2)?;
        let extensions = extensions::read_all(after)?;
        Ok(Self {
            tbs: tbs_raw,
            serial: serial.content,
            issuer,
            subject,
            not_before,
            not_after,
            public_key,
            extensions,
            signature_algorithm,
            signature,
        })
    }

    /// The self-signature verifies (for the algorithms x509-parser's `verify_signature`
    /// supported; anything else is "not verified").
    pub(crate) fn self_signature_verifies(&self) -> bool {
        signature::verify(
            &self.public_key,
            &self.signature_algorithm,
            self.signature,
            self.tbs,
        )
    }

    /// basicConstraints as the facts read it: the last one that parses counts.
    pub(crate) fn basic_constraints(&self) -> (bool, Option<u32>) {
        let mut out = (false, None);
        for e in &self.extensions {
            if e.oid == extensions::BASIC_CONSTRAINTS {
                if let Some(bc) = extensions::basic_constraints(e.value) {
                    out = bc;
                }
            }
        }
        out
    }
}

/// The signed parts of a certificate: what a signature check needs and nothing else.
///
/// Read apart from [`X509::parse`] on purpose: a certificate whose extensions or dates the
/// facts cannot read may still carry a signature by a known interception key, and that
/// signature must be checked all the same (an interceptor chooses the encoding).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Signed<'a> {
    /// The signed part, tag and length included.
    pub tbs: &'a [u8],
    pub algorithm: Algorithm<'a>,
    pub signature: &'a [u8],
}

impl<'a> Signed<'a> {
    /// Reads `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }`
    /// without looking inside the tbsCertificate.
    pub(crate) fn read(der: &'a [u8]) -> Result<Self, X509Error> {
        let (cert, _) = reader::expect(der, tag::SEQUENCE)?;
        let (_, rest) = reader::expect(cert.content, tag::SEQUENCE)?;
        let tbs = &cert.content[..cert.content.len() - rest.len()];
        let (algorithm, rest) = algorithm(rest)?;
        let (signature, _) = reader::bit_string(rest).map_err(|_| X509Error::BadSignatureValue)?;
        Ok(Self {
            tbs,
            algorithm,
            signature,
        })
    }
}

/// Reads a DER SubjectPublicKeyInfo that fills `der`.
pub(crate) fn read_public_key_info(der: &[u8]) -> Result<PublicKeyInfo<'_>, X509Error> {
    public_key_info(der).map(|(pk, _)| pk)
}

/// Whether the key `issuer_spki` (a DER SubjectPublicKeyInfo) signed the certificate
/// `cert_der`, with any algorithm and key size some platform accepts (see
/// [`signature::verify_any_strength`]): the known-CA check and the search for a parent
/// anchor, where the key, not the name, decides.
pub(crate) fn signed_by(cert_der: &[u8], issuer_spki: &[u8]) -> bool {
    match (Signed::read(cert_der), read_public_key_info(issuer_spki)) {
        (Ok(s), Ok(key)) => signature::verify_any_strength(&key, &s.algorithm, s.signature, s.tbs),
        _ => false,
    }
}

/// `AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }`.
fn algorithm(input: &[u8]) -> Result<(Algorithm<'_>, &[u8]), X509Error> {
    let (seq, rest) = reader::expect(input, tag::SEQUENCE)?;
    let (oid, after) = reader::oid(seq.content).map_err(|_| X509Error::BadAlgorithm)?;
    let parameters = if after.is_empty() {
        None
    } else {
        Some(reader::element(after)?.0)
    };
    Ok((Algorithm { oid, parameters }, rest))
}

/// `SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING }`.
fn public_key_info(input: &[u8]) -> Result<(PublicKeyInfo<'_>, &[u8]), X509Error> {
    let (seq, rest) = reader::expect(input, tag::SEQUENCE)?;
    let (algorithm, after) = algorithm(seq.content)?;
    let (key, after) = reader::bit_string(after).map_err(|_| X509Error::BadPublicKey)?;
    let header = input.len() - rest.len() - seq.content.len();
    let raw = &input[..header + seq.content.len() - after.len()];
    Ok((
        PublicKeyInfo {
            algorithm,
            key,
            raw,
        },
        rest,
    ))
}

/// `[1]`/`[2] IMPLICIT BIT STRING OPTIONAL`: absent unless the next element has this tag
/// number (or no readable header); present means a context-specific element with at least
/// the unused-bits octet.
fn unique_id(input: &[u8], number: u32) -> Result<&[u8], X509Error> {
    if input.is_empty() {
        return Ok(input);
    }
    if let Ok((h, _)) = reader::header(input, false) {
        if h.tag != number {
            return Ok(input);
        }
    }
    let (e, rest) = reader::element(input).map_err(|_| X509Error::BadUniqueId)?;
    if e.tag != number || e.class != reader::CONTEXT || e.content.is_empty() {
        return Err(X509Error::BadUniqueId);
    }
    Ok(rest)
}

/// The test material's certificates (shared with the integration tests).
#[cfg(test)]
#[path = "../../tests/x509_reference/corpus.rs"]
mod test_corpus;

#[cfg(test)]
mod tests {
    //! The readings other modules take from [`X509`] (the known-CA index and issuers, the
    //! impersonation check's issuer name, the pin message's subject), compared with what
    //! x509-parser gave them, on every certificate of the test material and single-byte
    //! variants. `tests/facts_differential.rs` does the same for the facts.
    use super::test_corpus as corpus;
    use super::*;
    use crate::cert::Certificate;
    use x509_parser::prelude::{FromDer, X509Certificate};

    /// What x509-parser gave the call sites that now read [`X509`].
    #[derive(Debug, PartialEq, Eq)]
    struct Readings {
        issuer_cn: Option<String>,
        subject_cn: Option<String>,
        basic_constraints: (bool, Option<u32>),
        subject_raw: Vec<u8>,
        subject_string: String,
        key_algorithm: String,
        key: Vec<u8>,
        spki_raw: Vec<u8>,
        signature_algorithm: String,
        signature: Vec<u8>,
        tbs: Vec<u8>,
    }

    fn theirs(der: &[u8], subject_der: &[u8]) -> Option<Readings> {
        use x509_parser::extensions::ParsedExtension;
        let (_, x) = X509Certificate::from_der(der).ok()?;
        let cn = |n: &x509_parser::x509::X509Name<'_>| {
            n.iter_common_name()
                .next()
                .and_then(|c| c.as_str().ok())
                .map(str::to_string)
        };
        let mut bc = (false, None);
        for e in x.extensions() {
            if let ParsedExtension::BasicConstraints(b) = e.parsed_extension() {
                bc = (b.ca, b.path_len_constraint);
            }
        }
        let (_, subject) = x509_parser::x509::X509Name::from_der(subject_der).ok()?;
        Some(Readings {
            issuer_cn: cn(x.issuer()),
            subject_cn: cn(x.subject()),
            basic_constraints: bc,
            subject_raw: x.subject().as_raw().to_vec(),
            subject_string: subject.to_string(),
            key_algorithm: x.public_key().algorithm.algorithm.to_id_string(),
            key: x.public_key().subject_public_key.data.to_vec(),
            spki_raw: x.public_key().raw.to_vec(),
            signature_algorithm: x.signature_algorithm.algorithm.to_id_string(),
            signature: x.signature_value.data.to_vec(),
            tbs: x.tbs_certificate.as_ref().to_vec(),
        })
    }

    fn ours(der: &[u8], subject_der: &[u8]) -> Option<Readings> {
        let x = X509::parse(der).ok()?;
        let (subject, _) = Name::read(subject_der).ok()?;
        // The one-walk reading the facts use is the two separate ones.
        for name in [&x.issuer, &x.subject, &subject] {
            assert_eq!(
                name.text_and_common_name(),
                (name.text(), name.common_name())
            );
        }
        Some(Readings {
            issuer_cn: x.issuer.text_and_common_name().1.map(str::to_string),
            subject_cn: x.subject.text_and_common_name().1.map(str::to_string),
            basic_constraints: x.basic_constraints(),
            subject_raw: x.subject.raw.to_vec(),
            subject_string: subject.to_string(),
            key_algorithm: oid::dotted(x.public_key.algorithm.oid),
            key: x.public_key.key.to_vec(),
            spki_raw: x.public_key.raw.to_vec(),
            signature_algorithm: oid::dotted(x.signature_algorithm.oid),
            signature: x.signature.to_vec(),
            tbs: x.tbs.to_vec(),
        })
    }

    #[test]
    fn readings_equal_x509_parser_on_the_test_material_and_variants() {
        let mut samples = corpus::samples();
        for c in webpki_root_certs::TLS_SERVER_ROOT_CERTS {
            samples.push(corpus::Sample {
                origin: "webpki-root-certs".into(),
                der: c.to_vec(),
            });
        }
        let mut compared = 0;
        let mut differ = Vec::new();
        for (i, s) in samples.iter().enumerate() {
            let mut variants = corpus::mutations(&s.der, i as u64 + 7, 8);
            variants.push(s.der.clone());
            for der in variants {
                let Ok(cert) = Certificate::from_der(der.clone(), 1) else {
                    continue;
                };
                compared += 1;
                let a = ours(&der, cert.subject_der());
                let b = theirs(&der, cert.subject_der());
                if a != b {
                    differ.push(format!("{}: ours {a:?}\n theirs {b:?}", s.origin));
                }
            }
        }
        assert!(
            differ.is_empty(),
            "{}",
            differ[..differ.len().min(5)].join("\n")
        );
        assert!(compared > 5000, "{compared}");
    }

    #[test]
    fn the_oid_registry_table_is_x509_parsers() {
        let registry = x509_parser::objects::oid_registry();
        let mut theirs: Vec<(Vec<u8>, String)> = registry
            .iter()
            .map(|(o, e)| (o.as_bytes().to_vec(), e.sn().to_string()))
            .collect();
        theirs.sort();
        let ours: Vec<(Vec<u8>, String)> = oid::REGISTRY
            .iter()
            .map(|(der, sn)| (der.to_vec(), (*sn).to_string()))
            .collect();
        assert_eq!(ours, theirs);
        for (der, _) in &ours {
            let o = x509_parser::der_parser::oid::Oid::new(der.as_slice().into());
            assert_eq!(oid::dotted(der), o.to_id_string());
        }
    }

    #[test]
    fn known_oid_bytes_are_the_oids_they_name() {
        for (id, der) in oid::KNOWN_OIDS {
            let o = x509_parser::der_parser::oid::Oid::new((*der).into());
            assert_eq!(o.to_id_string(), *id);
        }
    }

    #[test]
    fn dotted_forms_match_asn1_rs_on_odd_encodings() {
        let cases: &[&[u8]] = &[
            &[],
            &[0x00],
            &[0x2a],
            &[0x2a, 0x86],
            &[0x88, 0x37, 0x03],
            &[
                0x2b, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01,
            ],
            &[0x2b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
            &[
                0x2b, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81,
            ],
        ];
        for der in cases {
            let o = x509_parser::der_parser::oid::Oid::new((*der).into());
            assert_eq!(oid::dotted(der), o.to_id_string(), "{der:02x?}");
        }
    }
}

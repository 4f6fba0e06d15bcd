//! Trust-store files in the formats people have: PEM under any label OpenSSL writes for a
//! certificate (`CERTIFICATE`, `X509 CERTIFICATE`, `TRUSTED CERTIFICATE`) or a bundle (`PKCS7`,
//! `PKCS #7 SIGNED DATA`), with any text around the sections (Android's cacerts files carry an
//! `openssl x509 -text` dump); PKCS#7 certificate bundles (.p7b/.p7c), DER or PEM, including a
//! ContentInfo under a `CERTIFICATE` label; one DER certificate or several concatenated.
//!
//! PEM is read with the `pem` crate, not rustls-pki-types (the engine's reader, used for chains):
//! pki-types silently drops every section whose label it does not know, so a `TRUSTED
//! CERTIFICATE` or `PKCS7` section would vanish, which is how such a store audited as clean.
//! `pem` returns each section with its label. PKCS#7 is decoded with RustCrypto's `cms`, whose
//! certificates come re-encoded by `x509-cert`: byte for byte the same for every real and
//! x509-limbo certificate tried (tests below), but a certificate x509-cert refuses (one limbo
//! certificate with a malformed serial number) makes its whole bundle unreadable, reported so.
//! Every failure is said in words, naming the format; the caller adds the file name.

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::oid::ObjectIdentifier;
use der::{Decode as _, Encode as _, Reader as _};
use qorgan::Certificate;

/// RFC 5652 id-signedData: the content type of a PKCS#7 certificate bundle.
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");

/// More certificates than any real store holds (the engine's limit for bundles).
const LIMIT: usize = 10_000;

/// Why a file gave no certificate.
#[derive(Debug, PartialEq, Eq)]
pub enum Failure {
    /// Read to the end, and it holds no certificate: an empty file, or well-formed PEM whose
    /// sections are all something else (keys, CRLs). Not a store file.
    NoCertificate(String),
    /// Not readable as any certificate format: garbage, text without PEM, a broken PEM section
    /// or DER structure. Whether it may hold certificates is the caller's call (a README is
    /// text without PEM too).
    Malformed(String),
}

impl Failure {
    pub fn reason(&self) -> &str {
        match self {
            Self::NoCertificate(r) | Self::Malformed(r) => r,
        }
    }
}

/// Reads every certificate of a trust-store file, in any of the formats above.
pub fn parse(bytes: &[u8]) -> Result<Vec<Certificate>, Failure> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Failure::NoCertificate(msg!("cli-store-empty")));
    }
    let ders = if contains(bytes, b"-----BEGIN ") {
        pem_certificates(bytes)?
    } else if bytes[0] == 0x30 {
        if is_content_info(bytes) {
            pkcs7_certificates(bytes)?
        } else {
            // One DER certificate or several: the engine reads them and says what is wrong.
            return qorgan::parse_store(bytes).map_err(|e| Failure::Malformed(e.to_string()));
        }
    } else if std::str::from_utf8(bytes).is_ok() {
        return Err(Failure::Malformed(msg!("cli-store-not-pem")));
    } else {
        return Err(Failure::Malformed(msg!("cli-store-not-pem-or-der")));
    };
    if ders.len() > LIMIT {
        return Err(Failure::Malformed(msg!(
            "cli-store-too-many",
            count = ders.len(),
            limit = LIMIT
        )));
    }
    ders.into_iter()
        .enumerate()
        .map(|(i, der)| {
            Certificate::from_der(der, i + 1).map_err(|e| Failure::Malformed(e.to_string()))
        })
        .collect()
}

/// Whether the content looks like a certificate file even without a telling extension: PEM
/// with a certificate or PKCS#7 label, or DER whose first element spans no more than the file
/// and starts like a certificate (a SEQUENCE) or a ContentInfo (an OID).
pub fn looks_like_certificates(bytes: &[u8]) -> bool {
    if contains(bytes, b"-----BEGIN ") {
        return CERTIFICATE_LABELS
            .iter()
            .chain(PKCS7_LABELS)
            .any(|l| contains(bytes, format!("-----BEGIN {l}-----").as_bytes()));
    }
    let Ok(mut r) = der::SliceReader::new(bytes) else {
        return false;
    };
    match der::Header::decode(&mut r) {
        Ok(h) => {
            let body = usize::try_from(h.length).unwrap_or(usize::MAX);
            let start = usize::try_from(r.position()).unwrap_or(usize::MAX);
            h.tag == der::Tag::Sequence
                && start.saturating_add(body) <= bytes.len()
                && matches!(bytes.get(start), Some(0x30 | 0x06))
        }
        Err(_) => false,
    }
}

/// Labels whose section is one certificate. `TRUSTED CERTIFICATE` (OpenSSL's `-trustout`,
/// `-addtrust`) is the certificate followed by OpenSSL's trust settings (X509_CERT_AUX).
const CERTIFICATE_LABELS: &[&str] = &["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"];
/// Labels whose section is a PKCS#7 ContentInfo.
const PKCS7_LABELS: &[&str] = &["PKCS7", "PKCS #7 SIGNED DATA"];

fn pem_certificates(bytes: &[u8]) -> Result<Vec<Vec<u8>>, Failure> {
    let sections = match pem::parse_many(bytes) {
        // `pem` takes what comes before a blank line in a section for RFC 1421 headers, so a
        // blank line among the base64 (before the END line, say), which OpenSSL and the
        // engine's reader take, fails as a malformed header: try again without blank lines.
        Err(pem::PemError::InvalidHeader(_)) => pem::parse_many(without_blank_lines(bytes)),
        other => other,
    }
    .map_err(|e| Failure::Malformed(pem_reason(&e)))?;
    // `pem` stops quietly at a section with no END line: a bundle cut short would lose its
    // last certificates unnoticed. Every BEGIN must have been read.
    let begins = count(bytes, b"-----BEGIN ");
    if begins > sections.len() {
        let label = last_begin_label(bytes).unwrap_or_default();
        return Err(Failure::Malformed(msg!("cli-store-no-end", label = label)));
    }
    let mut out = Vec::new();
    let mut others = Vec::new();
    for s in &sections {
        let tag = s.tag();
        if PKCS7_LABELS.contains(&tag) {
            out.extend(pkcs7_certificates(s.contents())?);
        } else if tag == "TRUSTED CERTIFICATE" {
            let cert = first_element(s.contents()).ok_or_else(|| {
                Failure::Malformed(
                    "a TRUSTED CERTIFICATE section does not start with a DER certificate".into(),
                )
            })?;
            out.push(cert.to_vec());
        } else if CERTIFICATE_LABELS.contains(&tag) {
            if is_content_info(s.contents()) {
                // Some CAs publish .p7c/.p7b files as PKCS#7 under a CERTIFICATE label.
                out.extend(pkcs7_certificates(s.contents())?);
            } else {
                out.push(s.contents().to_vec());
            }
        } else if !others.contains(&tag) {
            others.push(tag);
        }
    }
    if out.is_empty() {
        return Err(Failure::NoCertificate(if others.is_empty() {
            msg!("cli-store-no-certificate")
        } else {
            msg!(
                "cli-store-no-certificate-sections",
                labels = others.join(", ")
            )
        }));
    }
    Ok(out)
}

fn pem_reason(e: &pem::PemError) -> String {
    match e {
        pem::PemError::MismatchedTags(begin, end) => {
            msg!("cli-pem-mismatched", begin = begin, end = end)
        }
        pem::PemError::InvalidData(_) => msg!("cli-pem-bad-base64"),
        pem::PemError::InvalidHeader(_) => msg!("cli-pem-bad-headers"),
        pem::PemError::NotUtf8(_) => msg!("cli-pem-not-text"),
        pem::PemError::MalformedFraming
        | pem::PemError::MissingBeginTag
        | pem::PemError::MissingEndTag
        | pem::PemError::MissingData => msg!("cli-pem-unpaired"),
    }
}

/// A SEQUENCE whose first element is an OBJECT IDENTIFIER: a ContentInfo, not a Certificate
/// (whose first element, the tbsCertificate, is a SEQUENCE). A SEQUENCE of indefinite length
/// (BER, as streaming CMS writers make) counts too, so that it is reported as such.
fn is_content_info(der_bytes: &[u8]) -> bool {
    if der_bytes.starts_with(&[0x30, 0x80]) {
        return true;
    }
    let Ok(mut r) = der::SliceReader::new(der_bytes) else {
        return false;
    };
    match der::Header::decode(&mut r) {
        Ok(h) if h.tag == der::Tag::Sequence => {
            let start = usize::try_from(r.position()).unwrap_or(usize::MAX);
            der_bytes.get(start) == Some(&0x06)
        }
        _ => false,
    }
}

/// The certificates of a PKCS#7 (CMS) SignedData, as `openssl crl2pkcs7 -nocrl` writes them.
/// Their order is DER's SET OF order, not the file's (which does not matter to an audit).
fn pkcs7_certificates(der_bytes: &[u8]) -> Result<Vec<Vec<u8>>, Failure> {
    let bad = |e: der::Error| {
        Failure::Malformed(format!(
            "not a PKCS#7 certificate bundle that can be read: {}",
            der_reason(&e)
        ))
    };
    let info = ContentInfo::from_der(der_bytes).map_err(bad)?;
    if info.content_type != ID_SIGNED_DATA {
        return Err(Failure::Malformed(format!(
            "a PKCS#7 file of content type {}, not a certificate bundle (SignedData, {ID_SIGNED_DATA})",
            info.content_type
        )));
    }
    let signed: SignedData = info.content.decode_as().map_err(bad)?;
    let mut out = Vec::new();
    for choice in signed.certificates.iter().flat_map(|set| set.0.iter()) {
        if let CertificateChoices::Certificate(c) = choice {
            out.push(c.to_der().map_err(bad)?);
        }
    }
    Ok(out)
}

/// The DER problem in words. der's own messages are close ("ASN.1 DER message is incomplete:
/// expected 260, actual 13 at DER byte 4"); the common ones are said plainly.
fn der_reason(e: &der::Error) -> String {
    let at = e
        .position()
        .map(|p| format!(" (at byte {p})"))
        .unwrap_or_default();
    match e.kind() {
        der::ErrorKind::Incomplete {
            expected_len,
            actual_len,
        } => format!("it is cut short: it declares {expected_len} bytes but has {actual_len}"),
        der::ErrorKind::TrailingData { decoded, remaining } => {
            format!("{remaining} stray bytes follow the {decoded} bytes of the bundle")
        }
        der::ErrorKind::IndefiniteLength => format!(
            "it is BER with indefinite lengths, not DER{at}; `openssl pkcs7 -inform DER -in FILE -print_certs` converts it to PEM"
        ),
        der::ErrorKind::SetDuplicate => "it holds the same certificate twice".into(),
        der::ErrorKind::OidMalformed => format!("a malformed object identifier{at}"),
        der::ErrorKind::TagUnexpected { expected, actual } => match expected {
            Some(x) => format!("a {actual} where a {x} belongs{at}"),
            None => format!("an unexpected {actual}{at}"),
        },
        _ => e.to_string(),
    }
}

/// The first DER element of `bytes`, whole (header and content).
fn first_element(bytes: &[u8]) -> Option<&[u8]> {
    let mut r = der::SliceReader::new(bytes).ok()?;
    let h = der::Header::decode(&mut r).ok()?;
    if h.tag != der::Tag::Sequence {
        return None;
    }
    let end = usize::try_from((r.position() + h.length).ok()?).ok()?;
    bytes.get(..end)
}

fn without_blank_lines(bytes: &[u8]) -> Vec<u8> {
    bytes
        .split_inclusive(|b| *b == b'\n')
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .flatten()
        .copied()
        .collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

fn last_begin_label(bytes: &[u8]) -> Option<String> {
    let marker = b"-----BEGIN ";
    let at = bytes.windows(marker.len()).rposition(|w| w == marker)? + marker.len();
    let rest = &bytes[at..];
    let end = rest.windows(5).position(|w| w == b"-----")?;
    std::str::from_utf8(&rest[..end]).ok().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn der_length(n: usize) -> Vec<u8> {
        match n {
            0..=0x7f => vec![n as u8],
            0x80..=0xff => vec![0x81, n as u8],
            0x100..=0xffff => vec![0x82, (n >> 8) as u8, n as u8],
            _ => vec![0x83, (n >> 16) as u8, (n >> 8) as u8, n as u8],
        }
    }

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        out.extend(der_length(content.len()));
        out.extend_from_slice(content);
        out
    }

    /// A certs-only SignedData written byte by byte (as `openssl crl2pkcs7 -nocrl` lays it
    /// out), independent of the cms crate that reads it.
    fn p7b(certs: &[Vec<u8>]) -> Vec<u8> {
        let signed_data_oid = [
            0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
        ];
        let data_oid = [
            0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
        ];
        let mut body = vec![0x02, 0x01, 0x01, 0x31, 0x00];
        body.extend(tlv(0x30, &data_oid));
        body.extend(tlv(0xa0, &certs.concat()));
        body.extend([0x31, 0x00]);
        let mut info = signed_data_oid.to_vec();
        info.extend(tlv(0xa0, &tlv(0x30, &body)));
        tlv(0x30, &info)
    }

    /// Real certificates: the Mozilla roots of 2019 and the known interception CAs, as DER,
    /// read by the engine's own PEM reader.
    fn real_certificates() -> Vec<Vec<u8>> {
        let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine");
        let mut out = Vec::new();
        let bundle =
            std::fs::read(core.join("tests/data/mozilla-roots/certifi-2019.11.28-cacert.pem"))
                .unwrap();
        for c in qorgan::parse_store(&bundle).unwrap() {
            out.push(c.der().to_vec());
        }
        let mut files: Vec<_> = std::fs::read_dir(core.join("data/interception/certs"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "pem"))
            .collect();
        files.sort();
        for f in files {
            for c in qorgan::parse_store(&std::fs::read(&f).unwrap()).unwrap() {
                out.push(c.der().to_vec());
            }
        }
        assert!(out.len() > 150, "{}", out.len());
        out
    }

    /// The certificates out of a PKCS#7 are re-encoded by x509-cert: they must come out byte
    /// for byte as they went in, for every real certificate at hand.
    #[test]
    fn pkcs7_gives_back_the_exact_certificates() {
        let mut certs = real_certificates();
        certs.sort();
        certs.dedup();
        for chunk in certs.chunks(40) {
            let bundle = p7b(chunk);
            let mut got: Vec<Vec<u8>> = parse(&bundle)
                .unwrap()
                .iter()
                .map(|c| c.der().to_vec())
                .collect();
            got.sort();
            let mut want = chunk.to_vec();
            want.sort();
            assert_eq!(got, want);
        }
    }

    /// The `pem` crate and the engine's PEM reader (rustls-pki-types) agree on CERTIFICATE
    /// sections, with text around them; and the other labels give the same certificates.
    #[test]
    fn pem_readers_agree() {
        let certs = real_certificates();
        let mut text = String::from("Bundle of roots\n");
        for c in &certs {
            let p = pem::encode(&pem::Pem::new("CERTIFICATE", c.clone()));
            text.push_str("Certificate:\n    Data: ...\n");
            text.push_str(&p);
        }
        let engine: Vec<Vec<u8>> = qorgan::parse_store(text.as_bytes())
            .unwrap()
            .iter()
            .map(|c| c.der().to_vec())
            .collect();
        let ours: Vec<Vec<u8>> = parse(text.as_bytes())
            .unwrap()
            .iter()
            .map(|c| c.der().to_vec())
            .collect();
        assert_eq!(engine, certs);
        assert_eq!(ours, certs);

        let first = &certs[0];
        let aux = tlv(
            0x30,
            &tlv(
                0x30,
                &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01],
            ),
        );
        for (label, content) in [
            ("X509 CERTIFICATE", first.clone()),
            ("TRUSTED CERTIFICATE", [first.clone(), aux].concat()),
            ("PKCS7", p7b(std::slice::from_ref(first))),
            ("CERTIFICATE", p7b(std::slice::from_ref(first))),
        ] {
            let text = pem::encode(&pem::Pem::new(label, content));
            let got = parse(text.as_bytes()).unwrap();
            assert_eq!(got.len(), 1, "{label}");
            assert_eq!(got[0].der().as_ref(), first.as_slice(), "{label}");
        }
    }

    /// The same over x509-limbo's 900-odd test certificates, many built to be odd: each one the
    /// engine reads comes back exact from a one-certificate PKCS#7, but for one whose serial
    /// number is a malformed INTEGER, which x509-cert refuses (the bundle is then reported
    /// unreadable, in words).
    #[test]
    fn pkcs7_gives_back_limbo_certificates() {
        let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine");
        let v: serde_json::Value = serde_json::from_slice(
            &std::fs::read(core.join("tests/data/limbo/limbo.json")).unwrap(),
        )
        .unwrap();
        let (mut same, mut refused) = (0, Vec::new());
        for t in v["testcases"].as_array().unwrap() {
            let pems = ["trusted_certs", "untrusted_intermediates"]
                .iter()
                .flat_map(|k| t[*k].as_array().unwrap().iter())
                .chain(std::iter::once(&t["peer_certificate"]));
            for p in pems {
                let Ok(certs) = qorgan::parse_store(p.as_str().unwrap().as_bytes()) else {
                    continue;
                };
                for c in certs {
                    match parse(&p7b(&[c.der().to_vec()])) {
                        Ok(got) => {
                            assert_eq!(got.len(), 1);
                            assert_eq!(got[0].der(), c.der(), "{}", t["id"]);
                            same += 1;
                        }
                        Err(e) => refused.push(e.reason().to_string()),
                    }
                }
            }
        }
        assert!(same > 900, "{same}");
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert!(
            refused[0].starts_with(
                "not a PKCS#7 certificate bundle that can be read: malformed ASN.1 DER value for INTEGER"
            ),
            "{refused:?}"
        );
    }

    #[test]
    fn truncated_and_odd_input_is_said_in_words() {
        let certs = real_certificates();
        let two = pem::encode_many(&[
            pem::Pem::new("CERTIFICATE", certs[0].clone()),
            pem::Pem::new("CERTIFICATE", certs[1].clone()),
        ]);
        // The second section cut short: not one certificate and a silence.
        let cut = &two.as_bytes()[..two.len() - 200];
        let e = parse(cut).unwrap_err();
        assert!(matches!(e, Failure::Malformed(_)), "{e:?}");
        assert!(
            e.reason().contains("no \"-----END CERTIFICATE-----\" line"),
            "{e:?}"
        );
        // Only a key: read, holds no certificate.
        let key = pem::encode(&pem::Pem::new("PRIVATE KEY", vec![1, 2, 3]));
        assert_eq!(
            parse(key.as_bytes()).err(),
            Some(Failure::NoCertificate(
                "no certificate found: its PEM sections are PRIVATE KEY.".into()
            ))
        );
        assert!(matches!(parse(b"  \n"), Err(Failure::NoCertificate(_))));
        assert!(matches!(parse(b"hello"), Err(Failure::Malformed(_))));
        assert!(matches!(parse(&[0xff, 0x00]), Err(Failure::Malformed(_))));
        // A blank line among the base64, as OpenSSL and the engine's reader take it.
        let one = pem::encode(&pem::Pem::new("CERTIFICATE", certs[0].clone()));
        let end = one.find("-----END").unwrap();
        let blank = format!("{}\n{}", &one[..end], &one[end..]);
        assert_eq!(
            parse(blank.as_bytes()).unwrap()[0].der().as_ref(),
            certs[0].as_slice()
        );
        let first_line = one.find('\n').unwrap() + 1;
        let blank = format!("{}\r\n{}", &one[..first_line], &one[first_line..]);
        assert_eq!(
            parse(blank.as_bytes()).unwrap()[0].der().as_ref(),
            certs[0].as_slice()
        );
        // BER with indefinite lengths: said so.
        let e = parse(&[0x30, 0x80, 0x06, 0x01, 0x2a, 0x00, 0x00]).unwrap_err();
        assert!(e.reason().contains("indefinite lengths"), "{e:?}");
        // A PKCS#7 cut short.
        let bundle = p7b(&certs[..2]);
        let e = parse(&bundle[..bundle.len() - 10]).unwrap_err();
        assert!(
            e.reason().contains("PKCS#7") && e.reason().contains("cut short"),
            "{e:?}"
        );
    }

    /// Every cut and every single-byte change of a PKCS#7 bundle and of PEM under each label
    /// gives certificates or a failure in words, never a panic.
    #[test]
    fn corrupted_bundles_fail_in_words() {
        let certs = real_certificates();
        let bundle = p7b(&certs[..2]);
        let trusted = pem::encode(&pem::Pem::new(
            "TRUSTED CERTIFICATE",
            [certs[0].clone(), vec![0x30, 0x00]].concat(),
        ));
        let pkcs7 = pem::encode(&pem::Pem::new("PKCS7", p7b(&certs[..1])));
        for input in [bundle, trusted.into_bytes(), pkcs7.into_bytes()] {
            for cut in 0..input.len() {
                if let Err(e) = parse(&input[..cut]) {
                    assert!(
                        !e.reason().is_empty() && !e.reason().contains("[4"),
                        "{e:?}"
                    );
                }
            }
            for at in 0..input.len() {
                for b in [0x00, 0xff, b'-', b'\n'] {
                    let mut bad = input.clone();
                    bad[at] = b;
                    if let Err(e) = parse(&bad) {
                        assert!(
                            !e.reason().is_empty() && !e.reason().contains("[4"),
                            "{e:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn content_sniffing() {
        assert!(!looks_like_certificates(b"0.1 release notes\n"));
        assert!(!looks_like_certificates(b"-----BEGIN PRIVATE KEY-----\n"));
        assert!(looks_like_certificates(
            b"x\n-----BEGIN TRUSTED CERTIFICATE-----\n"
        ));
        assert!(looks_like_certificates(&[0x30, 0x03, 0x06, 0x01, 0x00]));
        assert!(!looks_like_certificates(&[0x30, 0x82, 0x01, 0x00, 0x06]));
    }
}

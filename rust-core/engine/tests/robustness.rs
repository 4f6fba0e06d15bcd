//! Hostile and broken input: typed errors, never a panic, always within a time bound; and one
//! engine shared by many threads.

mod common;

use std::time::{Duration, Instant};

use common::*;
use qorgan::{Certificate, Error, VerdictKind};

#[test]
fn garbage_truncated_empty_and_oversized_input_get_typed_errors() {
    assert_eq!(qorgan::parse_chain(b"").unwrap_err(), Error::Empty);
    assert_eq!(qorgan::parse_chain(b"  \n\t").unwrap_err(), Error::Empty);
    assert!(matches!(
        qorgan::parse_chain(b"hello").unwrap_err(),
        Error::NotACertificate { index: 1, .. }
    ));
    assert!(matches!(
        qorgan::parse_chain(b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n")
            .unwrap_err(),
        Error::MalformedPem { .. }
    ));
    assert_eq!(
        qorgan::parse_chain(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
            .unwrap_err(),
        Error::NoCertificate
    );
    // PEM problems said in words, not as byte lists or Rust values.
    let leaf_pem = std::fs::read_to_string(test_ca("local-root/leaf.pem")).unwrap();
    for (input, words) in [
        (
            leaf_pem[..leaf_pem.len() / 2].to_string(),
            "no \"-----END CERTIFICATE-----\" line after its BEGIN line",
        ),
        (
            "-----BEGIN CERTIFICATE-----\nMII!B\n-----END CERTIFICATE-----\n".to_string(),
            "not valid base64",
        ),
        (
            "-----BEGIN CERTIFICATE\nAAAA\n".to_string(),
            "the line \"-----BEGIN CERTIFICATE\" starts a section",
        ),
    ] {
        let e = qorgan::parse_chain(input.as_bytes()).unwrap_err();
        assert!(matches!(e, Error::MalformedPem { .. }), "{e:?}");
        let msg = e.to_string();
        assert!(msg.contains(words), "{msg}");
        assert!(!msg.contains("[") && !msg.contains("Invalid"), "{msg}");
    }
    let real = read(&test_ca("local-root/leaf.der"));
    for cut in [1, 2, 4, 10, real.len() / 2, real.len() - 1] {
        let e = qorgan::parse_chain(&real[..cut]).unwrap_err();
        assert!(
            matches!(e, Error::Truncated { .. } | Error::NotACertificate { .. }),
            "{cut}: {e:?}"
        );
        assert!(!e.to_string().is_empty());
    }
    // trailing junk after a good certificate
    let mut junk = real.clone();
    junk.extend_from_slice(&[0xde, 0xad]);
    assert!(matches!(
        qorgan::parse_chain(&junk).unwrap_err(),
        Error::NotACertificate { index: 2, .. }
    ));
    // oversized: a SEQUENCE claiming 70,000 bytes
    let mut big = vec![0x30, 0x83, 0x01, 0x11, 0x70];
    big.resize(5 + 0x011170, 0);
    assert!(matches!(
        qorgan::parse_chain(&big).unwrap_err(),
        Error::CertificateTooLarge { .. }
    ));
    // 51 certificates
    let pem = std::fs::read_to_string(test_ca("local-root/leaf.pem")).unwrap();
    let many = pem.repeat(51);
    assert_eq!(
        qorgan::parse_chain(many.as_bytes()).unwrap_err(),
        Error::ChainTooLong {
            count: 51,
            limit: 50
        }
    );
    assert_eq!(
        qorgan::parse_chain(pem.repeat(50).as_bytes())
            .unwrap()
            .len(),
        50
    );
}

#[test]
fn every_single_byte_corruption_of_a_certificate_is_handled() {
    let der = read(&test_ca("kz-forged/leaf.der"));
    let engine = engine();
    for i in (0..der.len()).step_by(3) {
        let mut bad = der.clone();
        bad[i] ^= 0xff;
        if let Ok(chain) = qorgan::parse_chain(&bad) {
            let _ = engine.analyze_with_facts(&chain, Some("www.facebook.com"), None);
            let _ = engine.audit(&chain);
        }
        let _ = engine.analyze_validated(&[&bad], None);
    }
}

#[test]
fn deeply_nested_der_is_refused_quickly() {
    let mut der = Vec::new();
    for _ in 0..20_000 {
        der.extend_from_slice(&[0x30, 0x80]);
    }
    let start = Instant::now();
    assert!(qorgan::parse_chain(&der).is_err());
    assert!(start.elapsed() < Duration::from_secs(1));
}

#[test]
fn a_50_certificate_chain_and_a_cross_signed_cycle_finish_within_bounds() {
    let engine = engine();
    let leaf = certs(&test_ca("local-root/leaf.pem")).remove(0);
    let mut chain = vec![leaf];
    // padding: 49 unrelated CA certificates from an old store
    chain.extend(
        certs(&data("mozilla-roots/certifi-2019.11.28-cacert.pem"))
            .into_iter()
            .take(49),
    );
    let start = Instant::now();
    let v = engine
        .analyze_with_facts(&chain, Some("localhost"), None)
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::Untrusted);
    assert!(start.elapsed() < Duration::from_secs(5));
    // limbo's denial-of-service and cycle cases run in corpora.rs with a per-case bound.
}

#[test]
fn a_certificate_with_10000_sans_is_refused_by_size_and_1000_sans_is_analyzed() {
    let big = read(&data(
        "badssl/upstream/certs/sets/prod/pregen/chain/subdomain-10000-sans.pem",
    ));
    assert!(matches!(
        qorgan::parse_chain(&big).unwrap_err(),
        Error::CertificateTooLarge { .. }
    ));
    let chain = certs(&data(
        "badssl/upstream/certs/sets/prod/pregen/chain/subdomain-1000-sans.pem",
    ));
    let start = Instant::now();
    let v = engine()
        .analyze_with_facts(
            &chain,
            Some("1000-sans.badssl.com"),
            Some(unix("2019-10-06T00:00:00Z")),
        )
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::Trusted);
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[test]
fn every_corpus_certificate_goes_through_parse_analyze_and_audit() {
    let engine = engine();
    let mut files = Vec::new();
    let mut stack = vec![data(""), test_ca(""), bundled("interception/certs")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("pem" | "der" | "crt" | "cer")
            ) {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 150, "{}", files.len());
    let mut analyzed = 0;
    for f in files {
        let Ok(chain) = qorgan::parse_store(&read(&f)) else {
            continue;
        };
        let start = Instant::now();
        let chain: Vec<Certificate> = chain.into_iter().take(50).collect();
        let _ = engine.analyze_with_facts(&chain, Some("example.com"), None);
        let _ = engine.audit(&chain);
        let ders: Vec<&[u8]> = chain.iter().map(|c| c.der().as_ref()).collect();
        let _ = engine.analyze_validated(&ders, None);
        assert!(start.elapsed() < Duration::from_secs(5), "{}", f.display());
        analyzed += 1;
    }
    assert!(analyzed > 100);
}

#[test]
fn eight_threads_sharing_one_engine_agree_with_a_single_thread() {
    let root = certs(&test_ca("local-root/root.pem"));
    let engine = std::sync::Arc::new(engine_with(root));
    let inputs: Vec<(Vec<Certificate>, &str)> = vec![
        (certs(&test_ca("local-root/chain.pem")), "localhost"),
        (certs(&test_ca("superfish/chain.pem")), "localhost"),
        (certs(&test_ca("unknown-root/chain.pem")), "localhost"),
        (certs(&test_ca("wrong-host/chain.pem")), "localhost"),
        (
            certs(&data("real-chains/limbo-online/google.com.chain.pem")),
            "google.com",
        ),
    ];
    let at = Some(unix("2026-02-02T08:36:39Z"));
    let expected: Vec<String> = inputs
        .iter()
        .map(|(c, h)| format!("{:?}", engine.analyze_with_facts(c, Some(h), at).unwrap()))
        .collect();
    let inputs = std::sync::Arc::new(inputs);
    let expected = std::sync::Arc::new(expected);
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let (engine, inputs, expected) = (engine.clone(), inputs.clone(), expected.clone());
            std::thread::spawn(move || {
                for i in 0..1250 {
                    let k = (i + t) % inputs.len();
                    let (chain, host) = &inputs[k];
                    match i % 3 {
                        0 | 1 => {
                            let got = format!(
                                "{:?}",
                                engine.analyze_with_facts(chain, Some(host), at).unwrap()
                            );
                            assert_eq!(got, expected[k]);
                        }
                        _ => {
                            let ders: Vec<&[u8]> = chain.iter().map(|c| c.der().as_ref()).collect();
                            engine.analyze_validated(&ders, Some(host)).unwrap();
                        }
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("no thread panicked");
    }
}

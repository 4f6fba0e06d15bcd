//! The known interception CAs: audit labels, chains through them, names without their keys,
//! and the leaked Superfish key end to end.

mod common;

use common::*;
use qorgan::{CertificateClass, FindingCode, KnownCaCategory, VerdictKind};

fn known_rows() -> Vec<std::collections::HashMap<String, String>> {
    tsv(&bundled("interception/cas.tsv"))
}

#[test]
fn every_kazakh_and_vendor_root_is_known_interception_in_an_audit() {
    let engine = engine();
    let mut checked = 0;
    for row in known_rows() {
        let cat = row["category"].as_str();
        if !matches!(cat, "government_interception" | "vendor_mitm")
            || !row["certificate"].ends_with(".pem")
        {
            continue;
        }
        let cert = certs(&bundled(&format!(
            "interception/certs/{}",
            row["certificate"]
        )));
        let report = engine.audit(&cert);
        let e = &report.certificates[0];
        assert_eq!(
            e.class,
            CertificateClass::KnownInterception,
            "{}",
            row["label"]
        );
        assert_eq!(e.label.as_deref(), Some(row["label"].as_str()));
        assert_eq!(e.spki_sha256, row["spki_sha256_hex"]);
        assert_eq!(e.findings[0].code, FindingCode::KnownInterceptionCa);
        checked += 1;
    }
    assert_eq!(checked, 19, "ten Kazakh roots and nine vendor MITM roots");
}

#[test]
fn a_chain_through_any_known_root_is_intercepted_known_even_when_expired() {
    let engine = engine();
    let leaf = certs(&test_ca("local-root/leaf.pem")).remove(0);
    for row in known_rows() {
        if !row["certificate"].ends_with(".pem") || row["category"] == "government_root" {
            continue;
        }
        let root = certs(&bundled(&format!(
            "interception/certs/{}",
            row["certificate"]
        )))
        .remove(0);
        // Every SPKI of the chain is checked, as Chrome does; the time is far in the future.
        let v = engine
            .analyze_with_facts(
                &[leaf.clone(), root],
                Some("localhost"),
                Some(unix("2099-01-01T00:00:00Z")),
            )
            .unwrap();
        assert_eq!(v.verdict, VerdictKind::InterceptedKnown, "{}", row["label"]);
        assert!(
            v.findings
                .iter()
                .any(|f| f.subject.as_deref() == Some(row["label"].as_str())),
            "{}",
            row["label"]
        );
    }
}

#[test]
fn the_russian_root_is_a_government_root_not_known_interception() {
    let engine = engine();
    let ru = certs(&bundled(
        "interception/certs/russian_trusted_root_ca_2022.pem",
    ));
    let e = &engine.audit(&ru).certificates[0];
    assert_eq!(e.class, CertificateClass::NonPublicRoot);
    assert_eq!(
        e.known.as_ref().unwrap().category,
        KnownCaCategory::GovernmentRoot
    );
    assert_eq!(e.findings[0].code, FindingCode::GovernmentRoot);
    assert!(e.findings[0]
        .message
        .contains("No interception with it is documented"));
    // As a device anchor it makes a chain intercepted_local, not intercepted_known.
    let leaf = certs(&test_ca("local-root/leaf.pem")).remove(0);
    let v = engine_with(ru.clone())
        .analyze_with_facts(&[leaf, ru[0].clone()], Some("localhost"), None)
        .unwrap();
    assert_ne!(v.verdict, VerdictKind::InterceptedKnown);
    assert!(v.has(FindingCode::GovernmentRoot));
    // The fast path words it the same, accurately.
    let fast = engine
        .analyze_validated(&[ru[0].der().as_ref()], None)
        .unwrap();
    let f = fast
        .findings
        .iter()
        .find(|f| f.code == FindingCode::GovernmentRoot)
        .unwrap();
    assert!(
        f.message.contains("No interception with it is documented"),
        "{}",
        f.message
    );
}

#[test]
fn a_root_named_qaznet_with_another_key_is_never_intercepted_known() {
    let chain = certs(&test_ca("qaznet-impostor/chain.pem"));
    let root = certs(&test_ca("qaznet-impostor/root.pem"));
    for engine in [engine(), engine_with(root)] {
        let v = engine
            .analyze_with_facts(&chain, Some("localhost"), None)
            .unwrap();
        assert_ne!(v.verdict, VerdictKind::InterceptedKnown);
        assert!(v.has(FindingCode::ImpersonatesKnownCa), "{:?}", v.findings);
    }
    let audit = engine().audit(&certs(&test_ca("qaznet-impostor/root.pem")));
    assert_eq!(audit.certificates[0].class, CertificateClass::NonPublicRoot);
    assert!(audit.certificates[0].known.is_none());
}

#[test]
fn a_leaf_signed_with_the_leaked_superfish_key_is_intercepted_known_with_and_without_the_root() {
    let engine = engine();
    let leaf = certs(&test_ca("superfish/leaf.pem"));
    let root = certs(&data("badssl/upstream/certs/src/crt/ca-superfish.crt"));
    for chain in [leaf.clone(), vec![leaf[0].clone(), root[0].clone()]] {
        let v = engine
            .analyze_with_facts(&chain, Some("localhost"), None)
            .unwrap();
        assert_eq!(v.verdict, VerdictKind::InterceptedKnown);
        assert!(
            v.interception_ca().unwrap().contains("Superfish"),
            "{:?}",
            v.findings
        );
        assert!(
            !v.has(FindingCode::BadSignature),
            "a legacy key is not a forgery"
        );
    }
    // badssl.com's own superfish.badssl.com chain, at the time it was served.
    let badssl = certs(&data(
        "badssl/upstream/certs/sets/prod/pregen/chain/subdomain-superfish.pem",
    ));
    let v = engine
        .analyze_with_facts(
            &badssl,
            Some("superfish.badssl.com"),
            Some(unix("2018-05-17T17:15:23Z")),
        )
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::InterceptedKnown);
}

#[test]
fn a_forged_kazakh_style_leaf_shows_its_fingerprints() {
    let chain = certs(&test_ca("kz-forged/chain.pem"));
    let root = certs(&test_ca("kz-forged/root.pem"));
    let v = engine_with(root)
        .analyze_with_facts(&chain, Some("www.facebook.com"), None)
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::InterceptedLocal);
    assert!(v.has(FindingCode::RsaExponent3));
    assert!(v.has(FindingCode::StrippedLeaf));
    assert!(v.has(FindingCode::NonPublicAnchor));
    let json = serde_json::to_value(&v).unwrap();
    let codes: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"rsa_exponent_3"), "{codes:?}");
}

#[test]
fn the_fast_path_names_known_and_local_anchors() {
    let engine = engine();
    let local = certs(&test_ca("local-root/chain.pem"));
    let ders: Vec<&[u8]> = local.iter().map(|c| c.der().as_ref()).collect();
    let v = engine.analyze_validated(&ders, Some("localhost")).unwrap();
    assert_eq!(v.verdict, VerdictKind::InterceptedLocal);
    assert!(v.has(FindingCode::NonPublicAnchor));

    let leaf = certs(&test_ca("local-root/leaf.pem")).remove(0);
    let qaznet = certs(&bundled(
        "interception/certs/00309c736dd661da6f1eb24173aa849944c168a43a15bffd192eecfdb6f8dbd2.pem",
    ))
    .remove(0);
    let v = engine
        .analyze_validated(&[leaf.der().as_ref(), qaznet.der().as_ref()], None)
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::InterceptedKnown);
    assert!(v.interception_ca().unwrap().contains("Qaznet"));
}

#[test]
fn a_known_ca_the_platform_chain_stops_below_is_still_named() {
    // Some platforms hand over the validated chain without its anchor; the engine finds the
    // anchor by the last certificate's issuer among the device's anchors. A known interception
    // CA found that way must be named as surely as one that was sent.
    let root = certs(&test_ca("superfish/root.pem"));
    let leaf = certs(&test_ca("superfish/leaf.pem"));
    let engine = engine_with(root);
    let v = engine
        .analyze_validated(&[leaf[0].der().as_ref()], Some("localhost"))
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::InterceptedKnown, "{:?}", v.findings);
    assert!(v.has(FindingCode::KnownInterceptionCa));
    assert!(!engine
        .validated_clean(&[leaf[0].der().as_ref()], Some("localhost"))
        .unwrap());
}

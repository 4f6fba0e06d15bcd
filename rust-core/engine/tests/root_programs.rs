//! "Public" means any major root program: Apple, Android and Mozilla (issue 7).

mod common;

use common::*;
use qorgan::{
    anchors::programs, Certificate, CertificateClass, FindingCode, PlatformView, Program, SpkiHash,
    VerdictKind,
};

#[test]
fn every_key_missing_from_mozilla_is_public_with_its_programs() {
    let rows = tsv(&bundled("root-programs/not_in_mozilla_anchors.tsv"));
    assert_eq!(rows.len(), 80);
    let distrusted = tsv(&bundled("root-programs/distrusted.tsv"));
    let mut checked = 0;
    for r in rows {
        let spki = SpkiHash::from_base64(&r["spki_sha256_b64"]).unwrap();
        if distrusted
            .iter()
            .any(|d| d["spki_sha256_b64"] == r["spki_sha256_b64"])
        {
            // removed for cause somewhere: never public, whatever Apple still ships
            assert!(
                !programs::is_public(&spki, PlatformView::Any),
                "{}",
                r["subject_cn"]
            );
            continue;
        }
        assert!(
            programs::is_public(&spki, PlatformView::Any),
            "{}",
            r["subject_cn"]
        );
        let p = programs::programs_of(&spki);
        assert!(!p.contains(&Program::Mozilla), "{}", r["subject_cn"]);
        assert_eq!(
            p.contains(&Program::Apple),
            r["apple"] == "1",
            "{}",
            r["subject_cn"]
        );
        assert_eq!(
            p.contains(&Program::Android),
            r["aosp"] == "1",
            "{}",
            r["subject_cn"]
        );
        assert_eq!(
            programs::is_public(&spki, PlatformView::Ios),
            r["apple"] == "1"
        );
        checked += 1;
    }
    assert!(checked >= 77, "{checked}");
}

#[test]
fn mozilla_membership_matches_the_bundled_webpki_root_certs() {
    // data/root-programs/membership.tsv and the webpki-root-certs crate must describe the same
    // Mozilla set (both 1.0.11; the crate version is pinned in Cargo.toml).
    let crate_keys: std::collections::HashSet<String> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|c| {
            Certificate::from_der(c.to_vec(), 1)
                .unwrap()
                .spki_hash()
                .base64()
        })
        .collect();
    let table_keys: std::collections::HashSet<String> =
        tsv(&bundled("root-programs/membership.tsv"))
            .into_iter()
            .filter(|r| r["mozilla"] == "1")
            .map(|r| r["spki_sha256_b64"].clone())
            .collect();
    assert_eq!(crate_keys.len(), 118);
    assert_eq!(crate_keys, table_keys);
}

#[test]
fn a_production_chain_to_digicert_global_root_ca_is_trusted_with_programs_named() {
    // badssl.com's production chains end at DigiCert Global Root CA, which Mozilla dropped in
    // 2026 and Apple and Android still hold.
    let chain = certs(&data(
        "badssl/upstream/certs/sets/prod/pregen/chain/wildcard-rsa2048.pem",
    ));
    let v = engine()
        .analyze_with_facts(
            &chain,
            Some("rsa2048.badssl.com"),
            Some(unix("2020-03-24T00:00:00Z")),
        )
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::Trusted, "{:?}", v.findings);
    let a = v.anchor.unwrap();
    assert_eq!(a.subject, "DigiCert Global Root CA");
    assert_eq!(a.programs, vec![Program::Apple, Program::Android]);
    assert!(!v
        .findings
        .iter()
        .any(|f| f.code == FindingCode::NonPublicAnchor));
}

#[test]
fn cloudflare_dns_chain_to_digicert_is_trusted() {
    let mut chain = certs(&data("real-chains/rustls-webpki/cloudflare_dns/ee.der"));
    chain.extend(certs(&data(
        "real-chains/rustls-webpki/cloudflare_dns/inter.der",
    )));
    let v = engine()
        .analyze_with_facts(&chain, Some("cloudflare-dns.com"), Some(1663495771))
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::Trusted, "{:?}", v.findings);
    assert!(v.anchor.unwrap().programs.contains(&Program::Apple));
}

#[test]
fn a_distrusted_key_gets_distrusted_root() {
    let distrusted = tsv(&bundled("root-programs/distrusted.tsv"));
    let old_store = certs(&data("mozilla-roots/certifi-2019.11.28-cacert.pem"));
    let victims: Vec<&Certificate> = old_store
        .iter()
        .filter(|c| {
            distrusted
                .iter()
                .any(|d| d["spki_sha256_b64"] == c.spki_hash().base64())
        })
        .collect();
    assert!(
        victims.len() >= 5,
        "certifi 2019 still held Symantec, Certinomis, Camerfirma, TrustCor roots"
    );
    let engine = engine();
    for root in victims {
        let audit = engine.audit(std::slice::from_ref(root));
        let e = &audit.certificates[0];
        assert_ne!(e.class, CertificateClass::PublicRoot);
        let finding = e
            .findings
            .iter()
            .find(|f| f.code == FindingCode::DistrustedRoot)
            .unwrap_or_else(|| panic!("{}", e.subject));
        // The year and the reason as one sentence a user can read (no "reason., 2018").
        let d = e.distrusted.as_ref().unwrap();
        assert!(
            finding
                .message
                .contains(&format!("for cause in {}: ", d.removed)),
            "{}",
            finding.message
        );
        assert!(!finding.message.contains(".,"), "{}", finding.message);
        assert!(e.programs.is_empty() || e.distrusted.is_some());
        // As the anchor of a validated chain: critical.
        let v = engine
            .analyze_validated(&[root.der().as_ref()], None)
            .unwrap();
        if qorgan::anchors::known::lookup(&root.spki_hash()).is_some() {
            // also on Chromium's blocklist (TrustCor, Camerfirma): blocked outright
            assert_eq!(v.verdict, VerdictKind::InterceptedKnown);
        } else {
            assert_eq!(v.verdict, VerdictKind::InterceptedLocal);
            let f = v
                .findings
                .iter()
                .find(|f| f.code == FindingCode::DistrustedRoot)
                .unwrap();
            assert_eq!(f.severity, qorgan::Severity::Critical);
        }
    }
}

#[test]
fn no_kazakh_or_vendor_interception_key_is_public() {
    for row in tsv(&bundled("interception/cas.tsv")) {
        let spki = SpkiHash::from_hex(&row["spki_sha256_hex"]).unwrap();
        assert!(
            !programs::is_public(&spki, PlatformView::Any),
            "{}",
            row["label"]
        );
        assert!(
            programs::programs_of(&spki).is_empty() || row["category"] == "blocked",
            "{}",
            row["label"]
        );
    }
}

#[test]
fn store_versions_are_recorded() {
    let v = programs::store_versions();
    let names: Vec<&str> = v.iter().map(|s| s.program.as_str()).collect();
    assert_eq!(names, ["mozilla", "apple", "android"]);
    assert!(v.iter().all(|s| !s.store_version.is_empty()));
}

//! Issue 13's reproducers: certificates an interceptor can craft that made one of Qorgan's paths
//! look away. Each test failed on the engine before its fix (commit 59f3606) and pins the rule
//! that fixed it:
//!
//! 1. the fast path's anchor is decided by key, a name only finds a parent that signed;
//! 2. an unreadable extra certificate does not hide a known key;
//! 3. an odd trusted certificate does not disable the engine;
//! 5. an anchor is named after its certificate or known entry, never a leaf carrying its key;
//! 9. a known key is recognised whatever algorithm and name encoding it signed with;
//! 11. a path-building budget spent on decoys does not make the verdict depend on anchor order.
//!
//! Certificates are minted here with rcgen (P-256 keys, fast), except what needs Superfish's
//! 1024-bit RSA key, which ring refuses to sign with: those come from
//! scripts/make-adversarial-certs.sh (tests/test-ca/adversary).

mod common;

use common::*;
use qorgan::{
    AnchorClass, CallerAnchor, Certificate, CheckVerdict, Engine, EngineConfig, FindingCode,
    HandshakeObservation, HandshakeOutcome, PinPolicy, TlsInfo, Verdict, VerdictKind,
};
use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, DnValue, IsCa,
    Issuer, KeyPair,
};

const ISRG_ROOT_X1_PIN: &str = "sha256/C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=";

fn dn(parts: &[(DnType, &str)]) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    for (t, v) in parts {
        dn.push(
            t.clone(),
            DnValue::PrintableString((*v).try_into().expect("printable")),
        );
    }
    dn
}

fn ca_params(name: DistinguishedName) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = name;
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p
}

fn leaf_params(host: &str) -> CertificateParams {
    let mut p = CertificateParams::new(vec![host.to_string()]).expect("params");
    p.distinguished_name = dn(&[(DnType::CommonName, host)]);
    p
}

fn cert(der: &[u8]) -> Certificate {
    Certificate::from_der(der.to_vec(), 1).expect("certificate")
}

fn ders(chain: &[Certificate]) -> Vec<&[u8]> {
    chain.iter().map(|c| c.der().as_ref()).collect()
}

fn engine(anchors: Vec<CallerAnchor>, pin_policy: Option<PinPolicy>) -> Engine {
    Engine::new(EngineConfig {
        anchors,
        pin_policy,
        ..EngineConfig::default()
    })
    .expect("engine")
}

fn user_added(c: &Certificate) -> CallerAnchor {
    CallerAnchor {
        certificate: c.clone(),
        user_added: true,
    }
}

fn codes(v: &Verdict) -> Vec<FindingCode> {
    v.findings.iter().map(|f| f.code).collect()
}

/// ISRG Root X1's subject, byte for byte as the real root encodes it (PrintableStrings).
fn isrg_root_x1_name() -> DistinguishedName {
    dn(&[
        (DnType::CountryName, "US"),
        (DnType::OrganizationName, "Internet Security Research Group"),
        (DnType::CommonName, "ISRG Root X1"),
    ])
}

/// A user-installed "Corp TLS Inspection CA" whose issuer field reads ISRG Root X1's exact
/// name (signed by a throwaway key, not ISRG's), and a leaf for `app.example` under it.
fn isrg_named_corp_ca() -> (Certificate, Certificate) {
    let fake_isrg = Issuer::new(
        ca_params(isrg_root_x1_name()),
        KeyPair::generate().expect("key"),
    );
    let corp_key = KeyPair::generate().expect("key");
    let corp_params = ca_params(dn(&[(DnType::CommonName, "Corp TLS Inspection CA")]));
    let corp = corp_params
        .signed_by(&corp_key, &fake_isrg)
        .expect("corp ca");
    let corp_issuer = Issuer::new(corp_params, corp_key);
    let leaf = leaf_params("app.example")
        .signed_by(&KeyPair::generate().expect("key"), &corp_issuer)
        .expect("leaf");
    (cert(leaf.der()), cert(corp.der()))
}

#[test]
fn hole_1_the_fast_path_does_not_trust_an_anchor_by_the_issuer_name_it_reads() {
    let (leaf, corp) = isrg_named_corp_ca();
    // The forged issuer field is ISRG Root X1's subject byte for byte: the name lookup the fast
    // path used to make did find ISRG Root X1.
    let isrg = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|d| cert(d))
        .find(|c| c.spki_hash().pin() == ISRG_ROOT_X1_PIN)
        .expect("ISRG Root X1");
    assert_eq!(corp.issuer_der(), isrg.subject_der());

    let chain = [leaf.clone(), corp.clone()];
    let pins = PinPolicy::builder()
        .add(
            "app.example",
            [
                ISRG_ROOT_X1_PIN,
                "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            ],
        )
        .build()
        .expect("policy");
    let installed = engine(vec![user_added(&corp)], None);
    let unknown = engine(Vec::new(), None);
    let pinned = engine(vec![user_added(&corp)], Some(pins));

    for (label, e) in [
        ("installed", &installed),
        ("not given to the engine", &unknown),
    ] {
        let v = e
            .analyze_validated(&ders(&chain), Some("app.example"))
            .unwrap();
        assert_eq!(v.verdict, VerdictKind::InterceptedLocal, "{label}: {v:?}");
        let anchor = v.anchor.as_ref().unwrap();
        assert_eq!(anchor.spki_sha256, corp.spki_hash().hex(), "{label}");
        assert_eq!(anchor.class, AnchorClass::NonPublicRoot, "{label}");
        assert!(
            !e.validated_clean(&ders(&chain), Some("app.example"))
                .unwrap(),
            "{label}"
        );
    }
    // ISRG Root X1's pin does not pass for a chain ISRG did not sign.
    let v = pinned
        .analyze_validated(&ders(&chain), Some("app.example"))
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::PinViolation, "{v:?}");
    assert!(!pinned
        .validated_clean(&ders(&chain), Some("app.example"))
        .unwrap());
    // The full path agrees.
    let v = installed
        .analyze_with_facts(&chain, Some("app.example"), None)
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::InterceptedLocal, "{v:?}");
}

#[test]
fn hole_1_a_real_chain_that_stops_below_its_root_still_reaches_it_by_signature() {
    // amazon.com as the platform validated it without the root: the parent anchor is found by
    // name and kept because its signature verifies.
    let chain = certs(&data("real-chains/limbo-online/amazon.com.chain.pem"));
    let root = certs(&data("real-chains/limbo-online/amazon.com.root.pem"));
    let e = engine(Vec::new(), None);
    let v = e.analyze_validated(&ders(&chain), None).unwrap();
    assert_eq!(v.verdict, VerdictKind::Trusted, "{v:?}");
    assert_eq!(
        v.anchor.as_ref().unwrap().spki_sha256,
        root[0].spki_hash().hex()
    );
    assert!(e.validated_clean(&ders(&chain), None).unwrap());
}

/// A copy of `der` with the first digit of its notBefore made a letter: the DER walker and
/// path building (which never reads an unused extra certificate) accept it, the X.509 reader
/// does not.
fn with_bad_time_byte(der: &[u8]) -> Vec<u8> {
    let mut out = der.to_vec();
    // UTCTime (0x17, length 13) is the first time in a certificate.
    let at = out
        .windows(2)
        .position(|w| w == [0x17, 0x0d])
        .expect("a UTCTime");
    out[at + 2] = b'x';
    out
}

#[test]
fn hole_2_an_unreadable_extra_certificate_does_not_hide_a_known_ca() {
    let superfish = certs(&test_ca("superfish/chain.pem"));
    let other = certs(&test_ca("local-root/root.pem"));
    let junk = Certificate::from_der(with_bad_time_byte(other[0].der()), 2).expect("outline");
    assert!(qorgan::CertificateFacts::of(&junk, 2).is_err());
    let chain = vec![superfish[0].clone(), junk.clone()];
    let e = engine(Vec::new(), None);
    let v = e
        .analyze_with_facts(&chain, Some("localhost"), None)
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::InterceptedKnown, "{v:?}");
    assert!(codes(&v).contains(&FindingCode::UnreadableCertificate));

    // The same chain seen by a platform handshake: the raise to a known CA survives.
    let r = qorgan::judge_handshake(
        &e,
        HandshakeObservation {
            host: "localhost".into(),
            port: 443,
            address: None,
            elapsed_ms: 1,
            outcome: HandshakeOutcome::Completed {
                presented_chain: chain.iter().map(|c| c.der().to_vec()).collect(),
                tls: TlsInfo {
                    version: "TLSv1.3".into(),
                    cipher_suite: "TLS_AES_128_GCM_SHA256".into(),
                    alpn: None,
                },
                platform_trusted: Some(true),
            },
        },
    );
    assert_eq!(r.verdict, CheckVerdict::InterceptedKnown, "{r:?}");

    // A junk certificate even the DER walker refuses, and a chain over the limit, in a
    // platform handshake: the known key is still named.
    let mut presented: Vec<Vec<u8>> = vec![superfish[0].der().to_vec(), vec![0x30, 0x03, 1, 2, 3]];
    presented.extend(std::iter::repeat_n(other[0].der().to_vec(), 60));
    presented.push(certs(&test_ca("superfish/root.pem"))[0].der().to_vec());
    let r = qorgan::judge_handshake(
        &e,
        HandshakeObservation {
            host: "localhost".into(),
            port: 443,
            address: None,
            elapsed_ms: 1,
            outcome: HandshakeOutcome::Completed {
                presented_chain: presented,
                tls: TlsInfo {
                    version: "TLSv1.3".into(),
                    cipher_suite: "TLS_AES_128_GCM_SHA256".into(),
                    alpn: None,
                },
                platform_trusted: Some(true),
            },
        },
    );
    assert_eq!(r.verdict, CheckVerdict::InterceptedKnown, "{r:?}");
}

/// A self-signed CA with two basicConstraints extensions (OpenSSL parses it; rustls-webpki
/// refuses it as a trust anchor), and a leaf for `app.example` under it.
fn odd_ca() -> (Certificate, Certificate) {
    let key = KeyPair::generate().expect("key");
    let mut params = ca_params(dn(&[(DnType::CommonName, "Odd Inspection CA")]));
    // basicConstraints again: SEQUENCE { BOOLEAN TRUE }.
    params
        .custom_extensions
        .push(CustomExtension::from_oid_content(
            &[2, 5, 29, 19],
            vec![0x30, 0x03, 0x01, 0x01, 0xff],
        ));
    let ca = params.self_signed(&key).expect("ca");
    let issuer = Issuer::new(params, key);
    let leaf = leaf_params("app.example")
        .signed_by(&KeyPair::generate().expect("key"), &issuer)
        .expect("leaf");
    (cert(leaf.der()), cert(ca.der()))
}

#[test]
fn hole_3_an_odd_trusted_certificate_does_not_disable_the_engine() {
    let (leaf, ca) = odd_ca();
    assert!(webpki_refuses_as_anchor(&ca));
    let e = Engine::new(EngineConfig {
        anchors: vec![user_added(&ca)],
        ..EngineConfig::default()
    })
    .expect("an engine despite one odd anchor");
    assert_eq!(e.skipped_anchors().len(), 1);
    assert_eq!(e.skipped_anchors()[0].spki_sha256, ca.spki_hash().hex());

    let chain = [leaf, ca.clone()];
    let v = e
        .analyze_validated(&ders(&chain), Some("app.example"))
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::InterceptedLocal, "{v:?}");
    assert!(v.anchor.as_ref().unwrap().user_added);
    assert!(!e
        .validated_clean(&ders(&chain), Some("app.example"))
        .unwrap());
    // The full path finds it by signature and does not call the chain merely untrusted.
    let v = e
        .analyze_with_facts(&chain[..1], Some("app.example"), None)
        .unwrap();
    assert_ne!(v.verdict, VerdictKind::Untrusted, "{v:?}");
    assert_eq!(v.anchor.as_ref().unwrap().spki_sha256, ca.spki_hash().hex());
}

fn webpki_refuses_as_anchor(c: &Certificate) -> bool {
    // Engine::new used to fail on exactly this: the anchor the engine cannot use.
    Engine::new(EngineConfig {
        anchors: vec![CallerAnchor::new(c.clone())],
        ..EngineConfig::default()
    })
    .is_ok_and(|e| !e.skipped_anchors().is_empty())
}

#[test]
fn hole_5_an_anchor_is_not_named_after_a_leaf_that_carries_its_key() {
    let leaf = certs(&test_ca("adversary/leaf-ca-key.pem"));
    let root = certs(&test_ca("superfish/root.pem"));
    assert_eq!(leaf[0].spki_hash(), root[0].spki_hash());
    let e = engine(Vec::new(), None);
    for chain in [leaf.clone(), vec![leaf[0].clone(), root[0].clone()]] {
        let v = e
            .analyze_with_facts(&chain, Some("localhost"), None)
            .unwrap();
        assert_eq!(v.verdict, VerdictKind::InterceptedKnown, "{v:?}");
        let anchor = v.anchor.as_ref().expect("anchor");
        assert_ne!(anchor.subject, "localhost", "{anchor:?}");
        assert!(!anchor.subject.starts_with("sha256/"), "{anchor:?}");
        let json = serde_json::to_value(&v).unwrap();
        assert!(json["anchor"]["distrusted"].is_null(), "{json}");
        assert!(json["anchor"]
            .as_object()
            .unwrap()
            .contains_key("distrusted"));
    }
    // The fast path, given the leaf alone as a platform that trusts the key would return it.
    let v = e
        .analyze_validated(&ders(&leaf), Some("localhost"))
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::InterceptedKnown, "{v:?}");
    let anchor = v.anchor.as_ref().expect("anchor");
    assert_ne!(anchor.subject, "localhost", "{anchor:?}");
    // An anchor no certificate, program or list names is not called by its pin alone.
    let (corp_leaf, corp) = isrg_named_corp_ca();
    let v = e
        .analyze_validated(&ders(&[corp_leaf, corp]), Some("app.example"))
        .unwrap();
    assert_eq!(v.anchor.as_ref().unwrap().subject, "Corp TLS Inspection CA");
}

#[test]
fn hole_9_a_known_key_is_known_whatever_it_signed_with_and_however_its_name_is_written() {
    let e = engine(Vec::new(), None);
    for name in ["leaf-sha384.pem", "leaf-pss.pem", "leaf-recoded.pem"] {
        let chain = certs(&test_ca(&format!("adversary/{name}")));
        let v = e
            .analyze_with_facts(&chain, Some("localhost"), None)
            .unwrap();
        assert_eq!(v.verdict, VerdictKind::InterceptedKnown, "{name}: {v:?}");
        assert!(
            !codes(&v).contains(&FindingCode::ImpersonatesKnownCa),
            "{name}: a leaf the key signed is not an imitation: {v:?}"
        );
    }
}

#[test]
fn hole_11_a_budget_spent_on_decoy_anchors_does_not_make_the_verdict_depend_on_their_order() {
    // 150 installed anchors share the interceptor's CA name; one of them signed the leaf.
    // rustls-webpki checks each in turn and gives up after 100 signatures.
    let name = || dn(&[(DnType::CommonName, "Decoy Inspection CA")]);
    let real_key = KeyPair::generate().expect("key");
    let real_params = ca_params(name());
    let real = cert(real_params.self_signed(&real_key).expect("ca").der());
    let leaf = cert(
        leaf_params("app.example")
            .signed_by(
                &KeyPair::generate().expect("key"),
                &Issuer::new(real_params, real_key),
            )
            .expect("leaf")
            .der(),
    );
    let decoys: Vec<Certificate> = (0..150)
        .map(|_| {
            let k = KeyPair::generate().expect("key");
            cert(ca_params(name()).self_signed(&k).expect("decoy").der())
        })
        .collect();
    let mut verdicts = Vec::new();
    for real_first in [true, false] {
        let mut anchors: Vec<CallerAnchor> = decoys.iter().map(user_added).collect();
        if real_first {
            anchors.insert(0, user_added(&real));
        } else {
            anchors.push(user_added(&real));
        }
        let e = engine(anchors, None);
        let v = e
            .analyze_with_facts(std::slice::from_ref(&leaf), Some("app.example"), None)
            .unwrap();
        assert_eq!(
            v.verdict,
            VerdictKind::InterceptedLocal,
            "real first: {real_first}: {v:?}"
        );
        assert_eq!(
            v.anchor.as_ref().unwrap().spki_sha256,
            real.spki_hash().hex()
        );
        verdicts.push(v.verdict);
    }
    assert_eq!(verdicts[0], verdicts[1]);
}

#[test]
fn hole_2_an_unreadable_certificate_stays_in_a_store_audit() {
    // The real Qaznet root with a broken notBefore (tests/data/adversarial): the X.509 reader
    // refuses it, its key is still Qaznet's.
    let der = read(&data("adversarial/qaznet-root-bad-not-before.der"));
    let odd = Certificate::from_der(der, 1).expect("outline");
    let report = engine(Vec::new(), None).audit(&[odd]);
    assert_eq!(report.certificates.len(), 1, "{report:?}");
    let entry = &report.certificates[0];
    assert_eq!(
        entry.class,
        qorgan::CertificateClass::KnownInterception,
        "{entry:?}"
    );
    let codes: Vec<FindingCode> = entry.findings.iter().map(|f| f.code).collect();
    assert!(
        codes.contains(&FindingCode::UnreadableCertificate),
        "{codes:?}"
    );
    assert_eq!(report.summary.known_interception, 1);
}

//! In-app pinning: TrustKit's validator cases, the host-matching vectors of OkHttp and
//! TrustKit (pins.json), Network Security Config parsing, the JSON format, the engine's rules
//! (validated chain only, debug overrides, report-only, expiry) and reports.

mod common;

use std::collections::HashMap;

use common::*;
use qorgan::pinning::{PolicyErrorKind, PolicyLocation, PolicyWarningKind};
use qorgan::{
    CallerAnchor, Certificate, Engine, EngineConfig, FindingCode, PinPolicy, PinResult, Severity,
    SpkiHash, Verdict, VerdictKind,
};

const GOOD_LEAF: &str = "TwyNzy19zZi7cKfPsucs1E+h8ODOCPMrT8681sFWJvw=";
const GOOD_ROOT: &str = "S5z3Fz5ZfZAGJOBZjK6TYBquyLLKO+BndKXBlL3nPjo=";
const GLOBALSIGN_R1: &str = "K87oWBWM9UZfyddvDfoxL+8lpNyoUB2ptGtn0fv6G2Q=";
const A: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
const B: &str = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=";
/// TrustKit's placeholder `B` has trailing bits set; Android and Apple accept it, and Qorgan
/// prints the key it stands for canonically.
const B_CANONICAL: &str = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=";

fn tk(rel: &str) -> Vec<Certificate> {
    certs(&data(&format!("trustkit/{rel}")))
}

fn engine_for(policy: PinPolicy, anchors: Vec<CallerAnchor>, debug: bool) -> Engine {
    Engine::new(EngineConfig {
        anchors,
        pin_policy: Some(policy),
        dangerous_debug_build: debug,
        ..EngineConfig::default()
    })
    .expect("engine")
}

fn finding(v: &Verdict, code: FindingCode) -> Option<&qorgan::Finding> {
    v.findings.iter().find(|f| f.code == code)
}

fn ders(chain: &[Certificate]) -> Vec<&[u8]> {
    chain.iter().map(|c| c.der().as_ref()).collect()
}

// -------------------------------------------------------------------------------------------
// TrustKit's pinning-validator cases (trustkit/cases.tsv)

/// Builds the case's policy: www.good.com with the case's pins (enforced unless
/// report-only, with its expiration), the test CA accepted as an anchor (TrustKit's tests trust
/// it as a custom anchor), good.com + excluded unsecured.good.com for testExcludedSubdomain.
fn trustkit_policy(row: &HashMap<String, String>) -> PinPolicy {
    let policy = row["policy"].as_str();
    let pins: Vec<String> = if row["pins_sha256_b64"].starts_with('(') {
        vec![format!("sha256/{GOOD_ROOT}"), format!("sha256/{GOOD_LEAF}")]
    } else {
        row["pins_sha256_b64"]
            .split(',')
            .map(|p| format!("sha256/{p}"))
            .collect()
    };
    let mut domain = serde_json::json!({
        "domain": "www.good.com",
        "pins": pins,
        "enforce": !policy.starts_with("report-only"),
    });
    if let Some(date) = policy.split("expirationDate=").nth(1) {
        domain["expiration"] = serde_json::json!(date.trim());
    }
    let mut domains = vec![domain];
    if row["case_id"] == "testExcludedSubdomain" {
        domains = vec![serde_json::json!({
            "domain": "good.com", "include-subdomains": true, "pins": pins,
            "excluded-subdomains": ["unsecured.good.com"],
        })];
    }
    let json = serde_json::json!({
        "allowed-anchors": [format!("sha256/{GOOD_ROOT}")],
        "domains": domains,
    });
    PinPolicy::from_json(&json.to_string()).expect("case policy")
}

#[test]
fn trustkit_validator_cases() {
    let rows = tsv(&data("trustkit/cases.tsv"));
    let at = Some(unix("2025-06-01T00:00:00Z"));
    let mut checked = 0;
    for row in &rows {
        let id = row["case_id"].as_str();
        if id.starts_with("spki-extract") {
            let c = tk(&row["chain_presented"]).remove(0);
            assert_eq!(c.spki_hash().base64(), row["pins_sha256_b64"], "{id}");
            assert_eq!(
                qorgan::pinning::PinPolicy::builder()
                    .add("x.example", [c.spki_hash().pin(), format!("sha256/{A}")])
                    .build()
                    .unwrap()
                    .evaluate("x.example", &[c.spki_hash()], 0)
                    .result,
                PinResult::Success
            );
            checked += 1;
            continue;
        }
        let chain: Vec<Certificate> = row["chain_presented"].split(',').flat_map(tk).collect();
        let anchors: Vec<CallerAnchor> = tk(&row["anchors"])
            .into_iter()
            .map(CallerAnchor::new)
            .collect();
        let engine = engine_for(trustkit_policy(row), anchors, false);
        let host = row["hostname"].as_str();
        let decision = row["expected_decision"].as_str();
        let evaluation = row["expected_evaluation"].as_str();
        if decision == "DomainNotPinned" && !row["policy"].contains("expirationDate") {
            // The host is not pinned (no rule, or an excluded subdomain): checked on the
            // platform's chain, since the certificate is not valid for that name.
            let anchor = tk(&row["anchors"]).remove(0);
            let validated = [chain[0].der().as_ref(), anchor.der().as_ref()];
            let v = engine.analyze_validated(&validated, Some(host)).unwrap();
            assert!(!v.has(FindingCode::PinMismatch), "{id}: {:?}", v.findings);
            assert!(v.is_acceptable(), "{id}: {:?}", v);
            checked += 1;
            continue;
        }
        let v = engine.analyze_with_facts(&chain, Some(host), at).unwrap();
        let mismatch = finding(&v, FindingCode::PinMismatch);
        match (evaluation, decision) {
            ("Success", "ShouldAllowConnection") => {
                assert!(mismatch.is_none(), "{id}: {:?}", v.findings);
                assert!(v.is_acceptable(), "{id}: {v:?}");
            }
            ("FailedNoMatchingPin", "ShouldBlockConnection") => {
                assert_eq!(
                    mismatch.map(|f| f.severity),
                    Some(Severity::Critical),
                    "{id}"
                );
                assert_eq!(v.verdict, VerdictKind::PinViolation, "{id}");
                assert!(!v.is_acceptable());
            }
            ("FailedNoMatchingPin", "ShouldAllowConnection") => {
                assert_eq!(
                    mismatch.map(|f| f.severity),
                    Some(Severity::Warning),
                    "{id}"
                );
                assert!(mismatch.unwrap().message.contains("report-only"));
                assert!(v.is_acceptable(), "{id}: {v:?}");
            }
            ("(not evaluated)", "DomainNotPinned") => {
                assert!(v.has(FindingCode::PinPolicyExpired), "{id}");
                assert!(mismatch.is_none(), "{id}");
                assert!(v.is_acceptable(), "{id}: {v:?}");
            }
            ("FailedInvalidCertificateChain", "ShouldBlockConnection") => {
                assert!(
                    mismatch.is_none(),
                    "{id}: pins are not evaluated on a failed chain"
                );
                assert!(
                    matches!(v.verdict, VerdictKind::Untrusted | VerdictKind::Invalid),
                    "{id}: {:?}",
                    v.verdict
                );
                assert!(!v.is_acceptable());
            }
            other => panic!("{id}: unexpected expectation {other:?}"),
        }
        // The fast path on the platform's chain (leaf, then the anchor) agrees for every
        // chain the platform would accept.
        if evaluation != "FailedInvalidCertificateChain" {
            let validated = vec![chain[0].clone(), tk(&row["anchors"]).remove(0)];
            let fast = engine
                .analyze_validated(&ders(&validated), Some(host))
                .unwrap();
            assert_eq!(
                fast.has(FindingCode::PinMismatch),
                mismatch.is_some(),
                "{id} fast path"
            );
            assert_eq!(fast.is_acceptable(), v.is_acceptable(), "{id} fast path");
        }
        checked += 1;
    }
    assert_eq!(checked, rows.len());
    assert_eq!(checked, 17);
}

#[test]
fn an_injected_ca_outside_the_validated_path_never_satisfies_a_pin() {
    // TrustKit's testVerifyAgainstInjectedCaPublicKey, strengthened: the pin is the key of
    // the very certificate the server injects (GlobalSign Root CA, a public root).
    let chain: Vec<Certificate> = [
        "Certificates/RSA_4096/www.good.com.der",
        "Certificates/RSA_2048/GlobalSignRootCA.der",
    ]
    .into_iter()
    .flat_map(tk)
    .collect();
    assert_eq!(chain[1].spki_hash().base64(), GLOBALSIGN_R1);
    let policy = PinPolicy::builder()
        .add("www.good.com", [GLOBALSIGN_R1, A])
        .build()
        .unwrap();
    let anchors = vec![CallerAnchor::new(
        tk("Certificates/RSA_4096/GoodRootCA.der").remove(0),
    )];
    let engine = engine_for(policy, anchors, false);
    let v = engine
        .analyze_with_facts(
            &chain,
            Some("www.good.com"),
            Some(unix("2025-06-01T00:00:00Z")),
        )
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::PinViolation, "{:?}", v.findings);
    let msg = &finding(&v, FindingCode::PinMismatch).unwrap().message;
    // The message lists the validated chain (leaf and the test CA), not the injected root.
    assert!(msg.contains(GOOD_LEAF) && msg.contains(GOOD_ROOT), "{msg}");
    assert!(!msg.contains(&format!("sha256/{GLOBALSIGN_R1}: ")), "{msg}");
}

#[test]
fn the_failure_message_is_okhttps_ready_to_paste() {
    let chain = tk("Certificates/RSA_4096/www.good.com.der");
    let root = tk("Certificates/RSA_4096/GoodRootCA.der");
    let policy = PinPolicy::builder()
        .add("**.good.com", [A, B])
        .build()
        .unwrap();
    let engine = engine_for(policy, vec![CallerAnchor::new(root[0].clone())], false);
    let v = engine
        .analyze_with_facts(
            &chain,
            Some("www.good.com"),
            Some(unix("2025-06-01T00:00:00Z")),
        )
        .unwrap();
    let msg = &finding(&v, FindingCode::PinMismatch).unwrap().message;
    let expected_start = format!(
        "Certificate pinning failure!\n  Peer certificate chain:\n    sha256/{GOOD_LEAF}: O=trustme v0.5.3, OU=Testing cert #5inN_8vvR_o3ekM8\n    sha256/{GOOD_ROOT}: O=trustme v0.5.3, OU=Testing CA #Rb7Awwu_w6FLK5yN\n  Pinned certificates for www.good.com:\n    sha256/{A}\n    sha256/{B_CANONICAL}\n  Rule: **.good.com"
    );
    assert!(msg.starts_with(&expected_start), "{msg}");
    // The fast path names the same certificates, read from their DER.
    let fast = engine
        .analyze_validated(
            &ders(&[chain[0].clone(), root[0].clone()]),
            Some("www.good.com"),
        )
        .unwrap();
    assert!(fast
        .findings
        .iter()
        .any(|f| f.message.starts_with(&expected_start)));
}

// -------------------------------------------------------------------------------------------
// Host matching: pins.json vectors

fn vectors() -> serde_json::Value {
    serde_json::from_slice(&read(&data("pins/pins.json"))).unwrap()
}

fn two_pins() -> [String; 2] {
    [format!("sha256/{A}"), format!("sha256/{B}")]
}

#[test]
fn okhttp_host_matching_vectors() {
    let v = vectors();
    let groups = v["host_matching"].as_object().unwrap();
    let okhttp = groups
        .iter()
        .find(|(k, _)| k.starts_with("okhttp"))
        .unwrap()
        .1
        .as_array()
        .unwrap();
    let mut checked = 0;
    for case in okhttp {
        let pattern = case["pattern"].as_str().unwrap();
        if let Some(host) = case.get("host") {
            // "*.example.com + a.example.com": OkHttp unions both entries' pins. Qorgan
            // applies only the most specific rule (documented on PinPolicy).
            let (wild, exact) = pattern.split_once(" + ").unwrap();
            let policy = PinPolicy::builder()
                .add(wild, [format!("sha256/{A}"), format!("sha256/{B}")])
                .add(
                    exact,
                    [format!("sha256/{GOOD_LEAF}"), format!("sha256/{GOOD_ROOT}")],
                )
                .build()
                .unwrap();
            let host = host.as_str().unwrap();
            assert_eq!(policy.rule_for(host).unwrap().pattern(), exact);
            let only_wild_pin = SpkiHash::from_base64(A).unwrap();
            assert_eq!(
                policy.evaluate(host, &[only_wild_pin], 0).result,
                PinResult::NoMatchingPin,
                "OkHttp would accept A through *.example.com; Qorgan does not"
            );
            checked += 1;
            continue;
        }
        let patterns: Vec<&str> = pattern.split(" / ").collect();
        let mut b = PinPolicy::builder();
        for p in &patterns {
            b = b.add(p, two_pins());
        }
        let policy = b.build().unwrap();
        for host in case["match"].as_array().unwrap() {
            let host = host.as_str().unwrap();
            assert!(
                policy.rule_for(host).is_some(),
                "{pattern} should match {host:?}"
            );
            checked += 1;
        }
        for host in case
            .get("no_match")
            .and_then(|n| n.as_array())
            .into_iter()
            .flatten()
        {
            let host = host.as_str().unwrap();
            assert!(
                policy.rule_for(host).is_none(),
                "{pattern} should not match {host:?}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 30, "{checked}");
    // The IDN pattern also matches the Unicode spelling of the host.
    let p = PinPolicy::builder()
        .add("σkhttp.com", two_pins())
        .build()
        .unwrap();
    assert_eq!(p.rules()[0].domain, "xn--khttp-fde.com");
    assert!(p.rule_for("σkhttp.COM").is_some());
    assert!(p.rule_for("xn--khttp-fde.com").is_some());
    // A pattern IDNA would have to map (upper case, compatibility characters) is refused, with
    // the character at fault, rather than pinned under a guessed name.
    for (pattern, c) in [
        ("ΣKHTTP.com", 'Σ'),
        ("**.\u{FB01}nance.example", '\u{FB01}'),
    ] {
        let err = PinPolicy::builder()
            .add(pattern, two_pins())
            .build()
            .unwrap_err();
        match &err.kind {
            qorgan::pinning::PolicyErrorKind::UnnormalizedName { reason, .. } => {
                assert_eq!(reason.character(), Some(c), "{err}")
            }
            other => panic!("{pattern}: {other:?}"),
        }
        assert!(err.to_string().contains(pattern), "{err}");
    }
    // No rule matches a host written so (the engine takes ASCII hosts only).
    assert!(p.rule_for("ΣKHTTP.com").is_none());
    // A Bengali name typed in keyboard order (e-kar, then aa-kar for the o-kar of "সোনা"):
    // UTS-46 normalizes it to NFC first, so its A-label is that of U+09CB. Written so, it was
    // pinned under another A-label, one no platform connects to; it is refused, saying what
    // to write, and the NFC spelling pins the name UTS-46 gives.
    let typed = "**.\u{9B8}\u{9C7}\u{9BE}\u{9A8}\u{9BE}.example";
    let err = PinPolicy::builder()
        .add(typed, two_pins())
        .build()
        .unwrap_err();
    assert!(
        matches!(
            err.kind,
            qorgan::pinning::PolicyErrorKind::UnnormalizedName { .. }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("U+09CB"), "{err}");
    let nfc = "\u{9B8}\u{9CB}\u{9A8}\u{9BE}.example";
    let p = PinPolicy::builder()
        .add(&format!("**.{nfc}"), two_pins())
        .build()
        .unwrap();
    assert_eq!(p.rules()[0].domain, idna::domain_to_ascii(nfc).unwrap());
    assert!(p.rule_for(&format!("www.{nfc}")).is_some());
}

#[test]
fn trustkit_host_matching_vectors() {
    let v = vectors();
    let groups = v["host_matching"].as_object().unwrap();
    let trustkit = groups
        .iter()
        .find(|(k, _)| k.starts_with("trustkit"))
        .unwrap()
        .1
        .as_array()
        .unwrap();
    let mut checked = 0;
    for case in trustkit {
        let Some(config) = case.get("config").and_then(|c| c.as_object()) else {
            continue;
        };
        let domains: Vec<serde_json::Value> = config
            .iter()
            .map(|(d, o)| {
                serde_json::json!({
                    "domain": d,
                    "include-subdomains": o["includeSubdomains"],
                    "pins": two_pins(),
                })
            })
            .collect();
        let text = serde_json::json!({ "domains": domains }).to_string();
        let expect = &case["expect"];
        if expect.as_str().is_some_and(|e| e.contains("rejected")) {
            let e = PinPolicy::from_json(&text).unwrap_err();
            assert!(
                matches!(e.kind, PolicyErrorKind::PublicSuffix { .. }),
                "{e}"
            );
            assert_eq!(
                e.location,
                Some(PolicyLocation::Path("domains[0].domain".into()))
            );
            // The same in XML, with the line of the <domain>.
            let xml = "<network-security-config>\n  <domain-config>\n    <domain includeSubdomains=\"true\">com</domain>\n  </domain-config>\n</network-security-config>";
            let e = PinPolicy::from_nsc_xml(xml).unwrap_err();
            assert!(matches!(e.kind, PolicyErrorKind::PublicSuffix { .. }));
            assert_eq!(
                e.location,
                Some(PolicyLocation::Text { line: 3, column: 5 })
            );
            checked += 1;
            continue;
        }
        let policy = PinPolicy::from_json(&text).unwrap();
        let host = case["host"].as_str().unwrap();
        let got = policy.rule_for(host).map(|r| r.domain.as_str());
        assert_eq!(got, expect.as_str(), "{host} with {config:?}");
        checked += 1;
    }
    assert_eq!(checked, 6);
}

// -------------------------------------------------------------------------------------------
// Network Security Config

fn app_nsc() -> (String, PinPolicy) {
    let path = data("policies/app/res/xml/network_security_config.xml");
    let text = String::from_utf8(read(&path)).unwrap();
    let raw_dir = data("policies/app/res/raw");
    let resolver = move |src: &str| -> Option<Vec<u8>> {
        let name = src.strip_prefix("@raw/")?;
        std::fs::read(raw_dir.join(format!("{name}.der"))).ok()
    };
    let policy = PinPolicy::from_text_with(&text, Some(&resolver)).expect("app policy");
    (text, policy)
}

#[test]
fn nsc_nesting_inheritance_exclusion_and_anchors() {
    let (_, p) = app_nsc();
    let good = p.rule_for("www.good.com").unwrap();
    assert_eq!(good.pattern(), "**.good.com");
    assert_eq!(good.pins.len(), 2);
    assert_eq!(good.expiration.as_deref(), Some("2099-01-01"));
    // nested: inherits pins and expiration
    let api = p.rule_for("api.good.com").unwrap();
    assert_eq!(api.pattern(), "api.good.com");
    assert_eq!(api.pins, good.pins);
    assert_eq!(api.expiration_unix, good.expiration_unix);
    // a deeper name under the nested exact domain falls back to **.good.com
    assert_eq!(
        p.rule_for("v2.api.good.com").unwrap().pattern(),
        "**.good.com"
    );
    // excluded by a domain-config without pin-set
    for h in ["unsecured.good.com", "a.unsecured.good.com"] {
        let r = p.rule_for(h).unwrap();
        assert!(!r.is_pinned(), "{h}");
        assert_eq!(p.evaluate(h, &[], 0).result, PinResult::NotPinned);
    }
    // base-config's @raw anchor is resolved and accepted everywhere
    let root = SpkiHash::from_base64(GOOD_ROOT).unwrap();
    assert_eq!(p.allowed_anchors(), &[root]);
    assert_eq!(p.allowed_anchors_for("www.good.com"), &[root]);
    // debug-overrides with an explicit overridePins
    let d = p.debug_overrides().unwrap();
    assert!(d.override_pins);
    assert_eq!(d.sources, vec![qorgan::pinning::AnchorSource::User]);
    assert!(p.warnings().is_empty(), "{:?}", p.warnings());
}

#[test]
fn nsc_and_json_forms_of_the_same_policy_decide_alike() {
    let (_, xml) = app_nsc();
    let json =
        PinPolicy::from_text(&String::from_utf8(read(&data("policies/good-com.json"))).unwrap())
            .unwrap();
    assert_eq!(json.format(), qorgan::pinning::PolicyFormat::Json);
    assert_eq!(
        xml.format(),
        qorgan::pinning::PolicyFormat::NetworkSecurityConfig
    );
    let keys = [
        vec![],
        vec![SpkiHash::from_base64(GOOD_LEAF).unwrap()],
        vec![SpkiHash::from_base64(GOOD_ROOT).unwrap()],
        vec![SpkiHash::from_base64(A).unwrap()],
    ];
    for host in [
        "good.com",
        "www.good.com",
        "api.good.com",
        "x.y.good.com",
        "unsecured.good.com",
        "b.unsecured.good.com",
        "www.pinned-elsewhere.com",
        "pinned-elsewhere.com",
        "example.org",
    ] {
        for k in &keys {
            assert_eq!(
                xml.evaluate(host, k, 0).result,
                json.evaluate(host, k, 0).result,
                "{host} {k:?}"
            );
        }
        assert_eq!(
            xml.allowed_anchors_for(host),
            json.allowed_anchors_for(host)
        );
    }
    // and the JSON written back by to_json loads to the same decisions
    let again = PinPolicy::from_json(&json.to_json().to_string()).unwrap();
    assert_eq!(again.rules(), json.rules());
}

fn nsc(body: &str) -> Result<PinPolicy, qorgan::PolicyError> {
    PinPolicy::from_nsc_xml(&format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<network-security-config>\n{body}\n</network-security-config>\n"
    ))
}

fn pin_set(exp: &str) -> String {
    format!(
        "<pin-set{exp}><pin digest=\"SHA-256\">{A}</pin><pin digest=\"SHA-256\">{B}</pin></pin-set>"
    )
}

#[test]
fn nsc_errors_say_what_to_fix_and_where() {
    let line_of = |e: &qorgan::PolicyError| match e.location {
        Some(PolicyLocation::Text { line, .. }) => line,
        ref other => panic!("no line: {other:?}"),
    };
    // malformed XML: line and column
    let e = nsc("<domain-config>\n  <domain>a.com</domain>\n  <pin-set>\n</domain-config>")
        .unwrap_err();
    assert!(
        matches!(e.kind, PolicyErrorKind::MalformedXml { .. }),
        "{e}"
    );
    assert_eq!(line_of(&e), 6, "{e}");
    assert!(e.to_string().starts_with("line 6, column"), "{e}");
    // bad base64, on the pin's line
    let e = nsc(&format!(
        "<domain-config>\n<domain>a.com</domain>\n<pin-set>\n<pin digest=\"SHA-256\">not base64!</pin>\n<pin digest=\"SHA-256\">{A}</pin>\n</pin-set>\n</domain-config>"
    ))
    .unwrap_err();
    assert!(matches!(e.kind, PolicyErrorKind::BadBase64 { .. }), "{e}");
    assert_eq!(line_of(&e), 6);
    assert!(e.to_string().contains("qorgan pin"), "{e}");
    // a SHA-1-sized digest
    let e = nsc("<domain-config><domain>a.com</domain><pin-set><pin digest=\"SHA-256\">AAAAAAAAAAAAAAAAAAAAAAAAAAA=</pin></pin-set></domain-config>").unwrap_err();
    assert!(
        matches!(
            e.kind,
            PolicyErrorKind::WrongDigestLength { length: 20, .. }
        ),
        "{e}"
    );
    // an unknown digest
    let e = nsc(&format!("<domain-config><domain>a.com</domain><pin-set><pin digest=\"SHA-1\">{A}</pin></pin-set></domain-config>")).unwrap_err();
    assert!(
        matches!(e.kind, PolicyErrorKind::UnknownDigest { .. }),
        "{e}"
    );
    // includeSubdomains on a public suffix
    let e = nsc(&format!(
        "<domain-config><domain includeSubdomains=\"true\">co.uk</domain>{}</domain-config>",
        pin_set("")
    ))
    .unwrap_err();
    assert!(
        matches!(e.kind, PolicyErrorKind::PublicSuffix { .. }),
        "{e}"
    );
    assert!(e.to_string().contains("co.uk"));
    // a bad expiration date
    let e = nsc(&format!(
        "<domain-config><domain>a.com</domain>{}</domain-config>",
        pin_set(" expiration=\"01/02/2027\"")
    ))
    .unwrap_err();
    assert!(matches!(e.kind, PolicyErrorKind::InvalidDate { .. }), "{e}");
    // structure, as Android refuses it
    for (body, words) in [
        ("<domain-config></domain-config>".to_string(), "no <domain>"),
        (format!("<domain-config><domain>a.com</domain>{0}{0}</domain-config>", pin_set("")), "only one <pin-set>"),
        (format!("<base-config>{}</base-config>", pin_set("")), "not allowed in <base-config>"),
        ("<domain-config><domain>a.com</domain></domain-config><domain-config><domain>A.com</domain></domain-config>".to_string(), "more than once"),
        ("<base-config/><base-config/>".to_string(), "only one <base-config>"),
        ("<domain-config><domain>a.com</domain><trust-anchors><certificates src=\"ftp\"/></trust-anchors></domain-config>".to_string(), "unknown certificates src"),
        ("<domain-config><domain>a*.com</domain></domain-config>".to_string(), "wildcard"),
    ] {
        let e = nsc(&body).unwrap_err();
        assert!(e.to_string().contains(words), "{body}: {e}");
        assert!(e.location.is_some(), "{body}");
    }
    // nested domain-configs: 64 deep are read, 65 refused where the 65th starts
    let nest = |n: usize| {
        (0..n)
            .map(|i| format!("<domain-config><domain>d{i}.com</domain>"))
            .collect::<String>()
            + &"</domain-config>".repeat(n)
    };
    assert_eq!(nsc(&nest(64)).unwrap().rules().len(), 64);
    let e = nsc(&nest(65)).unwrap_err();
    assert!(e.to_string().contains("nested more than 64 deep"), "{e}");
    assert!(
        matches!(e.location, Some(PolicyLocation::Text { line: 3, column }) if column > 64 * 15),
        "{e}"
    );
    // not XML at all, not JSON either
    assert!(matches!(
        PinPolicy::from_text("pins: yes").unwrap_err().kind,
        PolicyErrorKind::UnknownFormat
    ));
    // a DTD is refused (no entity expansion)
    let e = PinPolicy::from_text(
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><network-security-config/>",
    )
    .unwrap_err();
    assert!(
        matches!(e.kind, PolicyErrorKind::MalformedXml { .. }),
        "{e}"
    );
}

/// Documents that are not well-formed XML (XML 1.0, Namespaces in XML): the earlier
/// hand-written reader accepted each. Android's parser refuses them (aapt2 does not compile
/// them); Qorgan refuses them with the line and column, the fault being on line 3 of each
/// (the policy is fine otherwise).
#[test]
fn nsc_not_well_formed_is_refused_with_a_position() {
    // What is wrong, line 3 of the policy, and the column of the fault.
    let cases: &[(&str, &str, u32)] = &[
        (
            "a sign in a decimal character reference",
            "<domain>a&#+65;.com</domain>",
            10,
        ),
        (
            "a sign in a hexadecimal character reference",
            "<domain>a&#x+45;.com</domain>",
            10,
        ),
        (
            "-- inside a comment",
            "<!-- pins -- rotated yearly --><domain>a.com</domain>",
            1,
        ),
        ("]]> in text", "<domain>a.com</domain> ]]>", 24),
        (
            "an XML declaration after the start",
            "<?xml version=\"1.0\"?><domain>a.com</domain>",
            1,
        ),
        (
            "an unbound namespace prefix on an attribute",
            "<domain tools:ignore=\"x\">a.com</domain>",
            9,
        ),
        (
            "an unbound namespace prefix on an element",
            "<a:domain>a.com</a:domain>",
            2,
        ),
        (
            "a raw control character in text",
            "<domain>a.com</domain>\u{1}",
            23,
        ),
        (
            "a raw control character in a comment",
            "<!-- \u{1b} --><domain>a.com</domain>",
            6,
        ),
        (
            "a raw control character in an attribute",
            "<domain note=\"\u{8}\">a.com</domain>",
            15,
        ),
    ];
    for &(what, line3, column) in cases {
        let text = format!(
            "<network-security-config>\n<domain-config>\n{line3}\n<domain>b.com</domain>{}\n</domain-config>\n</network-security-config>\n",
            pin_set("")
        );
        let e = PinPolicy::from_nsc_xml(&text).expect_err(what);
        assert!(
            matches!(e.kind, PolicyErrorKind::MalformedXml { .. }),
            "{what}: {e}"
        );
        assert_eq!(
            e.location,
            Some(PolicyLocation::Text { line: 3, column }),
            "{what}: {e}"
        );
        assert!(e.to_string().starts_with("line 3, column "), "{what}: {e}");
    }
}

/// Android (AOSP `Pin.isSupportedDigestAlgorithm`) accepts only "SHA-256", in any case, and
/// refuses `digest="SHA256"` (the earlier reader accepted it as SHA-256).
#[test]
fn nsc_digest_must_be_sha_256_as_android_writes_it() {
    for digest in ["SHA256", "sha256", "SHA_256", " SHA-256", "SHA-256 ", ""] {
        let e = nsc(&format!(
            "<domain-config>\n<domain>a.com</domain>\n<pin-set>\n<pin digest=\"{digest}\">{A}</pin>\n<pin digest=\"SHA-256\">{B}</pin>\n</pin-set>\n</domain-config>"
        ))
        .expect_err(digest);
        assert!(
            matches!(e.kind, PolicyErrorKind::UnknownDigest { .. }),
            "{digest}: {e}"
        );
        assert!(e.to_string().contains("digest=\"SHA-256\""), "{e}");
        assert!(
            matches!(e.location, Some(PolicyLocation::Text { line: 6, .. })),
            "{digest}: {e}"
        );
    }
    for digest in ["SHA-256", "sha-256", "Sha-256"] {
        nsc(&format!(
            "<domain-config><domain>a.com</domain><pin-set><pin digest=\"{digest}\">{A}</pin><pin digest=\"SHA-256\">{B}</pin></pin-set></domain-config>"
        ))
        .unwrap_or_else(|e| panic!("{digest}: {e}"));
    }
}

/// A policy of 16,000 domain-configs: every rule read, each at its own line. (The earlier
/// reader recomputed positions from the start for every element: 72 s. The time is printed,
/// not asserted.)
#[test]
fn nsc_large_policy_reads_every_rule_at_its_line() {
    const N: usize = 16_000;
    let mut text = String::from("<network-security-config>\n");
    for i in 0..N {
        text.push_str(&format!(
            "  <domain-config>\n    <domain>host{i}.example.com</domain>\n    {}\n  </domain-config>\n",
            pin_set("")
        ));
    }
    text.push_str("</network-security-config>\n");
    let start = std::time::Instant::now();
    let p = PinPolicy::from_nsc_xml(&text).unwrap();
    eprintln!(
        "{N} domain-configs ({} bytes) read in {:?}",
        text.len(),
        start.elapsed()
    );
    assert_eq!(p.rules().len(), N);
    for i in [0, 1, N / 2, N - 1] {
        assert!(p.rule_for(&format!("host{i}.example.com")).is_some(), "{i}");
    }
    // A fault in the last one is reported at its line.
    let broken = text.replacen(
        &format!("<domain>host{}.example.com</domain>", N - 1),
        "<domain>host.example.com</domain><domain>host.example.com</domain>",
        1,
    );
    let e = PinPolicy::from_nsc_xml(&broken).unwrap_err();
    assert_eq!(
        e.location,
        Some(PolicyLocation::Text {
            line: u32::try_from(2 + 4 * (N - 1) + 1).unwrap(),
            column: 38
        }),
        "{e}"
    );
}

#[test]
fn nsc_domains_android_reads_otherwise_are_read_with_a_warning() {
    let p = nsc(&format!(
        "<domain-config><domain>*.wild.com</domain>{0}</domain-config>
<domain-config><domain>dot.com.</domain>{0}</domain-config>
<domain-config><domain>Пример.ҚАЗ</domain>{0}</domain-config>
<domain-config><domain>plain.com</domain>{0}</domain-config>",
        pin_set("")
    ))
    .expect("warnings are not errors");
    let warned: Vec<&str> = p
        .warnings()
        .iter()
        .filter(|w| w.kind == PolicyWarningKind::DomainReadOtherwise)
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(warned.len(), 3, "{:?}", p.warnings());
    assert!(warned[0].contains("<domain includeSubdomains=\"true\">wild.com</domain>"));
    assert!(warned[1].contains("write dot.com without the dot"));
    assert!(warned[2].contains("<domain>пример.қаз</domain>") && warned[2].contains("punycode"));
    // read as the names they stand for
    assert_eq!(p.rule_for("a.wild.com").unwrap().pattern(), "*.wild.com");
    assert_eq!(p.rule_for("dot.com").unwrap().pattern(), "dot.com");
    assert_eq!(
        p.rule_for("xn--e1afmkfd.xn--80ao21a").unwrap().pattern(),
        "xn--e1afmkfd.xn--80ao21a"
    );
}

#[test]
fn nsc_warnings_one_pin_expired_override_pins_and_user_anchors() {
    let p = nsc(&format!(
        "<domain-config><domain>one.com</domain><pin-set><pin digest=\"sha-256\">{A}</pin></pin-set></domain-config>
<domain-config><domain>old.com</domain>{}</domain-config>
<domain-config><domain>user.com</domain>{}<trust-anchors><certificates src=\"user\" overridePins=\"true\"/></trust-anchors></domain-config>
<domain-config><domain>empty.com</domain><pin-set/></domain-config>
<debug-overrides><trust-anchors><certificates src=\"user\"/></trust-anchors></debug-overrides>",
        pin_set(" expiration=\"2015-01-01\""),
        pin_set("")
    ))
    .expect("warnings are not errors");
    let kinds: Vec<PolicyWarningKind> = p.warnings().iter().map(|w| w.kind).collect();
    for k in [
        PolicyWarningKind::SinglePin,
        PolicyWarningKind::Expired,
        PolicyWarningKind::OverridePinsIgnored,
        PolicyWarningKind::UserAnchors,
        PolicyWarningKind::EmptyPinSet,
        PolicyWarningKind::DebugOverridesImplicit,
    ] {
        assert!(kinds.contains(&k), "{k:?} missing from {:?}", p.warnings());
    }
    for w in p.warnings() {
        assert!(w.location.is_some(), "{w}");
    }
    assert!(p.rule_for("user.com").unwrap().trusts_user_anchors);
    assert!(!p.debug_overrides().unwrap().override_pins);
    assert_eq!(p.evaluate("empty.com", &[], 0).result, PinResult::NotPinned);
    assert_eq!(
        p.evaluate("old.com", &[], unix("2020-01-01T00:00:00Z"))
            .result,
        PinResult::PolicyExpired
    );
    assert_eq!(
        p.evaluate("old.com", &[], unix("2014-12-31T23:59:59Z"))
            .result,
        PinResult::NoMatchingPin,
        "enforced until the expiration day starts"
    );
}

#[test]
fn json_errors_name_the_value() {
    let e = PinPolicy::from_json(r#"{"domains": [{"domain": "a.com", "pins": ["sha256/AAAA"]}]}"#)
        .unwrap_err();
    assert_eq!(
        e.location,
        Some(PolicyLocation::Path("domains[0].pins[0]".into()))
    );
    assert!(matches!(
        e.kind,
        PolicyErrorKind::WrongDigestLength { length: 3, .. }
    ));
    let e =
        PinPolicy::from_json(r#"{"domains": [{"domain": "a.com", "include-subdomain": true}]}"#)
            .unwrap_err();
    assert!(
        e.to_string().contains("unknown key \"include-subdomain\""),
        "{e}"
    );
    let e = PinPolicy::from_json("{\"domains\": [\n  {\"domain\": \"a.com\",}\n]}").unwrap_err();
    assert!(matches!(e.kind, PolicyErrorKind::MalformedJson { .. }));
    assert_eq!(
        e.location,
        Some(PolicyLocation::Text {
            line: 2,
            column: 22
        })
    );
    let e = PinPolicy::from_json(
        r#"{"domains": [{"domain": "a.com", "excluded-subdomains": ["b.com"]}]}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("not under"), "{e}");
}

// -------------------------------------------------------------------------------------------
// The engine: anchors never bypass pins, except an explicit debug override in a debug build

fn local_chain() -> Vec<Certificate> {
    certs(&test_ca("local-root/chain.pem"))
}

#[test]
fn a_locally_installed_anchor_never_bypasses_pins_outside_debug_overrides() {
    let root = certs(&test_ca("local-root/root.pem")).remove(0);
    let user_root = CallerAnchor {
        certificate: root.clone(),
        user_added: true,
    };
    // overridePins="true" outside <debug-overrides> is read, warned about and ignored.
    let p = nsc(&format!(
        "<domain-config><domain>localhost</domain>{}<trust-anchors><certificates src=\"user\" overridePins=\"true\"/></trust-anchors></domain-config>",
        pin_set("")
    ))
    .unwrap();
    for debug in [false, true] {
        let engine = engine_for(p.clone(), vec![user_root.clone()], debug);
        let v = engine
            .analyze_with_facts(&local_chain(), Some("localhost"), None)
            .unwrap();
        assert_eq!(v.verdict, VerdictKind::PinViolation, "debug={debug}");
        let v = engine
            .analyze_validated(&ders(&local_chain()), Some("localhost"))
            .unwrap();
        assert_eq!(v.verdict, VerdictKind::PinViolation, "debug={debug}");
    }
}

#[test]
fn debug_overrides_need_the_explicit_attribute_and_the_debug_build_and_still_report() {
    let root = certs(&test_ca("local-root/root.pem")).remove(0);
    let user_root = CallerAnchor {
        certificate: root,
        user_added: true,
    };
    let policy = |attr: &str| {
        nsc(&format!(
            "<domain-config><domain>localhost</domain>{}</domain-config><debug-overrides><trust-anchors><certificates src=\"user\"{attr}/></trust-anchors></debug-overrides>",
            pin_set("")
        ))
        .unwrap()
    };
    let run = |p: PinPolicy, debug: bool| {
        engine_for(p, vec![user_root.clone()], debug)
            .analyze_with_facts(&local_chain(), Some("localhost"), None)
            .unwrap()
    };
    // release build: enforced whatever the file says
    assert_eq!(
        run(policy(" overridePins=\"true\""), false).verdict,
        VerdictKind::PinViolation
    );
    // debug build, implicit Android default: still enforced (and warned at load)
    assert_eq!(run(policy(""), true).verdict, VerdictKind::PinViolation);
    // debug build, explicit: overridden, still reported
    let v = run(policy(" overridePins=\"true\""), true);
    assert_eq!(v.verdict, VerdictKind::InterceptedLocal);
    let f = finding(&v, FindingCode::PinMismatch).expect("still reported");
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("debug build"), "{}", f.message);
    // A known interception CA is never overridden.
    let superfish_root = certs(&data("badssl/upstream/certs/src/crt/ca-superfish.crt")).remove(0);
    let superfish = vec![
        certs(&test_ca("superfish/leaf.pem")).remove(0),
        superfish_root.clone(),
    ];
    let p = PinPolicy::builder()
        .add("localhost", [A, B])
        .dangerous_debug_override(&superfish_root.spki_hash().pin())
        .build()
        .unwrap();
    // (on the platform's chain: webpki cannot check Superfish's legacy 1024-bit signature)
    let v = engine_for(p, vec![], true)
        .analyze_validated(&ders(&superfish), Some("localhost"))
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::InterceptedKnown);
    assert_eq!(
        finding(&v, FindingCode::PinMismatch).unwrap().severity,
        Severity::Critical
    );
}

#[test]
fn public_chains_pins_and_precedence() {
    let chain = certs(&data("real-chains/limbo-online/google.com.chain.pem"));
    let at = Some(unix("2026-02-02T08:36:39Z"));
    let gts_r1 = certs(&data("pins/fixtures/system-roots/GTS_Root_R1.pem"))[0].spki_hash();
    // Pinning the root (not sent by the server, found by path building) succeeds.
    let ok = PinPolicy::builder()
        .add("**.google.com", [gts_r1.pin(), format!("sha256/{A}")])
        .build()
        .unwrap();
    let v = engine_for(ok, vec![], false)
        .analyze_with_facts(&chain, Some("google.com"), at)
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::Trusted, "{:?}", v.findings);
    // Pinning something else: pin_violation, a trusted chain notwithstanding.
    let bad = PinPolicy::builder()
        .add("google.com", [A, B])
        .build()
        .unwrap();
    let engine = engine_for(bad.clone(), vec![], false);
    let v = engine
        .analyze_with_facts(&chain, Some("google.com"), at)
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::PinViolation);
    assert!(!v.is_acceptable());
    // An unpinned host on the same engine is untouched.
    let v = engine
        .analyze_with_facts(&chain, Some("www.google.com"), at)
        .unwrap();
    assert_ne!(v.verdict, VerdictKind::PinViolation);
    // A wrong host: invalid, and pins are not evaluated on a chain the platform refuses.
    let wrong = PinPolicy::builder()
        .add("example.com", [A, B])
        .build()
        .unwrap();
    let v = engine_for(wrong, vec![], false)
        .analyze_with_facts(&chain, Some("example.com"), at)
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::Invalid);
    assert!(!v.has(FindingCode::PinMismatch));
    // No host: no pin check.
    let v = engine.analyze_with_facts(&chain, None, at).unwrap();
    assert!(!v.has(FindingCode::PinMismatch));
}

#[test]
fn policy_allowed_anchors_act_like_engine_allowed_anchors() {
    let root = certs(&test_ca("local-root/root.pem")).remove(0);
    let pin = root.spki_hash().pin();
    let json = format!(
        r#"{{"domains": [{{"domain": "localhost", "pins": ["{pin}", "sha256/{A}"], "allowed-anchors": ["{pin}"]}}]}}"#
    );
    let engine = engine_for(
        PinPolicy::from_json(&json).unwrap(),
        vec![CallerAnchor::new(root.clone())],
        false,
    );
    for v in [
        engine
            .analyze_with_facts(&local_chain(), Some("localhost"), None)
            .unwrap(),
        engine
            .analyze_validated(&ders(&local_chain()), Some("localhost"))
            .unwrap(),
    ] {
        assert_eq!(v.verdict, VerdictKind::InterceptedLocal);
        assert!(v.anchor.as_ref().unwrap().allowed);
        assert!(v.has(FindingCode::AllowedAnchor));
        assert!(v.is_acceptable());
    }
    // Not for another host (the rule's list replaces the policy-wide one only where it
    // applies, and there is none elsewhere).
    let v = engine
        .analyze_with_facts(&local_chain(), Some("127.0.0.1"), None)
        .unwrap();
    assert!(!v.anchor.as_ref().unwrap().allowed);
}

#[test]
fn expired_pins_are_not_enforced_and_say_so_every_time() {
    let chain = certs(&data("real-chains/limbo-online/google.com.chain.pem"));
    let at = Some(unix("2026-02-02T08:36:39Z"));
    let p = PinPolicy::builder()
        .add("google.com", [A, B])
        .expiration("google.com", "2020-01-01")
        .build()
        .unwrap();
    assert!(p
        .warnings()
        .iter()
        .any(|w| w.kind == PolicyWarningKind::Expired));
    let engine = engine_for(p, vec![], false);
    for _ in 0..3 {
        let v = engine
            .analyze_with_facts(&chain, Some("google.com"), at)
            .unwrap();
        assert_eq!(v.verdict, VerdictKind::Trusted);
        let f = finding(&v, FindingCode::PinPolicyExpired).expect("every time");
        assert!(f.message.contains("2020-01-01"));
        let v = engine
            .analyze_validated(&ders(&chain), Some("google.com"))
            .unwrap();
        assert!(v.has(FindingCode::PinPolicyExpired));
    }
}

// -------------------------------------------------------------------------------------------
// Reports, field by field against TrustKit's sample report and RFC 7469 (pins.json)

#[test]
fn reports_carry_rfc7469_and_trustkit_fields() {
    let v = vectors();
    let formats = &v["report_formats"];
    let chain = tk("Certificates/RSA_4096/www.good.com.der");
    let root = tk("Certificates/RSA_4096/GoodRootCA.der");
    let policy = PinPolicy::from_json(&format!(
        r#"{{"domains": [{{"domain": "good.com", "include-subdomains": true, "pins": ["sha256/{A}", "sha256/{B}"],
            "expiration": "2099-12-31", "enforce": false, "report-uris": ["https://r.example/p"]}}]}}"#
    ))
    .unwrap();
    let engine = engine_for(
        policy.clone(),
        vec![CallerAnchor::new(root[0].clone())],
        false,
    );
    let served = vec![chain[0].der().to_vec()];
    let validated = vec![chain[0].der().to_vec(), root[0].der().to_vec()];
    let refs: Vec<&[u8]> = validated.iter().map(Vec::as_slice).collect();
    let verdict = engine
        .analyze_validated(&refs, Some("www.good.com"))
        .unwrap();
    assert_eq!(
        finding(&verdict, FindingCode::PinMismatch)
            .unwrap()
            .severity,
        Severity::Warning
    );
    let now = unix("2015-06-08T01:58:05Z");
    let report = qorgan::Report::new(
        "www.good.com".into(),
        443,
        &served,
        &validated,
        verdict,
        now,
        Some(&policy),
    );
    let j: serde_json::Value = serde_json::from_str(&report.json).unwrap();
    // Every RFC 7469 section 3 field is present.
    for f in formats["rfc7469_section3_fields"].as_array().unwrap() {
        assert!(j.get(f.as_str().unwrap()).is_some(), "missing {f}");
    }
    // TrustKit's sample: every field that is not the app's own (the uploader adds those).
    let sample = formats["trustkit_ios_sample"].as_str().unwrap();
    let fields = sample
        .split("fields: ")
        .nth(1)
        .unwrap()
        .trim_end_matches(')');
    let mut checked = 0;
    for f in fields.split(", ") {
        let key = f.split(['=', '[', ':']).next().unwrap();
        if key.starts_with("app-") || key == "trustkit-version" {
            continue;
        }
        assert!(j.get(key).is_some(), "missing TrustKit field {key}");
        checked += 1;
    }
    assert_eq!(checked, 9, "{fields}");
    // Field by field, with TrustKit's types and formats.
    assert_eq!(j["date-time"], "2015-06-08T01:58:05Z");
    assert_eq!(j["hostname"], "www.good.com");
    assert_eq!(j["port"], 443);
    assert_eq!(j["noted-hostname"], "good.com");
    assert_eq!(j["include-subdomains"], true);
    assert_eq!(j["enforce-pinning"], false);
    assert_eq!(j["effective-expiration-date"], "2099-12-31T00:00:00Z");
    assert_eq!(
        j["known-pins"],
        serde_json::json!([
            format!("pin-sha256=\"{A}\""),
            format!("pin-sha256=\"{B_CANONICAL}\"")
        ])
    );
    assert_eq!(j["validation-result"], qorgan::VALIDATION_NO_MATCHING_PIN);
    let vchain = j["validated-certificate-chain"].as_array().unwrap();
    assert_eq!(vchain.len(), 2);
    assert!(vchain[0]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN CERTIFICATE-----\n"));
    assert_eq!(j["served-certificate-chain"].as_array().unwrap().len(), 1);
    // Qorgan's own fields.
    assert_eq!(j["qorgan-verdict"], "intercepted_local");
    assert!(j["qorgan-findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "pin_mismatch"));
    assert!(j.get("qorgan-interception-ca").is_some());
    // The record mirrors the JSON for the uploader.
    assert_eq!(report.report_uris, vec!["https://r.example/p".to_string()]);
    assert_eq!(report.noted_hostname, "good.com");
    assert_eq!(report.known_pins.len(), 2);
    assert!(!report.enforce_pinning);
    // A chain that failed platform validation is reported too: validation-result 2.
    let untrusted = engine_for(policy.clone(), vec![], false)
        .analyze_with_facts(
            &chain,
            Some("www.good.com"),
            Some(unix("2025-06-01T00:00:00Z")),
        )
        .unwrap();
    let r = qorgan::Report::new(
        "www.good.com".into(),
        443,
        &served,
        &[],
        untrusted,
        now,
        Some(&policy),
    );
    assert_eq!(r.validation_result, qorgan::VALIDATION_CHAIN_NOT_TRUSTED);
    // No rule: the host is the noted host, no pins.
    let r = qorgan::Report::new(
        "example.org".into(),
        443,
        &served,
        &validated,
        engine
            .analyze_validated(&refs, Some("example.org"))
            .unwrap(),
        now,
        Some(&policy),
    );
    let j: serde_json::Value = serde_json::from_str(&r.json).unwrap();
    assert_eq!(j["noted-hostname"], "example.org");
    assert_eq!(j["known-pins"], serde_json::json!([]));
    assert_eq!(j["validation-result"], qorgan::VALIDATION_SUCCESS);
    assert_eq!(j["effective-expiration-date"], serde_json::Value::Null);
}

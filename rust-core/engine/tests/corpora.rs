//! Peers' test material with their expected results: badssl.com, x509-limbo, real public
//! chains. Every case runs against the engine with the case's time and anchors.

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::*;
use qorgan::{Certificate, Error, FindingCode, Verdict, VerdictKind};

fn success(v: &Verdict) -> bool {
    matches!(
        v.verdict,
        VerdictKind::Trusted | VerdictKind::InterceptedLocal
    )
}

/// badssl.com: each case at its time, with its anchors (`mozilla-2019` = certifi 2019.11.28,
/// the store of the time; `badssl-test-root` = the generated set's root).
#[test]
fn badssl_expected_outcomes() {
    let mozilla_2019 = certs(&data("mozilla-roots/certifi-2019.11.28-cacert.pem"));
    let test_root = certs(&data("badssl/generated-test-set/crt/ca-root.crt"));
    let engines: HashMap<&str, qorgan::Engine> = [
        ("mozilla-2019", engine_with(mozilla_2019)),
        ("badssl-test-root", engine_with(test_root)),
    ]
    .into_iter()
    .collect();
    let mut failures = Vec::new();
    let rows = tsv(&data("badssl/expected.tsv"));
    assert!(rows.len() >= 50);
    for row in &rows {
        let id = format!("{} {}", row["hostname"], row["chain_file"]);
        let bytes = read(&data(&format!("badssl/{}", row["chain_file"])));
        let expected = row["expected_strict_validator"].as_str();
        let chain = match qorgan::parse_chain(&bytes) {
            Ok(c) => c,
            Err(Error::CertificateTooLarge { size, .. })
                if row["hostname"] == "10000-sans.badssl.com" =>
            {
                // Deliberate: Qorgan refuses certificates over 64 KB (this one is 270 KB);
                // no public CA issues such a certificate, and a phone must not parse it on
                // every handshake.
                assert!(size > 64 * 1024);
                continue;
            }
            Err(e) => {
                failures.push(format!("{id}: {e}"));
                continue;
            }
        };
        let host = Some(row["hostname"].as_str()).filter(|h| !h.contains("fallback"));
        let v = engines[row["trust_anchors"].as_str()]
            .analyze_with_facts(&chain, host, Some(unix(&row["validation_time"])))
            .unwrap();
        let ok = match expected {
            "VALID" | "VALID_LAX_PROFILE" | "VALID_CHAIN_BUT_PIN_FAIL" => success(&v),
            // Offline there is no OCSP or CRL; this leaf is on Chromium's blocklist, though.
            "VALID_CHAIN_BUT_REVOKED" => {
                v.verdict == VerdictKind::Invalid && v.has(FindingCode::BlockedCertificate)
            }
            "VALID_CHAIN_BUT_NO_SCT" => {
                success(&v) && (v.has(FindingCode::NoSct) || v.has(FindingCode::StrippedLeaf))
            }
            "VALID_CHAIN_BUT_BAD_SCT" => success(&v),
            "FAIL_HOSTNAME" => {
                v.verdict == VerdictKind::Invalid && v.has(FindingCode::HostnameMismatch)
            }
            "FAIL_EXPIRED" => v.verdict == VerdictKind::Invalid && v.has(FindingCode::Expired),
            "FAIL_NO_PATH" => v.verdict == VerdictKind::Untrusted,
            "FAIL_WEAK_SIGNATURE" => !success(&v) && v.has(FindingCode::Sha1Signature),
            "FAIL_WEAK_KEY" => !success(&v) && v.has(FindingCode::WeakKey),
            e if e.starts_with("FAIL_UNTRUSTED_ROOT; with") && e.ends_with("KNOWN_MITM_ROOT") => {
                // A known MITM root: named even when not installed (verified by signature).
                v.verdict == VerdictKind::InterceptedKnown
            }
            e if e.starts_with("FAIL_UNTRUSTED_ROOT; with") => v.verdict == VerdictKind::Untrusted,
            "FAIL_UNTRUSTED_ROOT" => v.verdict == VerdictKind::Untrusted,
            other => {
                failures.push(format!("{id}: unhandled expectation {other}"));
                continue;
            }
        };
        if !ok {
            failures.push(format!(
                "{id}: expected {expected}, got {:?} {:?}",
                v.verdict,
                v.findings.iter().map(|f| f.code).collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} badssl cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Developer-tool roots with published keys, installed on the device: intercepted_local.
#[test]
fn badssl_user_installed_roots_are_intercepted_local() {
    for name in ["mitm-software", "preact-cli", "webpack-dev-server"] {
        let root = certs(&data(&format!(
            "badssl/upstream/certs/src/crt/ca-{name}.crt"
        )));
        let chain = certs(&data(&format!(
            "badssl/generated-test-set/chain/subdomain-{name}.pem"
        )));
        let v = engine_with(root)
            .analyze_with_facts(
                &chain,
                Some(&format!("{name}.badssl.com")),
                Some(unix("2026-11-25T14:29:44Z")),
            )
            .unwrap();
        assert_eq!(
            v.verdict,
            VerdictKind::InterceptedLocal,
            "{name}: {:?}",
            v.findings
        );
    }
}

/// The same MITM roots installed on the device: still intercepted_known.
#[test]
fn badssl_mitm_roots_installed_are_intercepted_known() {
    for (name, host, at) in [
        ("superfish", "superfish.badssl.com", "2018-05-17T17:15:23Z"),
        ("edellroot", "edellroot.badssl.com", "2018-05-17T01:58:38Z"),
        (
            "dsdtestprovider",
            "dsdtestprovider.badssl.com",
            "2018-05-17T17:15:23Z",
        ),
    ] {
        let root = certs(&data(&format!(
            "badssl/upstream/certs/src/crt/ca-{name}.crt"
        )));
        let chain = certs(&data(&format!(
            "badssl/upstream/certs/sets/prod/pregen/chain/subdomain-{name}.pem"
        )));
        let v = engine_with(root)
            .analyze_with_facts(&chain, Some(host), Some(unix(at)))
            .unwrap();
        assert_eq!(v.verdict, VerdictKind::InterceptedKnown, "{name}");
    }
}

fn limbo_exceptions() -> HashMap<String, String> {
    // rustls-webpki's own documented divergences (its policy is ours: Qorgan builds paths
    // with rustls-webpki), plus Qorgan's, each with a reason.
    let upstream: serde_json::Value =
        serde_json::from_slice(&read(&data("limbo/rustls-webpki-exceptions.json"))).unwrap();
    let mut map: HashMap<String, String> = upstream
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v["reason"].as_str().unwrap_or("").to_string()))
        .collect();
    for (id, reason) in QORGAN_LIMBO_EXCEPTIONS {
        map.insert(id.to_string(), reason.to_string());
    }
    map
}

/// Tier-A cases where Qorgan deliberately differs from x509-limbo's expectation.
const QORGAN_LIMBO_EXCEPTIONS: &[(&str, &str)] = &[];

/// x509-limbo tier A (real chains, chain building, host names), the case's trusted
/// certificates as caller anchors. SUCCESS: the chain builds to those anchors with nothing
/// invalid (trusted, or intercepted_local for a test anchor no program holds).
#[test]
fn limbo_tier_a() {
    let index = tsv(&data("limbo/index.tsv"));
    let tier: HashMap<String, String> = index
        .iter()
        .map(|r| (r["id"].clone(), r["tier"].clone()))
        .collect();
    let suite: serde_json::Value =
        serde_json::from_slice(&read(&data("limbo/limbo.json"))).unwrap();
    let exceptions = limbo_exceptions();
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in suite["testcases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        if !tier.get(id).is_some_and(|t| t.starts_with("A-")) {
            continue;
        }
        ran += 1;
        let pem_list = |key: &str| -> Vec<Certificate> {
            case[key]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|p| qorgan::parse_store(p.as_str().unwrap().as_bytes()).unwrap())
                .collect()
        };
        let anchors = pem_list("trusted_certs");
        let mut chain =
            qorgan::parse_chain(case["peer_certificate"].as_str().unwrap().as_bytes()).unwrap();
        chain.extend(pem_list("untrusted_intermediates"));
        let host = case["expected_peer_name"]["value"]
            .as_str()
            .map(str::to_string);
        let time = case["validation_time"].as_str().map(unix);
        let start = Instant::now();
        let got = match qorgan::Engine::new(qorgan::EngineConfig {
            anchors: anchors.into_iter().map(qorgan::CallerAnchor::new).collect(),
            ..Default::default()
        }) {
            Ok(engine) => match engine.analyze_with_facts(&chain, host.as_deref(), time) {
                Ok(v) => {
                    if success(&v) {
                        "SUCCESS"
                    } else {
                        "FAILURE"
                    }
                }
                Err(_) => "FAILURE",
            },
            Err(_) => "FAILURE",
        };
        // Denial-of-service cases must finish quickly: path building has a budget.
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{id} took {:?}",
            start.elapsed()
        );
        let expected = case["expected_result"].as_str().unwrap();
        if got != expected && !exceptions.contains_key(id) {
            failures.push(format!("{id}: expected {expected}, got {got}"));
        }
    }
    assert_eq!(ran, 75);
    assert!(
        failures.is_empty(),
        "{} limbo cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Real public chains at their validation time: trusted, and the SCT counts of facts.json.
#[test]
fn real_chains_are_trusted_with_their_sct_counts() {
    let facts: serde_json::Value =
        serde_json::from_slice(&read(&data("real-chains/facts.json"))).unwrap();
    let mut checked = 0;
    for row in tsv(&data("real-chains/cases.tsv")) {
        if row["expected"] != "VALID" || !row["case_id"].starts_with("online::") {
            continue;
        }
        let chain = certs(&data(&format!("real-chains/{}", row["leaf"])));
        let v = engine()
            .analyze_with_facts(
                &chain,
                Some(&row["hostname"]),
                Some(row["validation_time_unix"].parse().unwrap()),
            )
            .unwrap();
        assert_eq!(
            v.verdict,
            VerdictKind::Trusted,
            "{}: {:?}",
            row["case_id"],
            v.findings
        );
        assert!(!v.anchor.as_ref().unwrap().programs.is_empty());
        let leaf = v.path[0].facts.as_ref().unwrap();
        assert_eq!(
            leaf.sct_count.to_string(),
            row["leaf_sct_count"],
            "{}",
            row["case_id"]
        );
        assert_eq!(leaf.spki_sha256_b64, row["leaf_spki_sha256_b64"]);
        let expected = &facts[&row["leaf"]][0];
        assert_eq!(
            leaf.sct_count,
            expected["sct_count"].as_u64().unwrap() as u32
        );
        assert_eq!(
            leaf.serial,
            expected["serial_hex"]
                .as_str()
                .unwrap()
                .trim_start_matches('0'),
            "{}",
            row["case_id"]
        );
        assert_eq!(leaf.sha256, expected["cert_sha256_hex"].as_str().unwrap());
        let ids: Vec<&str> = expected["sct_log_ids_b64"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        assert_eq!(leaf.sct_log_ids, ids);
        checked += 1;
    }
    assert_eq!(checked, 14);
}

/// rustls-webpki's real chains with explicit (sometimes private) anchors, at their times.
#[test]
fn webpki_real_chains_with_their_anchors() {
    for row in tsv(&data("real-chains/cases.tsv")) {
        if !row["case_id"].starts_with("webpki::") {
            continue;
        }
        let mut chain = certs(&data(&format!("real-chains/{}", row["leaf"])));
        for i in row["intermediates"].split(';').filter(|s| !s.is_empty()) {
            chain.extend(certs(&data(&format!("real-chains/{i}"))));
        }
        let anchors: Vec<Certificate> = row["anchors"]
            .split(';')
            .flat_map(|a| certs(&data(&format!("real-chains/{a}"))))
            .collect();
        let Ok(engine) = qorgan::Engine::new(qorgan::EngineConfig {
            anchors: anchors.into_iter().map(qorgan::CallerAnchor::new).collect(),
            ..Default::default()
        }) else {
            // v1 anchors (netflix's VeriSign G5 copy) are refused as caller anchors
            continue;
        };
        // Upstream checks these chains without a name (wpt, sanofi); the others with theirs.
        let host = match row["case_id"].as_str() {
            "webpki::wpt" | "webpki::sanofi" => None,
            _ => Some(row["hostname"].as_str()),
        };
        let v = engine
            .analyze_with_facts(
                &chain,
                host,
                Some(row["validation_time_unix"].parse().unwrap()),
            )
            .unwrap();
        let expected = row["expected"].as_str();
        if expected.starts_with("VALID") {
            assert!(
                success(&v),
                "{}: {:?} {:?}",
                row["case_id"],
                v.verdict,
                v.findings
            );
        } else if expected.contains("Expired") {
            assert!(
                v.verdict == VerdictKind::Invalid && v.has(FindingCode::Expired),
                "{}",
                row["case_id"]
            );
        } else if expected.contains("NotValidYet") {
            assert!(
                v.verdict == VerdictKind::Invalid && v.has(FindingCode::NotYetValid),
                "{}",
                row["case_id"]
            );
        }
    }
}

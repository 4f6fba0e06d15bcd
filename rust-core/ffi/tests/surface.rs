//! The FFI surface from Rust, as Kotlin and Swift use it: the `Qorgan` object's configuration,
//! its errors, reports through the sink, `evaluate_validated` / `evaluate_rejected` and the
//! shells' decision table (moved here from the engine's tests/pinning.rs, interception_holes.rs
//! and judge.rs when the FFI left the engine crate). Test material is the engine's
//! (rust-core/engine/tests).

#[path = "../../engine/tests/common/mod.rs"]
mod common;

use common::*;
use qorgan::{
    Certificate, CheckVerdict, FindingCode, HandshakeObservation, HandshakeOutcome, TlsInfo,
    Verdict, VerdictKind,
};
use qorgan_ffi as ffi;

fn codes(v: &Verdict) -> Vec<FindingCode> {
    v.findings.iter().map(|f| f.code).collect()
}

fn ffi_config(policy: Option<String>) -> ffi::QorganConfig {
    ffi::QorganConfig {
        trusted_certificates: vec![ffi::TrustedCertificate {
            der: read(&data("trustkit/Certificates/RSA_4096/GoodRootCA.der")),
            user_added: false,
        }],
        allowed_anchor_pins: vec![],
        platform: qorgan::PlatformView::Any,
        report_dedup_seconds: 86_400,
        pin_policy: policy,
        dangerous_debug_build: false,
        language: None,
        bundle_keys: vec![],
        bundle_pins: false,
        bundle_min_version: 0,
    }
}

#[derive(Default)]
struct Sink(std::sync::Mutex<Vec<qorgan::Report>>);

impl ffi::ReportSink for Sink {
    fn on_report(&self, report: qorgan::Report) -> Result<(), ffi::QorganError> {
        self.0.lock().unwrap().push(report);
        Ok(())
    }
}

#[test]
fn ffi_policy_errors_and_deduplicated_reports() {
    // A malformed XML policy: InvalidConfig with line and column.
    let err = ffi::Qorgan::new(ffi_config(Some(
        "<network-security-config>\n  <domain-config>\n</network-security-config>".into(),
    )))
    .unwrap_err();
    match err {
        ffi::QorganError::InvalidConfig { reason: message } => {
            assert!(
                message.starts_with("pin policy: line 3, column"),
                "{message}"
            )
        }
        other => panic!("{other:?}"),
    }
    // A good JSON policy, report-only for good.com.
    let json = String::from_utf8(read(&data("policies/good-com.json"))).unwrap();
    let q = ffi::Qorgan::new(ffi_config(Some(json))).unwrap();
    assert!(q.pin_policy_warnings().is_empty());
    let sink = std::sync::Arc::new(Sink::default());
    q.set_report_sink(Some(sink.clone()));
    let leaf = read(&data("trustkit/Certificates/RSA_4096/www.good.com.der"));
    let root = read(&data("trustkit/Certificates/RSA_4096/GoodRootCA.der"));
    let validated = vec![leaf.clone(), root.clone()];
    // www.pinned-elsewhere.com is pinned to A/B: the good.com chain violates it.
    let host = "www.pinned-elsewhere.com".to_string();
    let v = q
        .analyze_validated(Some(host.clone()), validated.clone())
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::PinViolation);
    for _ in 0..3 {
        let r = q
            .report(
                host.clone(),
                443,
                vec![leaf.clone()],
                validated.clone(),
                v.clone(),
            )
            .unwrap();
        assert_eq!(r.validation_result, qorgan::VALIDATION_NO_MATCHING_PIN);
        assert_eq!(
            r.report_uris,
            vec!["https://reports.example.net/pins".to_string()]
        );
    }
    assert_eq!(
        sink.0.lock().unwrap().len(),
        1,
        "deduplicated within 24 hours"
    );
    // A chain that failed platform validation is reported as well.
    q.report(host, 443, vec![leaf], vec![], v).unwrap();
    let delivered = sink.0.lock().unwrap();
    assert_eq!(delivered.len(), 2);
    assert_eq!(
        delivered[1].validation_result,
        qorgan::VALIDATION_CHAIN_NOT_TRUSTED
    );
}

/// A sink that takes its time (a network upload, a log write), so that threads reporting the
/// same connection overlap inside `report`; it refuses the first `fail_first` deliveries.
struct SlowSink {
    delivered: std::sync::Mutex<Vec<qorgan::Report>>,
    fail_first: std::sync::atomic::AtomicUsize,
}

impl ffi::ReportSink for SlowSink {
    fn on_report(&self, report: qorgan::Report) -> Result<(), ffi::QorganError> {
        std::thread::sleep(std::time::Duration::from_millis(20));
        let refuse = self
            .fail_first
            .fetch_update(
                std::sync::atomic::Ordering::SeqCst,
                std::sync::atomic::Ordering::SeqCst,
                |n| n.checked_sub(1),
            )
            .is_ok();
        if refuse {
            return Err(ffi::QorganError::Callback {
                reason: "upload failed".into(),
            });
        }
        self.delivered.lock().unwrap().push(report);
        Ok(())
    }
}

#[test]
fn concurrent_identical_reports_are_delivered_once_and_a_failed_delivery_is_retried() {
    let json = String::from_utf8(read(&data("policies/good-com.json"))).unwrap();
    let q = std::sync::Arc::new(ffi::Qorgan::new(ffi_config(Some(json.clone()))).unwrap());
    let leaf = read(&data("trustkit/Certificates/RSA_4096/www.good.com.der"));
    let root = read(&data("trustkit/Certificates/RSA_4096/GoodRootCA.der"));
    let validated = vec![leaf.clone(), root];
    let host = "www.pinned-elsewhere.com".to_string();
    let v = q
        .analyze_validated(Some(host.clone()), validated.clone())
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::PinViolation);
    let report_from_threads = |threads: usize| -> usize {
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(threads));
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (q, barrier) = (q.clone(), barrier.clone());
                let (host, leaf, validated, v) =
                    (host.clone(), leaf.clone(), validated.clone(), v.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    q.report(host, 443, vec![leaf], validated, v).is_err()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .filter(|failed| *failed)
            .count()
    };

    // Every thread reports the same connection while the first delivery is still running.
    let sink = std::sync::Arc::new(SlowSink {
        delivered: Default::default(),
        fail_first: 0.into(),
    });
    q.set_report_sink(Some(sink.clone()));
    assert_eq!(report_from_threads(16), 0, "no thread saw an error");
    assert_eq!(sink.delivered.lock().unwrap().len(), 1, "one delivery");

    // A delivery that fails is not remembered: the next identical report is delivered.
    let q = ffi::Qorgan::new(ffi_config(Some(json))).unwrap();
    let sink = std::sync::Arc::new(SlowSink {
        delivered: Default::default(),
        fail_first: 1.into(),
    });
    q.set_report_sink(Some(sink.clone()));
    let once = || {
        q.report(
            host.clone(),
            443,
            vec![leaf.clone()],
            validated.clone(),
            v.clone(),
        )
    };
    assert!(matches!(once(), Err(ffi::QorganError::Callback { .. })));
    assert!(sink.delivered.lock().unwrap().is_empty());
    once().unwrap();
    once().unwrap();
    assert_eq!(
        sink.delivered.lock().unwrap().len(),
        1,
        "retried once, then deduplicated"
    );
}

// -------------------------------------------------------------------------------------------
// One crossing per handshake: Qorgan::evaluate_validated and evaluate_rejected

#[test]
fn evaluate_decides_explains_and_reports_in_one_call() {
    let json = String::from_utf8(read(&data("policies/good-com.json"))).unwrap();
    let q = ffi::Qorgan::new(ffi_config(Some(json))).unwrap();
    let sink = std::sync::Arc::new(Sink::default());
    q.set_report_sink(Some(sink.clone()));
    let leaf = read(&data("trustkit/Certificates/RSA_4096/www.good.com.der"));
    let root = read(&data("trustkit/Certificates/RSA_4096/GoodRootCA.der"));
    let validated = vec![leaf.clone(), root.clone()];
    let host = Some("www.pinned-elsewhere.com".to_string());

    // Pin mismatch, enforce: refused, explained by the mismatch, reported once.
    let e = q.evaluate_validated(host.clone(), 443, vec![], validated.clone(), true, true);
    let v = e.verdict.clone().expect("a verdict");
    assert_eq!(v.verdict, VerdictKind::PinViolation);
    assert!(!e.acceptable && e.needs_report && e.failure.is_none());
    assert_eq!(e.main_finding.as_ref(), v.main_finding());
    assert_eq!(e.main_finding.unwrap().code, FindingCode::PinMismatch);
    let r = e.report.expect("a report");
    assert_eq!(r.validation_result, qorgan::VALIDATION_NO_MATCHING_PIN);
    assert_eq!(r.served_certificate_chain, r.validated_certificate_chain);
    // Report-only: the same verdict, let through; the identical report is deduplicated.
    let e = q.evaluate_validated(host.clone(), 443, vec![], validated.clone(), false, true);
    assert!(e.acceptable && e.needs_report && e.report.is_some());
    assert_eq!(sink.0.lock().unwrap().len(), 1, "deduplicated");
    // No delivery asked: decided and explained, nothing built.
    let e = q.evaluate_validated(host.clone(), 443, vec![], validated.clone(), true, false);
    assert!(!e.acceptable && e.needs_report && e.report.is_none());

    // The allowed anchor: acceptable in enforce mode, still reported, the anchor named.
    let e = q.evaluate_validated(
        Some("www.good.com".into()),
        8443,
        vec![leaf.clone()],
        validated.clone(),
        true,
        true,
    );
    assert_eq!(
        e.verdict.as_ref().unwrap().verdict,
        VerdictKind::InterceptedLocal
    );
    assert!(e.acceptable && e.needs_report);
    assert_eq!(
        e.interception_ca.as_deref(),
        Some(
            e.verdict
                .as_ref()
                .unwrap()
                .anchor
                .as_ref()
                .unwrap()
                .subject
                .as_str()
        )
    );
    assert_eq!(e.report.unwrap().port, 8443);
    assert_eq!(sink.0.lock().unwrap().len(), 2);

    // An engine error: enforce fails closed, report-only lets through; nothing reported.
    for enforce in [true, false] {
        let e = q.evaluate_validated(
            host.clone(),
            443,
            vec![],
            vec![vec![1, 2, 3]],
            enforce,
            true,
        );
        assert!(e.verdict.is_none() && e.report.is_none() && !e.needs_report);
        assert!(
            matches!(e.failure, Some(ffi::QorganError::InvalidInput { .. })),
            "{e:?}"
        );
        assert_eq!(e.acceptable, !enforce);
    }

    // A chain the platform rejected (Superfish, its root not installed): never acceptable, the
    // known CA named, the report says "chain not trusted".
    let superfish: Vec<Vec<u8>> = certs(&test_ca("superfish/chain.pem"))
        .iter()
        .map(|c| c.der().to_vec())
        .collect();
    let e = q.evaluate_rejected(Some("localhost".into()), 443, superfish, true);
    assert_eq!(
        e.verdict.as_ref().unwrap().verdict,
        VerdictKind::InterceptedKnown
    );
    assert!(!e.acceptable && e.needs_report);
    assert_eq!(
        e.main_finding.unwrap().code,
        FindingCode::KnownInterceptionCa
    );
    assert!(e.interception_ca.unwrap().contains("Superfish"));
    assert_eq!(
        e.report.unwrap().validation_result,
        qorgan::VALIDATION_CHAIN_NOT_TRUSTED
    );
    assert_eq!(sink.0.lock().unwrap().len(), 3);
}

/// The table the Kotlin and Swift suites run through their trust manager and evaluator
/// (tests/shell-decisions.tsv): the engine's own answers for it, so that all three agree.
#[test]
fn shell_decision_table_is_the_engines() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../engine/tests/shell-decisions.tsv");
    let rows = tsv(&path);
    assert!(rows.len() >= 8, "{} rows", rows.len());
    let der = |c: &Certificate| c.der().to_vec();
    for row in rows {
        let case = &row["case"];
        let chain: Vec<Vec<u8>> = match row["chain"].as_str() {
            "google.com" => {
                let dir = "real-chains/limbo-online/google.com";
                let mut c = certs(&data(&format!("{dir}.chain.pem")));
                c.extend(certs(&data(&format!("{dir}.root.pem"))));
                c.iter().map(der).collect()
            }
            scenario => certs(&test_ca(&format!("{scenario}/chain.pem")))
                .iter()
                .map(der)
                .collect(),
        };
        let allowed_anchor_pins = match row["allowed_anchor"].as_str() {
            "-" => vec![],
            scenario => vec![certs(&test_ca(&format!("{scenario}/root.pem")))[0]
                .spki_hash()
                .pin()],
        };
        let pin_policy = (row["policy"] != "-").then(|| row["policy"].clone());
        let q = ffi::Qorgan::new(ffi::QorganConfig {
            trusted_certificates: vec![],
            allowed_anchor_pins,
            platform: qorgan::PlatformView::Any,
            report_dedup_seconds: 0,
            pin_policy,
            dangerous_debug_build: false,
            language: None,
            bundle_keys: vec![],
            bundle_pins: false,
            bundle_min_version: 0,
        })
        .unwrap_or_else(|e| panic!("{case}: {e}"));
        let sink = std::sync::Arc::new(Sink::default());
        q.set_report_sink(Some(sink.clone()));
        let host = Some(row["host"].clone());
        let enforce = row["mode"] == "enforce";
        let e = match row["platform"].as_str() {
            "validated" => q.evaluate_validated(host, 443, chain.clone(), chain, enforce, true),
            _ => q.evaluate_rejected(host, 443, chain, true),
        };
        let v = e
            .verdict
            .as_ref()
            .unwrap_or_else(|| panic!("{case}: {e:?}"));
        let got_allowed = e.acceptable && row["platform"] == "validated";
        assert_eq!(got_allowed.to_string(), row["allowed"], "{case}: allowed");
        assert_eq!(v.verdict.as_str(), row["verdict"], "{case}: verdict");
        if !got_allowed && row["platform"] == "validated" {
            let f = e.main_finding.as_ref().expect("a main finding");
            assert_eq!(
                serde_json::to_value(f.code).unwrap(),
                row["finding"].as_str(),
                "{case}"
            );
            assert_eq!(
                e.interception_ca.as_deref().unwrap_or("-"),
                row["ca"],
                "{case}: ca"
            );
        }
        let reports = sink.0.lock().unwrap();
        match row["report"].as_str() {
            "-" => assert!(reports.is_empty() && e.report.is_none(), "{case}: reported"),
            result => {
                assert_eq!(reports.len(), 1, "{case}: reports");
                assert_eq!(reports[0].validation_result.to_string(), result, "{case}");
                let ca = reports[0].interception_ca.as_deref().unwrap_or("-");
                assert!(
                    ca.contains(row["report_ca"].as_str()),
                    "{case}: report CA {ca}"
                );
            }
        }
    }
}

// -------------------------------------------------------------------------------------------
// Issue 13's reproducers through the FFI object (the engine's halves are in
// rust-core/engine/tests/interception_holes.rs)

/// A self-signed CA with two basicConstraints extensions (OpenSSL parses it; rustls-webpki
/// refuses it as a trust anchor).
fn odd_ca() -> Certificate {
    use rcgen::{BasicConstraints, CertificateParams, CustomExtension, DnType, IsCa, KeyPair};
    let key = KeyPair::generate().expect("key");
    let mut params = CertificateParams::default();
    params
        .distinguished_name
        .push(DnType::CommonName, "Odd Inspection CA");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    // basicConstraints again: SEQUENCE { BOOLEAN TRUE }.
    params
        .custom_extensions
        .push(CustomExtension::from_oid_content(
            &[2, 5, 29, 19],
            vec![0x30, 0x03, 0x01, 0x01, 0xff],
        ));
    let ca = params.self_signed(&key).expect("ca");
    Certificate::from_der(ca.der().to_vec(), 1).expect("certificate")
}

#[test]
fn hole_3_an_odd_trusted_certificate_does_not_disable_the_ffi_object() {
    let ca = odd_ca();
    // The FFI object, as QorganAndroid builds it from the whole store, with a certificate even
    // the DER walker refuses besides.
    let q = ffi::Qorgan::new(ffi::QorganConfig {
        trusted_certificates: vec![
            ffi::TrustedCertificate {
                der: vec![0x30, 0x01, 0x00],
                user_added: true,
            },
            ffi::TrustedCertificate {
                der: ca.der().to_vec(),
                user_added: true,
            },
        ],
        allowed_anchor_pins: Vec::new(),
        platform: qorgan::PlatformView::Android,
        report_dedup_seconds: 0,
        pin_policy: None,
        dangerous_debug_build: false,
        language: None,
        bundle_keys: vec![],
        bundle_pins: false,
        bundle_min_version: 0,
    })
    .expect("Qorgan despite odd store certificates");
    // Each named by its position in the caller's list: the unreadable one first, the odd CA
    // (readable, refused as an anchor) second, however the engine counted.
    let skipped = q.skipped_anchors();
    let indices: Vec<u32> = skipped.iter().map(|a| a.index).collect();
    assert_eq!(indices, [1, 2], "{skipped:?}");
    assert!(skipped[0].subject.is_empty());
    assert_eq!(skipped[1].spki_sha256, ca.spki_hash().hex());
}

#[test]
fn hole_2_a_platform_rejected_chain_with_an_unreadable_certificate_still_names_the_ca() {
    // What the Kotlin trust manager and the Swift evaluator hand over when the platform refused
    // the chain: the report must still name the interceptor.
    let leaf = certs(&test_ca("superfish/chain.pem"))[0].der().to_vec();
    let q = ffi::Qorgan::new(ffi::QorganConfig {
        trusted_certificates: Vec::new(),
        allowed_anchor_pins: Vec::new(),
        platform: qorgan::PlatformView::Android,
        report_dedup_seconds: 0,
        pin_policy: None,
        dangerous_debug_build: false,
        language: None,
        bundle_keys: vec![],
        bundle_pins: false,
        bundle_min_version: 0,
    })
    .unwrap();
    let mut served = vec![leaf, vec![0x30, 0x03, 1, 2, 3]];
    served.extend(std::iter::repeat_n(
        certs(&test_ca("local-root/root.pem"))[0].der().to_vec(),
        60,
    ));
    let e = q.evaluate_rejected(Some("localhost".into()), 443, served, false);
    let v = e.verdict.expect("a verdict, not a failure");
    assert_eq!(v.verdict, VerdictKind::InterceptedKnown, "{v:?}");
    assert!(codes(&v).contains(&FindingCode::UnreadableCertificate));
    assert!(!e.acceptable);
}

fn completed(scenario: &str, platform_trusted: Option<bool>) -> HandshakeObservation {
    let chain = certs(&test_ca(&format!("{scenario}/chain.pem")));
    HandshakeObservation {
        host: "localhost".into(),
        port: 8443,
        address: Some("127.0.0.1:8443".into()),
        elapsed_ms: 12,
        outcome: HandshakeOutcome::Completed {
            presented_chain: chain.iter().map(|c| c.der().to_vec()).collect(),
            tls: TlsInfo {
                version: "TLSv1.3".into(),
                cipher_suite: "TLS_AES_128_GCM_SHA256".into(),
                alpn: Some("h2".into()),
            },
            platform_trusted,
        },
    }
}

#[test]
fn through_the_ffi_a_bad_host_is_a_typed_error() {
    let q = ffi::Qorgan::new(ffi::QorganConfig {
        trusted_certificates: vec![],
        allowed_anchor_pins: vec![],
        platform: qorgan::PlatformView::Any,
        report_dedup_seconds: 0,
        pin_policy: None,
        dangerous_debug_build: false,
        language: None,
        bundle_keys: vec![],
        bundle_pins: false,
        bundle_min_version: 0,
    })
    .expect("engine");
    let mut o = completed("superfish", None);
    o.host = "not a host name".into();
    match q.judge_handshake(o) {
        Err(ffi::QorganError::InvalidInput { reason }) => {
            assert!(reason.contains("not a DNS name"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    let r = q
        .judge_handshake(completed("superfish", None))
        .expect("judged");
    assert_eq!(r.verdict, CheckVerdict::InterceptedKnown);
}

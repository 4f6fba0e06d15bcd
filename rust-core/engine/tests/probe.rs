#![cfg(feature = "live-probe")]
//! `qorgan check`'s probe against real TLS servers on loopback (rustls), one per scenario.

mod common;
#[path = "common/servers.rs"]
mod servers;

use std::net::{SocketAddr, TcpListener};
use std::time::{Duration, Instant};

use common::*;
use qorgan::{CheckVerdict, FindingCode, PlatformVerifier, ProbeErrorCode, ProbeOptions};
use servers::*;

fn opts(addr: SocketAddr, timeout_ms: u64) -> ProbeOptions {
    ProbeOptions {
        port: addr.port(),
        timeout: Duration::from_millis(timeout_ms),
        connect: Some(addr),
    }
}

#[test]
fn a_chain_to_an_unknown_root_is_untrusted() {
    let addr = tls_server("unknown-root", 1);
    let r = qorgan::probe(
        &engine(),
        &PlatformVerifier::new(&[]),
        "localhost",
        &opts(addr, 5000),
    );
    assert_eq!(r.verdict, CheckVerdict::Untrusted, "{r:?}");
    assert_eq!(r.platform_trusted, Some(false));
    let tls = r.tls.unwrap();
    assert!(tls.version.starts_with("TLSv1."));
    // IANA's names, as the Kotlin and Swift checkers print them (not rustls's `TLS13_...`).
    if tls.version == "TLSv1.3" {
        assert!(
            [
                "TLS_AES_128_GCM_SHA256",
                "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256"
            ]
            .contains(&tls.cipher_suite.as_str()),
            "{}",
            tls.cipher_suite
        );
    } else {
        assert!(
            tls.cipher_suite.starts_with("TLS_ECDHE_"),
            "{}",
            tls.cipher_suite
        );
    }
}

#[test]
fn the_same_root_installed_on_the_device_is_intercepted_local() {
    let addr = tls_server("local-root", 1);
    let root = certs(&test_ca("local-root/root.pem"));
    let r = qorgan::probe(
        &engine_with(root.clone()),
        &PlatformVerifier::new(&root),
        "localhost",
        &opts(addr, 5000),
    );
    assert_eq!(r.verdict, CheckVerdict::InterceptedLocal, "{r:?}");
    assert_eq!(
        r.platform_trusted,
        Some(true),
        "the OS verifier trusts the installed root"
    );
    assert_eq!(r.anchor.unwrap().subject, "Qorgan Test Local Root");
}

#[test]
fn a_leaf_signed_with_superfish_is_intercepted_known() {
    let addr = tls_server("superfish", 1);
    let r = qorgan::probe(
        &engine(),
        &PlatformVerifier::new(&[]),
        "localhost",
        &opts(addr, 5000),
    );
    assert_eq!(r.verdict, CheckVerdict::InterceptedKnown, "{r:?}");
    assert!(r.findings[0].message.contains("Superfish"));
}

#[test]
fn a_hostname_mismatch_is_invalid() {
    let addr = tls_server("wrong-host", 1);
    let root = certs(&test_ca("local-root/root.pem"));
    let r = qorgan::probe(
        &engine_with(root.clone()),
        &PlatformVerifier::new(&root),
        "localhost",
        &opts(addr, 5000),
    );
    assert_eq!(r.verdict, CheckVerdict::Invalid, "{r:?}");
    assert!(r
        .findings
        .iter()
        .any(|f| f.code == FindingCode::HostnameMismatch));
}

#[test]
fn a_reset_after_the_client_hello_is_unreachable_not_interception() {
    let addr = resetting_server();
    let r = qorgan::probe(
        &engine(),
        &PlatformVerifier::unavailable(),
        "blocked.example",
        &opts(addr, 3000),
    );
    assert_eq!(r.verdict, CheckVerdict::Unreachable);
    assert_eq!(r.error.unwrap().code, ProbeErrorCode::ResetAfterClientHello);
}

#[test]
fn a_server_that_never_answers_times_out_within_its_timeout() {
    let addr = silent_server();
    // The engine is built before the clock starts: the bound is on the probe's timeout alone.
    let engine = engine();
    let start = Instant::now();
    let r = qorgan::probe(
        &engine,
        &PlatformVerifier::unavailable(),
        "silent.example",
        &opts(addr, 800),
    );
    let took = start.elapsed();
    assert_eq!(r.verdict, CheckVerdict::Unreachable);
    assert_eq!(r.error.unwrap().code, ProbeErrorCode::Timeout);
    assert!(took < Duration::from_millis(800 + 500), "{took:?}");
}

#[test]
fn a_closed_port_is_connection_refused_and_said_so() {
    let r = qorgan::probe(
        &engine(),
        &PlatformVerifier::unavailable(),
        "closed.example",
        &opts(closed_port(), 2000),
    );
    assert_eq!(r.verdict, CheckVerdict::Unreachable);
    assert_eq!(
        r.error.as_ref().unwrap().code,
        ProbeErrorCode::ConnectionRefused
    );
    let report = qorgan::checker_report(None, &[r], qorgan::DevicePlatform::Desktop);
    assert_eq!(report.status, qorgan::CheckStatus::Offline);
    assert!(report.headline.contains("refused"), "{}", report.headline);
}

#[test]
fn a_plain_http_server_is_not_tls_and_said_so() {
    let r = qorgan::probe(
        &engine(),
        &PlatformVerifier::unavailable(),
        "http.example",
        &opts(http_server(1), 3000),
    );
    assert_eq!(r.verdict, CheckVerdict::Unreachable);
    assert_eq!(
        r.error.as_ref().unwrap().code,
        ProbeErrorCode::NotTls,
        "{r:?}"
    );
    let report = qorgan::checker_report(None, &[r], qorgan::DevicePlatform::Desktop);
    assert!(
        report.headline.contains("not over HTTPS"),
        "{}",
        report.headline
    );
}

#[test]
fn a_reset_after_the_client_hello_is_said_to_be_blocking_not_offline() {
    let r = qorgan::probe(
        &engine(),
        &PlatformVerifier::unavailable(),
        "blocked.example",
        &opts(resetting_server(), 3000),
    );
    let report = qorgan::checker_report(None, &[r], qorgan::DevicePlatform::Desktop);
    assert!(report.headline.contains("block"), "{}", report.headline);
    assert!(!report.headline.contains("offline"), "{}", report.headline);
    // in every language, a sentence of its own
    for lang in qorgan::i18n::Lang::ALL {
        let r = qorgan::probe(
            &engine(),
            &PlatformVerifier::unavailable(),
            "blocked.example",
            &opts(resetting_server(), 3000),
        );
        let offline = qorgan::i18n::render(lang, "checker-headline-offline", &[]);
        let report = qorgan::checker_report_in(None, &[r], qorgan::DevicePlatform::Desktop, lang);
        assert_ne!(report.headline, offline, "{lang:?}");
    }
}

#[test]
fn a_name_that_does_not_resolve_alone_is_offline() {
    let r = qorgan::probe(
        &engine(),
        &PlatformVerifier::unavailable(),
        "nonexistent.invalid",
        &ProbeOptions {
            port: 443,
            timeout: Duration::from_millis(3000),
            connect: None,
        },
    );
    let report = qorgan::checker_report(None, &[r], qorgan::DevicePlatform::Desktop);
    assert!(report.headline.contains("offline"), "{}", report.headline);
}

#[test]
fn a_name_that_does_not_resolve_is_unreachable_in_time() {
    let o = ProbeOptions {
        port: 443,
        timeout: Duration::from_millis(1500),
        connect: None,
    };
    let engine = engine();
    let start = Instant::now();
    let r = qorgan::probe(
        &engine,
        &PlatformVerifier::unavailable(),
        "no-such-host.invalid",
        &o,
    );
    assert_eq!(r.verdict, CheckVerdict::Unreachable);
    let code = r.error.unwrap().code;
    assert!(
        matches!(code, ProbeErrorCode::DnsFailed | ProbeErrorCode::Timeout),
        "{code:?}"
    );
    assert!(start.elapsed() < Duration::from_millis(1500 + 500));
}

#[test]
fn the_default_targets_hold_the_kazakh_lists_and_controls() {
    let t = qorgan::default_targets();
    let count = |g: &str| t.iter().filter(|x| x.group == g).count();
    assert_eq!(count("kz2019"), 37);
    assert_eq!(count("kz2021_2024"), 14);
    assert!(count("control") >= 3);
    for host in [
        "google.com",
        "www.google.com",
        "mail.google.com",
        "facebook.com",
        "vk.com",
        "rutracker.org",
        "www.pinterest.com",
    ] {
        assert!(t.iter().any(|x| x.host == host), "{host}");
    }
}

#[test]
fn the_checker_model_explains_interception_in_plain_language() {
    let known = tls_server("superfish", 2);
    let silent = resetting_server();
    let engine = engine();
    let platform = PlatformVerifier::new(&[]);
    let probes = vec![
        qorgan::probe(&engine, &platform, "localhost", &opts(known, 5000)),
        qorgan::probe(&engine, &platform, "blocked.example", &opts(silent, 3000)),
        qorgan::probe(&engine, &platform, "localhost", &opts(known, 5000)),
    ];
    let kz = certs(&bundled(
        "interception/certs/00309c736dd661da6f1eb24173aa849944c168a43a15bffd192eecfdb6f8dbd2.pem",
    ));
    let audit = engine.audit(&kz);
    let report = qorgan::checker_report(Some(&audit), &probes, qorgan::DevicePlatform::Android);
    assert_eq!(report.status, qorgan::CheckStatus::Intercepted);
    assert_eq!(report.hosts_intercepted, 2);
    // two sites behind one CA are one thing to fix
    let superfish: Vec<_> = report
        .advice
        .iter()
        .filter(|a| {
            a.certificate_authority
                .as_deref()
                .is_some_and(|c| c.contains("Superfish"))
        })
        .collect();
    assert_eq!(superfish.len(), 1);
    assert!(
        superfish[0].title.contains("2 sites"),
        "{}",
        superfish[0].title
    );
    assert!(
        superfish[0]
            .explanation
            .contains("replaced the sites' certificates with ones from"),
        "{}",
        superfish[0].explanation
    );
    // one site: the singular
    let single = qorgan::checker_report(None, &probes[..1], qorgan::DevicePlatform::Android);
    assert!(
        single.advice[0]
            .explanation
            .contains("replaced the site's certificate with one from"),
        "{}",
        single.advice[0].explanation
    );
    assert_eq!(report.hosts_unreachable, 1);
    assert!(
        report.headline.contains("intercepted"),
        "{}",
        report.headline
    );
    let first = &report.advice[0];
    assert_eq!(first.severity, qorgan::Severity::Critical);
    assert!(report.advice.iter().any(|a| a
        .certificate_authority
        .as_deref()
        .is_some_and(|c| c.contains("Qaznet"))));
    assert!(
        report
            .advice
            .iter()
            .any(|a| a.action.contains("Trusted credentials")),
        "Android removal steps"
    );
    assert!(
        report.advice.iter().any(|a| a.title.contains("blocked")),
        "SNI blocking explained"
    );
    let ios = qorgan::checker_report(Some(&audit), &probes, qorgan::DevicePlatform::Ios);
    assert!(ios
        .advice
        .iter()
        .any(|a| a.action.contains("VPN & Device Management")));
    let offline = qorgan::checker_report(None, &probes[1..2], qorgan::DevicePlatform::Ios);
    assert_eq!(offline.status, qorgan::CheckStatus::Offline);
}

#[test]
fn the_checker_lists_every_site_by_authority_and_every_installed_certificate() {
    let known = tls_server("superfish", 2);
    let unknown = tls_server("unknown-root", 1);
    let engine = engine();
    let platform = PlatformVerifier::new(&[]);
    let probes = vec![
        qorgan::probe(&engine, &platform, "localhost", &opts(known, 5000)),
        qorgan::probe(
            &engine,
            &platform,
            "blocked.example",
            &opts(resetting_server(), 3000),
        ),
        qorgan::probe(&engine, &platform, "unknown.example", &opts(unknown, 5000)),
        qorgan::probe(&engine, &platform, "second.example", &opts(known, 5000)),
    ];
    // The store: Qaznet shipped with the system, and two a person added: a private root and
    // a root the public programs hold too.
    let mut store: Vec<qorgan::CallerAnchor> = certs(&bundled(
        "interception/certs/00309c736dd661da6f1eb24173aa849944c168a43a15bffd192eecfdb6f8dbd2.pem",
    ))
    .into_iter()
    .map(qorgan::CallerAnchor::new)
    .collect();
    let globalsign = certs(&test_ca(
        "../data/mozilla-roots/certifi-2019.11.28-cacert.pem",
    ))
    .remove(0);
    for c in [certs(&test_ca("local-root/root.pem")).remove(0), globalsign] {
        store.push(qorgan::CallerAnchor {
            user_added: true,
            ..qorgan::CallerAnchor::new(c)
        });
    }
    let audit = engine.audit_store(&store);

    let en = qorgan::checker_report(Some(&audit), &probes, qorgan::DevicePlatform::Android);
    let groups: Vec<(Option<&str>, Vec<&str>, qorgan::Severity)> = en
        .site_groups
        .iter()
        .map(|g| {
            (
                g.certificate_authority.as_deref(),
                g.sites.iter().map(|s| s.host.as_str()).collect(),
                g.severity,
            )
        })
        .collect();
    assert_eq!(groups.len(), 3, "{:#?}", en.site_groups);
    // interception first, one group for the CA, both its sites in probe order
    assert!(
        groups[0].0.is_some_and(|c| c.contains("Superfish")),
        "{groups:?}"
    );
    assert_eq!(groups[0].1, ["localhost", "second.example"]);
    assert_eq!(groups[0].2, qorgan::Severity::Critical);
    assert_eq!(
        groups[1],
        (None, vec!["unknown.example"], qorgan::Severity::Warning)
    );
    assert_eq!(
        groups[2],
        (None, vec!["blocked.example"], qorgan::Severity::Info)
    );
    let superfish = &en.site_groups[0];
    assert!(
        superfish
            .title
            .starts_with("Through the interception certificate “Superfish"),
        "{}",
        superfish.title
    );
    assert_eq!(superfish.sites[0].summary, "Intercepted");
    assert_eq!(en.site_groups[1].title, "Refused by this device");
    assert_eq!(
        en.site_groups[1].sites[0].summary,
        "Refused: no one trusts its certificate"
    );
    assert_eq!(
        en.site_groups[2].sites[0].summary,
        "Blocked on this network"
    );

    // the installed certificates: most severe first, each with what it is and how to remove it
    let installed: Vec<(&str, bool, qorgan::Severity)> = en
        .installed
        .iter()
        .map(|c| (c.name.as_str(), c.user_added, c.severity))
        .collect();
    assert_eq!(installed.len(), 3, "{installed:?}");
    assert!(installed[0].0.contains("Qaznet"), "{installed:?}");
    assert_eq!(
        (installed[0].1, installed[0].2),
        (false, qorgan::Severity::Critical)
    );
    assert_eq!(
        (installed[1].1, installed[1].2),
        (true, qorgan::Severity::Warning)
    );
    assert_eq!(
        installed[2],
        ("GlobalSign Root CA", true, qorgan::Severity::Info)
    );
    assert!(
        en.installed[0].what_it_is.contains("read and change"),
        "{}",
        en.installed[0].what_it_is
    );
    assert!(en.installed[1]
        .what_it_is
        .contains("no public root program"));
    assert!(en.installed[2].what_it_is.contains("does not by itself"));
    assert!(en
        .installed
        .iter()
        .all(|c| c.how_to_remove.contains("Trusted credentials")));
    assert_eq!(en.installed[1].spki_sha256.len(), 64);

    // the same lists in every language: same shape, the language's own words, the CA's name kept
    for lang in [qorgan::i18n::Lang::Kk, qorgan::i18n::Lang::Ru] {
        let r =
            qorgan::checker_report_in(Some(&audit), &probes, qorgan::DevicePlatform::Android, lang);
        assert_eq!(r.site_groups.len(), en.site_groups.len(), "{lang:?}");
        for (g, e) in r.site_groups.iter().zip(&en.site_groups) {
            assert_eq!(g.certificate_authority, e.certificate_authority);
            assert_ne!(g.title, e.title, "{lang:?}");
            for (s, t) in g.sites.iter().zip(&e.sites) {
                assert_eq!((&s.host, s.verdict), (&t.host, t.verdict));
                assert_ne!(s.summary, t.summary, "{lang:?}");
            }
        }
        assert!(
            r.site_groups[0].title.contains("Superfish"),
            "{}",
            r.site_groups[0].title
        );
        for (c, e) in r.installed.iter().zip(&en.installed) {
            assert_eq!((&c.name, &c.spki_sha256), (&e.name, &e.spki_sha256));
            assert_ne!(c.what_it_is, e.what_it_is, "{lang:?}");
            assert_ne!(c.how_to_remove, e.how_to_remove, "{lang:?}");
        }
    }
}

#[test]
fn a_pin_violation_is_not_told_as_a_device_only_ca() {
    // The app's pins refuse the chain; the CA that vouched may be public: the checker must not
    // say "trusted only by this device" nor "installed on this device".
    let policy = qorgan::PinPolicy::from_json(
        r#"{"domains": [{"domain": "localhost", "pins": [
            "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB="]}]}"#,
    )
    .unwrap();
    let root = certs(&test_ca("local-root/root.pem"));
    let engine = qorgan::Engine::new(qorgan::EngineConfig {
        anchors: root.into_iter().map(qorgan::CallerAnchor::new).collect(),
        pin_policy: Some(policy),
        ..qorgan::EngineConfig::default()
    })
    .unwrap();
    let p = qorgan::probe(
        &engine,
        &PlatformVerifier::unavailable(),
        "localhost",
        &opts(tls_server("local-root", 1), 5000),
    );
    assert_eq!(p.verdict, CheckVerdict::PinViolation, "{:?}", p.findings);
    let r = qorgan::checker_report(None, &[p], qorgan::DevicePlatform::Android);
    assert_eq!(r.status, qorgan::CheckStatus::Intercepted);
    assert!(
        r.site_groups[0]
            .title
            .starts_with("Not the certificate these sites should have"),
        "{}",
        r.site_groups[0].title
    );
    assert_eq!(r.advice.len(), 1, "{:#?}", r.advice);
    assert!(r.advice[0]
        .title
        .contains("did not show the certificate it should have"));
    for text in [
        &r.site_groups[0].title,
        &r.advice[0].title,
        &r.advice[0].explanation,
    ] {
        assert!(
            !text.contains("only by this device") && !text.contains("installed on this device"),
            "{text}"
        );
    }
}

#[test]
fn the_live_probe_and_judge_handshake_agree_on_the_same_handshake() {
    // The phone checkers hand their handshake to judge_handshake; the desktop probe must reach
    // the same verdict on the same chain.
    let root = certs(&test_ca("local-root/root.pem"));
    for (scenario, anchors) in [
        ("superfish", vec![]),
        ("local-root", root.clone()),
        ("unknown-root", vec![]),
    ] {
        let engine = engine_with(anchors);
        let live = qorgan::probe(
            &engine,
            &PlatformVerifier::unavailable(),
            "localhost",
            &opts(tls_server(scenario, 1), 5000),
        );
        let judged = qorgan::judge_handshake(
            &engine,
            qorgan::HandshakeObservation {
                host: live.host.clone(),
                port: live.port,
                address: live.address.clone(),
                elapsed_ms: live.elapsed_ms,
                outcome: qorgan::HandshakeOutcome::Completed {
                    presented_chain: live.presented_chain.clone(),
                    tls: live.tls.clone().expect("tls"),
                    platform_trusted: live.platform_trusted,
                },
            },
        );
        assert_eq!(judged, live, "{scenario}");
    }
}

// Weak chains, as interception products present them: the probe completes the handshake
// (verifying the server's handshake signature with the leaf's key whatever its size) and judges
// the chain; the weakness is a finding. Served by `openssl s_server` at security level 0
// (rustls will not serve a 1024-bit key).

fn probe_openssl(
    scenario: &str,
    args: &[&str],
    anchors: Vec<qorgan::Certificate>,
) -> qorgan::ProbeResult {
    let server = openssl_server(scenario, 1, args);
    qorgan::probe(
        &engine_with(anchors.clone()),
        &PlatformVerifier::new(&anchors),
        "localhost",
        &opts(server.addr, 5000),
    )
}

fn has(r: &qorgan::ProbeResult, code: FindingCode) -> bool {
    r.findings.iter().any(|f| f.code == code)
}

#[test]
fn a_leaf_carrying_the_superfish_cas_own_1024_bit_key_is_intercepted_known() {
    // OpenSSL's defaults: TLS 1.3, rsa_pss_rsae_sha256 with the 1024-bit key.
    let r = probe_openssl("superfish-1024", &[], vec![]);
    assert_eq!(r.verdict, CheckVerdict::InterceptedKnown, "{r:?}");
    assert!(r.error.is_none(), "{r:?}");
    assert!(r.findings[0].message.contains("Superfish"), "{r:?}");
    assert!(has(&r, FindingCode::WeakKey), "{r:?}");
    assert_eq!(r.tls.unwrap().version, "TLSv1.3");
}

#[test]
fn every_rsa_scheme_is_verified_with_a_1024_bit_key() {
    // (TLS version, the one scheme the server may use): ring's legacy PKCS#1 (SHA-1/256/512),
    // RustCrypto's for PKCS#1 SHA-384 and every RSA-PSS under 2048 bits.
    for (version, sigalgs) in [
        ("-tls1_2", "RSA+SHA1"),
        ("-tls1_2", "RSA+SHA256"),
        ("-tls1_2", "RSA+SHA384"),
        ("-tls1_2", "RSA+SHA512"),
        ("-tls1_2", "rsa_pss_rsae_sha256"),
        ("-tls1_3", "rsa_pss_rsae_sha384"),
        // (rsa_pss_rsae_sha512 cannot sign with a 1024-bit key: the encoding needs 130 bytes.)
    ] {
        let r = probe_openssl("superfish-1024", &[version, "-sigalgs", sigalgs], vec![]);
        assert_eq!(
            r.verdict,
            CheckVerdict::InterceptedKnown,
            "{sigalgs}: {r:?}"
        );
        assert!(r.error.is_none(), "{sigalgs}: {r:?}");
        let expected = if version == "-tls1_2" {
            "TLSv1.2"
        } else {
            "TLSv1.3"
        };
        assert_eq!(r.tls.unwrap().version, expected, "{sigalgs}");
    }
}

#[test]
fn a_sha1_signed_superfish_chain_is_intercepted_known() {
    let r = probe_openssl(
        "superfish-sha1",
        &["-tls1_2", "-sigalgs", "RSA+SHA1"],
        vec![],
    );
    assert_eq!(r.verdict, CheckVerdict::InterceptedKnown, "{r:?}");
    assert!(r.error.is_none(), "{r:?}");
    assert!(r.findings[0].message.contains("Superfish"), "{r:?}");
}

#[test]
fn an_md5_signed_superfish_chain_is_intercepted_known() {
    let r = probe_openssl("superfish-md5", &[], vec![]);
    assert_eq!(r.verdict, CheckVerdict::InterceptedKnown, "{r:?}");
    assert!(r.error.is_none(), "{r:?}");
    assert!(r.findings[0].message.contains("Superfish"), "{r:?}");
}

#[test]
fn an_expired_1024_bit_leaf_is_invalid_and_says_so() {
    let root = certs(&test_ca("local-root/root.pem"));
    let r = probe_openssl("expired-1024", &[], root);
    assert_eq!(r.verdict, CheckVerdict::Invalid, "{r:?}");
    assert!(r.error.is_none(), "{r:?}");
    assert!(has(&r, FindingCode::Expired), "{r:?}");
    assert_eq!(r.platform_trusted, Some(false));
}

#[test]
fn a_1024_bit_leaf_for_another_host_is_invalid() {
    let root = certs(&test_ca("local-root/root.pem"));
    let r = probe_openssl("wrong-host-1024", &[], root);
    assert_eq!(r.verdict, CheckVerdict::Invalid, "{r:?}");
    assert!(r.error.is_none(), "{r:?}");
    assert!(has(&r, FindingCode::HostnameMismatch), "{r:?}");
}

#[test]
fn a_self_signed_1024_bit_sha1_certificate_is_untrusted() {
    let r = probe_openssl(
        "self-signed-1024",
        &["-tls1_2", "-sigalgs", "RSA+SHA1"],
        vec![],
    );
    assert_eq!(r.verdict, CheckVerdict::Untrusted, "{r:?}");
    assert!(r.error.is_none(), "{r:?}");
    assert_eq!(r.platform_trusted, Some(false));
    assert_eq!(r.presented_chain.len(), 1);
}

#[test]
fn an_ecdsa_sha1_handshake_signature_is_verified() {
    let root = certs(&test_ca("local-root/root.pem"));
    let r = probe_openssl(
        "ec-local-root",
        &["-tls1_2", "-sigalgs", "ECDSA+SHA1"],
        root,
    );
    assert_eq!(r.verdict, CheckVerdict::InterceptedLocal, "{r:?}");
    assert!(r.error.is_none(), "{r:?}");
}

/// A TLS server presenting `scenario`'s chain but signing the handshake with another key, as
/// one replaying a chain whose key it does not hold would.
fn replaying_server(scenario: &str, signing_key_of: &str) -> SocketAddr {
    use pki_types::pem::PemObject;
    use pki_types::{CertificateDer, PrivateKeyDer};
    use std::sync::Arc;

    #[derive(Debug)]
    struct Fixed(Arc<rustls::sign::CertifiedKey>);
    impl rustls::server::ResolvesServerCert for Fixed {
        fn resolve(
            &self,
            _: rustls::server::ClientHello<'_>,
        ) -> Option<Arc<rustls::sign::CertifiedKey>> {
            Some(self.0.clone())
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(test_ca(&format!("{scenario}/chain.pem")))
            .unwrap()
            .map(Result::unwrap)
            .collect();
    let key = PrivateKeyDer::from_pem_file(test_ca(&format!("{signing_key_of}/leaf.key"))).unwrap();
    let key = provider.key_provider.load_private_key(key).unwrap();
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(Fixed(Arc::new(rustls::sign::CertifiedKey::new(
                chain, key,
            ))))),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Ok((mut sock, _)) = listener.accept() {
            sock.set_read_timeout(Some(Duration::from_secs(5))).ok();
            let mut conn = rustls::ServerConnection::new(config).unwrap();
            while conn.is_handshaking() {
                if conn.complete_io(&mut sock).is_err() {
                    break;
                }
            }
        }
    });
    addr
}

#[test]
fn a_handshake_signature_that_does_not_verify_still_names_the_known_ca() {
    // The Superfish chain, signed with another key: the server does not prove it holds the
    // leaf's key. The probe still judges what it saw and keeps the failure beside the verdict.
    let addr = replaying_server("superfish", "local-root");
    let r = qorgan::probe(
        &engine(),
        &PlatformVerifier::new(&[]),
        "localhost",
        &opts(addr, 5000),
    );
    assert_eq!(r.verdict, CheckVerdict::InterceptedKnown, "{r:?}");
    assert!(r.findings[0].message.contains("Superfish"), "{r:?}");
    let e = r.error.expect("the failure is reported");
    assert_eq!(e.code, ProbeErrorCode::TlsError);
    assert!(e.message.contains("did not prove"), "{}", e.message);
    assert_eq!(r.presented_chain.len(), 1);
}

#[test]
fn a_handshake_signature_that_does_not_verify_is_never_accepted() {
    // A chain the device would trust, replayed without its key: not "intercepted_local", and
    // certainly not fine. (A publicly trusted chain would be `unreachable`; no test has a
    // public CA's key to build one.)
    let root = certs(&test_ca("local-root/root.pem"));
    let addr = replaying_server("local-root", "unknown-root");
    let r = qorgan::probe(
        &engine_with(root.clone()),
        &PlatformVerifier::new(&root),
        "localhost",
        &opts(addr, 5000),
    );
    assert_eq!(
        r.error.as_ref().map(|e| e.code),
        Some(ProbeErrorCode::TlsError),
        "{r:?}"
    );
    assert_ne!(r.verdict, CheckVerdict::Trusted);
}

/// A site not reached says why in the checker's list, in each language, so that a worried user
/// can tell "blocked on this network" from "no connection at all".
#[test]
fn each_unreachable_site_says_why_in_every_language() {
    let unreachable = |host: &str, code: ProbeErrorCode| qorgan::ProbeResult {
        host: host.to_string(),
        port: 443,
        verdict: CheckVerdict::Unreachable,
        findings: vec![],
        error: Some(qorgan::ProbeError {
            code,
            message: String::new(),
        }),
        tls: None,
        path: vec![],
        anchor: None,
        platform_trusted: None,
        address: None,
        elapsed_ms: 1,
        presented_chain: vec![],
    };
    let probes = [
        unreachable("a.example", ProbeErrorCode::DnsFailed),
        unreachable("b.example", ProbeErrorCode::Timeout),
        unreachable("c.example", ProbeErrorCode::ResetAfterClientHello),
        unreachable("d.example", ProbeErrorCode::ConnectionRefused),
        unreachable("e.example", ProbeErrorCode::NotTls),
        unreachable("f.example", ProbeErrorCode::TlsError),
    ];
    for (lang, expected) in [
        (
            qorgan::i18n::Lang::En,
            [
                "Its address was not found",
                "No answer in time",
                "Blocked on this network",
                "Refused the connection",
                "Does not answer over HTTPS",
                "Not reached",
            ],
        ),
        (
            qorgan::i18n::Lang::Ru,
            [
                "Адрес сайта не найден",
                "Не ответил вовремя",
                "Заблокирован в этой сети",
                "Отказал в соединении",
                "Не отвечает по HTTPS",
                "Не удалось связаться",
            ],
        ),
        (
            qorgan::i18n::Lang::Kk,
            [
                "Сайттың мекенжайы табылмады",
                "Уақытында жауап бермеді",
                "Бұл желіде бұғатталған",
                "Байланыстан бас тартты",
                "HTTPS арқылы жауап бермейді",
                "Байланыс болмады",
            ],
        ),
    ] {
        let report =
            qorgan::checker_report_in(None, &probes, qorgan::DevicePlatform::Android, lang);
        let sites: Vec<_> = report.site_groups.iter().flat_map(|g| &g.sites).collect();
        assert_eq!(sites.len(), probes.len(), "{lang:?}");
        for (site, want) in sites.iter().zip(expected) {
            assert_eq!(site.summary, want, "{lang:?} {}", site.host);
        }
    }
}

//! `judge_handshake`: the verdict on a handshake made outside Qorgan (the phone checkers make
//! theirs with the platform's TLS), from the chain it saw, what it negotiated and the OS's word.

mod common;

use common::*;
use qorgan::{
    CheckVerdict, FindingCode, HandshakeObservation, HandshakeOutcome, ProbeError, ProbeErrorCode,
    TlsInfo,
};

fn tls() -> TlsInfo {
    TlsInfo {
        version: "TLSv1.3".into(),
        cipher_suite: "TLS_AES_128_GCM_SHA256".into(),
        alpn: Some("h2".into()),
    }
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
            tls: tls(),
            platform_trusted,
        },
    }
}

#[test]
fn a_superfish_chain_is_intercepted_known_and_the_observation_is_kept() {
    let observation = completed("superfish", Some(false));
    let HandshakeOutcome::Completed {
        presented_chain, ..
    } = observation.outcome.clone()
    else {
        unreachable!()
    };
    let r = qorgan::judge_handshake(&engine(), observation);
    assert_eq!(r.verdict, CheckVerdict::InterceptedKnown, "{r:?}");
    assert!(r
        .findings
        .iter()
        .any(|f| f.code == FindingCode::KnownInterceptionCa));
    assert_eq!(r.presented_chain, presented_chain);
    assert_eq!(r.tls, Some(tls()));
    assert_eq!(r.platform_trusted, Some(false));
    assert_eq!((r.host.as_str(), r.port), ("localhost", 8443));
    assert_eq!(r.address.as_deref(), Some("127.0.0.1:8443"));
    assert_eq!(r.elapsed_ms, 12);
    assert_eq!(r.error, None);
}

#[test]
fn a_chain_only_the_os_trusts_is_intercepted_local() {
    // The OS trusts the chain (a root installed where Qorgan cannot list it), no public
    // program and no anchor the engine knows does.
    let r = qorgan::judge_handshake(&engine(), completed("local-root", Some(true)));
    assert_eq!(r.verdict, CheckVerdict::InterceptedLocal, "{r:?}");
    assert_eq!(r.findings[0].code, FindingCode::NonPublicAnchor);
    assert!(!r.findings.iter().any(|f| f.code == FindingCode::NoPath));

    // Nobody trusts it: untrusted. Unknown OS verdict: untrusted too.
    for platform in [Some(false), None] {
        let r = qorgan::judge_handshake(&engine(), completed("local-root", platform));
        assert_eq!(r.verdict, CheckVerdict::Untrusted, "{platform:?}: {r:?}");
        assert_eq!(r.platform_trusted, platform);
    }

    // The engine knows the root as a user-installed anchor: intercepted_local by its own
    // analysis, naming the anchor, whatever the OS said.
    let root = certs(&test_ca("local-root/root.pem"));
    let r = qorgan::judge_handshake(&engine_with(root), completed("local-root", None));
    assert_eq!(r.verdict, CheckVerdict::InterceptedLocal, "{r:?}");
    assert_eq!(r.anchor.unwrap().subject, "Qorgan Test Local Root");
}

#[test]
fn a_failed_handshake_is_unreachable_with_its_error() {
    let error = ProbeError {
        code: ProbeErrorCode::ResetAfterClientHello,
        message: "cut after the ClientHello".into(),
    };
    let r = qorgan::judge_handshake(
        &engine(),
        HandshakeObservation {
            host: "blocked.example".into(),
            port: 443,
            address: Some("203.0.113.7:443".into()),
            elapsed_ms: 40,
            outcome: HandshakeOutcome::Failed {
                error: error.clone(),
            },
        },
    );
    assert_eq!(r.verdict, CheckVerdict::Unreachable);
    assert_eq!(r.error, Some(error));
    assert!(r.findings.is_empty() && r.path.is_empty() && r.tls.is_none());
    assert_eq!(r.address.as_deref(), Some("203.0.113.7:443"));
}

#[test]
fn an_unusable_chain_is_untrusted_with_a_finding_saying_why() {
    for chain in [vec![], vec![b"not DER".to_vec()]] {
        let mut o = completed("superfish", Some(true));
        o.outcome = HandshakeOutcome::Completed {
            presented_chain: chain.clone(),
            tls: tls(),
            platform_trusted: Some(true),
        };
        let r = qorgan::judge_handshake(&engine(), o);
        assert_eq!(r.verdict, CheckVerdict::Untrusted, "{chain:?}: {r:?}");
        assert_eq!(r.findings[0].code, FindingCode::InvalidCertificate);
        assert!(
            r.findings[0].message.contains("unusable certificate chain"),
            "{}",
            r.findings[0].message
        );
    }
}

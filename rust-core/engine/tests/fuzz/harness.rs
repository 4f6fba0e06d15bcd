//! What each fuzz target runs, shared by the cargo-fuzz targets (`rust-core/engine/fuzz/`) and the
//! regression test (`tests/fuzz_regressions.rs`), so that a committed crashing input replays
//! exactly the code that crashed. Uses only the public API.
//!
//! Every function must return normally for every input: an `Err` is a fine answer, a panic,
//! an abort, a hang or a broken invariant (checked with `assert!`) is a bug.
#![allow(dead_code)]

use std::sync::OnceLock;

use qorgan::{
    CallerAnchor, Certificate, CertificateFacts, CheckVerdict, Engine, EngineConfig, FindingCode,
    HandshakeObservation, HandshakeOutcome, TlsInfo, Verdict, VerdictKind,
};

/// What a fuzz target runs on one input.
pub type Target = fn(&[u8]);

/// The targets, by name (the file names under `rust-core/engine/fuzz/fuzz_targets/` and the folders
/// under `tests/data/fuzz-regressions/`).
pub const TARGETS: &[(&str, Target)] = &[
    ("parse_der", parse_der),
    ("parse_pem", parse_pem),
    ("certificate", certificate),
    ("analyze", analyze),
    ("pin_policy", pin_policy),
    ("fast_paths", fast_paths),
    ("bundle", bundle),
];

/// An engine with one caller anchor (the local test root), so that caller-anchor paths run too.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let root =
            Certificate::from_der(include_bytes!("../test-ca/local-root/root.der").to_vec(), 1)
                .expect("test root");
        Engine::new(EngineConfig {
            anchors: vec![CallerAnchor::new(root)],
            ..EngineConfig::default()
        })
        .expect("engine")
    })
}

/// Each parsed certificate re-parses from its own DER to the same key, and its facts (when it
/// has any) agree with it.
fn check_certificate(c: &Certificate) {
    let again = Certificate::from_der(c.der().to_vec(), 1).expect("a parsed certificate re-parses");
    assert_eq!(again.spki_hash(), c.spki_hash());
    if let Ok(f) = CertificateFacts::of(c, 1) {
        assert_eq!(f.spki_sha256, c.spki_hash().hex());
        let _ = f.display_name();
        let _ = f.has_weak_key();
        let _ = f.has_weak_signature();
    }
}

/// Certificate and chain parsing, DER (one certificate or several concatenated), as `qorgan
/// inspect` and `qorgan audit` read files.
pub fn parse_der(data: &[u8]) {
    for parsed in [qorgan::parse_chain(data), qorgan::parse_store(data)] {
        match parsed {
            Ok(certs) => certs.iter().for_each(check_certificate),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
}

/// PEM bundles: the input as text, and the input's bytes as the body of a PEM block (so the
/// armour and base64 layers see arbitrary content).
pub fn parse_pem(data: &[u8]) {
    let mut armoured = b"-----BEGIN CERTIFICATE-----\n".to_vec();
    armoured.extend_from_slice(data);
    armoured.extend_from_slice(b"\n-----END CERTIFICATE-----\n");
    for input in [data, armoured.as_slice()] {
        match qorgan::parse_store(input) {
            Ok(certs) => certs.iter().for_each(check_certificate),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
}

/// One DER certificate through everything that takes one: facts, the SPKI pin, the fast path
/// and a one-certificate analysis.
pub fn certificate(data: &[u8]) {
    let _ = qorgan::from_der_list(vec![data.to_vec()]);
    let _ = engine().analyze_validated(&[data], Some("example.com"));
    let Ok(c) = Certificate::from_der(data.to_vec(), 1) else {
        return;
    };
    check_certificate(&c);
    let pin = c.spki_hash().pin();
    assert_eq!(qorgan::SpkiHash::from_base64(&pin), Some(c.spki_hash()));
    if let Ok(v) = engine().analyze_with_facts(std::slice::from_ref(&c), None, Some(1_700_000_000))
    {
        serde_json::to_string(&v).expect("a verdict serialises");
    }
    let _ = engine().audit(std::slice::from_ref(&c));
}

/// Splits fuzz input into a chain: a header byte (host and time choice), then certificates
/// framed as a 2-byte big-endian length and that many bytes (at most 8 certificates).
pub fn split_chain(data: &[u8]) -> (Option<&'static str>, Option<i64>, Vec<&[u8]>) {
    const HOSTS: &[Option<&str>] = &[
        None,
        Some("localhost"),
        Some("example.com"),
        Some("127.0.0.1"),
        Some("*.example.com"),
        Some("xn--80ak6aa92e.com"),
        Some("a..b"),
        Some(""),
    ];
    let Some((&head, mut rest)) = data.split_first() else {
        return (None, None, Vec::new());
    };
    let host = HOSTS[usize::from(head & 7)];
    let time = match head >> 3 & 3 {
        0 => None,
        1 => Some(1_700_000_000),
        2 => Some(0),
        _ => Some(i64::from(head) * 100_000_000),
    };
    let mut certs = Vec::new();
    while rest.len() >= 2 && certs.len() < 8 {
        let len = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
        let body = &rest[2..];
        let take = len.min(body.len());
        certs.push(&body[..take]);
        rest = &body[take..];
    }
    (host, time, certs)
}

/// The inverse of [`split_chain`], for seeding the corpus from real chains.
pub fn join_chain(head: u8, certs: &[&[u8]]) -> Vec<u8> {
    let mut out = vec![head];
    for c in certs {
        let len = u16::try_from(c.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&c[..usize::from(len)]);
    }
    out
}

/// `analyze` (path building, facts, known-CA and impersonation checks, host name, validity) and
/// `analyze_validated` on arbitrary chains.
pub fn analyze(data: &[u8]) {
    let (host, time, ders) = split_chain(data);
    let _ = engine().analyze_validated(&ders, host);
    let certs: Vec<Certificate> = ders
        .iter()
        .enumerate()
        .filter_map(|(i, d)| Certificate::from_der(d.to_vec(), i + 1).ok())
        .collect();
    match engine().analyze_with_facts(&certs, host, time) {
        Ok(v) => {
            serde_json::to_string(&v).expect("a verdict serialises");
            assert!(v
                .findings
                .windows(2)
                .all(|w| w[0].severity >= w[1].severity));
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// Pin policies, Network Security Config XML or JSON (told apart by content, as the CLI and the
/// FFI read them): loading either succeeds and the policy answers for any host, or fails with
/// an error that says something. A loaded policy round-trips through its JSON form.
pub fn pin_policy(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match qorgan::PinPolicy::from_text(&text) {
        Ok(policy) => {
            let key = qorgan::SpkiHash([7; 32]);
            for host in [
                "example.com",
                "a.b.example.com",
                "xn--n1aae7f7o.example",
                "localhost",
                "",
            ] {
                let _ = policy.rule_for(host);
                let _ = policy.evaluate(host, &[key], 0);
                let _ = policy.evaluate(host, &[], i64::MAX / 2);
            }
            let json = policy.to_json().to_string();
            qorgan::PinPolicy::from_text(&json).expect("a policy's own JSON loads again");
            for w in policy.warnings() {
                assert!(!w.to_string().is_empty());
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

fn severity(v: CheckVerdict) -> u8 {
    // One scale for every comparison: CheckVerdict::severity, by VerdictKind's precedence.
    v.severity()
}

/// The labels of the known CAs a verdict's findings name.
fn known_labels(findings: &[qorgan::Finding]) -> Vec<String> {
    findings
        .iter()
        .filter(|f| {
            matches!(
                f.code,
                FindingCode::KnownInterceptionCa | FindingCode::GovernmentRoot
            )
        })
        .filter_map(|f| f.subject.clone())
        .collect()
}

/// The path `analyze` built, as a platform that validated the chain would hand it over (leaf
/// first, the anchor last), when the anchor is the chain's last certificate.
fn built_path(ders: &[&[u8]], v: &Verdict) -> Option<Vec<Vec<u8>>> {
    let anchor = v.anchor.as_ref()?;
    let last = Certificate::from_der(ders.last()?.to_vec(), 1).ok()?;
    if anchor.spki_sha256 != last.spki_hash().hex() {
        return None;
    }
    let last_entry = v.path.last()?;
    if last_entry.role != qorgan::PathRole::Anchor || !last_entry.presented {
        return None;
    }
    v.path
        .iter()
        .map(|e| {
            let fp = &e.facts.as_ref()?.sha256;
            ders.iter()
                .find(|d| {
                    Certificate::from_der(d.to_vec(), 1)
                        .is_ok_and(|c| qorgan::SpkiHash(c.fingerprint()).hex() == *fp)
                })
                .map(|d| d.to_vec())
        })
        .collect()
}

/// The per-handshake fast paths against each other and against the full analysis (the
/// invariants of tests/adversarial.rs, on arbitrary chains in the `analyze` framing), with an
/// engine that trusts the chain's last certificate as the platform's anchor:
/// - `analyze_validated` and `validated_clean` fail alike, and `validated_clean` is true only
///   when `analyze_validated` is a clean `trusted`;
/// - `analyze_validated` names every known CA whose key is in the chain;
/// - on the path `analyze` built (when it ends at that anchor), `analyze_validated` is at least
///   as severe as `analyze` and `validated_clean` false when `analyze` reports interception or a
///   pin violation;
/// - `judge_handshake` is at least as severe as `analyze` on the same chain, and names the
///   known CAs it names.
pub fn fast_paths(data: &[u8]) {
    let (host, _, ders) = split_chain(data);
    let certs: Vec<Certificate> = ders
        .iter()
        .enumerate()
        .filter_map(|(i, d)| Certificate::from_der(d.to_vec(), i + 1).ok())
        .collect();
    let all_readable = certs.len() == ders.len();
    let local = engine();
    let own = ders
        .last()
        .and_then(|d| Certificate::from_der(d.to_vec(), 1).ok())
        .and_then(|last| {
            let root =
                Certificate::from_der(include_bytes!("../test-ca/local-root/root.der").to_vec(), 1)
                    .ok()?;
            Engine::new(EngineConfig {
                anchors: vec![CallerAnchor::new(root), CallerAnchor::new(last)],
                ..EngineConfig::default()
            })
            .ok()
        });
    let engine = own.as_ref().unwrap_or(local);

    let validated = engine.analyze_validated(&ders, host);
    let clean = engine.validated_clean(&ders, host);
    match (&validated, &clean) {
        (Ok(v), Ok(c)) => {
            assert!(
                !*c || (v.verdict == VerdictKind::Trusted && !v.needs_report()),
                "validated_clean true, analyze_validated {:?}",
                v.verdict
            );
            let named = known_labels(&v.findings);
            for c in &certs {
                if let Some(k) = qorgan::anchors::known::lookup(&c.spki_hash()) {
                    assert!(
                        named.contains(&k.label),
                        "analyze_validated misses {}",
                        k.label
                    );
                }
            }
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("analyze_validated {validated:?}, validated_clean {clean:?}"),
    }

    let Some(host) = host else {
        return;
    };
    let Ok(full) = engine.analyze_with_facts(&certs, Some(host), None) else {
        return;
    };
    if let Some(path) = built_path(&ders, &full) {
        let path_refs: Vec<&[u8]> = path.iter().map(Vec::as_slice).collect();
        let path_certs: Vec<Certificate> = path
            .iter()
            .filter_map(|d| Certificate::from_der(d.clone(), 1).ok())
            .collect();
        if let (Ok(a), Ok(v), Ok(c)) = (
            engine.analyze_with_facts(&path_certs, Some(host), None),
            engine.analyze_validated(&path_refs, Some(host)),
            engine.validated_clean(&path_refs, Some(host)),
        ) {
            if matches!(
                a.verdict,
                VerdictKind::InterceptedKnown
                    | VerdictKind::InterceptedLocal
                    | VerdictKind::PinViolation
            ) {
                assert!(
                    severity(v.verdict.into()) >= severity(a.verdict.into()) && !c,
                    "analyze {:?}, analyze_validated {:?}, validated_clean {c}",
                    a.verdict,
                    v.verdict
                );
            }
        }
    }
    if all_readable {
        let judged = qorgan::judge_handshake(
            engine,
            HandshakeObservation {
                host: host.to_string(),
                port: 443,
                address: None,
                elapsed_ms: 0,
                outcome: HandshakeOutcome::Completed {
                    presented_chain: ders.iter().map(|d| d.to_vec()).collect(),
                    tls: TlsInfo {
                        version: "TLSv1.3".into(),
                        cipher_suite: "TLS13_AES_128_GCM_SHA256".into(),
                        alpn: None,
                    },
                    platform_trusted: Some(data.len().is_multiple_of(2)),
                },
            },
        );
        assert!(
            severity(judged.verdict) >= severity(full.verdict.into()),
            "analyze {:?}, judge_handshake {:?}",
            full.verdict,
            judged.verdict
        );
        let named = known_labels(&judged.findings);
        for k in known_labels(&full.findings) {
            assert!(named.contains(&k), "judge_handshake misses {k}");
        }
    }
}

/// Signed bundles (`qorgan::bundle`): the input as a whole bundle file (the size, magic, length
/// and key-id checks before the signature), then as a payload sealed with a test key and applied
/// to an engine (so that the JSON, the content checks and the pin policy reader see arbitrary
/// signed content), then as content JSON. A refused bundle leaves the engine as it was; an
/// accepted one is the engine's bundle, and the same bundle again is refused as not newer.
pub fn bundle(data: &[u8]) {
    use qorgan::{BundleContent, BundleSigner};
    const NOW: i64 = 1_800_000_000;
    let Ok(signer) = BundleSigner::from_seed(&[7; 32]) else {
        return;
    };
    let keys = vec![signer.public_key()];
    if let Err(e) = qorgan::read_bundle(data, &keys, NOW) {
        assert!(!e.to_string().is_empty() && !e.code().is_empty());
    }
    if let Ok(sealed) = signer.seal(data) {
        let engine = Engine::new(EngineConfig {
            bundle_keys: keys,
            bundle_pins: true,
            ..EngineConfig::default()
        })
        .expect("engine");
        match engine.apply_bundle_at(&sealed, NOW) {
            Ok(info) => {
                assert_eq!(engine.bundle_info().as_ref(), Some(&info));
                let again = engine.apply_bundle_at(&sealed, NOW);
                assert!(
                    matches!(again, Err(qorgan::BundleError::NotNewer { .. })),
                    "{again:?}"
                );
                assert_eq!(engine.bundle_info(), Some(info));
            }
            Err(e) => {
                assert!(!e.to_string().is_empty());
                assert!(engine.bundle_info().is_none());
            }
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = BundleContent::from_json(text);
    }
}

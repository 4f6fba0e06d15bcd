//! What each fuzz target runs, shared by the cargo-fuzz targets (`rust-core/fuzz/`) and the
//! regression test (`tests/fuzz_regressions.rs`), so that a committed crashing input replays
//! exactly the code that crashed. Uses only the public API.
//!
//! Every function must return normally for every input: an `Err` is a fine answer, a panic,
//! an abort, a hang or a broken invariant (checked with `assert!`) is a bug.
#![allow(dead_code)]

use std::sync::OnceLock;

use qorgan::{CallerAnchor, Certificate, CertificateFacts, Engine, EngineConfig};

/// What a fuzz target runs on one input.
pub type Target = fn(&[u8]);

/// The targets, by name (the file names under `rust-core/fuzz/fuzz_targets/` and the folders
/// under `tests/data/fuzz-regressions/`).
pub const TARGETS: &[(&str, Target)] = &[
    ("parse_der", parse_der),
    ("parse_pem", parse_pem),
    ("certificate", certificate),
    ("analyze", analyze),
    ("pin_policy", pin_policy),
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
    if let Ok(v) = engine().analyze(std::slice::from_ref(&c), None, Some(1_700_000_000)) {
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
    match engine().analyze(&certs, host, time) {
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

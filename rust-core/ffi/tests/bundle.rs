//! Signed knowledge bundles through the FFI (`Qorgan.apply_bundle`, `bundle_info`,
//! `QorganBundleError`), and the bundle fixtures the Kotlin and Swift tests use
//! (tests/data/bundles, see its README).
//!
//! The fixtures are made here, from fixed seeds and times: Ed25519 signatures are
//! deterministic, so [`fixtures_are_current`] rebuilds every file in memory and fails when one
//! differs. `QORGAN_WRITE_BUNDLE_FIXTURES=1 cargo test -p qorgan-ffi --test bundle` rewrites
//! them. The expired one is signed with times in the past, which `qorgan bundle sign` refuses
//! to do; that is why they are made here and not with the CLI.

use std::path::{Path, PathBuf};

use qorgan::{BundleContent, BundleSigner, PlatformView, VerdictKind};
use qorgan_ffi as ffi;

/// 2026-12-01T00:00:00Z.
const ISSUED: i64 = 1_796_083_200;
/// 2050-01-01T00:00:00Z.
const EXPIRES: i64 = 2_524_608_000;
/// 2020-01-01T00:00:00Z and 2020-02-01T00:00:00Z: the expired bundle's times.
const PAST: (i64, i64) = (1_577_836_800, 1_580_515_200);

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bundles")
}

fn test_ca(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../engine/tests/test-ca/unknown-root")
        .join(file)
}

fn publisher() -> BundleSigner {
    BundleSigner::from_seed(&[0x51; 32]).expect("publisher")
}

fn foreign() -> BundleSigner {
    BundleSigner::from_seed(&[0xF0; 32]).expect("foreign")
}

/// Every fixture file and its bytes.
fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/tests/data/bundles/content.json"),
    )
    .expect("content.json");
    let content = BundleContent::from_json(&text).expect("content");
    let (p, f) = (publisher(), foreign());
    let sign = |s: &BundleSigner, version, (issued, expires): (i64, i64)| {
        s.sign(&content, version, issued, expires).expect("sign")
    };
    let mut tampered = sign(&p, 3, (ISSUED, EXPIRES));
    // A byte of the payload (the "K" of "KZ" in the label, say): the signature no longer
    // covers what the file says.
    let at = tampered.len() - 64 - 40;
    tampered[at] ^= 0x01;
    let malformed = p
        .seal(br#"{"version": 3, "issued": 1796083200}"#)
        .expect("seal");
    vec![
        (
            "publisher.pub",
            format!("{}\n", p.public_key().to_base64()).into_bytes(),
        ),
        ("v1.qbundle", sign(&p, 1, (ISSUED, EXPIRES))),
        ("v2.qbundle", sign(&p, 2, (ISSUED, EXPIRES))),
        ("tampered.qbundle", tampered),
        ("foreign-key.qbundle", sign(&f, 3, (ISSUED, EXPIRES))),
        ("expired.qbundle", sign(&p, 3, PAST)),
        ("malformed.qbundle", malformed),
    ]
}

#[test]
fn fixtures_are_current() {
    let write = std::env::var_os("QORGAN_WRITE_BUNDLE_FIXTURES").is_some();
    for (name, bytes) in fixtures() {
        let path = data().join(name);
        if write {
            std::fs::write(&path, &bytes).expect("write");
        }
        let on_disk = std::fs::read(&path).unwrap_or_default();
        assert!(
            on_disk == bytes,
            "{} is stale: QORGAN_WRITE_BUNDLE_FIXTURES=1 cargo test -p qorgan-ffi --test bundle",
            path.display()
        );
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(data().join(name)).expect(name)
}

fn pem_der(path: &Path) -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(path).expect("pem");
    let mut out = Vec::new();
    for block in text.split("-----BEGIN CERTIFICATE-----").skip(1) {
        let b64: String = block
            .split("-----END")
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        out.push(base64_decode(&b64));
    }
    out
}

fn base64_decode(text: &str) -> Vec<u8> {
    // The PEM body through the engine's key parser would do as well; keep the test standalone.
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|&c| c != b'=') {
        let v = ALPHABET.iter().position(|&a| a == c).expect("base64") as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

/// The unknown root installed on the device (as the 2019 campaign asked), and bundle keys.
fn config(keys: Vec<String>, min_version: u64) -> ffi::QorganConfig {
    let root = pem_der(&test_ca("root.pem")).remove(0);
    ffi::QorganConfig {
        trusted_certificates: vec![ffi::TrustedCertificate {
            der: root,
            user_added: true,
        }],
        allowed_anchor_pins: vec![],
        platform: PlatformView::Android,
        report_dedup_seconds: 0,
        pin_policy: None,
        dangerous_debug_build: false,
        language: None,
        bundle_keys: keys,
        bundle_pins: false,
        bundle_min_version: min_version,
    }
}

fn qorgan(keys: Vec<String>, min_version: u64) -> std::sync::Arc<ffi::Qorgan> {
    ffi::Qorgan::new(config(keys, min_version)).expect("qorgan")
}

fn key() -> String {
    String::from_utf8(fixture("publisher.pub"))
        .expect("utf-8")
        .trim()
        .to_string()
}

fn verdict(q: &ffi::Qorgan) -> VerdictKind {
    q.analyze(None, pem_der(&test_ca("chain.pem")), None)
        .expect("analyze")
        .verdict
}

#[test]
fn a_root_known_only_from_a_bundle_is_intercepted_known() {
    let q = qorgan(vec![key()], 0);
    assert_eq!(verdict(&q), VerdictKind::InterceptedLocal);
    assert!(q.bundle_info().is_none());
    let info = q.apply_bundle(fixture("v1.qbundle")).expect("v1");
    assert_eq!(
        (info.version, info.known_cas, info.pins_applied),
        (1, 1, false)
    );
    assert_eq!(info.expires, "2050-01-01T00:00:00Z");
    assert_eq!(q.bundle_info(), Some(info));
    assert_eq!(verdict(&q), VerdictKind::InterceptedKnown);
}

#[test]
fn refused_bundles_are_typed_and_change_nothing() {
    let q = qorgan(vec![key()], 0);
    let v2 = q.apply_bundle(fixture("v2.qbundle")).expect("v2");
    let refused = |name: &str| {
        let e = q.apply_bundle(fixture(name)).expect_err(name);
        assert_eq!(
            q.bundle_info().as_ref(),
            Some(&v2),
            "{name} changed the bundle in use"
        );
        assert_eq!(verdict(&q), VerdictKind::InterceptedKnown);
        e
    };
    assert!(matches!(
        refused("tampered.qbundle"),
        ffi::QorganBundleError::BadSignature { .. }
    ));
    let e = refused("foreign-key.qbundle");
    assert!(
        matches!(&e, ffi::QorganBundleError::UnknownKey { key_id, reason }
            if key_id.len() == 16 && reason.contains(key_id.as_str()) && reason.contains("bundle keys")),
        "{e:?}"
    );
    assert!(matches!(
        refused("expired.qbundle"),
        ffi::QorganBundleError::Expired { expires, .. } if expires == "2020-02-01T00:00:00Z"
    ));
    assert!(matches!(
        refused("v1.qbundle"),
        ffi::QorganBundleError::NotNewer {
            version: 1,
            current: 2,
            ..
        }
    ));
    assert!(matches!(
        refused("v2.qbundle"),
        ffi::QorganBundleError::NotNewer { .. }
    ));
    assert!(matches!(
        refused("malformed.qbundle"),
        ffi::QorganBundleError::Malformed { .. }
    ));
    let e = q.apply_bundle(b"not a bundle".to_vec()).expect_err("junk");
    assert!(
        matches!(e, ffi::QorganBundleError::NotABundle { .. }),
        "{e:?}"
    );
}

#[test]
fn a_restart_with_the_stored_version_refuses_a_rollback() {
    let q = qorgan(vec![key()], 2);
    assert!(matches!(
        q.apply_bundle(fixture("v1.qbundle")),
        Err(ffi::QorganBundleError::NotNewer {
            version: 1,
            current: 2,
            ..
        })
    ));
    assert_eq!(verdict(&q), VerdictKind::InterceptedLocal);
    assert_eq!(
        q.apply_bundle(fixture("v2.qbundle")).expect("v2").version,
        2
    );
}

#[test]
fn without_keys_every_bundle_is_refused_and_a_bad_key_is_a_config_error() {
    let q = qorgan(vec![], 0);
    assert!(matches!(
        q.apply_bundle(fixture("v1.qbundle")),
        Err(ffi::QorganBundleError::NoKeys { .. })
    ));
    let e = ffi::Qorgan::new(config(vec![key(), "c2hvcnQ=".into()], 0)).expect_err("bad key");
    assert!(
        matches!(&e, ffi::QorganError::InvalidConfig { reason } if reason.contains("bundle key #2")),
        "{e:?}"
    );
}

//! `qorgan bundle keygen | sign | verify` and `--bundle` on inspect, audit and check: a root
//! known only from a signed bundle is named, and a refused bundle is exit status 2.

mod common;
#[path = "../../engine/tests/common/servers.rs"]
mod servers;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Output;

/// Content listing the key of test-ca/unknown-root/root.pem as a government interception root.
fn content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/tests/data/bundles/content.json")
}

fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A fresh folder for one test's keys and bundles.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qorgan-bundle-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `bundle keygen`: the key file, and the public key from the last line of the output.
fn keygen(dir: &Path, name: &str) -> (PathBuf, String) {
    let key = dir.join(name);
    let o = qorgan(&["bundle", "keygen", "--out", s(&key)]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let stdout = String::from_utf8(o.stdout).unwrap();
    let public = stdout.lines().last().unwrap().trim().to_string();
    assert_eq!(public.len(), 44, "{stdout}");
    (key, public)
}

fn sign(key: &Path, version: &str, bundle: &Path, content: &Path) -> Output {
    qorgan(&[
        "bundle",
        "sign",
        "--key",
        s(key),
        "--version",
        version,
        "--expires",
        "2099-12-31",
        "--out",
        s(bundle),
        s(content),
    ])
}

/// A scratch folder with a key, a second key (`other`) and a bundle of [`content`] signed
/// with the first.
struct Signed {
    dir: PathBuf,
    key: PathBuf,
    public: String,
    other: String,
    bundle: PathBuf,
}

fn signed(name: &str, version: &str) -> Signed {
    let dir = scratch(name);
    let (key, public) = keygen(&dir, "k.pk8");
    let (_, other) = keygen(&dir, "other.pk8");
    let bundle = dir.join("b.bin");
    let o = sign(&key, version, &bundle, &content());
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    Signed {
        dir,
        key,
        public,
        other,
        bundle,
    }
}

#[test]
fn keygen_sign_verify_and_inspect_name_a_root_known_only_from_the_bundle() {
    let Signed {
        key,
        public,
        bundle,
        ..
    } = signed("flow", "3");
    let o = qorgan(&["bundle", "keygen", "--out", s(&key)]);
    assert_eq!(o.status.code(), Some(2), "a key is never overwritten");

    let o = qorgan(&["bundle", "verify", "--public-key", &public, s(&bundle)]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let text = out(&o);
    for want in [
        "Version: 3",
        "Expires: 2099-12-31T00:00:00Z",
        "Known CAs: 1; distrusted keys: 1; pinned domains: 1",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }

    let chain = test_ca("unknown-root/chain.pem");
    let o = qorgan(&["inspect", "--json", s(&chain)]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "untrusted", "without the bundle");

    let o = qorgan(&[
        "inspect",
        "--json",
        "--bundle",
        s(&bundle),
        "--public-key",
        &public,
        s(&chain),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "intercepted_known", "{v:#}");
    assert_eq!(v["bundle"]["version"], 3);
    let text = out(&qorgan(&[
        "inspect",
        "--bundle",
        s(&bundle),
        "--public-key",
        &public,
        s(&chain),
    ]));
    assert!(text.contains("bundle version 3"), "{text}");
    assert!(
        text.contains("Kazakhstan 2026 test interception root"),
        "{text}"
    );

    // The same root in a store is a known interception CA.
    let o = qorgan(&[
        "audit",
        "--json",
        "--bundle",
        s(&bundle),
        "--public-key",
        &public,
        s(&test_ca("unknown-root/root.pem")),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["known_interception"], 1, "{v:#}");
    assert_eq!(v["bundle"]["version"], 3);
}

#[test]
fn refused_bundles_are_exit_2_naming_the_reason() {
    let Signed {
        dir,
        key,
        public,
        other,
        bundle,
    } = signed("refused", "1");
    let chain = test_ca("unknown-root/chain.pem");

    // Signed by a key that is not configured.
    let o = qorgan(&["bundle", "verify", "--public-key", &other, s(&bundle)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("not one of the keys"), "{}", out(&o));

    // Changed after signing.
    let mut bytes = std::fs::read(&bundle).unwrap();
    let i = bytes.len() - 70;
    bytes[i] ^= 0x20;
    let tampered = dir.join("tampered.bin");
    std::fs::write(&tampered, &bytes).unwrap();
    // The same refusal from verify, and from each command that takes --bundle (check stops
    // before it probes anything).
    let with_bundle = ["--bundle", s(&tampered), "--public-key", &public];
    let mut runs = vec![vec![
        "bundle",
        "verify",
        "--public-key",
        &public,
        s(&tampered),
    ]];
    for (cmd, input) in [
        ("inspect", s(&chain)),
        ("audit", s(&chain)),
        ("check", "example.com"),
    ] {
        runs.push([&[cmd][..], &with_bundle, &[input]].concat());
    }
    for args in runs {
        let o = qorgan(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", out(&o));
        assert!(out(&o).contains("signature does not verify"), "{}", out(&o));
    }

    // Expired: signed through the library (the CLI refuses a past --expires).
    let signer = qorgan::BundleSigner::from_pkcs8(&std::fs::read(&key).unwrap()).unwrap();
    let c = qorgan::BundleContent::from_json(&std::fs::read_to_string(content()).unwrap()).unwrap();
    let expired = dir.join("expired.bin");
    std::fs::write(
        &expired,
        signer.sign(&c, 2, 1_700_000_000, 1_700_086_400).unwrap(),
    )
    .unwrap();
    let o = qorgan(&["bundle", "verify", "--public-key", &public, s(&expired)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        out(&o).contains("expired at 2023-11-15T22:13:20Z"),
        "{}",
        out(&o)
    );

    // Not a bundle at all, and a key that is not one.
    let o = qorgan(&["bundle", "verify", "--public-key", &public, s(&content())]);
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("not a Qorgan bundle"), "{}", out(&o));
    let o = qorgan(&["bundle", "verify", "--public-key", "AAAA", s(&bundle)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("32 bytes"), "{}", out(&o));

    // --bundle needs --public-key.
    let o = qorgan(&["inspect", "--bundle", s(&bundle), s(&chain)]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn sign_refuses_bad_content_and_dates() {
    let dir = scratch("sign");
    let (key, _) = keygen(&dir, "k.pk8");
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"known_cas": [{"spki_sha256": "1c9840e3", "label": "x", "category": "government", "source": "y"}]}"#,
    )
    .unwrap();
    let bundle = dir.join("b.bin");
    let o = sign(&key, "1", &bundle, &bad);
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("cannot be signed"), "{}", out(&o));
    assert!(out(&o).contains("64 hex digits"), "{}", out(&o));
    assert!(!bundle.exists());

    for (expires, why) in [("2027-13-01", "YYYY-MM-DD"), ("2001-01-01", "has begun")] {
        let o = qorgan(&[
            "bundle",
            "sign",
            "--key",
            s(&key),
            "--version",
            "1",
            "--expires",
            expires,
            "--out",
            s(&bundle),
            s(&content()),
        ]);
        assert_eq!(o.status.code(), Some(2), "{expires}");
        assert!(out(&o).contains(why), "{}", out(&o));
    }
    let o = sign(&key, "0", &bundle, &content());
    assert_eq!(o.status.code(), Some(2), "version 0");
}

#[test]
fn key_rotation_two_public_keys_accept_a_bundle_signed_by_the_second() {
    let dir = scratch("rotation");
    let (_, old) = keygen(&dir, "old.pk8");
    let (new_key, new) = keygen(&dir, "new.pk8");
    let bundle = dir.join("b.bin");
    assert_eq!(
        sign(&new_key, "7", &bundle, &content()).status.code(),
        Some(0)
    );
    let o = qorgan(&[
        "bundle",
        "verify",
        "--json",
        "--public-key",
        &old,
        "--public-key",
        &new,
        s(&bundle),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["bundle"]["version"], 7);
}

#[test]
fn bundle_messages_are_said_in_kazakh_and_russian() {
    let Signed { other, bundle, .. } = signed("lang", "1");
    for (lang, want) in [("kk", "кілтімен қол қойылған"), ("ru", "подписан ключом")]
    {
        let o = qorgan(&[
            "--lang",
            lang,
            "bundle",
            "verify",
            "--public-key",
            &other,
            s(&bundle),
        ]);
        assert_eq!(o.status.code(), Some(2));
        assert!(out(&o).contains(want), "{lang}: {}", out(&o));
    }
}

#[test]
fn check_applies_the_bundle_pins_it_is_told_to() {
    // check must configure the engine as inspect does: with --bundle-pins the bundle's pins for
    // a host are in force, and a chain that does not match them is a pin violation.
    let dir = scratch("check-pins");
    let (key, public) = keygen(&dir, "k.pk8");
    let content = dir.join("pins.json");
    std::fs::write(
        &content,
        r#"{"known_cas": [], "pins": {"domains": [{"domain": "localhost",
            "pins": ["sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                     "sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB="]}]}}"#,
    )
    .unwrap();
    let bundle = dir.join("pins.bin");
    let o = sign(&key, "1", &bundle, &content);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let root = test_ca("local-root/root.pem");
    let verdict = |extra: &[&str]| {
        let server = servers::tls_server("local-root", 1);
        let connect = server.to_string();
        let mut args = vec![
            "check",
            "--json",
            "--connect",
            &connect,
            "--trust",
            s(&root),
            "--bundle",
            s(&bundle),
            "--public-key",
            &public,
        ];
        args.extend_from_slice(extra);
        args.push("localhost");
        let o = qorgan(&args);
        let v: serde_json::Value =
            serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", out(&o)));
        (
            o.status.code(),
            v["results"][0]["verdict"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(verdict(&[]), (Some(1), "intercepted_local".to_string()));
    assert_eq!(
        verdict(&["--bundle-pins"]),
        (Some(1), "pin_violation".to_string())
    );
    let _ = std::fs::remove_dir_all(&dir);
}

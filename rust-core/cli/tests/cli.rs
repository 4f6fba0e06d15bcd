//! The `qorgan` binary as scripts and users run it: exit codes, JSON shape, messages.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(rel)
}
fn test_ca(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/test-ca")
        .join(rel)
}
fn bundled(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../data")
        .join(rel)
}

fn qorgan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qorgan"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run qorgan")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

fn no_panic(o: &Output) {
    assert!(!stderr(o).contains("panicked"), "{}", stderr(o));
}

#[test]
fn inspect_a_trusted_real_chain_exits_0_with_the_verdict_first() {
    let chain = data("real-chains/limbo-online/google.com.chain.pem");
    let o = qorgan(&[
        "inspect",
        "--host",
        "google.com",
        "--at",
        "2026-02-02T08:36:39Z",
        chain.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).starts_with("TRUSTED for google.com"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("GTS Root R1"));
}

#[test]
fn inspect_json_shape() {
    let chain = test_ca("superfish/chain.pem");
    let o = qorgan(&[
        "inspect",
        "--json",
        "--host",
        "localhost",
        chain.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v["verdict"], "intercepted_known");
    assert_eq!(v["host"], "localhost");
    let f = &v["findings"][0];
    assert_eq!(f["code"], "known_interception_ca");
    assert_eq!(f["severity"], "critical");
    assert!(f["message"].as_str().unwrap().contains("Superfish"));
    assert!(v["path"].is_array());
    assert!(v.get("anchor").is_some());
}

#[test]
fn inspect_with_trust_and_stdin() {
    let root = test_ca("local-root/root.pem");
    let chain = std::fs::read(test_ca("local-root/chain.pem")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_qorgan"))
        .args([
            "inspect",
            "--json",
            "--host",
            "localhost",
            "--trust",
            root.to_str().unwrap(),
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&chain).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v["verdict"], "intercepted_local");
    assert_eq!(v["anchor"]["class"], "non_public_root");
    assert_eq!(v["anchor"]["from_caller"], true);
}

#[test]
fn inspect_errors_exit_2_naming_the_file() {
    let o = qorgan(&["inspect", "/nonexistent/chain.pem"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("/nonexistent/chain.pem: no such file"),
        "{}",
        stderr(&o)
    );

    let dir = std::env::temp_dir().join(format!("qorgan-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let garbage = dir.join("garbage.bin");
    std::fs::write(&garbage, [0x30, 0x82, 0xff, 0xff, 1, 2, 3]).unwrap();
    let o = qorgan(&["inspect", garbage.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("garbage.bin: certificate #1 is truncated"),
        "{}",
        stderr(&o)
    );
    no_panic(&o);

    let text = dir.join("notes.txt");
    std::fs::write(&text, "hello, this is not a certificate\n").unwrap();
    let o = qorgan(&["inspect", text.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not PEM"), "{}", stderr(&o));

    let empty = dir.join("empty.pem");
    std::fs::write(&empty, "").unwrap();
    let o = qorgan(&["inspect", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("empty"), "{}", stderr(&o));

    let o = qorgan(&["inspect", "--at", "yesterday", garbage.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("RFC 3339"), "{}", stderr(&o));

    let o = qorgan(&[
        "inspect",
        "--host",
        "bad host!",
        test_ca("local-root/chain.pem").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a valid host name"),
        "{}",
        stderr(&o)
    );

    let o = qorgan(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn audit_json_shape_and_exit_codes() {
    let kz = bundled(
        "interception/certs/00309c736dd661da6f1eb24173aa849944c168a43a15bffd192eecfdb6f8dbd2.pem",
    );
    let o = qorgan(&[
        "audit",
        "--json",
        kz.to_str().unwrap(),
        test_ca("local-root/root.pem").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    let certs = v["certificates"].as_array().unwrap();
    assert_eq!(certs.len(), 2);
    let first = &certs[0];
    for key in [
        "subject",
        "spki_sha256",
        "class",
        "label",
        "findings",
        "source",
        "programs",
    ] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    assert_eq!(first["class"], "known_interception");
    assert!(first["label"].as_str().unwrap().contains("Qaznet"));
    assert_eq!(certs[1]["class"], "non_public_root");
    assert_eq!(v["summary"]["known_interception"], 1);
    assert_eq!(v["summary"]["non_public_root"], 1);
    assert_eq!(v["summary"]["max_severity"], "critical");

    // A store of public roots only is clean.
    let o = qorgan(&[
        "audit",
        data("pins/fixtures/system-roots").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).starts_with("CLEAN"), "{}", stdout(&o));
}

#[test]
fn audit_of_the_system_store_works_offline() {
    // The README's main command. This machine's store is public roots only.
    let o = qorgan(&["audit"]);
    no_panic(&o);
    assert!(
        matches!(o.status.code(), Some(0) | Some(1)),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("certificates from"), "{}", stdout(&o));
}

#[test]
fn audit_android_style_directory_of_pem_with_text_dumps() {
    let dir = std::env::temp_dir().join(format!("qorgan-cacerts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let kz = std::fs::read_to_string(bundled(
        "interception/certs/0230a604d99220e5612ee7862ab9f7a6e18e4f1ac4c9e27075788cc5220169ab.pem",
    ))
    .unwrap();
    // /system/etc/security/cacerts files: PEM followed by a text dump
    std::fs::write(
        dir.join("5f2e8c3a.0"),
        format!("{kz}Certificate:\n    Data:\n        Version: 3 (0x2)\n"),
    )
    .unwrap();
    std::fs::write(dir.join("README"), "not a certificate").unwrap();
    let o = qorgan(&["audit", "--json", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o)["summary"]["known_interception"], 1);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn pin_reproduces_published_pins() {
    let vectors: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data("pins/pins.json")).unwrap()).unwrap();
    for p in vectors["spki_pins"].as_array().unwrap() {
        let file = data(&format!("pins/{}", p["fixture"].as_str().unwrap()));
        let o = qorgan(&["pin", "--json", file.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let v = json(&o);
        let expected = p["spki_sha256_b64"].as_str().unwrap();
        assert_eq!(
            v["pins"][0]["spki_sha256_b64"],
            expected,
            "{}",
            file.display()
        );
        assert_eq!(v["pins"][0]["pin"], format!("sha256/{expected}"));
        let text = qorgan(&["pin", file.to_str().unwrap()]);
        assert!(stdout(&text).contains(&format!("sha256/{expected}")));
    }
}

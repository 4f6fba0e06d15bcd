//! Trust-store files in every format people have, as `qorgan audit` and `--trust` read them:
//! PEM under each label OpenSSL writes, PKCS#7 bundles, concatenated DER, Android's cacerts
//! files; and what an audit says when a file cannot be read. The files are in
//! `tests/data/stores/` (see its README: made with openssl from the known interception CAs).

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Output;

fn stores(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/stores")
        .join(rel)
}

/// A public root (ISRG Root X1): a folder holding only it audits as CLEAN.
fn public_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../engine/tests/data/pins/fixtures/system-roots/ISRG_Root_X1.pem")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", stdout(o), stderr(o)))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qorgan-stores-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The first 6 hex digits of the `rust-core/engine/data/interception/certs/` file names (the SHA-256
/// of the certificate) of the known CAs an audit found, sorted.
fn found(v: &serde_json::Value) -> Vec<String> {
    let mut out: Vec<String> = v["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["class"] == "known_interception")
        .map(|c| c["facts"]["sha256"].as_str().unwrap()[..6].to_string())
        .collect();
    out.sort();
    out
}

/// The regression of issue 13, item 10: known interception CAs in a DER .p7b and in a PEM
/// `TRUSTED CERTIFICATE` file audited as CLEAN, exit 0.
#[test]
fn a_folder_of_p7b_and_trusted_certificate_files_is_not_clean() {
    let dir = stores("mixed");
    let o = qorgan(&["audit", "--json", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let v = json(&o);
    assert_eq!(found(&v), ["00309c", "61c0fc", "b6fe91"], "{v:#}");
    assert_eq!(v["summary"]["max_severity"], "critical");
    assert_eq!(v["unreadable"], serde_json::json!([]));

    let o = qorgan(&["audit", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(text.starts_with("DANGER"), "{text}");
    // Each certificate names the file it came from.
    for file in ["interception.p7b", "superfish.pem"] {
        assert!(text.contains(file), "{file} not named: {text}");
    }
}

/// Each format alone: the known CAs the README lists for it.
#[test]
fn each_store_format_is_read() {
    let cases: &[(&str, &[&str])] = &[
        ("mixed/interception.p7b", &["00309c", "61c0fc"]),
        ("mixed/superfish.pem", &["b6fe91"]),
        ("formats/trusted-certificate.pem", &["ec30c9"]),
        ("formats/x509-certificate-label.pem", &["0230a6"]),
        ("formats/bundle-der.p7b", &["00309c", "61c0fc"]),
        ("formats/bundle-pem.p7b", &["0bd39d", "c530fa"]),
        (
            "formats/bundle-certificate-label.p7c",
            &["0230a6", "b6fe91"],
        ),
        ("formats/concatenated.der", &["00309c", "61c0fc", "b6fe91"]),
        ("cacerts/183aa1c1.0", &["c530fa"]),
        ("cacerts/bd1c7b88.0", &["ec30c9"]),
    ];
    for (file, expected) in cases {
        let path = stores(file);
        let o = qorgan(&["audit", "--json", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{file}: {}", stderr(&o));
        let v = json(&o);
        assert_eq!(found(&v), *expected, "{file}");
        assert_eq!(
            v["summary"]["total"].as_u64(),
            Some(expected.len() as u64),
            "{file}"
        );
        for c in v["certificates"].as_array().unwrap() {
            assert_eq!(c["source"], path.to_str().unwrap(), "{file}");
        }
    }
    // The whole folders at once.
    let o = qorgan(&[
        "audit",
        "--json",
        stores("formats").to_str().unwrap(),
        stores("cacerts").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o)["summary"]["total"], 13);
}

/// `--trust` (inspect and check) and `pin` read the same formats.
#[test]
fn trust_and_pin_read_p7b_and_trusted_certificate() {
    let chain = test_ca("local-root/chain.pem");
    for trust in ["trust/local-root.p7b", "trust/local-root-trusted.pem"] {
        let o = qorgan(&[
            "inspect",
            "--json",
            "--host",
            "localhost",
            "--trust",
            stores(trust).to_str().unwrap(),
            chain.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{trust}: {}", stderr(&o));
        let v = json(&o);
        assert_eq!(v["verdict"], "intercepted_local", "{trust}");
        assert_eq!(v["anchor"]["from_caller"], true, "{trust}");
    }
    let o = qorgan(&[
        "pin",
        "--json",
        stores("formats/bundle-pem.p7b").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["pins"].as_array().unwrap().len(), 2);
}

/// inspect reads a server's chain from a .p7b too (DER SET OF order: the engine finds the
/// leaf).
#[test]
fn inspect_reads_a_chain_from_a_p7b() {
    let o = qorgan(&[
        "inspect",
        "--json",
        "--host",
        "localhost",
        "--trust",
        stores("trust/local-root.p7b").to_str().unwrap(),
        stores("trust/local-root-chain.p7b").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["verdict"], "intercepted_local");
    assert_eq!(v["path"][0]["role"], "leaf");
}

/// A file that may hold certificates but cannot be read is named, in text and JSON, and the
/// audit is INCOMPLETE (exit 3), never CLEAN.
#[test]
fn an_unreadable_store_file_is_named_and_the_audit_is_not_clean() {
    let root = std::fs::read(test_ca("local-root/root.pem")).unwrap();
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "truncated.pem",
            &root[..root.len() / 2],
            "no \"-----END CERTIFICATE-----\" line",
        ),
        ("garbage.p7b", b"\x30\x82\x01\x00\x06\x09garbage", "PKCS#7"),
        (
            "noise.pem",
            b"hello, this is not a certificate\n",
            "no certificate",
        ),
        (
            "bad-base64.crt",
            b"-----BEGIN CERTIFICATE-----\nMIIB!!!!\n-----END CERTIFICATE-----\n",
            "base64",
        ),
    ];
    for (name, bytes, reason) in cases {
        let dir = temp_dir(&name.replace('.', "-"));
        // A good public root beside it: the audit would be CLEAN without the bad file.
        std::fs::copy(public_root(), dir.join("isrg.pem")).unwrap();
        std::fs::write(dir.join("README.txt"), "Certificates of this device.\n").unwrap();
        let bad = dir.join(name);
        std::fs::write(&bad, bytes).unwrap();

        let o = qorgan(&["audit", "--json", dir.to_str().unwrap()]);
        assert_eq!(
            o.status.code(),
            Some(3),
            "{name}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        let v = json(&o);
        assert_eq!(v["outcome"], "incomplete", "{name}");
        let unreadable = v["unreadable"].as_array().unwrap();
        assert_eq!(unreadable.len(), 1, "{name}: {unreadable:?}");
        assert_eq!(unreadable[0]["file"], bad.to_str().unwrap());
        let why = unreadable[0]["reason"].as_str().unwrap();
        assert!(why.contains(reason), "{name}: {why}");
        assert_plain(why);

        let o = qorgan(&["audit", dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(3), "{name}");
        let text = stdout(&o);
        assert!(text.starts_with("INCOMPLETE"), "{name}: {text}");
        assert!(!text.contains("CLEAN"), "{name}: {text}");
        assert!(
            text.contains(&format!("{}: ", bad.display())),
            "{name}: {text}"
        );
        assert!(!text.contains("README.txt"), "{name}: {text}");
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// A finding outranks an unreadable file: exit 1, and the file is still named.
#[test]
fn findings_with_an_unreadable_file_exit_1_and_name_it() {
    let dir = temp_dir("danger-and-unreadable");
    std::fs::copy(stores("mixed/interception.p7b"), dir.join("a.p7b")).unwrap();
    std::fs::write(dir.join("b.p7b"), b"not a bundle").unwrap();
    let o = qorgan(&["audit", "--json", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v["outcome"], "danger");
    assert_eq!(
        v["unreadable"][0]["file"],
        dir.join("b.p7b").to_str().unwrap()
    );
    let o = qorgan(&["audit", dir.to_str().unwrap()]);
    assert!(stdout(&o).starts_with("DANGER"), "{}", stdout(&o));
    assert!(stdout(&o).contains("b.p7b: "), "{}", stdout(&o));
    std::fs::remove_dir_all(&dir).ok();
}

/// Unrelated files in a store folder (notes, indexes, scripts) are neither audited nor counted
/// as unreadable: the folder of public roots stays CLEAN.
#[test]
fn unrelated_files_in_a_folder_are_skipped_not_unreadable() {
    let dir = temp_dir("unrelated");
    std::fs::copy(public_root(), dir.join("isrg.pem")).unwrap();
    std::fs::write(dir.join("README.txt"), "Certificates of this device.\n").unwrap();
    std::fs::write(dir.join("index.json"), "{\"roots\": 1}\n").unwrap();
    std::fs::write(dir.join("update.sh"), "#!/bin/sh\nupdate-ca-certificates\n").unwrap();
    std::fs::write(dir.join("0README"), "0 certificates changed\n").unwrap();
    let o = qorgan(&["audit", "--json", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let v = json(&o);
    assert_eq!(v["outcome"], "clean");
    assert_eq!(v["unreadable"], serde_json::json!([]));
    let o = qorgan(&["audit", dir.to_str().unwrap()]);
    assert!(stdout(&o).starts_with("CLEAN"), "{}", stdout(&o));
    std::fs::remove_dir_all(&dir).ok();
}

/// A named file that cannot be read stays a usage error (exit 2), said in words.
#[test]
fn a_named_unreadable_file_is_an_input_error_in_words() {
    let dir = temp_dir("named");
    let cases: &[(&str, &[u8])] = &[
        ("a.pem", b"-----BEGIN CERTIFICATE-----\nMIIB\n"),
        ("b.p7b", b"\x30\x03\x06\x01\x00"),
        (
            "c.pem",
            b"-----BEGIN CERTIFICATE-----\nMII!B\n-----END CERTIFICATE-----\n",
        ),
    ];
    for (name, bytes) in cases {
        let f = dir.join(name);
        std::fs::write(&f, bytes).unwrap();
        for args in [
            vec!["audit", f.to_str().unwrap()],
            vec!["inspect", "--trust", f.to_str().unwrap(), "-"],
        ] {
            let o = qorgan(&args);
            assert_eq!(o.status.code(), Some(2), "{name} {args:?}");
            let e = stderr(&o);
            assert!(e.contains(&format!("{}: ", f.display())), "{e}");
            assert_plain(&e);
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// No parser debris: byte lists, Rust enum names.
fn assert_plain(msg: &str) {
    for debris in [
        "[45, ",
        "[67, ",
        "InvalidCharacter",
        "InvalidByte",
        "Error {",
        "Some(",
        "tag: ",
    ] {
        assert!(!msg.contains(debris), "parser debris in {msg:?}");
    }
}

/// The system store (no PATH): a file rustls-native-certs could not read makes the audit
/// INCOMPLETE too; a store folder that does not exist hides nothing.
#[test]
fn system_store_with_an_unreadable_file_is_incomplete() {
    let dir = temp_dir("system");
    let certs = dir.join("certs");
    std::fs::create_dir_all(&certs).unwrap();
    let root = std::fs::read(test_ca("local-root/root.pem")).unwrap();
    std::fs::write(certs.join("cut.pem"), &root[..root.len() / 2]).unwrap();
    let run = |cert_dir: &Path| {
        qorgan_command()
            .args(["audit", "--json"])
            .env("NO_COLOR", "1")
            .env("SSL_CERT_FILE", public_root())
            .env("SSL_CERT_DIR", cert_dir)
            .output()
            .unwrap()
    };
    let o = run(&certs);
    assert_eq!(o.status.code(), Some(3), "{}{}", stdout(&o), stderr(&o));
    let v = json(&o);
    assert_eq!(v["outcome"], "incomplete");
    assert_eq!(v["unreadable"].as_array().unwrap().len(), 1);
    assert_plain(v["unreadable"][0]["reason"].as_str().unwrap());

    let o = run(&dir.join("nowhere"));
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(json(&o)["outcome"], "clean");
    std::fs::remove_dir_all(&dir).ok();
}

//! The `qorgan` binary as scripts and users run it: exit codes, JSON shape, messages.

mod common;

use common::*;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../engine/tests/data")
        .join(rel)
}
fn bundled(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../engine/data")
        .join(rel)
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
    let mut child = qorgan_command()
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
        stderr(&o).contains("--host \"bad host!\": not a host name"),
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

// --- pinning ---------------------------------------------------------------------------------

const PIN_A: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
const PIN_B: &str = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=";

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qorgan-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The same policy (localhost pinned to two keys the local test CA does not have) as a
/// Network Security Config file and as JSON.
fn localhost_policies(dir: &Path) -> [PathBuf; 2] {
    let xml = dir.join("network_security_config.xml");
    std::fs::write(
        &xml,
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<network-security-config>\n  <domain-config>\n    <domain includeSubdomains=\"false\">localhost</domain>\n    <pin-set expiration=\"2099-01-01\">\n      <pin digest=\"SHA-256\">{PIN_A}</pin>\n      <pin digest=\"SHA-256\">{PIN_B}</pin>\n    </pin-set>\n  </domain-config>\n</network-security-config>\n"
        ),
    )
    .unwrap();
    let json = dir.join("pins.json");
    std::fs::write(
        &json,
        format!(
            r#"{{"domains": [{{"domain": "localhost", "pins": ["sha256/{PIN_A}", "sha256/{PIN_B}"], "expiration": "2099-01-01"}}]}}"#
        ),
    )
    .unwrap();
    [xml, json]
}

#[test]
fn inspect_with_pins_in_xml_and_json_reports_a_violation() {
    let dir = temp_dir("pins");
    let chain = test_ca("local-root/chain.pem");
    let root = test_ca("local-root/root.pem");
    for policy in localhost_policies(&dir) {
        let args = [
            "inspect",
            "--pins",
            policy.to_str().unwrap(),
            "--host",
            "localhost",
            "--trust",
            root.to_str().unwrap(),
            chain.to_str().unwrap(),
        ];
        let o = qorgan(&args);
        assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
        let out = stdout(&o);
        assert!(out.starts_with("PIN VIOLATION for localhost"), "{out}");
        assert!(out.contains("Certificate pinning failure!"), "{out}");
        assert!(
            out.contains("  Pinned certificates for localhost:"),
            "{out}"
        );
        assert!(out.contains(&format!("sha256/{PIN_A}")), "{out}");

        // --json: the verdict, and the report object because the pin check failed
        let mut json_args = args.to_vec();
        json_args.insert(1, "--json");
        json_args.splice(2..2, ["--port", "8443"]);
        let o = qorgan(&json_args);
        assert_eq!(o.status.code(), Some(1));
        let v = json(&o);
        assert_eq!(v["verdict"], "pin_violation");
        let mismatch = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == "pin_mismatch")
            .expect("pin_mismatch");
        assert_eq!(mismatch["severity"], "critical");
        let r = &v["report"];
        assert_eq!(r["hostname"], "localhost");
        assert_eq!(r["port"], 8443);
        assert_eq!(r["noted-hostname"], "localhost");
        assert_eq!(r["include-subdomains"], false);
        assert_eq!(r["effective-expiration-date"], "2099-01-01T00:00:00Z");
        assert_eq!(
            r["known-pins"],
            serde_json::json!([
                format!("pin-sha256=\"{PIN_A}\""),
                format!("pin-sha256=\"{PIN_B}\"")
            ])
        );
        assert_eq!(r["validation-result"], 1);
        assert_eq!(r["served-certificate-chain"].as_array().unwrap().len(), 2);
        assert_eq!(
            r["validated-certificate-chain"].as_array().unwrap().len(),
            2
        );
        assert_eq!(r["qorgan-verdict"], "pin_violation");
        assert!(r["date-time"].as_str().unwrap().ends_with('Z'));
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn inspect_reads_an_apps_network_security_config_as_is() {
    // res/xml/network_security_config.xml with its res/raw/good_root.der anchor beside it
    let policy = data("policies/app/res/xml/network_security_config.xml");
    let chain = data("trustkit/Certificates/RSA_4096/www.good.com.der");
    let root = data("trustkit/Certificates/RSA_4096/GoodRootCA.der");
    let o = qorgan(&[
        "inspect",
        "--json",
        "--pins",
        policy.to_str().unwrap(),
        "--host",
        "www.good.com",
        "--trust",
        root.to_str().unwrap(),
        chain.to_str().unwrap(),
    ]);
    no_panic(&o);
    let v = json(&o);
    assert_eq!(v["verdict"], "intercepted_local", "{v}");
    assert_eq!(v["anchor"]["allowed"], true, "the @raw anchor is accepted");
    assert!(v.get("report").is_none(), "pins matched: no report");
    assert_eq!(v["policy_warnings"], serde_json::json!([]));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    // the JSON form of the same policy decides the same
    let o2 = qorgan(&[
        "inspect",
        "--json",
        "--pins",
        data("policies/good-com.json").to_str().unwrap(),
        "--host",
        "www.good.com",
        "--trust",
        root.to_str().unwrap(),
        chain.to_str().unwrap(),
    ]);
    let v2 = json(&o2);
    assert_eq!(v2["verdict"], v["verdict"]);
    assert_eq!(v2["findings"], v["findings"]);
}

#[test]
fn inspect_pins_errors_exit_2_with_line_and_column() {
    let dir = temp_dir("bad-pins");
    let chain = test_ca("local-root/chain.pem");
    let cases = [
        (
            "malformed.xml",
            "<network-security-config>\n  <domain-config>\n    <domain>a.com</domain>\n</network-security-config>\n".to_string(),
            "line 4, column 1: malformed XML: expected </domain-config>, found </network-security-config>",
        ),
        (
            "bad-pin.xml",
            "<network-security-config>\n<domain-config>\n<domain>a.com</domain>\n<pin-set>\n<pin digest=\"SHA-256\">abc</pin>\n</pin-set>\n</domain-config>\n</network-security-config>\n".to_string(),
            "line 5, column 1: pin \"abc\" decodes to 2 bytes",
        ),
        (
            "suffix.json",
            format!(r#"{{"domains": [{{"domain": "**.co.uk", "pins": ["sha256/{PIN_A}", "sha256/{PIN_B}"]}}]}}"#),
            "domains[0].domain: \"**.co.uk\" includes the subdomains of \"co.uk\", a public suffix",
        ),
        ("neither.txt", "pins = 1".to_string(), "the pin policy is neither XML"),
    ];
    for (name, text, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let o = qorgan(&[
            "inspect",
            "--pins",
            path.to_str().unwrap(),
            "--host",
            "localhost",
            chain.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stdout(&o));
        assert!(
            stderr(&o).contains(&format!("{name}: {expected}")),
            "{name}: {}",
            stderr(&o)
        );
        no_panic(&o);
    }
    // --pins without --host
    let [xml, _] = localhost_policies(&dir);
    let o = qorgan(&[
        "inspect",
        "--pins",
        xml.to_str().unwrap(),
        chain.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--pins needs --host"), "{}", stderr(&o));
    // a single pin is a warning on stderr, not an error
    let one = dir.join("one.json");
    std::fs::write(
        &one,
        format!(r#"{{"domains": [{{"domain": "localhost", "pins": ["sha256/{PIN_A}"]}}]}}"#),
    )
    .unwrap();
    let o = qorgan(&[
        "inspect",
        "--pins",
        one.to_str().unwrap(),
        "--host",
        "localhost",
        "--trust",
        test_ca("local-root/root.pem").to_str().unwrap(),
        chain.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("warning: domains[0].pins: localhost has a single pin"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn pin_on_a_chain_prints_a_labelled_pin_set_and_its_json() {
    let chain = data("real-chains/limbo-online/google.com.chain.pem");
    let gts_r1 = "hxqRlPTu1bMS/0DITB1SSu0vd4u/8l8TjPgfaAp63Gc=";
    let o = qorgan(&["pin", chain.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("<pin-set expiration=\""), "{out}");
    assert!(out.contains("<!-- leaf: CN=*.google.com"), "{out}");
    assert!(
        out.contains("<!-- intermediate: C=US, O=Google Trust Services, CN=WR2"),
        "{out}"
    );
    assert!(
        out.contains("<!-- root: GTS Root R1 (not sent by the server"),
        "{out}"
    );
    assert!(
        out.contains(&format!("<pin digest=\"SHA-256\">{gts_r1}</pin>")),
        "{out}"
    );
    assert!(out.contains("Which pins to choose"), "{out}");

    let v = json(&qorgan(&["pin", "--json", chain.to_str().unwrap()]));
    let roles: Vec<&str> = v["chain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["leaf", "intermediate", "root"]);
    assert_eq!(v["chain"][2]["pin"], format!("sha256/{gts_r1}"));
    assert_eq!(v["chain"][2]["sent_by_server"], false);
    assert_eq!(v["pins"][0]["role"], "leaf");
    // Both snippets load as policies with the same three pins.
    let xml = format!(
        "<network-security-config><domain-config><domain includeSubdomains=\"true\">google.com</domain>{}</domain-config></network-security-config>",
        v["pin_set_xml"].as_str().unwrap()
    );
    let from_xml = qorgan::PinPolicy::from_text(&xml).unwrap();
    let from_json = qorgan::PinPolicy::from_text(&v["policy_json"].to_string()).unwrap();
    assert_eq!(from_xml.rules()[0].pins.len(), 3);
    assert_eq!(from_xml.rules()[0].pins, from_json.rules()[0].pins);
    assert_eq!(from_json.rules()[0].pattern(), "**.google.com");
    assert!(
        from_json.warnings().is_empty(),
        "{:?}",
        from_json.warnings()
    );
}

/// `inspect --validated`: the per-handshake path, from the command line. A user-installed CA
/// whose issuer field copies ISRG Root X1's name is judged as itself (issue 13, hole 1).
#[test]
fn inspect_validated_judges_the_platform_s_anchor_by_its_key() {
    let chain = test_ca("adversary/isrg-named/chain.pem");
    let ca = test_ca("adversary/isrg-named/ca.pem");
    let o = qorgan(&[
        "inspect",
        "--validated",
        "--json",
        "--host",
        "app.example",
        "--trust",
        ca.to_str().unwrap(),
        chain.to_str().unwrap(),
    ]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let v = json(&o);
    assert_eq!(v["verdict"], "intercepted_local", "{v}");
    assert_eq!(v["anchor"]["subject"], "Corp TLS Inspection CA", "{v}");
    assert_eq!(v["anchor"]["user_added"], true, "{v}");
    assert!(
        v["anchor"]["known"].is_null() && v["anchor"]["distrusted"].is_null(),
        "{v}"
    );

    // A real chain as Android returns it (anchor last) is trusted; --at is refused.
    let real = data("real-chains/limbo-online/google.com.chain.pem");
    let o = qorgan(&["inspect", "--validated", real.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let o = qorgan(&[
        "inspect",
        "--validated",
        "--at",
        "2020-01-01T00:00:00Z",
        real.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--at"), "{}", stderr(&o));
}

/// A certificate the X.509 reader refuses, sent beside a Superfish leaf, neither fails the
/// analysis nor hides the known key (issue 13, hole 2): exit 1, the CA named, the certificate
/// said to be unreadable.
#[test]
fn inspect_names_a_known_ca_beside_an_unreadable_certificate() {
    let dir = temp_dir("unreadable-extra");
    let leaf = std::fs::read(test_ca("superfish/leaf.der")).unwrap();
    let junk = std::fs::read(data("adversarial/qaznet-root-bad-not-before.der")).unwrap();
    let chain = dir.join("chain.der");
    std::fs::write(&chain, [leaf, junk].concat()).unwrap();
    let o = qorgan(&["inspect", "--host", "localhost", chain.to_str().unwrap()]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("INTERCEPTED for localhost"), "{out}");
    assert!(out.contains("[unreadable_certificate]"), "{out}");
    assert!(out.contains("could not be read in full"), "{out}");
    let o = qorgan(&[
        "inspect",
        "--json",
        "--host",
        "localhost",
        chain.to_str().unwrap(),
    ]);
    assert_eq!(json(&o)["verdict"], "intercepted_known");
}

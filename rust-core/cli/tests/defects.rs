//! Reported defects of the CLI (issue 16), one test each: what a worried user typed, and the
//! plain answer it must get.

mod common;
#[path = "../../engine/tests/common/servers.rs"]
mod servers;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;
use servers::*;

fn kz_root() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/data/interception/certs");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pem"))
        .collect();
    files.sort();
    files.remove(0)
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qorgan-defects-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn a_url_is_taken_as_its_host_and_port() {
    let addr = tls_server("unknown-root", 1);
    let url = format!("https://localhost:{}/some/path?q=1", addr.port());
    let o = qorgan(&["check", "--json", "--timeout", "5", &url]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let r = &v["results"][0];
    assert_eq!(r["host"], "localhost", "{r}");
    assert_eq!(r["port"], addr.port(), "{r}");
    assert_eq!(r["verdict"], "untrusted", "{r}");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_bad_host_is_exit_2_naming_the_argument() {
    let o = qorgan(&["check", "not a host"]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(err(&o).contains("\"not a host\""), "{}", err(&o));
    let o = qorgan(&["check", "ftp://example.com/"]);
    assert_eq!(o.status.code(), Some(2));
    // --host '' is blamed on --host, not on the chain file
    let kz = kz_root();
    let o = qorgan(&["inspect", "--host", "", kz.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).starts_with("qorgan: --host \"\""), "{}", err(&o));
    assert!(!err(&o).contains(".pem"), "{}", err(&o));
}

#[test]
fn errors_are_plain_sentences_without_parser_debris() {
    let kz = kz_root();
    let pem = std::fs::read_to_string(&kz).unwrap();
    let cut = tmp("cut.pem", &pem.as_bytes()[..300]);
    let bad = tmp("bad.pem", pem.replacen("MII", "MI!", 1).as_bytes());
    for (args, want) in [
        (vec!["inspect", cut.to_str().unwrap()], "cut.pem"),
        (vec!["inspect", bad.to_str().unwrap()], "bad.pem"),
        (
            vec![
                "inspect",
                "--trust",
                bad.to_str().unwrap(),
                kz.to_str().unwrap(),
            ],
            "bad.pem",
        ),
        (
            vec!["inspect", "--at", "yesterday", kz.to_str().unwrap()],
            "--at",
        ),
        (vec!["check", "--timeout", "0", "x.example"], "--timeout"),
        (vec!["check", "--timeout", "301", "x.example"], "--timeout"),
    ] {
        let o = qorgan(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let e = err(&o);
        assert!(e.contains(want), "{args:?}: {e}");
        assert_eq!(e.trim_end().lines().count(), 1, "{args:?}: {e}");
        for debris in [
            "[67, 69",
            "InvalidCharacter",
            "literal was not valid",
            "between 0 and",
        ] {
            assert!(!e.contains(debris), "{args:?}: {e}");
        }
    }
    // what --at and --timeout accept is said, and accepted
    let o = qorgan(&["inspect", "--at", "yesterday", kz.to_str().unwrap()]);
    assert!(err(&o).contains("2019-07-20T00:00:00Z") && err(&o).contains("1563580800"));
    let o = qorgan(&["inspect", "--at", "1563580800", kz.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let o = qorgan(&["check", "--timeout", "0", "x.example"]);
    assert!(err(&o).contains("above 0"), "{}", err(&o));
}

#[test]
fn counts_are_real_and_plural_forms_right() {
    let kz = kz_root();
    let pem = std::fs::read_to_string(&kz).unwrap();
    let sixty = tmp("sixty.pem", pem.repeat(60).as_bytes());
    let o = qorgan(&["inspect", sixty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("60 certificates"), "{}", err(&o));
    let o = qorgan(&["audit", kz.to_str().unwrap()]);
    let text = out(&o);
    assert!(text.contains("1 certificate from"), "{text}");
    assert!(!text.contains("1 certificates"), "{text}");
    assert!(!text.contains("0 of them"), "{text}");
    assert!(
        text.contains("1 known interception CA is trusted"),
        "{text}"
    );
    // Russian plural forms: 51 сертификат, 52 сертификата, 55 сертификатов
    for (n, want) in [
        (51, "51 сертификат,"),
        (52, "52 сертификата,"),
        (55, "55 сертификатов,"),
    ] {
        let file = tmp(&format!("{n}.pem"), pem.repeat(n).as_bytes());
        let o = Command::new(env!("CARGO_BIN_EXE_qorgan"))
            .env("LC_ALL", "ru_RU.UTF-8")
            .args(["inspect", file.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(err(&o).contains(want), "{}", err(&o));
    }
}

#[test]
fn a_self_signed_root_sent_last_is_labelled_root() {
    let chain = std::fs::read(test_ca("local-root/chain.pem")).unwrap();
    let root = std::fs::read(test_ca("local-root/root.pem")).unwrap();
    let with_root = tmp("with-root.pem", &[chain, root].concat());
    let o = qorgan(&[
        "inspect",
        "--host",
        "localhost",
        with_root.to_str().unwrap(),
    ]);
    let text = out(&o);
    let root_line = text
        .lines()
        .find(|l| l.contains("Qorgan Test Local Root") && l.contains("sha256/"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        !root_line.trim_start().starts_with("intermediate"),
        "{text}"
    );
    assert!(
        root_line.trim_start().starts_with("root") || root_line.trim_start().starts_with("anchor"),
        "{text}"
    );
    let o = qorgan(&["pin", "--json", with_root.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let chain = v["chain"].as_array().unwrap();
    assert_eq!(chain.last().unwrap()["role"], "root", "{v}");
    assert!(chain
        .iter()
        .all(|e| e["role"] != "intermediate" || e["subject"] != chain.last().unwrap()["subject"]));
}

#[test]
fn pin_lists_a_certificate_given_twice_once() {
    let chain = test_ca("local-root/chain.pem");
    let root = test_ca("local-root/root.pem");
    let o = qorgan(&[
        "pin",
        "--json",
        chain.to_str().unwrap(),
        root.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let pins = v["policy_json"]["domains"][0]["pins"]
        .as_array()
        .unwrap()
        .clone();
    let mut unique = pins.clone();
    unique.dedup();
    assert_eq!(pins.len(), unique.len(), "{v}");
}

#[test]
fn pin_says_which_domain_it_chose_and_takes_one() {
    let chain = test_ca("local-root/chain.pem");
    let o = qorgan(&["pin", chain.to_str().unwrap()]);
    assert!(out(&o).contains("Domain: "), "{}", out(&o));
    assert!(out(&o).contains("--domain"), "{}", out(&o));
    let o = qorgan(&[
        "pin",
        "--json",
        "--domain",
        "api.example.kz",
        chain.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["domain"], "api.example.kz");
    assert_eq!(v["domain_source"], "given");
    assert_eq!(v["policy_json"]["domains"][0]["domain"], "api.example.kz");
    let o = qorgan(&["pin", "--host", "*.example.kz", chain.to_str().unwrap()]);
    assert!(out(&o).contains("Domain: example.kz"), "{}", out(&o));
    let o = qorgan(&["pin", "--domain", "bad name", chain.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn an_anchor_from_a_trust_file_is_said_to_come_from_that_file() {
    let addr = tls_server("local-root", 1).to_string();
    let root = test_ca("local-root/root.pem");
    let o = qorgan(&[
        "check",
        "--connect",
        &addr,
        "--trust",
        root.to_str().unwrap(),
        "localhost",
    ]);
    let text = out(&o);
    assert!(text.contains("came from the file you gave"), "{text}");
    assert!(!text.contains("update-ca-certificates"), "{text}");
}

#[test]
fn audit_names_the_file_of_each_certificate() {
    let kz = kz_root();
    let root = test_ca("local-root/root.pem");
    let o = qorgan(&["audit", kz.to_str().unwrap(), root.to_str().unwrap()]);
    let text = out(&o);
    assert!(
        text.contains(&format!("from the file {}", kz.display())),
        "{text}"
    );
    assert!(
        text.contains(&format!("from the file {}", root.display())),
        "{text}"
    );
}

#[test]
fn inspect_with_no_file_on_a_terminal_prints_usage_and_exits_2() {
    // `script` gives the child a terminal for standard input.
    let Ok(o) = Command::new("script")
        .args([
            "-qec",
            &format!("{} inspect", env!("CARGO_BIN_EXE_qorgan")),
            "/dev/null",
        ])
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .output()
    else {
        eprintln!("no script(1): skipped");
        return;
    };
    let text = out(&o) + &err(&o);
    assert!(text.contains("Usage"), "{text}");
    assert!(text.contains("inspect needs a chain"), "{text}");
    assert_eq!(o.status.code(), Some(2), "{text}");
}

#[test]
fn check_tells_refused_not_tls_and_blocked_apart_from_offline() {
    let refused = closed_port().to_string();
    let http = http_server(1).to_string();
    let reset = resetting_server().to_string();
    for (addr, want, code) in [
        (&refused, "refused", "connection_refused"),
        (&http, "not over HTTPS", "not_tls"),
        (&reset, "block", "reset_after_client_hello"),
    ] {
        let o = qorgan(&["check", "--timeout", "3", "--connect", addr, "site.example"]);
        assert_eq!(o.status.code(), Some(3));
        let text = out(&o);
        assert!(text.contains(want), "{code}: {text}");
        assert!(!text.contains("offline"), "{code}: {text}");
        let addr2 = match code {
            "not_tls" => http_server(1).to_string(),
            "reset_after_client_hello" => resetting_server().to_string(),
            _ => addr.clone(),
        };
        let o = qorgan(&[
            "check",
            "--json",
            "--timeout",
            "3",
            "--connect",
            &addr2,
            "site.example",
        ]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["results"][0]["error"]["code"], code);
    }
}

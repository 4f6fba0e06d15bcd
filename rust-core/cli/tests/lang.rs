//! `--lang` and the locale: the human output of inspect, audit, check and pin in Kazakh or
//! Russian, with no English sentence left; JSON codes and keys stay English.

mod common;
#[path = "../../engine/tests/common/servers.rs"]
mod servers;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;
use servers::*;

fn kz_root() -> PathBuf {
    // Qaznet Trust Network (2019), as bundled.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/data/interception/certs");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pem"))
        .collect();
    files.sort();
    files.remove(0)
}

/// Runs qorgan with `env` (after clearing the locale) and `args`.
fn run(env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = qorgan_command();
    for (k, v) in env {
        c.env(k, v);
    }
    c.args(args).output().expect("run qorgan")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// English function words: none may be left in a Kazakh or Russian output (names of CAs,
/// subjects, paths and codes hold none of these).
const ENGLISH: &[&str] = &[
    "the",
    "is",
    "are",
    "and",
    "of",
    "to",
    "not",
    "from",
    "with",
    "this",
    "that",
    "no",
    "for",
    "Findings",
    "Path",
    "Anchor",
    "host",
    "verdict",
    "detail",
    "trusted",
    "certificates",
    "Domain",
    "Which",
    "Nothing",
    "checked",
];

fn assert_no_english(what: &str, text: &str) {
    // Pasted config (the <pin-set> XML, the JSON policy) has its own keywords: skip the lines
    // that are code.
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with('<') || l.starts_with('"') || l.starts_with('{') || l.starts_with('}') {
            continue;
        }
        for w in l.split(|c: char| !c.is_alphanumeric()) {
            assert!(
                !ENGLISH.contains(&w),
                "{what}: English word {w:?} in {line:?}\n{text}"
            );
        }
    }
    assert!(
        text.chars()
            .any(|c| ('а'..='я').contains(&c) || "әғқңөұүһі".contains(c)),
        "{what}: no Cyrillic\n{text}"
    );
}

/// A way to ask for a language: its name, the environment, the arguments before the command.
type LangCase = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
);

const LANGS: &[LangCase] = &[
    ("--lang kk", &[], &["--lang", "kk"]),
    ("--lang ru", &[], &["--lang", "ru"]),
    ("LANG=kk_KZ.UTF-8", &[("LANG", "kk_KZ.UTF-8")], &[]),
    (
        "LC_ALL=ru_RU.UTF-8 over LANG=en_US",
        &[("LC_ALL", "ru_RU.UTF-8"), ("LANG", "en_US.UTF-8")],
        &[],
    ),
];

fn with(lang_args: &[&str], args: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = lang_args.iter().map(|s| s.to_string()).collect();
    v.extend(args.iter().map(|s| s.to_string()));
    v
}

#[test]
fn inspect_audit_and_pin_speak_kazakh_and_russian() {
    let kz = kz_root();
    let chain = test_ca("local-root/chain.pem");
    let root = test_ca("local-root/root.pem");
    let kz_s = kz.to_str().unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["inspect", "--host", "example.com", kz_s],
        vec![
            "inspect",
            "--host",
            "localhost",
            "--trust",
            root.to_str().unwrap(),
            chain.to_str().unwrap(),
        ],
        vec!["audit", kz_s, root.to_str().unwrap()],
        vec!["pin", chain.to_str().unwrap()],
    ];
    for (name, env, lang) in LANGS {
        for args in &cases {
            let a = with(lang, args);
            let a: Vec<&str> = a.iter().map(String::as_str).collect();
            let o = run(env, &a);
            assert!(o.status.code().unwrap() < 2, "{name} {args:?}: {}", err(&o));
            let text = out(&o);
            assert_no_english(&format!("{name} {args:?}"), &text);
        }
    }
}

#[test]
fn errors_speak_the_language_too() {
    let o = run(
        &[],
        &["--lang", "kk", "inspect", "--at", "yesterday", "x.pem"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("уақыт"), "{}", err(&o));
    // a damaged PEM file, in Kazakh
    let pem = std::fs::read_to_string(kz_root()).unwrap();
    let bad = std::env::temp_dir().join(format!("qorgan-lang-{}.pem", std::process::id()));
    std::fs::write(&bad, pem.replacen("MII", "MI!", 1)).unwrap();
    let o = run(&[], &["--lang", "kk", "inspect", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("base64 емес"), "{}", err(&o));
    assert_no_english("bad PEM", &err(&o));
    let _ = std::fs::remove_file(&bad);
    let o = run(&[("LANG", "ru_RU.UTF-8")], &["check", "--timeout", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("секунд"), "{}", err(&o));
}

/// The text without option names, value names and usage syntax (`--host`, `<NAME>`,
/// `[OPTIONS]`): those are typed as they are in every language.
fn prose(text: &str) -> String {
    text.lines()
        .map(|l| {
            l.split_whitespace()
                .filter(|w| !w.starts_with(['-', '<', '[']))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn help_and_usage_errors_speak_the_language_too() {
    for (name, env, lang) in LANGS {
        for args in [
            &["--help"][..],
            &["audit", "--help"],
            &["inspect", "--help"],
            &["check", "-h"],
            &["pin", "--help"],
            &["help", "inspect"],
            &["bundle", "sign", "--help"],
            &["bundle", "help", "verify"],
        ] {
            let a = with(lang, args);
            let a: Vec<&str> = a.iter().map(String::as_str).collect();
            let o = run(env, &a);
            assert_eq!(o.status.code(), Some(0), "{name} {args:?}: {}", err(&o));
            let text = out(&o);
            for english in [
                "Usage:",
                "Options:",
                "Commands:",
                "Arguments:",
                "Exit status",
                "possible values",
                "default:",
            ] {
                assert!(
                    !text.contains(english),
                    "{name} {args:?}: {english:?} in\n{text}"
                );
            }
            assert_no_english(&format!("{name} {args:?}"), &prose(&text));
        }
        for (args, named) in [
            (&["inspect", "--bogus"][..], "--bogus"),
            (&["check", "--port", "abc"], "abc"),
            (&["frob"], "frob"),
            (&["pin"], "CERTS"),
        ] {
            let a = with(lang, args);
            let a: Vec<&str> = a.iter().map(String::as_str).collect();
            let o = run(env, &a);
            assert_eq!(o.status.code(), Some(2), "{name} {args:?}");
            let e = err(&o);
            assert!(
                e.contains(named),
                "{name} {args:?}: the argument is named\n{e}"
            );
            assert_no_english(&format!("{name} {args:?}"), &prose(&e));
        }
    }
    // English stays English, from the same catalogs
    let o = run(&[], &["inspect", "--help"]);
    assert!(out(&o).contains("Usage: qorgan inspect"), "{}", out(&o));
    assert!(out(&o).contains("The host name the chain should be valid for."));
    let o = run(&[], &["inspect", "--bogus"]);
    assert!(
        err(&o).contains("--bogus is not an option of this command."),
        "{}",
        err(&o)
    );
}

#[test]
fn json_keeps_english_codes_with_messages_in_the_language() {
    let kz = kz_root();
    for (name, env, lang) in LANGS {
        let a = with(lang, &["inspect", "--json", kz.to_str().unwrap()]);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let o = run(env, &a);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["verdict"], "intercepted_known", "{name}");
        assert_eq!(v["findings"][0]["code"], "known_interception_ca", "{name}");
        let m = v["findings"][0]["message"].as_str().unwrap();
        assert!(!m.contains("This connection"), "{name}: {m}");
    }
    // English by default, and for a language Qorgan does not speak
    for env in [
        &[][..],
        &[("LANG", "de_DE.UTF-8")][..],
        &[("LANG", "C")][..],
    ] {
        let o = run(env, &["inspect", kz.to_str().unwrap()]);
        assert!(out(&o).starts_with("INTERCEPTED"), "{env:?}: {}", out(&o));
    }
}

#[test]
fn check_speaks_kazakh_and_russian_with_json_codes_in_english() {
    for (name, env, lang) in LANGS {
        let addr = tls_server("local-root", 1).to_string();
        let root = test_ca("local-root/root.pem");
        let a = with(
            lang,
            &[
                "check",
                "--connect",
                &addr,
                "--trust",
                root.to_str().unwrap(),
                "localhost",
            ],
        );
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let o = run(env, &a);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", err(&o));
        assert_no_english(name, &out(&o));
        // offline-like: a closed port, said in the language
        let closed = closed_port().to_string();
        let a = with(lang, &["check", "--connect", &closed, "localhost"]);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let o = run(env, &a);
        assert_eq!(o.status.code(), Some(3), "{name}: {}", err(&o));
        assert_no_english(name, &out(&o));
    }
    let addr = tls_server("local-root", 1).to_string();
    let o = run(
        &[],
        &[
            "--lang",
            "kk",
            "check",
            "--json",
            "--connect",
            &addr,
            "localhost",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["results"][0]["verdict"], "untrusted");
    let closed = closed_port().to_string();
    let o = run(
        &[],
        &[
            "--lang",
            "ru",
            "check",
            "--json",
            "--connect",
            &closed,
            "localhost",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["results"][0]["error"]["code"], "connection_refused");
    let m = v["results"][0]["error"]["message"].as_str().unwrap();
    assert!(m.contains("отклонил"), "{m}");
}

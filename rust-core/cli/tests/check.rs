//! `qorgan check` as a binary against loopback TLS servers: exit codes, JSON shape, input
//! order, timeouts.

mod common;
#[path = "../../engine/tests/common/servers.rs"]
mod servers;

use std::process::Output;
use std::time::{Duration, Instant};

use common::*;
use servers::*;

fn check(args: &[&str]) -> (Output, serde_json::Value) {
    let o = qorgan_command()
        .arg("check")
        .args(args)
        .output()
        .expect("run qorgan");
    let v = serde_json::from_slice(&o.stdout).unwrap_or(serde_json::Value::Null);
    (o, v)
}

#[test]
fn superfish_through_connect_is_intercepted_known_exit_1() {
    let addr = tls_server("superfish", 1).to_string();
    let (o, v) = check(&["--json", "--connect", &addr, "localhost"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let r = &v["results"][0];
    assert_eq!(r["host"], "localhost");
    assert_eq!(r["verdict"], "intercepted_known");
    assert!(r["error"].is_null());
    for key in ["port", "findings", "tls", "path", "anchor"] {
        assert!(r.get(key).is_some(), "missing {key}");
    }
    assert!(r["tls"]["version"].as_str().unwrap().starts_with("TLSv1."));
}

#[test]
fn a_trusted_anchor_given_with_trust_is_intercepted_local() {
    let addr = tls_server("local-root", 1).to_string();
    let root = test_ca("local-root/root.pem");
    let (o, v) = check(&[
        "--json",
        "--connect",
        &addr,
        "--trust",
        root.to_str().unwrap(),
        "localhost",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(v["results"][0]["verdict"], "intercepted_local");
    assert_eq!(
        v["results"][0]["anchor"]["subject"],
        "Qorgan Test Local Root"
    );
    // and in human form, the verdict and advice
    let addr = tls_server("local-root", 1).to_string();
    let o = qorgan_command()
        .args([
            "check",
            "--connect",
            &addr,
            "--trust",
            root.to_str().unwrap(),
            "localhost",
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("intercepted (local CA)"), "{text}");
    assert!(
        text.contains("Your HTTPS traffic is being intercepted"),
        "{text}"
    );
    assert!(text.contains("Qorgan Test Local Root"), "{text}");
}

#[test]
fn unreachable_hosts_only_exit_3_within_their_timeouts_in_input_order() {
    let silent = silent_server().to_string();
    let start = Instant::now();
    let (o, v) = check(&[
        "--json",
        "--timeout",
        "1",
        "--connect",
        &silent,
        "first.example",
        "second.example",
    ]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
    let results = v["results"].as_array().unwrap();
    assert_eq!(results[0]["host"], "first.example");
    assert_eq!(results[1]["host"], "second.example");
    for r in results {
        assert_eq!(r["verdict"], "unreachable");
        assert!(
            ["timeout", "connect_failed"].contains(&r["error"]["code"].as_str().unwrap()),
            "{r}"
        );
        assert!(r["error"]["message"].as_str().is_some());
    }
}

#[test]
fn usage_errors_exit_2() {
    let (o, _) = check(&["--connect", "not-an-address", "x.example"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("IP:PORT"));
    let (o, _) = check(&["--timeout", "-1", "x.example"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_leaf_with_the_superfish_cas_1024_bit_key_is_intercepted_known_exit_1() {
    // What interception products do: reuse the CA's 1024-bit key for the forged leaf. The probe
    // completes the handshake and names the CA (it used to say unreachable, BadSignature, 3).
    let server = openssl_server("superfish-1024", 1, &[]);
    let addr = server.addr.to_string();
    let (o, v) = check(&["--json", "--connect", &addr, "localhost"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "intercepted_known", "{r}");
    assert!(r["error"].is_null(), "{r}");
    assert!(
        r["findings"].to_string().contains("Superfish"),
        "{}",
        r["findings"]
    );
    // and in human form
    let server = openssl_server("superfish-1024", 1, &["-tls1_2", "-sigalgs", "RSA+SHA1"]);
    let o = qorgan_command()
        .args(["check", "--connect", &server.addr.to_string(), "localhost"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("intercepted"), "{text}");
    assert!(text.contains("Superfish"), "{text}");
}

#[test]
fn the_table_gives_the_probes_own_reason_in_english() {
    // The generic sentence of a code loses what the probe saw (an alert's name, an OS error, a
    // handshake signature that does not verify); the English table shows the probe's sentence.
    let closed = servers::closed_port().to_string();
    let o = qorgan_command()
        .env("NO_COLOR", "1")
        .args([
            "check",
            "--timeout",
            "2",
            "--connect",
            &closed,
            "closed.example",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("nothing listens there"), "{text}");
}

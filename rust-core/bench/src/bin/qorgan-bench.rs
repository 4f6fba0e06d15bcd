//! Measurement helpers for `scripts/bench.sh`, for what criterion cannot repeat in one process.
//!
//! ```text
//! qorgan-bench cold-start [analyze|validated]   one fresh-process first call, in ns
//! qorgan-bench mozilla-pem PATH                 writes Mozilla's roots as one PEM bundle
//! qorgan-bench tls-server CONNECTIONS SECONDS   loopback TLS server; prints its port, then
//!                                               serves until CONNECTIONS handshakes or SECONDS
//! qorgan-bench ratio CHAIN ROUNDS [facts]       analyze / bare webpki, interleaved: each round
//!                                               times a block of each, so that machine noise
//!                                               hits both alike; prints the median per-round
//!                                               ratios: first-sight, then repeated. The verdict
//!                                               without the path's facts (what a per-connection
//!                                               check asks for), or with them given `facts`
//! qorgan-bench repeat WHAT N [rsa2048|p256]     runs WHAT (analyze, first, validated, clean, webpki, facts, audit)
//!                                               N times after one warm-up call, for profilers
//!                                               (valgrind --tool=callgrind)
//! ```

use std::io::Write as _;
use std::time::{Duration, Instant};

use qorgan::{Engine, EngineConfig};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("cold-start") => cold_start(args.get(1).map(String::as_str).unwrap_or("analyze")),
        Some("mozilla-pem") => {
            let path = args.get(1).expect("mozilla-pem PATH");
            std::fs::write(path, qorgan_bench::mozilla_roots_pem()).expect("write PEM");
        }
        Some("tls-server") => {
            let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(50);
            let secs: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(60);
            let addr = qorgan_bench::loopback_tls_server(n, Duration::from_secs(secs));
            println!("{}", addr.port());
            std::io::stdout().flush().ok();
            // The server thread stops by itself; the process lives as long as it may serve.
            std::thread::sleep(Duration::from_secs(secs));
        }
        Some("ratio") => ratio(
            args.get(1).map(String::as_str).unwrap_or("rsa2048"),
            args.get(2).and_then(|s| s.parse().ok()).unwrap_or(50),
            args.get(3).is_some_and(|a| a == "facts"),
        ),
        Some("repeat") => repeat(
            args.get(1).map(String::as_str).unwrap_or("analyze"),
            args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000),
            args.get(3).map(String::as_str).unwrap_or("rsa2048"),
        ),
        _ => {
            eprintln!("usage: qorgan-bench cold-start [analyze|validated] | mozilla-pem PATH | tls-server N SECONDS | ratio CHAIN ROUNDS | repeat WHAT N [CHAIN]");
            std::process::exit(2);
        }
    }
}

/// The first call in this process: the engine is built (the bundled anchor tables and their
/// indexes are initialised on that path) and one chain is analysed. Reading the fixture files
/// is done before the clock starts.
fn cold_start(which: &str) {
    let chain = qorgan_bench::rsa2048();
    let presented = chain.presented();
    let validated = chain.validated();
    let start = Instant::now();
    let engine = Engine::new(EngineConfig::default()).expect("engine");
    let verdict = match which {
        "validated" => engine.analyze_validated(&validated, Some(chain.host)),
        _ => engine.analyze_with_facts(&presented, Some(chain.host), Some(chain.time)),
    }
    .expect("first call");
    let elapsed = start.elapsed();
    std::hint::black_box(verdict);
    println!("{}", elapsed.as_nanos());
}

/// Runs one operation `n` times after a warm-up call (so that one-time initialisation is out of
/// a profile's steady state).
fn repeat(what: &str, n: usize, chain: &str) {
    let chain = if chain == "p256" {
        qorgan_bench::p256()
    } else {
        qorgan_bench::rsa2048()
    };
    let engine = Engine::new(EngineConfig::default()).expect("engine");
    let webpki = qorgan_bench::BareWebpki::new();
    let presented = chain.presented();
    let validated = chain.validated();
    let intermediates = [pki_types::CertificateDer::from(chain.ders[1].as_slice())];
    let roots = qorgan_bench::mozilla_roots();
    let run = || match what {
        "first" => {
            engine.clear_memo();
            std::hint::black_box(
                engine
                    .analyze_with_facts(&presented, Some(chain.host), Some(chain.time))
                    .unwrap(),
            );
        }
        "validated" => {
            std::hint::black_box(
                engine
                    .analyze_validated(&validated, Some(chain.host))
                    .unwrap(),
            );
        }
        "clean" => {
            std::hint::black_box(
                engine
                    .validated_clean(&validated, Some(chain.host))
                    .unwrap(),
            );
        }
        "facts" => {
            for (i, c) in presented.iter().enumerate() {
                std::hint::black_box(qorgan::CertificateFacts::of(c, i + 1).unwrap());
            }
        }
        "webpki" => webpki.verify(&chain.ders[0], &intermediates, chain.host, chain.time),
        "audit" => {
            std::hint::black_box(engine.audit(&roots));
        }
        _ => {
            std::hint::black_box(
                engine
                    .analyze_with_facts(&presented, Some(chain.host), Some(chain.time))
                    .unwrap(),
            );
        }
    };
    run();
    let start = Instant::now();
    for _ in 0..n {
        run();
    }
    eprintln!("{what}: {:?} per call", start.elapsed() / n.max(1) as u32);
}

/// Interleaved ratios of `analyze` to a bare webpki verification of the same chain. Each round
/// times a block of webpki verifications, a block of `analyze` calls on a long-lived engine
/// (the facts memo warm: a chain seen before), and a block of `analyze` calls with the memo
/// cleared before each (a chain never seen); blocks last about 5 ms. `analyze` is
/// [`Engine::analyze`], or [`Engine::analyze_with_facts`] with `facts`.
fn ratio(chain: &str, rounds: usize, facts: bool) {
    let chain = if chain == "p256" {
        qorgan_bench::p256()
    } else {
        qorgan_bench::rsa2048()
    };
    let engine = Engine::new(EngineConfig::default()).expect("engine");
    let webpki = qorgan_bench::BareWebpki::new();
    let presented = chain.presented();
    let intermediates = [pki_types::CertificateDer::from(chain.ders[1].as_slice())];
    let verify = || webpki.verify(&chain.ders[0], &intermediates, chain.host, chain.time);
    let analyze = |e: &Engine| {
        let v = if facts {
            e.analyze_with_facts(&presented, Some(chain.host), Some(chain.time))
        } else {
            e.analyze(&presented, Some(chain.host), Some(chain.time))
        };
        std::hint::black_box(v.unwrap());
    };
    verify();
    analyze(&engine);
    let t = Instant::now();
    verify();
    let n = (Duration::from_millis(5).as_nanos() / t.elapsed().as_nanos().max(1)).clamp(1, 1000)
        as usize;
    let mut first = Vec::with_capacity(rounds);
    let mut again = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        for _ in 0..n {
            verify();
        }
        let w = t.elapsed().as_secs_f64();
        let t = Instant::now();
        for _ in 0..n {
            analyze(&engine);
        }
        let a = t.elapsed().as_secs_f64();
        let t = Instant::now();
        for _ in 0..n {
            engine.clear_memo();
            analyze(&engine);
        }
        first.push(t.elapsed().as_secs_f64() / w);
        again.push(a / w);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    println!("{:.4} {:.4}", median(&mut first), median(&mut again));
}

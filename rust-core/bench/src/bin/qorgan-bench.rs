//! Measurement helpers for `scripts/bench.sh`, for what criterion cannot repeat in one process.
//!
//! ```text
//! qorgan-bench cold-start [analyze|validated]   one fresh-process first call, in ns
//! qorgan-bench mozilla-pem PATH                 writes Mozilla's roots as one PEM bundle
//! qorgan-bench tls-server CONNECTIONS SECONDS   loopback TLS server; prints its port, then
//!                                               serves until CONNECTIONS handshakes or SECONDS
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
        _ => {
            eprintln!("usage: qorgan-bench cold-start [analyze|validated] | mozilla-pem PATH | tls-server N SECONDS");
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
        _ => engine.analyze(&presented, Some(chain.host), Some(chain.time)),
    }
    .expect("first call");
    let elapsed = start.elapsed();
    std::hint::black_box(verdict);
    println!("{}", elapsed.as_nanos());
}

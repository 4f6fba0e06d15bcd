//! Replays every input the fuzzers ever crashed on (`tests/data/fuzz-regressions/<target>/`,
//! one file per input, committed as found) through the same code the fuzz target runs
//! (`tests/fuzz/harness.rs`). `scripts/fuzz.sh` copies new crashes there.

#[path = "fuzz/harness.rs"]
mod harness;

mod common;

use std::path::Path;

fn inputs(target: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/fuzz-regressions")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn every_committed_fuzz_crash_is_fixed() {
    let mut replayed = 0;
    for (target, run) in harness::TARGETS {
        for path in inputs(target) {
            let data = std::fs::read(&path).unwrap();
            let name = path.display().to_string();
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{name} still fails");
            replayed += 1;
        }
    }
    eprintln!("{replayed} fuzz regression inputs replayed");
}

/// The harness itself works on real input (so a regression replay is not vacuous): real chains
/// through every target, in the framing the `analyze` target uses.
#[test]
fn harness_runs_on_real_chains() {
    let chain = common::read(&common::data(
        "real-chains/limbo-online/amazon.com.chain.pem",
    ));
    let root = common::read(&common::data(
        "real-chains/limbo-online/amazon.com.root.pem",
    ));
    let certs = qorgan::parse_chain(&chain).unwrap();
    let root = qorgan::parse_chain(&root).unwrap();
    let ders: Vec<&[u8]> = certs
        .iter()
        .chain(&root)
        .map(|c| c.der().as_ref())
        .collect();
    harness::parse_pem(&chain);
    harness::parse_der(ders[0]);
    harness::certificate(ders[0]);
    let framed = harness::join_chain(0b0000_1010, &ders);
    let (host, time, split) = harness::split_chain(&framed);
    assert_eq!(host, Some("example.com"));
    assert_eq!(time, Some(1_700_000_000));
    assert_eq!(split, ders);
    harness::analyze(&framed);
    harness::fast_paths(&framed);
}

//! Helpers shared by the integration tests. Test material lives in tests/data (copied from
//! upstream corpora with licences; see tests/data/README.md) and tests/test-ca.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use qorgan::{CallerAnchor, Certificate, Engine, EngineConfig};

/// rust-core/engine, from this crate or from rust-core/ffi (whose tests share this module).
fn engine_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine")
}

pub fn data(rel: &str) -> PathBuf {
    engine_dir().join("tests/data").join(rel)
}

pub fn test_ca(rel: &str) -> PathBuf {
    engine_dir().join("tests/test-ca").join(rel)
}

pub fn bundled(rel: &str) -> PathBuf {
    engine_dir().join("data").join(rel)
}

pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn certs(path: &Path) -> Vec<Certificate> {
    qorgan::parse_store(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn engine_with(anchors: Vec<Certificate>) -> Engine {
    Engine::new(EngineConfig {
        anchors: anchors.into_iter().map(CallerAnchor::new).collect(),
        ..EngineConfig::default()
    })
    .expect("engine")
}

pub fn engine() -> Engine {
    engine_with(Vec::new())
}

/// Parses an RFC 3339 time to seconds since the epoch.
pub fn unix(rfc3339: &str) -> i64 {
    time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|e| panic!("{rfc3339}: {e}"))
        .unix_timestamp()
}

/// Rows of a TSV file with a header, as maps.
pub fn tsv(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let text = String::from_utf8(read(path)).expect("utf-8");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            header
                .iter()
                .map(|h| h.to_string())
                .zip(
                    l.split('\t')
                        .map(str::to_string)
                        .chain(std::iter::repeat(String::new())),
                )
                .collect()
        })
        .collect()
}

//! Every certificate of the test material, for differential tests: a walk over
//! `tests/data`, `tests/test-ca` and `data` (PEM sections anywhere, JSON-escaped PEM as in
//! x509-limbo's `limbo.json`, and files that are one DER certificate), plus Mozilla's roots
//! from `webpki-root-certs` when the caller adds them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use base64::Engine as _;

const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const END: &str = "-----END CERTIFICATE-----";

/// One certificate's DER and where it came from.
pub struct Sample {
    pub origin: String,
    pub der: Vec<u8>,
}

/// All certificates under the crate's test and bundled data directories, in a stable order.
pub fn samples() -> Vec<Sample> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["tests/data", "tests/test-ca", "data"] {
        walk(&root.join(dir), &mut files);
    }
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let origin = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        extract(&origin, &bytes, &mut out);
    }
    out
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, files);
        } else {
            files.push(p);
        }
    }
}

/// PEM sections (also inside JSON strings), else the whole file when it is one DER element.
pub fn extract(origin: &str, bytes: &[u8], out: &mut Vec<Sample>) {
    let text = String::from_utf8_lossy(bytes);
    if text.contains(BEGIN) {
        let text = text
            .replace("\\r", "")
            .replace("\\n", "\n")
            .replace("\\/", "/");
        let mut rest = text.as_str();
        let mut n = 0;
        while let Some(b) = rest.find(BEGIN) {
            let after = &rest[b + BEGIN.len()..];
            let Some(e) = after.find(END) else { break };
            let body: String = after[..e]
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '"' && *c != ',')
                .collect();
            if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(body.as_bytes()) {
                n += 1;
                out.push(Sample {
                    origin: format!("{origin}#{n}"),
                    der,
                });
            }
            rest = &after[e + END.len()..];
        }
    } else if bytes.first() == Some(&0x30) && bytes.len() > 64 {
        out.push(Sample {
            origin: origin.to_string(),
            der: bytes.to_vec(),
        });
    }
}

/// Deterministic variants of `der`: single-byte changes (bit flips, replaced bytes, and the
/// values that DER parsers treat specially), so that the two readers also meet malformed input
/// past the outline `Certificate::from_der` checks.
pub fn mutations(der: &[u8], seed: u64, count: usize) -> Vec<Vec<u8>> {
    let mut state = seed ^ 0x9e37_79b9_7f4a_7c15 ^ (der.len() as u64);
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = Vec::with_capacity(count);
    if der.is_empty() {
        return out;
    }
    for _ in 0..count {
        let mut m = der.to_vec();
        let r = next();
        let pos = (r >> 8) as usize % m.len();
        m[pos] = match r % 8 {
            0..=2 => m[pos] ^ (1 << ((r >> 4) % 8)),
            3 => (r >> 16) as u8,
            4 => 0x00,
            5 => 0xff,
            6 => 0x80,
            _ => m[pos].wrapping_add(1),
        };
        out.push(m);
    }
    out
}

//! The certificates the adversarial suite mutates, all from the repository: the real chains
//! (tests/data/real-chains/limbo-online, each with its root), the test CAs (tests/test-ca) and
//! the known interception CAs' certificates (data/interception/certs), plus the Mozilla roots
//! of the `webpki-root-certs` dev-dependency as name and key donors.

use std::path::{Path, PathBuf};

use qorgan::{Certificate, CertificateFacts, KnownCa};

/// One chain to mutate: leaf first, its trust anchor last.
#[derive(Debug, Clone)]
pub struct Base {
    pub name: String,
    pub chain: Vec<Vec<u8>>,
    pub host: String,
    /// The validation time for `analyze` (`None` = now): the real chains' leaves have expired,
    /// so they are analysed in the middle of their validity.
    pub time: Option<i64>,
}

pub struct Corpus {
    pub bases: Vec<Base>,
    /// Certificates of known CAs (data/interception/certs), with their entries.
    pub known: Vec<(KnownCa, Vec<u8>)>,
    /// The Mozilla roots (webpki-root-certs), DER.
    pub public: Vec<Vec<u8>>,
    /// ISRG Root X1, DER.
    pub isrg: Vec<u8>,
    /// Every test-CA certificate, DER.
    pub test: Vec<Vec<u8>>,
    /// tests/test-ca/local-root/root.der: a caller anchor of every engine.
    pub local_root: Vec<u8>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

pub fn ders(path: &Path) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    qorgan::parse_store(&bytes)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .iter()
        .map(|c| c.der().to_vec())
        .collect()
}

fn sorted_dir(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    v.sort();
    v
}

impl Corpus {
    pub fn load() -> Self {
        let mut bases = Vec::new();
        // Real chains, leaf first, with their roots appended.
        let limbo = root().join("tests/data/real-chains/limbo-online");
        for p in sorted_dir(&limbo) {
            let Some(host) = p
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".chain.pem"))
                .map(str::to_string)
            else {
                continue;
            };
            let mut chain = ders(&p);
            chain.extend(ders(&limbo.join(format!("{host}.root.pem"))));
            let leaf = Certificate::from_der(chain[0].clone(), 1).unwrap();
            let f = CertificateFacts::of(&leaf, 1).unwrap();
            bases.push(Base {
                name: format!("real-chains/limbo-online/{host}"),
                chain,
                host,
                time: Some(f.not_before_unix / 2 + f.not_after_unix / 2),
            });
        }
        // The test CAs: chain.pem, and root.pem when the chain does not end with it.
        let mut test = Vec::new();
        let test_ca = root().join("tests/test-ca");
        for dir in sorted_dir(&test_ca) {
            // Folders of single certificates (adversary/) hold no chain.pem.
            if !dir.join("chain.pem").exists() {
                continue;
            }
            let name = dir.file_name().unwrap().to_string_lossy().to_string();
            let mut chain = ders(&dir.join("chain.pem"));
            for extra in ["intermediate.pem", "root.pem"] {
                let p = dir.join(extra);
                if p.exists() {
                    for d in ders(&p) {
                        if !chain.contains(&d) {
                            chain.push(d.clone());
                        }
                        if !test.contains(&d) {
                            test.push(d);
                        }
                    }
                }
            }
            if !test.contains(&chain[0]) {
                test.push(chain[0].clone());
            }
            let host = if name == "kz-forged" {
                "www.facebook.com"
            } else {
                "localhost"
            };
            bases.push(Base {
                name: format!("test-ca/{name}"),
                chain,
                host: host.into(),
                time: None,
            });
        }
        // The known CAs' certificates, each alone, and one as the anchor of a local chain.
        let mut known = Vec::new();
        let certs = root().join("data/interception/certs");
        for p in sorted_dir(&certs) {
            if p.extension().is_none_or(|e| e != "pem") {
                continue;
            }
            for d in ders(&p) {
                let c = Certificate::from_der(d.clone(), 1).unwrap();
                if let Some(k) = qorgan::anchors::known::lookup(&c.spki_hash()) {
                    bases.push(Base {
                        name: format!(
                            "data/interception/certs/{}",
                            p.file_name().unwrap().to_string_lossy()
                        ),
                        chain: vec![d.clone()],
                        host: "example.com".into(),
                        time: None,
                    });
                    known.push((k, d));
                }
            }
        }
        let local_root = std::fs::read(test_ca.join("local-root/root.der")).unwrap();
        let local_leaf = std::fs::read(test_ca.join("local-root/leaf.der")).unwrap();
        if let Some((_, k)) = known.first() {
            bases.push(Base {
                name: "test-ca/local-root leaf + first known CA + local root".into(),
                chain: vec![local_leaf, k.clone(), local_root.clone()],
                host: "localhost".into(),
                time: None,
            });
        }
        let public: Vec<Vec<u8>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .map(|c| c.to_vec())
            .collect();
        let isrg = public
            .iter()
            .find(|d| {
                let c = Certificate::from_der(d.to_vec(), 1).unwrap();
                CertificateFacts::of(&c, 1)
                    .is_ok_and(|f| f.common_name.as_deref() == Some("ISRG Root X1"))
            })
            .expect("ISRG Root X1 among the Mozilla roots")
            .clone();
        Corpus {
            bases,
            known,
            public,
            isrg,
            test,
            local_root,
        }
    }
}

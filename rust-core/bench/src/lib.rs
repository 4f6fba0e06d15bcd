//! Fixtures shared by the criterion benchmarks (`benches/engine.rs`) and the measurement helper
//! (`src/bin/qorgan-bench.rs`): two real three-certificate chains from the test corpus, the
//! Mozilla root set the engine is built with, and a bare rustls-webpki verifier over the same
//! roots (what a platform already pays for a handshake).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use pki_types::pem::PemObject;
use pki_types::{CertificateDer, ServerName, TrustAnchor, UnixTime};
use qorgan::Certificate;

/// A real server chain: leaf, one intermediate, the root (three certificates), with the host
/// name and a time at which it validates (from `tests/data/real-chains/cases.tsv`).
pub struct Chain {
    /// Short label used in benchmark names and summary keys.
    pub label: &'static str,
    /// Leaf, intermediate, root (DER).
    pub ders: Vec<Vec<u8>>,
    /// The host the chain was served for.
    pub host: &'static str,
    /// Seconds since the epoch at which the chain is valid.
    pub time: i64,
}

impl Chain {
    /// The certificates as `Certificate`s: the leaf and intermediate, as a server presents them
    /// (the root comes from the engine's public anchors, as in a handshake).
    pub fn presented(&self) -> Vec<Certificate> {
        self.ders[..2]
            .iter()
            .enumerate()
            .map(|(i, d)| Certificate::from_der(d.clone(), i + 1).expect("corpus certificate"))
            .collect()
    }

    /// Leaf, intermediate, root as byte slices, for `analyze_validated`.
    pub fn validated(&self) -> Vec<&[u8]> {
        self.ders.iter().map(Vec::as_slice).collect()
    }
}

fn corpus(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../engine/tests/data/real-chains/limbo-online")
        .join(rel)
}

fn pem_ders(path: PathBuf) -> Vec<Vec<u8>> {
    CertificateDer::pem_file_iter(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .map(|c| c.expect("PEM certificate").to_vec())
        .collect()
}

fn load(label: &'static str, host: &'static str, time: i64) -> Chain {
    let mut ders = pem_ders(corpus(&format!("{host}.chain.pem")));
    assert_eq!(ders.len(), 2, "{host}: leaf and one intermediate expected");
    ders.extend(pem_ders(corpus(&format!("{host}.root.pem"))));
    assert_eq!(ders.len(), 3);
    Chain {
        label,
        ders,
        host,
        time,
    }
}

/// amazon.com (x509-limbo online corpus): RSA-2048 leaf `*.peg.a2z.com`, RSA intermediate
/// DigiCert Global CA G2, root DigiCert Global Root G2; valid at 2026-02-02T00:00:01Z.
pub fn rsa2048() -> Chain {
    load("rsa2048", "amazon.com", 1_769_990_401)
}

/// cloudflare.com (x509-limbo online corpus): ECDSA P-256 leaf, P-256 intermediate GTS WE1,
/// P-384 root GTS Root R4; valid at 2026-03-12T20:59:52Z.
pub fn p256() -> Chain {
    load("p256", "cloudflare.com", 1_773_349_192)
}

/// Both benchmark chains.
pub fn chains() -> Vec<Chain> {
    vec![rsa2048(), p256()]
}

/// Mozilla's roots as the engine bundles them (webpki-root-certs, pinned to the same version).
pub fn mozilla_roots() -> Vec<Certificate> {
    webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .enumerate()
        .map(|(i, c)| Certificate::from_der(c.to_vec(), i + 1).expect("Mozilla root"))
        .collect()
}

/// Mozilla's roots as one PEM bundle (for `qorgan audit`).
pub fn mozilla_roots_pem() -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for c in webpki_root_certs::TLS_SERVER_ROOT_CERTS {
        let b64 = base64_encode(c.as_ref());
        out.push_str("-----BEGIN CERTIFICATE-----\n");
        for line in b64.as_bytes().chunks(64) {
            let _ = writeln!(out, "{}", std::str::from_utf8(line).unwrap_or_default());
        }
        out.push_str("-----END CERTIFICATE-----\n");
    }
    out
}

fn base64_encode(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// A bare rustls-webpki server-certificate verification, as rustls' `WebPkiServerVerifier`
/// does it: parse the end-entity certificate, build and verify a path to Mozilla's roots for
/// server authentication, check the host name. No revocation, no SCTs.
pub struct BareWebpki {
    anchors: Vec<TrustAnchor<'static>>,
}

impl Default for BareWebpki {
    fn default() -> Self {
        Self::new()
    }
}

impl BareWebpki {
    /// The anchors are built once, as a platform verifier holds them.
    pub fn new() -> Self {
        Self {
            anchors: webpki_root_certs::TLS_SERVER_ROOT_CERTS
                .iter()
                .filter_map(|c| webpki::anchor_from_trusted_cert(c).ok())
                .map(|a| a.to_owned())
                .collect(),
        }
    }

    /// Verifies `leaf` with `intermediates` for `host` at `time`; panics if it does not verify
    /// (the corpus chains do).
    pub fn verify(&self, leaf: &[u8], intermediates: &[CertificateDer<'_>], host: &str, time: i64) {
        let leaf = CertificateDer::from(leaf);
        let ee = webpki::EndEntityCert::try_from(&leaf).expect("end-entity certificate");
        ee.verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            &self.anchors,
            intermediates,
            UnixTime::since_unix_epoch(Duration::from_secs(time as u64)),
            webpki::KeyUsage::server_auth(),
            None,
            None,
        )
        .expect("chain verifies");
        let name = ServerName::try_from(host).expect("host name");
        ee.verify_is_valid_for_subject_name(&name)
            .expect("name matches");
    }
}

/// A loopback TLS server (rustls, ring) presenting the `local-root` test CA's chain
/// (`tests/test-ca/local-root`), for `qorgan check` measurements. Serves at most `connections`
/// handshakes, each on its own thread, and stops accepting after `lifetime`.
pub fn loopback_tls_server(connections: usize, lifetime: Duration) -> std::net::SocketAddr {
    use std::net::TcpListener;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../engine/tests/test-ca/local-root");
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(dir.join("chain.pem"))
        .expect("chain.pem")
        .map(|c| c.expect("certificate"))
        .collect();
    let key = pki_types::PrivateKeyDer::from_pem_file(dir.join("leaf.key")).expect("leaf.key");
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("server certificate"),
    );
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("address");
    listener.set_nonblocking(true).expect("nonblocking");
    std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + lifetime;
        let mut served = 0;
        while served < connections && std::time::Instant::now() < deadline {
            match listener.accept() {
                Ok((mut sock, _)) => {
                    served += 1;
                    let config = config.clone();
                    std::thread::spawn(move || {
                        let _ = sock.set_nonblocking(false);
                        sock.set_read_timeout(Some(Duration::from_secs(5))).ok();
                        let Ok(mut conn) = rustls::ServerConnection::new(config) else {
                            return;
                        };
                        while conn.is_handshaking() {
                            if conn.complete_io(&mut sock).is_err() {
                                return;
                            }
                        }
                        let _ = conn.complete_io(&mut sock);
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(2));
                }
                Err(_) => return,
            }
        }
    });
    addr
}

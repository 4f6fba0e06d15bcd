//! Loopback TLS servers for the probe tests (rustls, test-ca certificates). Each serves a
//! bounded number of connections and stops by itself.
#![allow(dead_code)]

use std::io::Read as _;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use pki_types::pem::PemObject;
use pki_types::{CertificateDer, PrivateKeyDer};

// The including test crate provides `test_ca(rel) -> PathBuf`.
use super::test_ca;

/// A TLS server presenting `scenario`'s chain for `connections` handshakes, then gone.
pub fn tls_server(scenario: &str, connections: usize) -> SocketAddr {
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(test_ca(&format!("{scenario}/chain.pem")))
            .unwrap()
            .map(Result::unwrap)
            .collect();
    let key = PrivateKeyDer::from_pem_file(test_ca(&format!("{scenario}/leaf.key"))).unwrap();
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for _ in 0..connections {
            let Ok((mut sock, _)) = listener.accept() else {
                return;
            };
            sock.set_read_timeout(Some(Duration::from_secs(5))).ok();
            let mut conn = rustls::ServerConnection::new(config.clone()).unwrap();
            while conn.is_handshaking() {
                if conn.complete_io(&mut sock).is_err() {
                    break;
                }
            }
            // wait for the client's close_notify (or timeout), then drop
            let _ = conn.complete_io(&mut sock);
        }
    });
    addr
}

/// Accepts, reads the ClientHello, and closes without a word: SNI blocking's signature.
pub fn resetting_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Ok((mut sock, _)) = listener.accept() {
            let mut buf = [0u8; 512];
            let _ = sock.read(&mut buf);
        }
    });
    addr
}

/// A plain-HTTP server on the port: reads the ClientHello as a request and answers
/// `HTTP/1.1 400 Bad Request`, for `connections` connections.
pub fn http_server(connections: usize) -> SocketAddr {
    use std::io::Write as _;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for _ in 0..connections {
            if let Ok((mut sock, _)) = listener.accept() {
                let mut buf = [0u8; 2048];
                let _ = sock.read(&mut buf);
                let _ = sock.write_all(
                    b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
                std::thread::sleep(Duration::from_millis(200));
            }
        }
    });
    addr
}

/// A port nothing listens on (bound, then closed): connections to it are refused.
pub fn closed_port() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap()
}

/// Accepts and never answers (packets dropped silently look the same to the client).
pub fn silent_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Ok((sock, _)) = listener.accept() {
            std::thread::sleep(Duration::from_secs(10));
            drop(sock);
        }
    });
    addr
}

/// An `openssl s_server` presenting `scenario`'s chain, for what rustls will not serve (keys
/// under 2048 bits, SHA-1 handshake signatures). `args` go to s_server as they are (`-tls1_2`,
/// `-sigalgs RSA+SHA1`, ...). Security level 0, so that OpenSSL itself accepts the weak key and
/// hashes. Killed when dropped; it also stops by itself after `connections` handshakes.
pub struct OpensslServer {
    pub addr: SocketAddr,
    child: std::process::Child,
    _stdin: Option<std::process::ChildStdin>,
    extra_chain: Option<std::path::PathBuf>,
}

impl Drop for OpensslServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(p) = &self.extra_chain {
            let _ = std::fs::remove_file(p);
        }
    }
}

pub fn openssl_server(scenario: &str, connections: usize, args: &[&str]) -> OpensslServer {
    use std::io::BufRead as _;
    use std::process::{Command, Stdio};
    // The chain after the leaf, for -cert_chain (which would send a leaf twice).
    let chain = std::fs::read_to_string(test_ca(&format!("{scenario}/chain.pem"))).unwrap();
    const END: &str = "-----END CERTIFICATE-----";
    let rest = chain.split_once(END).map(|(_, r)| r.trim()).unwrap_or("");
    let extra_chain = (!rest.is_empty()).then(|| {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "qorgan-chain-{}-{}.pem",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        std::fs::write(&p, format!("{rest}\n")).unwrap();
        p
    });
    let mut cmd = Command::new("openssl");
    cmd.arg("s_server")
        .args(["-accept", "127.0.0.1:0", "-naccept"])
        .arg(connections.to_string())
        .arg("-cert")
        .arg(test_ca(&format!("{scenario}/leaf.pem")))
        .arg("-key")
        .arg(test_ca(&format!("{scenario}/leaf.key")))
        .args(["-cipher", "DEFAULT:@SECLEVEL=0"])
        .args(args)
        // s_server quits at the end of its input: keep it open, write nothing.
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(p) = &extra_chain {
        cmd.arg("-cert_chain").arg(p);
    }
    let mut child = cmd
        .spawn()
        .expect("openssl (the probe tests serve weak chains with `openssl s_server`)");
    // "ACCEPT 127.0.0.1:PORT" once it listens.
    let stdin = child.stdin.take();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    let addr = loop {
        line.clear();
        if out.read_line(&mut line).unwrap() == 0 {
            let _ = child.kill();
            panic!("openssl s_server {scenario} {args:?} did not start");
        }
        if let Some(a) = line.trim().strip_prefix("ACCEPT ") {
            break a.parse::<SocketAddr>().unwrap();
        }
    };
    // Keep draining its output so that it never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = out.read_to_end(&mut sink);
    });
    OpensslServer {
        addr,
        child,
        _stdin: stdin,
        extra_chain,
    }
}

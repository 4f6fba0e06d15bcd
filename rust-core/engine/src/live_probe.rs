//! The live probe (feature `live-probe`, on by default; the CLI and desktop builds): connect,
//! run a real TLS handshake with rustls, capture what the server presents, ask the operating
//! system's verifier, and hand it all to [`judge_handshake`].
//!
//! Phones build without it: their checkers make the handshake with the platform's TLS stack
//! and call `Qorgan.judgeHandshake` (see [`crate::probe`]).
//!
//! Safety of capturing: the handshake accepts any certificate so that the chain can be
//! examined, but the server's handshake signature is still verified (it proves the server
//! holds the leaf's key), under any key size and legacy hash (1024-bit RSA, SHA-1: see
//! [`crate::handshake_signature`]), and no application data is ever sent: the connection is
//! closed right after the handshake. A handshake that fails after the chain was presented
//! still has that chain judged, with the failure beside the verdict.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme};

use crate::cert::Certificate;
use crate::engine::Engine;
use crate::probe::{
    judge_handshake, CheckVerdict, HandshakeObservation, HandshakeOutcome, ProbeError,
    ProbeErrorCode, ProbeResult, TlsInfo,
};

/// How to probe.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    /// TCP port.
    pub port: u16,
    /// The whole probe's time limit (DNS, connect and handshake together).
    pub timeout: Duration,
    /// Connect here instead of resolving the host (`ADDR:PORT`, to test a name against an IP).
    pub connect: Option<SocketAddr>,
}

impl Default for ProbeOptions {
    fn default() -> Self {
        Self {
            port: 443,
            timeout: Duration::from_millis(u64::from(crate::probe::DEFAULT_PROBE_TIMEOUT_MS)),
            connect: None,
        }
    }
}

/// The operating system's verdict on a chain (rustls-platform-verifier: Android's, Apple's
/// and Windows' own verifiers; on Linux the system store through webpki). Built once per run:
/// it loads the system store.
pub struct PlatformVerifier {
    inner: Option<rustls_platform_verifier::Verifier>,
}

impl PlatformVerifier {
    /// The system verifier, with `extra_roots` trusted as if installed. `None` inside when the
    /// platform offers none here (Android without initialisation, a Linux box with no store).
    pub fn new(extra_roots: &[Certificate]) -> Self {
        let provider = crate::client_crypto::provider();
        #[cfg(not(target_os = "android"))]
        let inner = rustls_platform_verifier::Verifier::new_with_extra_roots(
            extra_roots.iter().map(|c| c.der().clone()),
            provider,
        )
        .ok();
        #[cfg(target_os = "android")]
        let inner = {
            let _ = extra_roots;
            // Needs the one-time JNI initialisation done by the Android shell; without it the
            // platform verdict is simply unavailable.
            // AssertUnwindSafe: the closure's only capture, the Arc<CryptoProvider>, is not
            // UnwindSafe because its trait objects might have interior mutability. Ours
            // (client_crypto::provider) have none: ring's static suites, key exchanges and
            // algorithms, the stateless SystemRandom and NoKeys. So a panic cannot leave the
            // shared provider half-changed; the closure's own state is dropped unread.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                rustls_platform_verifier::Verifier::new(provider).ok()
            }))
            .ok()
            .flatten()
        };
        Self { inner }
    }

    /// A verifier that never answers (the platform verdict is `None`).
    pub fn unavailable() -> Self {
        Self { inner: None }
    }

    fn verify(&self, chain: &[CertificateDer<'static>], host: &str) -> Option<bool> {
        let v = self.inner.as_ref()?;
        let name = ServerName::try_from(host.to_string()).ok()?;
        let (ee, rest) = chain.split_first()?;
        // On Android an uninitialised verifier panics when asked (the JNI context is missing):
        // then the platform verdict is unavailable, not the whole probe.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            v.verify_server_cert(ee, rest, &name, &[], UnixTime::now())
                .is_ok()
        }))
        .ok()
    }
}

/// Accepts any chain (so it can be examined) and keeps it, but verifies the handshake signature
/// under any key size and legacy hash ([`crate::handshake_signature`]): a weak chain is a
/// finding, a server that cannot prove it holds the leaf's key is a failure.
#[derive(Debug)]
struct Capture {
    provider: Arc<CryptoProvider>,
    /// The chain as presented, kept even if the handshake fails afterwards.
    seen: Mutex<Vec<CertificateDer<'static>>>,
}

impl Capture {
    fn seen(&self) -> Vec<CertificateDer<'static>> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl ServerCertVerifier for Capture {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut seen) = self.seen.lock() {
            *seen = std::iter::once(end_entity)
                .chain(intermediates)
                .map(|c| c.clone().into_owned())
                .collect();
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        crate::handshake_signature::verify(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
            false,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        crate::handshake_signature::verify(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
            true,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        crate::handshake_signature::SCHEMES.to_vec()
    }
}

/// Counts the bytes the server sent, to tell "reset before any answer" from later failures.
struct Counting<'a> {
    inner: &'a mut TcpStream,
    read: usize,
    /// The first bytes received: a TLS record starts with a content type from 20 to 24, a
    /// plain-HTTP answer with `HTTP/`.
    first: Vec<u8>,
}

impl Read for Counting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n;
        let want = 8usize.saturating_sub(self.first.len()).min(n);
        self.first.extend_from_slice(&buf[..want]);
        Ok(n)
    }
}

impl Write for Counting<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn unreachable(
    host: &str,
    port: u16,
    code: ProbeErrorCode,
    message: String,
    start: Instant,
    address: Option<SocketAddr>,
) -> ProbeResult {
    ProbeResult::unreachable(
        host.to_string(),
        port,
        address.map(|a| a.to_string()),
        elapsed_ms(start),
        ProbeError { code, message },
    )
}

fn elapsed_ms(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Resolves `host` within `limit`; the lookup runs on its own thread because the system
/// resolver has no timeout of its own.
fn resolve(
    host: &str,
    port: u16,
    limit: Duration,
) -> Result<Vec<SocketAddr>, (ProbeErrorCode, String)> {
    let (tx, rx) = mpsc::channel();
    let name = host.to_string();
    std::thread::Builder::new()
        .name("qorgan-dns".into())
        .spawn(move || {
            let _ = tx.send(
                (name.as_str(), port)
                    .to_socket_addrs()
                    .map(|a| a.collect::<Vec<_>>()),
            );
        })
        .map_err(|e| {
            (
                ProbeErrorCode::DnsFailed,
                format!("could not start the lookup: {e}"),
            )
        })?;
    match rx.recv_timeout(limit) {
        Ok(Ok(addrs)) if !addrs.is_empty() => Ok(addrs),
        Ok(Ok(_)) => Err((ProbeErrorCode::DnsFailed, format!("{host} has no address"))),
        Ok(Err(e)) => Err((
            ProbeErrorCode::DnsFailed,
            format!("{host} did not resolve: {e}"),
        )),
        Err(_) => Err((
            ProbeErrorCode::Timeout,
            format!("looking up {host} took longer than the timeout"),
        )),
    }
}

/// Probes one host. Never panics on network input and always returns within the timeout plus
/// a small margin.
pub fn probe(
    engine: &Engine,
    platform: &PlatformVerifier,
    host: &str,
    opts: &ProbeOptions,
) -> ProbeResult {
    let start = Instant::now();
    let deadline = start + opts.timeout;
    let remaining = || deadline.saturating_duration_since(Instant::now());
    let port = opts.connect.map(|a| a.port()).unwrap_or(opts.port);
    let server_name = match ServerName::try_from(host.to_string()) {
        Ok(n) => n,
        Err(_) => {
            return unreachable(
                host,
                port,
                ProbeErrorCode::DnsFailed,
                format!("\"{host}\" is not a valid host name"),
                start,
                opts.connect,
            )
        }
    };
    let addrs = match opts.connect {
        Some(a) => vec![a],
        None => match resolve(host, port, remaining()) {
            Ok(a) => a,
            Err((code, msg)) => return unreachable(host, port, code, msg, start, None),
        },
    };

    let mut last_err = String::new();
    // Every address refused the connection: the host is reachable, nothing listens there.
    let mut all_refused = true;
    let mut sock = None;
    for addr in &addrs {
        let left = remaining();
        if left.is_zero() {
            break;
        }
        match TcpStream::connect_timeout(addr, left) {
            Ok(s) => {
                sock = Some((s, *addr));
                break;
            }
            Err(e) => {
                all_refused &= e.kind() == io::ErrorKind::ConnectionRefused;
                last_err = format!("{addr}: {e}");
            }
        }
    }
    let Some((mut sock, addr)) = sock else {
        return if remaining().is_zero() {
            unreachable(
                host,
                port,
                ProbeErrorCode::Timeout,
                format!("connecting to {host} took longer than the timeout"),
                start,
                opts.connect,
            )
        } else if all_refused && !last_err.is_empty() {
            unreachable(
                host,
                port,
                ProbeErrorCode::ConnectionRefused,
                format!("{host} refused the connection on port {port}: nothing listens there"),
                start,
                opts.connect,
            )
        } else {
            unreachable(
                host,
                port,
                ProbeErrorCode::ConnectFailed,
                format!("could not connect to {host}: {last_err}"),
                start,
                opts.connect,
            )
        };
    };
    let _ = sock.set_nodelay(true);

    let provider = crate::client_crypto::provider();
    let capture = Arc::new(Capture {
        provider: provider.clone(),
        seen: Mutex::new(Vec::new()),
    });
    let config = match ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
    {
        Ok(b) => {
            let mut c = b
                .dangerous()
                .with_custom_certificate_verifier(capture.clone())
                .with_no_client_auth();
            // Look like a browser: interceptors and blockers key on the ClientHello.
            c.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
            c
        }
        Err(e) => {
            return unreachable(
                host,
                port,
                ProbeErrorCode::TlsError,
                format!("TLS setup failed: {e}"),
                start,
                Some(addr),
            )
        }
    };
    let mut conn = match ClientConnection::new(Arc::new(config), server_name) {
        Ok(c) => c,
        Err(e) => {
            return unreachable(
                host,
                port,
                ProbeErrorCode::TlsError,
                format!("TLS setup failed: {e}"),
                start,
                Some(addr),
            )
        }
    };
    let mut io = Counting {
        inner: &mut sock,
        read: 0,
        first: Vec::new(),
    };
    while conn.is_handshaking() {
        let left = remaining();
        let failure = if left.is_zero() {
            Some((
                ProbeErrorCode::Timeout,
                format!("the TLS handshake with {host} took longer than the timeout"),
            ))
        } else {
            let _ = io.inner.set_read_timeout(Some(left));
            let _ = io.inner.set_write_timeout(Some(left));
            conn.complete_io(&mut io)
                .err()
                .map(|e| classify_io(&e, io.read, &io.first, host))
        };
        if let Some((code, message)) = failure {
            let error = ProbeError { code, message };
            let seen = capture.seen();
            if seen.is_empty() {
                return ProbeResult::unreachable(
                    host.to_string(),
                    port,
                    Some(addr.to_string()),
                    elapsed_ms(start),
                    error,
                );
            }
            return interrupted(
                engine,
                platform,
                host,
                port,
                addr,
                start,
                seen,
                tls_info(&conn),
                error,
            );
        }
    }
    let tls = tls_info(&conn);
    let presented: Vec<CertificateDer<'static>> = conn
        .peer_certificates()
        .map(<[_]>::to_vec)
        .unwrap_or_default();
    conn.send_close_notify();
    let _ = conn.write_tls(&mut sock);
    drop(sock);

    judge_chain(engine, platform, host, port, addr, start, &presented, tls)
}

/// The engine's and the OS verifier's verdicts on a chain the server presented.
#[allow(clippy::too_many_arguments)]
fn judge_chain(
    engine: &Engine,
    platform: &PlatformVerifier,
    host: &str,
    port: u16,
    addr: SocketAddr,
    start: Instant,
    presented: &[CertificateDer<'static>],
    tls: TlsInfo,
) -> ProbeResult {
    let platform_trusted = platform.verify(presented, host);
    judge_handshake(
        engine,
        HandshakeObservation {
            host: host.to_string(),
            port,
            address: Some(addr.to_string()),
            elapsed_ms: elapsed_ms(start),
            outcome: HandshakeOutcome::Completed {
                presented_chain: presented.iter().map(|c| c.to_vec()).collect(),
                tls,
                platform_trusted,
            },
        },
    )
}

fn tls_info(conn: &ClientConnection) -> TlsInfo {
    TlsInfo {
        version: conn
            .protocol_version()
            .map(|v| match v {
                rustls::ProtocolVersion::TLSv1_3 => "TLSv1.3".to_string(),
                rustls::ProtocolVersion::TLSv1_2 => "TLSv1.2".to_string(),
                other => format!("{other:?}"),
            })
            .unwrap_or_default(),
        cipher_suite: conn
            .negotiated_cipher_suite()
            .map(|s| iana_suite_name(s.suite()))
            .unwrap_or_default(),
        alpn: conn
            .alpn_protocol()
            .map(|a| String::from_utf8_lossy(a).into_owned()),
    }
}

/// The result of a handshake that failed after the server presented its chain (most often: its
/// handshake signature did not verify). The chain is still judged, so that a known interception
/// CA is named rather than hidden behind the error, and the error is kept beside the verdict.
/// But a chain the server did not prove it holds the key of says nothing good: a replayed
/// genuine chain looks exactly like that. So a chain the engine would call `trusted` is
/// reported as `unreachable` with the error (and the chain kept for reports).
#[allow(clippy::too_many_arguments)]
fn interrupted(
    engine: &Engine,
    platform: &PlatformVerifier,
    host: &str,
    port: u16,
    addr: SocketAddr,
    start: Instant,
    seen: Vec<CertificateDer<'static>>,
    tls: TlsInfo,
    error: ProbeError,
) -> ProbeResult {
    let mut judged = judge_chain(engine, platform, host, port, addr, start, &seen, tls);
    if judged.verdict == CheckVerdict::Trusted {
        let mut r =
            ProbeResult::unreachable(judged.host, port, judged.address, judged.elapsed_ms, error);
        r.presented_chain = judged.presented_chain;
        return r;
    }
    judged.error = Some(error);
    judged
}

fn classify_io(
    e: &io::Error,
    received: usize,
    first: &[u8],
    host: &str,
) -> (ProbeErrorCode, String) {
    // Not a TLS record at all: a plain-HTTP server (or another protocol) on the port.
    if first.first().is_some_and(|b| !(20..=24).contains(b)) {
        let what = if first.starts_with(b"HTTP/") {
            "plain HTTP"
        } else {
            "something that is not TLS"
        };
        return (
            ProbeErrorCode::NotTls,
            format!("{host} answered with {what}, not TLS: this port does not serve HTTPS"),
        );
    }
    match e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
        Some(rustls::Error::AlertReceived(alert)) => {
            return (
                ProbeErrorCode::TlsAlert,
                format!("{host} answered with the TLS alert {alert:?}"),
            )
        }
        Some(rustls::Error::InvalidCertificate(rustls::CertificateError::BadSignature)) => {
            return (
                ProbeErrorCode::TlsError,
                format!("{host} did not prove that it holds the key of the certificate it presented: its handshake signature does not verify"),
            )
        }
        _ => {}
    }
    match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => (
            ProbeErrorCode::Timeout,
            format!("{host} stopped answering during the TLS handshake (packets dropped?)"),
        ),
        io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted | io::ErrorKind::UnexpectedEof | io::ErrorKind::BrokenPipe
            if received == 0 =>
        {
            (
                ProbeErrorCode::ResetAfterClientHello,
                format!("the connection to {host} was cut right after the ClientHello, before any answer: this is how SNI-based blocking usually looks"),
            )
        }
        _ => (ProbeErrorCode::TlsError, format!("the TLS handshake with {host} failed: {e}")),
    }
}

/// The IANA name of a cipher suite, as Java's SSLSession and Apple's tls_ciphersuite_t name it,
/// so that the CLI, Kotlin and Swift checkers print the same text: rustls calls the TLS 1.3
/// suites `TLS13_...` where the registry says `TLS_...`; its TLS 1.2 names are IANA's already.
fn iana_suite_name(suite: rustls::CipherSuite) -> String {
    match suite.as_str() {
        Some(name) => match name.strip_prefix("TLS13_") {
            Some(rest) => format!("TLS_{rest}"),
            None => name.to_string(),
        },
        None => format!("0x{:04X}", u16::from(suite)),
    }
}

//! A probe's answer for one host: the types `qorgan check` and the phone checkers show, and
//! the judgement of a handshake someone made.
//!
//! Interception is triggered per SNI (the 2019 Kazakh system intercepted 37 named sites and
//! passed the rest), so a probe sends the host name exactly as a browser would, and the default
//! targets are the domains that were intercepted.
//!
//! Who makes the handshake: on desktops, Qorgan itself ([`crate::live_probe`], the `live-probe`
//! feature, rustls). On phones, the platform's own TLS stack (the Kotlin and Swift checkers),
//! which then hands what it saw to [`judge_handshake`]: the chain as presented, what was
//! negotiated, and the operating system's own verdict. Phones leave rustls out (0.7 MB of a
//! 2.1 MB library), and a handshake made by the platform is the one the phone's apps make.
//! Either way the judgement is this module's, so every platform answers alike.

use serde::Serialize;

use crate::engine::{now_unix, Engine};
use crate::i18n::Message;
use crate::verdict::{AnchorInfo, Finding, FindingCode, PathEntry, Severity, VerdictKind};

/// The answer for one probed host: the chain's verdict, or `unreachable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckVerdict {
    /// Builds to a public root; nothing wrong.
    Trusted,
    /// A known interception or blocked CA is in the chain.
    InterceptedKnown,
    /// The device trusts the chain through an anchor no public program holds.
    InterceptedLocal,
    /// Builds to no anchor.
    Untrusted,
    /// Builds, but the certificate is wrong for this host or time.
    Invalid,
    /// The app's pins do not match.
    PinViolation,
    /// No chain could be obtained: the network failed (this is not interception).
    Unreachable,
}

impl CheckVerdict {
    /// How severe this verdict is, by [`VerdictKind`]'s documented precedence (the first that
    /// applies is the verdict, so each outranks those after it): `intercepted_known` >
    /// `pin_violation` > `invalid` > `intercepted_local` > `untrusted` > `trusted` >
    /// `unreachable` (nothing was seen). Two paths judging one chain must never disagree
    /// towards the lower end: the adversarial tests and the `fast_paths` fuzz target compare
    /// with it.
    pub fn severity(self) -> u8 {
        match self {
            Self::Unreachable => 0,
            Self::Trusted => 1,
            Self::Untrusted => 2,
            Self::InterceptedLocal => 3,
            Self::Invalid => 4,
            Self::PinViolation => 5,
            Self::InterceptedKnown => 6,
        }
    }
}

impl From<VerdictKind> for CheckVerdict {
    fn from(v: VerdictKind) -> Self {
        match v {
            VerdictKind::Trusted => Self::Trusted,
            VerdictKind::InterceptedKnown => Self::InterceptedKnown,
            VerdictKind::InterceptedLocal => Self::InterceptedLocal,
            VerdictKind::Untrusted => Self::Untrusted,
            VerdictKind::Invalid => Self::Invalid,
            VerdictKind::PinViolation => Self::PinViolation,
        }
    }
}

impl ProbeResult {
    /// The result for a host whose handshake failed.
    pub(crate) fn unreachable(
        host: String,
        port: u16,
        address: Option<String>,
        elapsed_ms: u64,
        error: ProbeError,
    ) -> Self {
        Self {
            host,
            port,
            verdict: CheckVerdict::Unreachable,
            findings: Vec::new(),
            error: Some(error),
            tls: None,
            path: Vec::new(),
            anchor: None,
            platform_trusted: None,
            address,
            elapsed_ms,
            presented_chain: Vec::new(),
        }
    }

    /// The finding that explains the verdict (see [`crate::Verdict::main_finding`]).
    pub fn main_finding(&self) -> Option<&Finding> {
        crate::verdict::main_finding(self.verdict == CheckVerdict::Invalid, &self.findings)
    }
}

impl CheckVerdict {
    /// The snake_case name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Trusted => "trusted",
            Self::InterceptedKnown => "intercepted_known",
            Self::InterceptedLocal => "intercepted_local",
            Self::Untrusted => "untrusted",
            Self::Invalid => "invalid",
            Self::PinViolation => "pin_violation",
            Self::Unreachable => "unreachable",
        }
    }
}

/// Why a host could not be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeErrorCode {
    /// The name did not resolve.
    DnsFailed,
    /// No address accepted a TCP connection.
    ConnectFailed,
    /// The timeout ran out (packets dropped silently look like this).
    Timeout,
    /// The server (or something on the path) sent a TLS alert.
    TlsAlert,
    /// The connection was reset or closed right after the ClientHello, before any answer:
    /// how SNI-based blocking usually looks.
    ResetAfterClientHello,
    /// Another TLS failure.
    TlsError,
    /// The host refused the TCP connection (nothing listens on the port): the host is up and
    /// the network reaches it.
    ConnectionRefused,
    /// The server answered, but not with TLS (a plain-HTTP server on the port, say).
    NotTls,
}

/// A network failure, as a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProbeError {
    /// Stable code.
    pub code: ProbeErrorCode,
    /// What happened, for people.
    pub message: String,
}

/// What the handshake negotiated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TlsInfo {
    /// `TLSv1.3` or `TLSv1.2`.
    pub version: String,
    /// The IANA name of the cipher suite.
    pub cipher_suite: String,
    /// The ALPN protocol the server chose, if any.
    pub alpn: Option<String>,
}

/// What a handshake made outside Qorgan saw, for [`judge_handshake`] (the phone checkers make
/// their handshakes with the platform's TLS stack).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandshakeObservation {
    /// The host name sent as SNI, which the certificate must match.
    pub host: String,
    /// The TCP port.
    pub port: u16,
    /// The address connected to (`IP:PORT`), when a connection was made.
    pub address: Option<String>,
    /// How long the attempt took, in milliseconds.
    pub elapsed_ms: u64,
    /// The handshake's outcome.
    pub outcome: HandshakeOutcome,
}

/// How a handshake ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandshakeOutcome {
    /// The server presented a chain and proved it holds the leaf's key (the handshake signature
    /// was verified; the chain itself was accepted only to be examined here).
    Completed {
        /// The chain as the server presented it, DER, leaf first.
        presented_chain: Vec<Vec<u8>>,
        /// What was negotiated.
        tls: TlsInfo,
        /// The operating system's own verdict on the chain for this host; `None` when it could
        /// not be asked.
        platform_trusted: Option<bool>,
    },
    /// No chain: the network failed. The result is `unreachable` with this error.
    Failed {
        /// Why, classified as in [`ProbeErrorCode`].
        error: ProbeError,
    },
}

/// The result for one host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProbeResult {
    /// The host name (sent as SNI).
    pub host: String,
    /// The port.
    pub port: u16,
    /// The answer.
    pub verdict: CheckVerdict,
    /// Everything noticed, most severe first.
    pub findings: Vec<Finding>,
    /// The network failure, when `verdict` is `unreachable`. Beside another verdict: the
    /// handshake failed after the server presented its chain (for instance its handshake
    /// signature did not verify), and `verdict` judges that chain.
    pub error: Option<ProbeError>,
    /// What the handshake negotiated.
    pub tls: Option<TlsInfo>,
    /// The path Qorgan built (or the presented chain).
    pub path: Vec<PathEntry>,
    /// The anchor the path ends at.
    pub anchor: Option<AnchorInfo>,
    /// The operating system's own verdict on the chain (`None` when not asked or unavailable).
    pub platform_trusted: Option<bool>,
    /// The address connected to.
    pub address: Option<String>,
    /// How long the probe took, in milliseconds.
    pub elapsed_ms: u64,
    /// The chain the server presented (DER, leaf first), for reports; not in JSON output.
    #[serde(skip)]
    pub presented_chain: Vec<Vec<u8>>,
}

/// Judges a handshake: the chain's verdict from the engine, raised to `intercepted_local` when
/// the operating system trusts what no public program and no anchor known to Qorgan does; or
/// `unreachable` when the handshake failed.
pub fn judge_handshake(engine: &Engine, observation: HandshakeObservation) -> ProbeResult {
    let HandshakeObservation {
        host,
        port,
        address,
        elapsed_ms,
        outcome,
    } = observation;
    let (presented, tls, platform_trusted) = match outcome {
        HandshakeOutcome::Failed { error } => {
            return ProbeResult::unreachable(host, port, address, elapsed_ms, error)
        }
        HandshakeOutcome::Completed {
            presented_chain,
            tls,
            platform_trusted,
        } => (presented_chain, tls, platform_trusted),
    };
    // Untrusted until the engine says otherwise.
    let mut result = ProbeResult {
        host,
        port,
        verdict: CheckVerdict::Untrusted,
        findings: Vec::new(),
        error: None,
        tls: Some(tls),
        path: Vec::new(),
        anchor: None,
        platform_trusted,
        address,
        elapsed_ms,
        presented_chain: presented.clone(),
    };
    let v = match engine.analyze_presented(presented, Some(&result.host), Some(now_unix())) {
        Ok(v) => v,
        Err(e) => {
            result.findings.push(engine.finding(
                FindingCode::InvalidCertificate,
                Severity::Warning,
                Message::new("finding-unusable-chain").arg("error", e.to_string()),
            ));
            return result;
        }
    };
    let mut findings = v.findings;
    let mut verdict = CheckVerdict::from(v.verdict);
    if verdict == CheckVerdict::Untrusted && platform_trusted == Some(true) {
        // The OS trusts what no public program and no anchor known to Qorgan does: an anchor
        // installed where Qorgan cannot list it (a keychain setting, a profile).
        verdict = CheckVerdict::InterceptedLocal;
        findings.retain(|f| f.code != FindingCode::NoPath);
        findings.insert(
            0,
            engine.finding(
                FindingCode::NonPublicAnchor,
                Severity::Warning,
                Message::new("finding-os-trusts-non-public"),
            ),
        );
    }
    result.verdict = verdict;
    result.findings = findings;
    result.path = v.path;
    result.anchor = v.anchor;
    result
}

/// One default target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    /// Host name.
    pub host: String,
    /// `kz2019`, `kz2021_2024` or `control`.
    pub group: String,
    /// Where the entry comes from.
    pub source: String,
}

/// A probe's default time limit, DNS to handshake: long enough for a slow mobile network's
/// handshake, short enough not to wait long on a silently dropped connection (which is how
/// some blocking looks). The CLI, Kotlin and Swift all take it from here.
pub const DEFAULT_PROBE_TIMEOUT_MS: u32 = 5_000;

/// The default targets: the domains Kazakhstan intercepted in 2019 and 2021-2024, and a few
/// controls (`data/targets/default-targets.tsv`, with provenance in its README).
pub fn default_targets() -> Vec<Target> {
    include_str!("../data/targets/default-targets.tsv")
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut cols = l.split('\t');
            Some(Target {
                host: cols.next()?.trim().to_string(),
                group: cols.next().unwrap_or("").trim().to_string(),
                source: cols.next().unwrap_or("").trim().to_string(),
            })
        })
        .collect()
}

//! Qorgan (Kazakh *қорған*, "bulwark") tells a phone's user and an app when HTTPS is being
//! intercepted.
//!
//! In July 2019 Kazakh operators told subscribers to install a government root certificate;
//! with it installed, the state could read and change all HTTPS traffic while the padlock still
//! showed. Qorgan finds such roots in a trust store and in live chains, by key (SPKI SHA-256),
//! not by name: one Kazakh name was reused by nine different roots.
//!
//! - [`Engine::analyze`]: a chain as a server presented it: path building with signatures,
//!   the anchor's class, host name, validity, known interception CAs, forged-certificate hints.
//! - [`Engine::analyze_validated`]: the in-app fast path for a chain the platform already
//!   validated (hashes and lookups, no parsing beyond the DER outline).
//! - [`Engine::audit`]: a trust store, certificate by certificate.
//! - [`Engine::apply_bundle`]: known CAs, distrusted keys and pins published after the build,
//!   in a signed [`bundle`].
//! - [`PinPolicy`]: in-app pinning (Network Security Config XML, JSON or a builder), checked
//!   by `analyze` and `analyze_validated` on the validated chain only.
//!
//! Detection results are [`Verdict`]s; an [`Error`] only means "could not decide".
//!
//! Plain Rust, without UniFFI and without unsafe code: Kotlin and Swift reach the engine
//! through the `qorgan-ffi` crate (rust-core/ffi), which declares these records and enums to
//! UniFFI and holds the JNI fast path.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod anchors;
mod audit;
pub mod bundle;
mod cert;
mod cert_info;
mod checker;
mod civil;
#[cfg(feature = "live-probe")]
mod client_crypto;
mod decision;
mod deflated;
mod der;
mod engine;
mod error;
mod facts;
#[cfg(feature = "live-probe")]
mod handshake_signature;
mod heuristics;
pub mod i18n;
mod input;
#[cfg(feature = "live-probe")]
mod live_probe;
mod names;
pub mod pinning;
mod probe;
mod report;
mod signature;
mod spki_memo;
mod verdict;

pub use anchors::known::{KnownCa, KnownCaCategory};
pub use anchors::programs::{Distrusted, PlatformView, Program, StoreVersion};
pub use audit::{AuditEntry, AuditReport, AuditSummary, CertificateClass};
pub use bundle::{
    read_bundle, Bundle, BundleContent, BundleError, BundleInfo, BundleKey, BundleSigner,
};
pub use cert::{Certificate, SpkiHash};
pub use checker::{
    checker_report, checker_report_in, CheckAdvice, CheckStatus, CheckedSite, CheckerReport,
    DevicePlatform, InstalledCertificate, SiteGroup,
};
pub use decision::{responsible_ca, Decision, Remedy};
pub use engine::{now_unix, CallerAnchor, Engine, EngineConfig, SkippedAnchor};
pub use error::{Error, MAX_CERTIFICATE_BYTES, MAX_CHAIN_CERTIFICATES};
pub use facts::{CertificateFacts, KeyFacts};
pub use i18n::Lang;
pub use input::{from_der_list, parse_chain, parse_store};
#[cfg(feature = "live-probe")]
pub use live_probe::{probe, PlatformVerifier, ProbeOptions};
pub use pinning::{
    DomainRule, DomainScope, PinEvaluation, PinPolicy, PinPolicyBuilder, PinResult, PolicyError,
    PolicyWarning,
};
pub use probe::{
    default_targets, judge_handshake, CheckVerdict, HandshakeObservation, HandshakeOutcome,
    ProbeError, ProbeErrorCode, ProbeResult, Target, TlsInfo, DEFAULT_PROBE_TIMEOUT_MS,
};
pub use report::{
    Report, VALIDATION_CHAIN_NOT_TRUSTED, VALIDATION_NO_MATCHING_PIN, VALIDATION_SUCCESS,
};
pub use verdict::{
    AnchorClass, AnchorInfo, Finding, FindingCode, MessageArg, PathEntry, PathRole, Severity,
    Verdict, VerdictKind,
};

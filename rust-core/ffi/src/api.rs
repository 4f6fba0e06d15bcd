//! The surface Kotlin and Swift see, through UniFFI (proc-macros, no UDL).
//!
//! Every call is synchronous: call it from `Dispatchers.IO` or a background `Task`. Certificates
//! cross as `Vec<u8>` (Kotlin `ByteArray`, Swift `Data`). No panic crosses the boundary: each
//! method runs the engine under `catch_unwind` and turns a panic into
//! [`QorganError::Internal`], on which enforcing callers fail closed.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

use qorgan::{
    now_unix, AuditReport, CallerAnchor, Certificate, CertificateFacts, Engine, EngineConfig,
    Error, PinPolicy, PlatformView, Report, SkippedAnchor, SpkiHash, Verdict,
};

/// Why Qorgan could not decide. Interception and untrusted chains are never errors: they are
/// verdicts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum QorganError {
    /// A certificate, chain or host name given to Qorgan is unusable; the message says which
    /// and why.
    #[error("{reason}")]
    InvalidInput {
        /// What is wrong, naming the certificate.
        reason: String,
    },
    /// The configuration is unusable (a pin that is not base64 SHA-256, an anchor that cannot
    /// be one); the message says what to fix.
    #[error("{reason}")]
    InvalidConfig {
        /// What to fix.
        reason: String,
    },
    /// A bug in Qorgan. Enforcing callers must treat it as a failed check (fail closed).
    #[error("{reason}")]
    Internal {
        /// Detail for the bug report.
        reason: String,
    },
    /// The app's report sink threw; the message carries what it threw.
    #[error("{reason}")]
    Callback {
        /// The foreign exception, as text.
        reason: String,
    },
}

impl From<Error> for QorganError {
    fn from(e: Error) -> Self {
        match e {
            Error::InvalidConfig { .. } => Self::InvalidConfig {
                reason: e.to_string(),
            },
            Error::Internal { .. } => Self::Internal {
                reason: e.to_string(),
            },
            _ => Self::InvalidInput {
                reason: e.to_string(),
            },
        }
    }
}

impl From<uniffi::UnexpectedUniFFICallbackError> for QorganError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Callback { reason: e.reason }
    }
}

/// Runs `f`, turning a panic into [`QorganError::Internal`].
pub(crate) fn guarded<T>(
    what: &str,
    f: impl FnOnce() -> Result<T, QorganError>,
) -> Result<T, QorganError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(QorganError::Internal {
                reason: format!("internal error in {what}: {detail}"),
            })
        }
    }
}

/// A certificate the device trusts, with the platform's word on who installed it.
#[derive(Debug, Clone, uniffi::Record)]
pub struct TrustedCertificate {
    /// DER bytes.
    pub der: Vec<u8>,
    /// The platform says the user installed it (Android `user:` alias,
    /// `isUserAddedCertificate`). `false` when unknown.
    pub user_added: bool,
}

/// How a [`Qorgan`] is set up.
#[derive(Debug, Clone, uniffi::Record)]
pub struct QorganConfig {
    /// Anchors the device or app trusts besides the bundled public roots.
    pub trusted_certificates: Vec<TrustedCertificate>,
    /// Non-public anchors the app owner accepts (an enterprise proxy), as SPKI pins
    /// (`sha256/<base64>` or bare base64).
    pub allowed_anchor_pins: Vec<String>,
    /// Whose idea of "public" applies.
    pub platform: PlatformView,
    /// How long an identical report is not delivered again, in seconds (TrustKit and Qorgan
    /// default: 24 hours).
    #[uniffi(default = 86400)]
    pub report_dedup_seconds: u64,
    /// The app's pin policy: the text of its `res/xml/network_security_config.xml`, or the same
    /// policy in Qorgan's JSON format (told apart by content). `None`: no pinning. A policy
    /// that cannot be loaded fails [`Qorgan::new`] with [`QorganError::InvalidConfig`] saying
    /// what to fix (with line and column for XML).
    #[uniffi(default = None)]
    pub pin_policy: Option<String>,
    /// **Dangerous.** The app is a debug build: lets `<debug-overrides>` trust anchors with
    /// `overridePins="true"` bypass pins (still reported). Never set in a release build.
    #[uniffi(default = false)]
    pub dangerous_debug_build: bool,
    /// The language of the sentences Qorgan says (findings, the checker's advice), as a
    /// language tag or locale (`kk`, `ru-RU`, `en`). Kotlin and Swift pass the device's locale
    /// unless the app chose one. Qorgan speaks Kazakh, Russian and English; any other language,
    /// or `None`, is English. Codes never change.
    #[uniffi(default = None)]
    pub language: Option<String>,
    /// The public keys signed knowledge bundles are accepted from (`Qorgan::apply_bundle`),
    /// base64 of 32 bytes as `qorgan bundle keygen` prints; several during a key rotation.
    /// Empty (the default): every bundle is refused. A key that is not one fails
    /// [`Qorgan::new`] with [`QorganError::InvalidConfig`].
    #[uniffi(default = [])]
    pub bundle_keys: Vec<String>,
    /// A bundle's pins replace `pin_policy`'s for the domains the bundle names. Off by
    /// default: a bundle then adds known CAs and distrusted keys only.
    #[uniffi(default = false)]
    pub bundle_pins: bool,
    /// Bundles older than this version are refused: pass the version of the last bundle the
    /// app accepted (and stored), so that a restart does not let an older one back in.
    #[uniffi(default = 0)]
    pub bundle_min_version: u64,
}

/// Where reports reach the app. Implemented in Kotlin or Swift.
#[uniffi::export(foreign)]
pub trait ReportSink: Send + Sync {
    /// Receives one report. May be called from any thread. Throwing is reported back as
    /// [`QorganError::Callback`], never a crash.
    fn on_report(&self, report: Report) -> Result<(), QorganError>;
}

/// The engine, as apps use it. Immutable apart from the report sink and the deduplication
/// memory; share one instance across threads.
#[derive(uniffi::Object)]
pub struct Qorgan {
    engine: Engine,
    /// Trusted certificates set aside at construction (see [`Qorgan::skipped_anchors`]).
    skipped: Vec<SkippedAnchor>,
    dedup_seconds: u64,
    sink: Mutex<Option<Arc<dyn ReportSink>>>,
    recent: Mutex<HashMap<[u8; 32], i64>>,
    #[cfg(feature = "live-probe")]
    platform: once_cell::sync::OnceCell<qorgan::PlatformVerifier>,
    /// The caller's anchors, also given to the platform verifier as extra roots.
    #[cfg(feature = "live-probe")]
    trusted: Vec<Certificate>,
    /// This engine's handle for the JNI fast path, once asked for (see [`crate::native`]).
    native_handle: std::sync::OnceLock<u64>,
}

impl Drop for Qorgan {
    fn drop(&mut self) {
        if let Some(&handle) = self.native_handle.get() {
            crate::native::unregister(handle);
        }
    }
}

impl Qorgan {
    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }
}

impl std::fmt::Debug for Qorgan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Qorgan")
            .field("engine", &self.engine)
            .finish()
    }
}

fn certs_from(ders: Vec<Vec<u8>>) -> Result<Vec<Certificate>, QorganError> {
    Ok(qorgan::from_der_list(ders)?)
}

#[uniffi::export]
impl Qorgan {
    /// Builds an engine. Fails with [`QorganError::InvalidConfig`] naming the bad entry.
    #[uniffi::constructor]
    pub fn new(config: QorganConfig) -> Result<Arc<Self>, QorganError> {
        guarded("Qorgan.new", || {
            let mut anchors = Vec::with_capacity(config.trusted_certificates.len());
            // A store certificate that cannot be read is skipped, never fatal: whoever can
            // install a CA must not be able to switch Qorgan off with an odd one.
            let mut unreadable = Vec::new();
            // Each readable certificate's position in the caller's list: the engine numbers
            // what it sets aside among the certificates it was given.
            let mut positions: Vec<u32> = Vec::with_capacity(config.trusted_certificates.len());
            for (i, t) in config.trusted_certificates.into_iter().enumerate() {
                let certificate = match Certificate::from_der(t.der, i + 1) {
                    Ok(c) => c,
                    Err(e) => {
                        log::warn!("qorgan: trusted certificate #{} skipped: {e}", i + 1);
                        unreadable.push(SkippedAnchor {
                            index: u32::try_from(i + 1).unwrap_or(u32::MAX),
                            subject: String::new(),
                            spki_sha256: String::new(),
                            reason: e.to_string(),
                        });
                        continue;
                    }
                };
                anchors.push(CallerAnchor {
                    certificate,
                    user_added: t.user_added,
                });
                positions.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
            let mut allowed = Vec::new();
            for pin in &config.allowed_anchor_pins {
                allowed.push(SpkiHash::from_base64(pin).ok_or_else(|| QorganError::InvalidConfig {
                    reason: format!(
                        "allowed anchor pin {pin:?} is not a base64 SHA-256 digest (expected 44 characters like sha256/AAAA...=)"
                    ),
                })?);
            }
            let pin_policy = match &config.pin_policy {
                Some(text) => {
                    let policy =
                        PinPolicy::from_text(text).map_err(|e| QorganError::InvalidConfig {
                            reason: format!("pin policy: {e}"),
                        })?;
                    for w in policy.warnings() {
                        log::warn!("qorgan pin policy: {w}");
                    }
                    Some(policy)
                }
                None => None,
            };
            #[cfg(feature = "live-probe")]
            let trusted: Vec<Certificate> = anchors.iter().map(|a| a.certificate.clone()).collect();
            let engine = Engine::new(EngineConfig {
                anchors,
                allowed_anchors: allowed,
                platform: config.platform,
                pin_policy,
                dangerous_debug_build: config.dangerous_debug_build,
                bundle_keys: crate::bundle::parse_keys(&config.bundle_keys)?,
                bundle_pins: config.bundle_pins,
                bundle_min_version: config.bundle_min_version,
                lang: config
                    .language
                    .as_deref()
                    .and_then(qorgan::Lang::from_tag)
                    .unwrap_or_default(),
            })?;
            for a in engine.skipped_anchors() {
                let mut a = a.clone();
                a.index = usize::try_from(a.index)
                    .ok()
                    .and_then(|n| positions.get(n.wrapping_sub(1)))
                    .copied()
                    .unwrap_or(a.index);
                log::warn!(
                    "qorgan: trusted certificate #{} ({}) is not used for path building: {}",
                    a.index,
                    a.subject,
                    a.reason
                );
                unreadable.push(a);
            }
            unreadable.sort_by_key(|a| a.index);
            Ok(Arc::new(Self {
                skipped: unreadable,
                engine,
                dedup_seconds: config.report_dedup_seconds,
                sink: Mutex::new(None),
                recent: Mutex::new(HashMap::new()),
                #[cfg(feature = "live-probe")]
                platform: once_cell::sync::OnceCell::new(),
                #[cfg(feature = "live-probe")]
                trusted,
                native_handle: std::sync::OnceLock::new(),
            }))
        })
    }

    /// The trusted certificates that were set aside when this instance was built, and why: one
    /// that cannot be read at all (no key can be found in it), or one rustls-webpki cannot use
    /// as a trust anchor (its key is still classified and reported). Empty on a healthy store.
    /// Building never fails because of one certificate: log these.
    pub fn skipped_anchors(&self) -> Vec<SkippedAnchor> {
        self.skipped.clone()
    }

    /// Analyzes a chain as the server presented it (leaf first): path building with
    /// signatures, anchor class, host name and validity at `time_unix` (seconds; `None` = now).
    pub fn analyze(
        &self,
        host: Option<String>,
        chain: Vec<Vec<u8>>,
        time_unix: Option<i64>,
    ) -> Result<Verdict, QorganError> {
        guarded("analyze", || {
            let certs = certs_from(chain)?;
            Ok(self
                .engine
                .analyze_with_facts(&certs, host.as_deref(), time_unix)?)
        })
    }

    /// The fast path for a chain the platform already validated (leaf first, anchor last):
    /// known interception keys and the anchor's class, no signature checks.
    pub fn analyze_validated(
        &self,
        host: Option<String>,
        chain: Vec<Vec<u8>>,
    ) -> Result<Verdict, QorganError> {
        guarded("analyze_validated", || {
            let refs: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
            Ok(self.engine.analyze_validated(&refs, host.as_deref())?)
        })
    }

    /// This engine's handle for the Android library's native fast path
    /// (`kz.qorgan.QorganNative.checkValidated`): the same answer as
    /// `analyze_validated` followed by `verdict_is_acceptable`/`verdict_needs_report` for a
    /// clean chain, for a fraction of the cost of a call through the bindings. Always the same
    /// number for one engine; the handle does not keep the engine alive.
    pub fn native_handle(self: Arc<Self>) -> u64 {
        *self
            .native_handle
            .get_or_init(|| crate::native::register(&self))
    }

    /// Audits trust-store entries (for example AndroidCAStore's `user:` and `system:` ones).
    /// Entries that are not certificates are skipped and counted in nothing.
    pub fn audit(&self, certificates: Vec<TrustedCertificate>) -> Result<AuditReport, QorganError> {
        guarded("audit", || {
            let mut entries = Vec::new();
            for (i, t) in certificates.into_iter().enumerate() {
                let certificate = Certificate::from_der(t.der, i + 1)?;
                entries.push(CallerAnchor {
                    certificate,
                    user_added: t.user_added,
                });
            }
            Ok(self.engine.audit_store(&entries))
        })
    }

    /// Probes a host over the network: a real TLS handshake (SNI = `host`), then the chain is
    /// judged by the platform's verifier and by Qorgan. Blocking: call it from
    /// `Dispatchers.IO` or a background `Task`. The network failing is a result
    /// (`unreachable` with an error code), never an error. `connect_address` (`IP:PORT`)
    /// tests the name against a given address.
    ///
    /// Only in builds with the `live-probe` feature (the CLI, desktops, the JVM and Linux
    /// tests). The phone libraries leave rustls out: there it fails with
    /// [`QorganError::InvalidConfig`], and the checkers make the handshake with the platform's
    /// TLS and call [`Qorgan::judge_handshake`].
    pub fn probe(
        &self,
        host: String,
        port: u16,
        timeout_ms: u32,
        connect_address: Option<String>,
    ) -> Result<qorgan::ProbeResult, QorganError> {
        guarded("probe", || {
            let connect: Option<std::net::SocketAddr> = match connect_address {
                Some(a) => Some(a.parse().map_err(|_| QorganError::InvalidInput {
                    reason: format!("connect address {a:?} is not IP:PORT (for example 203.0.113.7:443 or [2001:db8::1]:443)"),
                })?),
                None => None,
            };
            #[cfg(feature = "live-probe")]
            {
                let platform = self
                    .platform
                    .get_or_init(|| qorgan::PlatformVerifier::new(&self.trusted));
                let opts = qorgan::ProbeOptions {
                    port,
                    timeout: std::time::Duration::from_millis(u64::from(timeout_ms)),
                    connect,
                };
                Ok(qorgan::probe(&self.engine, platform, &host, &opts))
            }
            #[cfg(not(feature = "live-probe"))]
            {
                let _ = (port, timeout_ms, connect);
                Err(QorganError::InvalidConfig {
                    reason: format!(
                        "cannot probe {host}: this build of Qorgan has no live probe (the phone libraries leave rustls out). Make the handshake with the platform's TLS and pass what it saw to judgeHandshake, as QorganChecker does; or build with the \"live-probe\" feature"
                    ),
                })
            }
        })
    }

    /// Judges a handshake the app made with the platform's TLS stack: the chain the server
    /// presented, what was negotiated and the operating system's own verdict (or the failure),
    /// into the same [`qorgan::ProbeResult`] a probe gives. What the phone checkers call.
    /// Fails with [`QorganError::InvalidInput`] when `host` is not a DNS name or IP address.
    pub fn judge_handshake(
        &self,
        observation: qorgan::HandshakeObservation,
    ) -> Result<qorgan::ProbeResult, QorganError> {
        guarded("judge_handshake", || {
            if pki_types::ServerName::try_from(observation.host.as_str()).is_err() {
                return Err(QorganError::InvalidInput {
                    reason: format!(
                        "host {:?} is not a DNS name or IP address (write the name as sent in SNI, for example example.com)",
                        observation.host
                    ),
                });
            }
            Ok(qorgan::judge_handshake(&self.engine, observation))
        })
    }

    /// What was risky in the pin policy when it was loaded (a single pin, expired pins, an
    /// ignored `overridePins`), one message each; empty without a policy.
    pub fn pin_policy_warnings(&self) -> Vec<String> {
        self.engine
            .pin_policy()
            .map(|p| p.warnings().iter().map(|w| w.to_string()).collect())
            .unwrap_or_default()
    }

    /// Sets (or clears) where reports go.
    pub fn set_report_sink(&self, sink: Option<Arc<dyn ReportSink>>) {
        if let Ok(mut s) = self.sink.lock() {
            *s = sink;
        }
    }

    /// Builds the report for a checked connection and delivers it to the sink, unless an
    /// identical one (same host, port, chains and result) was delivered, or is being delivered
    /// by another thread, within the deduplication window. A sink's error is returned and the
    /// report is not remembered, so the next identical one is delivered. Returns the report,
    /// delivered or not. Works for chains that
    /// failed platform validation too: pass an empty `validated_chain` (validation-result 2).
    /// The pin fields come from the policy's rule for `host`.
    pub fn report(
        &self,
        host: String,
        port: u16,
        served_chain: Vec<Vec<u8>>,
        validated_chain: Vec<Vec<u8>>,
        verdict: Verdict,
    ) -> Result<Report, QorganError> {
        let report = guarded("report", || {
            Ok(Report::new(
                host,
                port,
                &served_chain,
                &validated_chain,
                verdict,
                now_unix(),
                self.engine.pin_policy().as_deref(),
            )
            .with_bundle(self.engine.bundle_info().as_ref()))
        })?;
        // No sink: nothing is delivered, so nothing is remembered either.
        let Some(sink) = self.sink.lock().ok().and_then(|s| s.clone()) else {
            return Ok(report);
        };
        let now = now_unix();
        let key = report.dedup_key();
        let window = i64::try_from(self.dedup_seconds).unwrap_or(i64::MAX);
        let deduplicates = window > 0;
        if deduplicates {
            // Check and claim in one critical section: with a check here and a note after the
            // delivery, threads evaluating the same connection at once (an app's parallel
            // requests to one host) each saw "not yet sent" and each delivered.
            let mut recent = self.recent.lock().map_err(|_| QorganError::Internal {
                reason: "report memory poisoned".into(),
            })?;
            recent.retain(|_, t| now - *t < window);
            if recent.contains_key(&key) {
                return Ok(report);
            }
            recent.insert(key, now);
        }
        if let Err(e) = sink.on_report(report.clone()) {
            // A sink that failed gets the retry: the claim is given back.
            if deduplicates {
                if let Ok(mut recent) = self.recent.lock() {
                    recent.remove(&key);
                }
            }
            return Err(e);
        }
        Ok(report)
    }
}

/// The SPKI pin of a DER certificate, `sha256/<base64>` (OkHttp form; drop the prefix for
/// Network Security Config and TrustKit).
#[uniffi::export]
pub fn spki_pin(certificate: Vec<u8>) -> Result<String, QorganError> {
    guarded("spki_pin", || {
        Ok(Certificate::from_der(certificate, 1)?.spki_hash().pin())
    })
}

/// A probe's default time limit, DNS to handshake, in milliseconds: one value for the CLI,
/// the Android checker and the iOS checker (they once said 5 s, 5 s and 8 s).
#[uniffi::export]
pub fn default_probe_timeout_ms() -> u32 {
    qorgan::DEFAULT_PROBE_TIMEOUT_MS
}

/// The default probe targets: the domains Kazakhstan intercepted in 2019 and 2021-2024, and a
/// few controls.
#[uniffi::export]
pub fn default_probe_targets() -> Vec<qorgan::Target> {
    qorgan::default_targets()
}

/// The checker's screen model from an audit of the device's store (when one could be made)
/// and the probes: an overall status, each finding in plain language, and what to do, in
/// `language` (a language tag or locale such as `kk`, `ru-RU`; `None` or a language Qorgan
/// does not speak: English).
#[uniffi::export(default(language = None))]
pub fn summarize_check(
    audit: Option<AuditReport>,
    probes: Vec<qorgan::ProbeResult>,
    platform: qorgan::DevicePlatform,
    language: Option<String>,
) -> qorgan::CheckerReport {
    let lang = language
        .as_deref()
        .and_then(qorgan::Lang::from_tag)
        .unwrap_or_default();
    qorgan::checker_report_in(audit.as_ref(), &probes, platform, lang)
}

/// The stable snake_case code of a finding (`known_interception_ca`, `rsa_exponent_3`, ...),
/// as in JSON and reports.
#[uniffi::export]
pub fn finding_code_name(code: qorgan::FindingCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The snake_case name of a verdict (`trusted`, `intercepted_known`, ...).
#[uniffi::export]
pub fn verdict_kind_name(verdict: qorgan::VerdictKind) -> String {
    verdict.as_str().to_string()
}

/// Every fact of a DER certificate.
#[uniffi::export]
pub fn certificate_facts(certificate: Vec<u8>) -> Result<CertificateFacts, QorganError> {
    guarded("certificate_facts", || {
        let c = Certificate::from_der(certificate, 1)?;
        Ok(CertificateFacts::of(&c, 1)?)
    })
}

/// Whether an app may let this connection through in enforce mode: everything but a clean
/// public chain, or a non-public anchor the app owner explicitly allows, is refused.
#[uniffi::export]
pub fn verdict_is_acceptable(verdict: Verdict) -> bool {
    verdict.is_acceptable()
}

/// Whether a connection with this verdict should produce a report: anything but a clean
/// trusted chain, including a report-only pin mismatch (which leaves the verdict `trusted`).
#[uniffi::export]
pub fn verdict_needs_report(verdict: Verdict) -> bool {
    verdict.needs_report()
}

/// Deliberately fails inside the engine, so that apps and tests can check that an internal
/// failure reaches them as a typed error (and that enforce mode fails closed on it).
#[uniffi::export]
pub fn simulate_internal_failure() -> Result<(), QorganError> {
    guarded("simulate_internal_failure", || {
        let empty: Vec<u8> = Vec::new();
        // An out-of-bounds index: a real panic, caught at the boundary.
        let _ = empty[usize::from(empty.is_empty())];
        Ok(())
    })
}

//! The engine: anchors fixed at construction, then `analyze`, `analyze_validated` and `audit`.
//!
//! An [`Engine`] is immutable after [`Engine::new`] apart from a bounded memo of certificate
//! readings and the knowledge a signed bundle adds ([`Engine::apply_bundle`], swapped in
//! atomically), so one instance can be shared by every thread of an app (it is `Send + Sync`).
//!
//! One concern a module:
//! - [`chain`]: the presented chain read, its leaf first, and the path a verdict reports;
//! - [`path`]: path building with rustls-webpki, and where a chain it refuses leads;
//! - [`local`]: a caller's anchor found by signatures alone when path building reaches none;
//! - [`classify`]: what an anchor is (its class, name, the caller's and the app's word);
//! - [`known_cas`]: known interception, government and blocked CAs, by key, signature and name;
//! - [`knowledge`]: what a signed bundle adds to the built-in tables, swapped in atomically;
//! - [`checks`]: the leaf's host name and key usage, the dates, the forged-certificate hints;
//! - [`pins`]: the app's pins on the validated path;
//! - [`validated`]: the per-handshake fast path for a chain the platform validated;
//! - [`memo`]: the memo of typed certificate readings;
//! - [`messages`]: the sentences of the findings.
//!
//! The verdict itself follows from the findings and the anchor by one precedence,
//! [`VerdictKind::decide`].

mod chain;
mod checks;
mod classify;
mod knowledge;
mod known_cas;
mod local;
mod memo;
pub(crate) mod messages;
mod path;
mod pins;
mod validated;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use pki_types::TrustAnchor;
use webpki::EndEntityCert;

use self::classify::{anchor_findings, AnchorRef};
pub(crate) use self::knowledge::Knowledge;
use self::known_cas::{impersonation, known_keys, known_signers};
use self::memo::InfoMemo;
use crate::anchors::anchor_spki_hash;
use crate::anchors::programs::PlatformView;
use crate::bundle::BundleKey;
use crate::cert::{Certificate, SpkiHash, SpkiHashMap};
use crate::cert_info::CertInfo;
use crate::error::Error;
use crate::i18n::Lang;
use crate::pinning::PinPolicy;
use crate::spki_memo::SpkiMemo;
use crate::verdict::{Verdict, VerdictKind};

/// An anchor the caller trusts: the device store, an enterprise store, a test store.
#[derive(Debug, Clone)]
pub struct CallerAnchor {
    /// The anchor certificate.
    pub certificate: Certificate,
    /// The platform's own word that the user installed it (Android's `user:` aliases and
    /// `isUserAddedCertificate`): it wins over the tables. `false` when unknown.
    pub user_added: bool,
}

impl CallerAnchor {
    /// An anchor with no platform information (`--trust`, an enterprise store, tests).
    pub fn new(certificate: Certificate) -> Self {
        Self {
            certificate,
            user_added: false,
        }
    }
}

/// How an [`Engine`] is set up.
#[derive(Debug, Clone, Default)]
pub struct EngineConfig {
    /// Anchors the device or caller trusts besides the bundled public ones.
    pub anchors: Vec<CallerAnchor>,
    /// Non-public anchors the app owner accepts (an enterprise proxy), by key. A chain to one
    /// is still reported as `intercepted_local`, with [`AnchorInfo::allowed`] set.
    pub allowed_anchors: Vec<SpkiHash>,
    /// Whose idea of "public" applies.
    pub platform: PlatformView,
    /// The app's pins, checked on the validated chain by [`Engine::analyze`] and
    /// [`Engine::analyze_validated`] when a host is given. Its allowed anchors act like
    /// [`EngineConfig::allowed_anchors`] for the hosts they apply to.
    pub pin_policy: Option<PinPolicy>,
    /// The language of the findings' messages (codes stay English). Default: English.
    pub lang: Lang,
    /// **Dangerous.** The app is a debug build: lets a policy's `<debug-overrides>` with
    /// `overridePins="true"` bypass pins for its anchors (mismatches are still reported, at
    /// warning severity). Without an explicit `overridePins="true"` in the policy this flag
    /// does nothing. Never set it in a release build.
    pub dangerous_debug_build: bool,
    /// The public keys signed bundles are accepted from ([`Engine::apply_bundle`]); several
    /// during a key rotation. Empty: every bundle is refused.
    pub bundle_keys: Vec<BundleKey>,
    /// A bundle's pins replace [`EngineConfig::pin_policy`]'s for the domains the bundle names.
    /// Off by default: a bundle then adds CAs and distrusted keys only.
    pub bundle_pins: bool,
    /// Bundles older than this version are refused even before any was applied: the app
    /// stores the version (and bytes) of the last bundle it accepted and passes it here at the
    /// next start, so that a restart does not let an older bundle back in. Default 0.
    pub bundle_min_version: u64,
}

struct CallerMeta {
    user_added: bool,
    subject: String,
}

/// The detection engine. Cheap to share; build once.
pub struct Engine {
    caller: SpkiHashMap<CallerMeta>,
    allowed: Vec<SpkiHash>,
    platform: PlatformView,
    /// Path-building anchors: known CAs first (so a chain that reaches one is named), then the
    /// public programs (these two are [`crate::anchors::BUNDLED`], in its order), then the
    /// caller's.
    anchors: Vec<TrustAnchor<'static>>,
    /// The key hash of each of `anchors`, at the same index: path building names the anchor it
    /// reached by reference, and hashing its key again cost a SHA-256 (and an allocation) per
    /// [`Engine::analyze`]. See [`path::CandidateAnchors::key_of`].
    anchor_keys: Vec<SpkiHash>,
    /// The key hash of every anchor the engine knows: bundled, the caller's, and the caller's
    /// that path building cannot use ([`Engine::skipped_anchors`]). A validated chain whose last
    /// certificate carries one of these keys ends at that anchor.
    anchor_set: SpkiHashMap<()>,
    /// Caller anchors rustls-webpki refuses as trust anchors, and why (see [`SkippedAnchor`]).
    skipped: Vec<SkippedAnchor>,
    /// The certificates of `skipped`, at the same index.
    skipped_certs: Vec<Certificate>,
    /// Every anchor by its subject compared as RFC 5280 compares names, built on first use:
    /// where a name is used to find a candidate parent anchor (whose signature then decides).
    by_comparable_name: OnceLock<HashMap<Vec<u8>, Vec<AnchorRef>>>,
    /// Typed readings of certificates analysed before, by key and exact DER. See [`InfoMemo`].
    info_memo: InfoMemo,
    /// Key hashes of the keys seen by the per-handshake checks. See [`SpkiMemo`].
    spki_memo: SpkiMemo,
    /// The parent anchor found by signature for the last certificate of a validated chain that
    /// stops below its anchor, by that certificate's exact DER (see
    /// [`Engine::validated_anchor`]): a signature check is not repeated on every handshake to
    /// the same server. A function of the bytes and the engine's anchors, so a hit answers
    /// exactly what the check would; bounded, emptied when full.
    parent_memo: std::sync::Mutex<HashMap<Vec<u8>, Option<SpkiHash>>>,
    /// The app's own pins ([`EngineConfig::pin_policy`]); those in force are the knowledge's.
    app_pins: Option<Arc<PinPolicy>>,
    /// The built-in tables and what the bundle in use adds, replaced whole by
    /// [`Engine::apply_bundle`]. See [`knowledge`].
    knowledge: RwLock<Arc<Knowledge>>,
    bundle_keys: Vec<BundleKey>,
    bundle_pins: bool,
    bundle_min_version: u64,
    dangerous_debug_build: bool,
    lang: Lang,
}

/// A trusted certificate that rustls-webpki cannot use as a trust anchor (a duplicate
/// extension, an unsupported key, an odd encoding), so path building does without it.
///
/// Its key still counts: it is classified (non-public, user-added when the platform says so),
/// a validated chain that ends at it is judged by it, and a certificate it verifiably signed
/// leads to it. Whoever can install a CA must not be able to switch Qorgan off, or hide from
/// it, by installing an odd one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SkippedAnchor {
    /// Its position among the caller's anchors, from 1.
    pub index: u32,
    /// Its subject (empty when the certificate could not be read at all).
    pub subject: String,
    /// SHA-256 of its key, hex (empty when the certificate could not be read at all).
    pub spki_sha256: String,
    /// Why it was set aside.
    pub reason: String,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("caller_anchors", &self.caller.len())
            .field("platform", &self.platform)
            .field("pin_rules", &self.pin_policy().map(|p| p.rules().len()))
            .field("bundle", &self.bundle_info().map(|b| b.version))
            .field("dangerous_debug_build", &self.dangerous_debug_build)
            .finish()
    }
}

/// Seconds since the Unix epoch, now.
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl Engine {
    /// Builds an engine. Caller anchors that cannot serve as anchors are refused with an error
    /// naming them.
    pub fn new(config: EngineConfig) -> Result<Self, Error> {
        // The bundled anchors borrow static data: this copy allocates nothing per anchor.
        let (mut anchors, mut anchor_keys): (Vec<TrustAnchor<'static>>, Vec<SpkiHash>) =
            crate::anchors::BUNDLED
                .iter()
                .map(|(a, spki)| (a.clone(), *spki))
                .unzip();
        let mut caller = SpkiHashMap::default();
        let mut skipped = Vec::new();
        let mut skipped_certs = Vec::new();
        for (i, a) in config.anchors.iter().enumerate() {
            let subject = CertInfo::read(&a.certificate)
                .unwrap_or_else(|_| CertInfo::unreadable(&a.certificate))
                .display_name(&a.certificate);
            match webpki::anchor_from_trusted_cert(a.certificate.der()) {
                Ok(ta) => {
                    let ta = ta.to_owned();
                    let key = anchor_spki_hash(&ta.subject_public_key_info);
                    anchors.push(ta);
                    anchor_keys.push(key);
                }
                Err(e) => {
                    // Skipped for path building only: see SkippedAnchor.
                    log::warn!("trusted certificate #{} ({subject}) cannot be a trust anchor for path building: {e}", i + 1);
                    skipped.push(SkippedAnchor {
                        index: u32::try_from(i + 1).unwrap_or(u32::MAX),
                        subject: subject.clone(),
                        spki_sha256: a.certificate.spki_hash().hex(),
                        reason: e.to_string(),
                    });
                    skipped_certs.push(a.certificate.clone());
                }
            }
            caller.insert(
                a.certificate.spki_hash(),
                CallerMeta {
                    user_added: a.user_added,
                    subject,
                },
            );
        }
        let anchor_set = anchor_keys
            .iter()
            .copied()
            .chain(skipped_certs.iter().map(Certificate::spki_hash))
            .map(|k| (k, ()))
            .collect();
        let app_pins = config.pin_policy.map(Arc::new);
        Ok(Self {
            caller,
            allowed: config.allowed_anchors,
            platform: config.platform,
            anchors,
            anchor_keys,
            anchor_set,
            skipped,
            skipped_certs,
            by_comparable_name: OnceLock::new(),
            info_memo: InfoMemo::new(),
            spki_memo: SpkiMemo::new(),
            parent_memo: std::sync::Mutex::new(HashMap::new()),
            knowledge: RwLock::new(Arc::new(Knowledge::built_in(app_pins.clone()))),
            app_pins,
            bundle_keys: config.bundle_keys,
            bundle_pins: config.bundle_pins,
            bundle_min_version: config.bundle_min_version,
            dangerous_debug_build: config.dangerous_debug_build,
            lang: config.lang,
        })
    }

    /// The caller's anchors that path building does without (see [`SkippedAnchor`]): the
    /// engine still classifies and reports them. Apps log these; the CLI prints them.
    pub fn skipped_anchors(&self) -> &[SkippedAnchor] {
        &self.skipped
    }

    /// The pin policy the engine checks now, if any: the app's, with a bundle's pins for the
    /// domains it names when [`EngineConfig::bundle_pins`] is set.
    pub fn pin_policy(&self) -> Option<Arc<PinPolicy>> {
        self.knowledge().pins.clone()
    }

    /// Forgets the readings of the certificates analysed so far (the memo behind
    /// [`Engine::analyze`] holds at most 128; this frees them now, for example on a low-memory
    /// warning). Results never depend on it.
    pub fn clear_memo(&self) {
        self.info_memo.clear();
        self.spki_memo.clear();
        if let Ok(mut m) = self.parent_memo.lock() {
            m.clear();
        }
    }

    /// Analyzes a chain as presented by a server (leaf first; the rest may be unordered,
    /// incomplete or padded): builds a path with signatures checked, classifies its anchor,
    /// checks the host name and validity at `time` (seconds since the epoch; `None` = now).
    ///
    /// The path's entries carry no facts (`facts` is `None`): a caller that acts on the
    /// verdict shows no certificate, and the certificates' display text (names, SANs, SCT log
    /// IDs, extension names, fingerprints) is then made only for a finding that needs it. For a
    /// person's view of the path, [`Engine::analyze_with_facts`].
    pub fn analyze(
        &self,
        chain: &[Certificate],
        host: Option<&str>,
        time: Option<i64>,
    ) -> Result<Verdict, Error> {
        self.analyze_unsaid(&self.knowledge(), chain, host, time, false)
            .map(|v| self.said(v))
    }

    /// [`Engine::analyze`], and each path entry with its certificate's facts (what the CLI,
    /// JSON and a UI show). The verdict and findings are the same.
    pub fn analyze_with_facts(
        &self,
        chain: &[Certificate],
        host: Option<&str>,
        time: Option<i64>,
    ) -> Result<Verdict, Error> {
        self.analyze_unsaid(&self.knowledge(), chain, host, time, true)
            .map(|v| self.said(v))
    }

    /// The engine's language ([`EngineConfig::lang`]).
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// A finding said in the engine's language.
    pub(crate) fn finding(
        &self,
        code: crate::verdict::FindingCode,
        severity: crate::verdict::Severity,
        message: crate::i18n::Message,
    ) -> crate::verdict::Finding {
        let mut f = crate::verdict::Finding::new(code, severity, message);
        if self.lang != Lang::En {
            f.localize(self.lang);
        }
        f
    }

    /// `v` with its findings said in the engine's language (they are made in English).
    pub(crate) fn said(&self, mut v: Verdict) -> Verdict {
        if self.lang != Lang::En {
            v.localize(self.lang);
        }
        v
    }

    /// [`Engine::analyze`] with the findings in English, for callers that add findings of
    /// their own before saying them all ([`Engine::analyze_presented`]); the path's facts with
    /// `with_facts`; known CAs, distrusted keys and pins from `k`.
    pub(crate) fn analyze_unsaid(
        &self,
        k: &Knowledge,
        chain: &[Certificate],
        host: Option<&str>,
        time: Option<i64>,
        with_facts: bool,
    ) -> Result<Verdict, Error> {
        let t = time.unwrap_or_else(now_unix);
        last_index(chain.len())?;
        let mut findings = Vec::new();
        let presented = self.read_chain(chain, &mut findings, with_facts);
        let server_name = checks::server_name(host)?;
        let certs = &presented.certs;

        // 1. Build a path, signatures checked. Time problems are retried at a time the leaf is
        //    valid, so that an expired chain still shows where it leads.
        // The leaf as webpki sees it, parsed once for path building and the host name.
        let ee = EndEntityCert::try_from(certs[0].der());
        let mut built = self.build_path(&presented, ee.as_ref(), t, &mut findings);

        // 2. The anchor and what kind it is.
        let anchor = built
            .as_ref()
            .map(|b| self.reached_anchor(k, b, &presented, host));

        // 3. Every key of the chain and the anchor against the known-CA list (Chrome does this
        //    for every SPKI, not just the root).
        known_keys(
            k,
            &presented,
            built.as_ref(),
            anchor.as_ref(),
            &mut findings,
        );

        // 3b. A certificate signed by a known CA that path building could not reach (the root
        //     not sent and not installed, or a legacy 1024-bit key): verified by signature.
        let signers = known_signers(k, &presented, &mut findings);
        // The known CA that signed, as the anchor, when path building reached none.
        let mut anchor = anchor.or_else(|| {
            let spki = signers.first?;
            Some(self.anchor_info(k, spki, || messages::unnamed_anchor(&spki)))
        });

        // 3c. A local anchor that verifiably signed the leaf or a certificate leading to it,
        //     when path building reached nothing: an anchor rustls-webpki cannot use, or a
        //     path-building budget spent on decoys, must not turn interception into "untrusted".
        if anchor.is_none() {
            if let Some((local, a)) = self.local_anchor(k, certs, host, &mut findings) {
                anchor = Some(a);
                built = Some(local);
            }
        }

        // 4. Names of known interception CAs on other keys.
        impersonation(k, &presented, anchor.as_ref(), signers.any, &mut findings);

        // 5. The anchor's class.
        if let Some(a) = &anchor {
            anchor_findings(a, &mut findings);
        }

        // 6. The host name, and the leaf's key usage.
        checks::host_name(
            ee.as_ref(),
            host,
            server_name.as_ref(),
            &presented,
            &mut findings,
        );
        checks::leaf_key_usage(&presented, &mut findings);

        // 7. Validity and hints from the certificates themselves.
        checks::dates(&presented, built.as_ref(), t, &mut findings);
        checks::hints(&presented, built.as_ref(), anchor.as_ref(), &mut findings);

        // 8. Pins, on the path that was built and verified at `t`.
        self.path_pins(
            k.pins.as_deref().zip(host),
            &presented,
            built.as_ref(),
            anchor.as_ref(),
            t,
            &mut findings,
        );

        // 9. The verdict, by the documented precedence.
        let verdict = VerdictKind::decide(&findings, anchor.as_ref());
        Verdict::sort_findings(&mut findings);
        let path =
            chain::build_path_entries(&presented, built.as_ref(), anchor.as_ref(), with_facts);
        Ok(Verdict {
            verdict,
            host: host.map(str::to_string),
            findings,
            path,
            anchor,
            time: t,
        })
    }
}

/// The index of a validated chain's last certificate, or the error for an empty or overlong one.
fn last_index(len: usize) -> Result<usize, Error> {
    if len > crate::error::MAX_CHAIN_CERTIFICATES {
        return Err(Error::ChainTooLong {
            count: len,
            limit: crate::error::MAX_CHAIN_CERTIFICATES,
        });
    }
    len.checked_sub(1).ok_or(Error::Empty)
}

//! The engine: anchors fixed at construction, then `analyze`, `analyze_validated` and `audit`.
//!
//! An [`Engine`] is immutable after [`Engine::new`] apart from a bounded memo of certificate
//! facts, so one instance can be shared by every thread of an app (it is `Send + Sync`).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use pki_types::{CertificateDer, Der, ServerName, TrustAnchor, UnixTime};
use webpki::{EndEntityCert, KeyUsage};

use crate::anchors::anchor_spki_hash;
use crate::anchors::known::{self, KnownCaCategory};
use crate::anchors::programs::{self, PlatformView};
use crate::cert::{Certificate, SpkiHash, SpkiHashMap};
use crate::der::CertLayout;
use crate::error::Error;
use crate::facts::{CertificateFacts, PackedFacts};
use crate::pinning::{check_pins, ChainKey, PinPolicy, PinResult};
use crate::spki_memo::SpkiMemo;
use crate::verdict::{
    known_category_severity, AnchorClass, AnchorInfo, Finding, FindingCode, PathEntry, PathRole,
    Severity, Verdict, VerdictKind,
};

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
    /// **Dangerous.** The app is a debug build: lets a policy's `<debug-overrides>` with
    /// `overridePins="true"` bypass pins for its anchors (mismatches are still reported, at
    /// warning severity). Without an explicit `overridePins="true"` in the policy this flag
    /// does nothing. Never set it in a release build.
    pub dangerous_debug_build: bool,
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
    /// [`Engine::analyze`]. See [`CandidateAnchors::key_of`].
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
    /// Facts of certificates analysed before, by key and exact DER. See [`FactsMemo`].
    facts_memo: FactsMemo,
    /// Key hashes of the keys seen by the per-handshake checks. See [`SpkiMemo`].
    spki_memo: SpkiMemo,
    pin_policy: Option<PinPolicy>,
    dangerous_debug_build: bool,
}

/// A trusted certificate that rustls-webpki cannot use as a trust anchor (a duplicate
/// extension, an unsupported key, an odd encoding), so path building does without it.
///
/// Its key still counts: it is classified (non-public, user-added when the platform says so),
/// a validated chain that ends at it is judged by it, and a certificate it verifiably signed
/// leads to it. Whoever can install a CA must not be able to switch Qorgan off, or hide from
/// it, by installing an odd one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
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

/// One of the engine's anchors: a path-building one (index into `anchors`) or a skipped one
/// (index into `skipped_certs`).
#[derive(Debug, Clone, Copy)]
enum AnchorRef {
    Path(usize),
    Skipped(usize),
}

/// The anchors path building is given for one chain ([`Engine::candidate_anchors`]), borrowed
/// from the engine's, with their key hashes.
struct CandidateAnchors<'a> {
    anchors: Vec<TrustAnchor<'a>>,
    /// The key hash of each of `anchors`, at the same index.
    keys: Vec<SpkiHash>,
}

impl CandidateAnchors<'_> {
    /// The key hash of `anchor`, which path building returned: one of these (looked up by
    /// reference; the key is hashed only if it is not).
    fn key_of(&self, anchor: &TrustAnchor<'_>) -> SpkiHash {
        match self.anchors.iter().position(|a| std::ptr::eq(a, anchor)) {
            Some(i) => self.keys[i],
            None => anchor_spki_hash(&anchor.subject_public_key_info),
        }
    }
}

/// Facts of recently analysed certificates (with their issuer's common name), by key hash and
/// then by the exact DER: facts are a function of the bytes alone, so a hit returns exactly what
/// a parse would. An app meets the same intermediates and its own servers' leaves over and
/// over, and the full X.509 parse behind the facts is the largest cost of [`Engine::analyze`]
/// after signature checks. Bounded: when full it is emptied and starts again.
struct FactsMemo {
    map: Mutex<MemoMap>,
    capacity: usize,
}

#[derive(Default)]
struct MemoMap {
    by_key: HashMap<SpkiHash, Vec<MemoEntry>>,
    len: usize,
}

struct MemoEntry {
    der: Vec<u8>,
    /// The facts and the issuer's common name.
    facts: PackedFacts,
}

impl FactsMemo {
    /// At most this many certificates (a few KB each).
    const CAPACITY: usize = 128;

    fn new() -> Self {
        Self::with_capacity(Self::CAPACITY)
    }

    fn with_capacity(capacity: usize) -> Self {
        Self {
            map: Mutex::new(MemoMap::default()),
            capacity,
        }
    }

    fn clear(&self) {
        if let Ok(mut m) = self.map.lock() {
            *m = MemoMap::default();
        }
    }

    /// The facts of `cert` and its issuer's common name. `index` (from 1) names it in errors,
    /// which are not remembered.
    fn facts(
        &self,
        cert: &Certificate,
        index: usize,
    ) -> Result<(CertificateFacts, Option<String>), Error> {
        let der: &[u8] = cert.der();
        let key = cert.spki_hash();
        if let Ok(m) = self.map.lock() {
            if let Some(e) = m
                .by_key
                .get(&key)
                .and_then(|v| v.iter().find(|e| e.der == der))
            {
                return Ok(e.facts.unpack());
            }
        }
        let (facts, issuer_cn) = CertificateFacts::with_issuer_cn(cert, index)?;
        if let Ok(mut m) = self.map.lock() {
            if m.len >= self.capacity {
                *m = MemoMap::default();
            }
            m.by_key.entry(key).or_default().push(MemoEntry {
                der: der.to_vec(),
                facts: PackedFacts::new(&facts, issuer_cn.as_deref()),
            });
            m.len += 1;
        }
        Ok((facts, issuer_cn))
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("caller_anchors", &self.caller.len())
            .field("platform", &self.platform)
            .field(
                "pin_rules",
                &self.pin_policy.as_ref().map(|p| p.rules().len()),
            )
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

fn unix_time(t: i64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(u64::try_from(t).unwrap_or(0)))
}

fn strip_header(der: &[u8]) -> &[u8] {
    match crate::der::read_tlv(der) {
        Ok(t) => &der[t.header..t.total()],
        Err(_) => der,
    }
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
            let subject = CertificateFacts::of(&a.certificate, i + 1)
                .map(|f| f.display_name())
                .unwrap_or_else(|_| {
                    CertificateFacts::unreadable(&a.certificate)
                        .0
                        .display_name()
                });
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
            facts_memo: FactsMemo::new(),
            spki_memo: SpkiMemo::new(),
            pin_policy: config.pin_policy,
            dangerous_debug_build: config.dangerous_debug_build,
        })
    }

    /// The caller's anchors that path building does without (see [`SkippedAnchor`]): the
    /// engine still classifies and reports them. Apps log these; the CLI prints them.
    pub fn skipped_anchors(&self) -> &[SkippedAnchor] {
        &self.skipped
    }

    /// The caller's anchor that is not a public root and verifiably signed the leaf or a
    /// presented certificate that verifiably signed it, and so on up (a path checked by
    /// signatures alone, for a chain path building could not take to any anchor); the leaf
    /// itself when it is one.
    ///
    /// Neither the order of the anchors nor that of the chain decides: among the anchors found,
    /// the most severe class wins, then the lowest key hash; the walk visits certificates by
    /// key hash; at most [`LOCAL_SIGNER_CHECKS`] signatures are checked.
    fn local_signer(&self, chain: &[Certificate]) -> Option<Built> {
        let local = |k: &SpkiHash| {
            self.caller.contains_key(k) && self.anchor_class(k) != AnchorClass::PublicRoot
        };
        let rank = |k: &SpkiHash| match self.anchor_class(k) {
            AnchorClass::KnownInterception => 3,
            AnchorClass::Distrusted => 2,
            _ => 1,
        };
        let mut best: Option<(u8, SpkiHash, usize)> = None;
        let mut consider = |k: SpkiHash, at: usize| {
            let r = rank(&k);
            if best
                .is_none_or(|(br, bk, _)| (r, std::cmp::Reverse(k)) > (br, std::cmp::Reverse(bk)))
            {
                best = Some((r, k, at));
            }
        };
        if local(&chain[0].spki_hash()) {
            consider(chain[0].spki_hash(), 0);
        }
        // Breadth first from the leaf; `parent[i]` is the certificate i signed.
        let mut parent: Vec<Option<usize>> = vec![None; chain.len()];
        let mut reached = vec![false; chain.len()];
        reached[0] = true;
        let mut queue = vec![0usize];
        let mut checks = 0usize;
        while let Some(i) = queue.pop() {
            let cert = &chain[i];
            for &r in self.anchors_named(cert.issuer_der()) {
                let (spki, key) = self.anchor_key(r);
                if !local(&key) || checks >= LOCAL_SIGNER_CHECKS {
                    continue;
                }
                checks += 1;
                if crate::x509::signed_by(cert.der(), &spki) {
                    consider(key, i);
                }
            }
            let issuer = crate::x509::comparable_name(cert.issuer_der());
            let mut next: Vec<usize> = (0..chain.len())
                .filter(|&j| !reached[j])
                .filter(|&j| crate::x509::comparable_name(chain[j].subject_der()) == issuer)
                .collect();
            next.sort_by_key(|&j| (chain[j].spki_hash(), chain[j].fingerprint()));
            next.dedup_by_key(|j| chain[*j].fingerprint());
            for j in next {
                if checks >= LOCAL_SIGNER_CHECKS {
                    break;
                }
                checks += 1;
                if crate::x509::signed_by(cert.der(), chain[j].spki_der()) {
                    reached[j] = true;
                    parent[j] = Some(i);
                    if local(&chain[j].spki_hash()) {
                        consider(chain[j].spki_hash(), j);
                    }
                    queue.insert(0, j);
                }
            }
        }
        let (_, anchor_spki, at) = best?;
        let mut path_indices = vec![at];
        while let Some(p) = parent[*path_indices.last()?] {
            path_indices.push(p);
        }
        path_indices.reverse();
        let anchor_index = (chain[at].spki_hash() == anchor_spki).then_some(at);
        if anchor_index.is_some() && at != 0 {
            path_indices.pop();
        }
        Some(Built {
            anchor_spki,
            anchor_index,
            path_indices,
            weak_only: false,
            verified_at_t: false,
        })
    }

    /// The DER SubjectPublicKeyInfo and key hash of an anchor.
    fn anchor_key(&self, r: AnchorRef) -> (std::borrow::Cow<'_, [u8]>, SpkiHash) {
        match r {
            AnchorRef::Path(i) => (
                std::borrow::Cow::Owned(crate::anchors::sequence_of(
                    self.anchors[i].subject_public_key_info.as_ref(),
                )),
                self.anchor_keys[i],
            ),
            AnchorRef::Skipped(i) => (
                std::borrow::Cow::Borrowed(self.skipped_certs[i].spki_der()),
                self.skipped_certs[i].spki_hash(),
            ),
        }
    }

    /// The anchors whose subject is `issuer` (a DER Name, tag included), compared as RFC 5280
    /// compares names; in the engine's order, skipped caller anchors last.
    fn anchors_named(&self, issuer: &[u8]) -> &[AnchorRef] {
        let index = self.by_comparable_name.get_or_init(|| {
            let mut index: HashMap<Vec<u8>, Vec<AnchorRef>> = HashMap::new();
            for (i, a) in self.anchors.iter().enumerate() {
                let der = crate::anchors::sequence_of(a.subject.as_ref());
                index
                    .entry(crate::x509::comparable_name(&der))
                    .or_default()
                    .push(AnchorRef::Path(i));
            }
            for (i, c) in self.skipped_certs.iter().enumerate() {
                index
                    .entry(crate::x509::comparable_name(c.subject_der()))
                    .or_default()
                    .push(AnchorRef::Skipped(i));
            }
            index
        });
        index
            .get(&crate::x509::comparable_name(issuer))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The anchor that verifiably signed `cert_der` (whose issuer is `issuer`, a DER Name):
    /// found by name, decided by signature with any algorithm and key size a platform accepts.
    /// `accept` filters the candidates by key hash before any signature is checked.
    fn parent_anchor(
        &self,
        cert_der: &[u8],
        issuer: &[u8],
        accept: impl Fn(&SpkiHash) -> bool,
    ) -> Option<SpkiHash> {
        self.anchors_named(issuer).iter().find_map(|&r| {
            let (spki, key) = self.anchor_key(r);
            (accept(&key) && crate::x509::signed_by(cert_der, &spki)).then_some(key)
        })
    }

    /// The pin policy the engine checks, if any.
    pub fn pin_policy(&self) -> Option<&PinPolicy> {
        self.pin_policy.as_ref()
    }

    /// Marks the anchor allowed when the pin policy accepts it for `host`.
    fn apply_policy_anchors(&self, anchor: &mut AnchorInfo, spki: SpkiHash, host: Option<&str>) {
        if let (Some(p), Some(h)) = (&self.pin_policy, host) {
            if p.allowed_anchors_for(h).contains(&spki) {
                anchor.allowed = true;
            }
        }
    }

    /// Forgets the facts of the certificates analysed so far (the memo behind
    /// [`Engine::analyze`] holds at most 128; this frees them now, for example on a low-memory
    /// warning). Results never depend on it.
    pub fn clear_memo(&self) {
        self.facts_memo.clear();
        self.spki_memo.clear();
    }

    /// The class of the anchor with this key: one rule for every verdict and for
    /// [`Engine::validated_clean`].
    fn anchor_class(&self, spki: &SpkiHash) -> AnchorClass {
        let user_added = self.caller.get(spki).is_some_and(|c| c.user_added);
        if known::is_interception(spki) {
            AnchorClass::KnownInterception
        } else if programs::is_distrusted(spki) {
            AnchorClass::Distrusted
        } else if !user_added && programs::is_public(spki, self.platform) {
            AnchorClass::PublicRoot
        } else {
            AnchorClass::NonPublicRoot
        }
    }

    /// Describes the anchor with this key.
    fn anchor_info(&self, spki: SpkiHash, subject_hint: impl FnOnce() -> String) -> AnchorInfo {
        let known = known::lookup(&spki);
        let distrusted = programs::distrusted(&spki);
        let caller = self.caller.get(&spki);
        let user_added = caller.map(|c| c.user_added).unwrap_or(false);
        let programs = programs::programs_of(&spki);
        let class = self.anchor_class(&spki);
        // Named by the caller's certificate, the program, the known-CA entry, then the anchor
        // certificate: never by a leaf that merely carries the anchor's key.
        let subject = match (caller, programs::program_root_name(&spki), &known) {
            (Some(c), _, _) => c.subject.clone(),
            (None, Some(name), _) => name.to_string(),
            (None, None, Some(k)) => k.label.clone(),
            (None, None, None) => subject_hint(),
        };
        AnchorInfo {
            subject,
            spki_sha256: spki.hex(),
            spki_sha256_b64: spki.base64(),
            class,
            programs,
            known,
            distrusted,
            from_caller: caller.is_some(),
            user_added,
            allowed: self.allowed.contains(&spki),
        }
    }

    /// Analyzes a chain as presented by a server (leaf first; the rest may be unordered,
    /// incomplete or padded): builds a path with signatures checked, classifies its anchor,
    /// checks the host name and validity at `time` (seconds since the epoch; `None` = now).
    pub fn analyze(
        &self,
        chain: &[Certificate],
        host: Option<&str>,
        time: Option<i64>,
    ) -> Result<Verdict, Error> {
        let t = time.unwrap_or_else(now_unix);
        if chain.is_empty() {
            return Err(Error::Empty);
        }
        if chain.len() > crate::error::MAX_CHAIN_CERTIFICATES {
            return Err(Error::ChainTooLong {
                count: chain.len(),
                limit: crate::error::MAX_CHAIN_CERTIFICATES,
            });
        }
        // A certificate whose facts cannot be read stays in the analysis with a placeholder:
        // its key is looked up like any other (see CertificateFacts::unreadable).
        let mut unreadable = Vec::new();
        let (facts, issuer_cns): (Vec<CertificateFacts>, Vec<Option<String>>) = chain
            .iter()
            .enumerate()
            .map(|(i, c)| {
                self.facts_memo.facts(c, i + 1).unwrap_or_else(|e| {
                    unreadable.push((i, e));
                    CertificateFacts::unreadable(c)
                })
            })
            .unzip();
        let unreadable_findings: Vec<Finding> = unreadable
            .iter()
            .map(|(i, e)| {
                let name = facts[*i].display_name();
                Finding::new(
                    FindingCode::UnreadableCertificate,
                    Severity::Warning,
                    format!("{name} could not be read in full ({e}); its key was still checked."),
                )
                .about(name)
            })
            .collect();
        let (reordered, facts, issuer_cns) = match leaf_first(chain, &facts) {
            Some(order) => (
                Some(order.iter().map(|&i| chain[i].clone()).collect::<Vec<_>>()),
                order.iter().map(|&i| facts[i].clone()).collect(),
                order.iter().map(|&i| issuer_cns[i].clone()).collect(),
            ),
            None => (None, facts, issuer_cns),
        };
        let chain: &[Certificate] = reordered.as_deref().unwrap_or(chain);
        let leaf = &chain[0];
        let server_name = match host {
            Some(h) => {
                Some(ServerName::try_from(h).map_err(|_| Error::InvalidHost { host: h.into() })?)
            }
            None => None,
        };
        let mut findings = unreadable_findings;

        // 1. Build a path, signatures checked. Time problems are retried at a time the leaf is
        //    valid, so that an expired chain still shows where it leads.
        // The leaf as webpki sees it, parsed once for path building and the host name.
        let ee = EndEntityCert::try_from(leaf.der());
        let mut built = self.build_path(chain, ee.as_ref(), t, &facts, &mut findings);

        // 2. The anchor and what kind it is.
        let anchor = built.as_ref().map(|b| {
            let mut a = self.anchor_info(b.anchor_spki, || {
                b.anchor_index
                    .and_then(|i| facts.get(i))
                    .map(|f| f.display_name())
                    .unwrap_or_else(|| b.anchor_spki.pin())
            });
            self.apply_policy_anchors(&mut a, b.anchor_spki, host);
            a
        });

        // 3. Every key of the chain and the anchor against the known-CA list (Chrome does this
        //    for every SPKI, not just the root).
        // Each key with where its name comes from (a presented certificate's facts, else the
        // anchor's subject), named only for a finding.
        let mut keys: Vec<(SpkiHash, Option<&CertificateFacts>)> = chain
            .iter()
            .zip(&facts)
            .map(|(c, f)| (c.spki_hash(), Some(f)))
            .collect();
        if let (Some(b), Some(_)) = (&built, &anchor) {
            if !keys.iter().any(|(k, _)| *k == b.anchor_spki) {
                keys.push((b.anchor_spki, None));
            }
        }
        let name_of = |f: &Option<&CertificateFacts>| match (f, &anchor) {
            (Some(f), _) => f.display_name(),
            (None, Some(a)) => a.subject.clone(),
            (None, None) => String::new(),
        };
        for (i, (spki, named)) in keys.iter().enumerate() {
            if let Some(k) = known::lookup(spki) {
                if k.category == KnownCaCategory::Blocked && i == 0 && !facts[0].is_ca {
                    // A blocked server certificate (revoked after misissuance) is not an
                    // interception CA: the chain is refused, the verdict is `invalid`.
                    findings.push(
                        Finding::new(
                            FindingCode::BlockedCertificate,
                            Severity::Critical,
                            format!("This certificate is blocked by browsers: {}.", k.label),
                        )
                        .about(name_of(named)),
                    );
                    continue;
                }
                findings.push(known_ca_finding(&k));
            } else if let Some(d) = programs::distrusted(spki) {
                let anchors_it = built.as_ref().is_some_and(|b| b.anchor_spki == *spki);
                findings.push(
                    Finding::new(
                        FindingCode::DistrustedRoot,
                        if anchors_it {
                            Severity::Critical
                        } else {
                            Severity::Warning
                        },
                        format!("{} was {}. It must not be trusted.", d.name, d.removal()),
                    )
                    .about(name_of(named)),
                );
            }
        }

        // 3b. A certificate signed by a known CA that path building could not reach (the root
        //     not sent and not installed, or a legacy 1024-bit key): verified by signature.
        let mut signed_by_known = false;
        let mut known_signer: Option<SpkiHash> = None;
        for (c, f) in chain.iter().zip(&facts) {
            if let Some(k) = known::signed_by_known(c) {
                signed_by_known = true;
                known_signer = known_signer.or_else(|| SpkiHash::from_hex(&k.spki_sha256));
                // A certificate carrying a known key (the CA itself, or a leaf made with the
                // CA's key, as interception tools do) has its finding already; its signature
                // only says which anchor the chain leads to.
                if !k.category.is_interception() || known::contains(&c.spki_hash()) {
                    continue;
                }
                findings.push(
                    Finding::new(
                        FindingCode::KnownInterceptionCa,
                        known_category_severity(k.category),
                        format!(
                            "{} was issued by the {}, verified by its signature; that is {}: whoever holds its key can read and change this traffic.",
                            f.display_name(),
                            k.label,
                            k.category.describe()
                        ),
                    )
                    .about(k.label.clone()),
                );
            }
        }
        if signed_by_known {
            // The signature webpki could not check was a known CA's legacy key, not a forgery.
            findings
                .retain(|f| f.code != FindingCode::BadSignature && f.code != FindingCode::NoPath);
        }

        // The known CA that signed, as the anchor, when path building reached none.
        let mut anchor = match (anchor, known_signer) {
            (None, Some(spki)) => Some(self.anchor_info(spki, || unnamed_anchor(&spki))),
            (a, _) => a,
        };

        // 3c. A local anchor that verifiably signed the leaf or a certificate leading to it,
        //     when path building reached nothing: an anchor rustls-webpki cannot use, or a
        //     path-building budget spent on decoys, must not turn interception into "untrusted".
        if anchor.is_none() {
            if let Some(local) = self.local_signer(chain) {
                findings.retain(|f| f.code != FindingCode::NoPath);
                let mut a =
                    self.anchor_info(local.anchor_spki, || unnamed_anchor(&local.anchor_spki));
                self.apply_policy_anchors(&mut a, local.anchor_spki, host);
                anchor = Some(a);
                built = Some(local);
            }
        }

        // 4. Names of known interception CAs on other keys.
        self.impersonation(
            chain,
            &facts,
            &issuer_cns,
            anchor.as_ref(),
            signed_by_known,
            &mut findings,
        );

        // 5. The anchor's class.
        if let Some(a) = &anchor {
            self.anchor_findings(a, &mut findings);
        }

        // 6. The host name.
        if let Some(name) = &server_name {
            if let Ok(ee) = &ee {
                if ee.verify_is_valid_for_subject_name(name).is_err() {
                    findings.push(
                        Finding::new(
                            FindingCode::HostnameMismatch,
                            Severity::Warning,
                            format!(
                                "The certificate is not for {}: it names {}.",
                                host.unwrap_or_default(),
                                names_of(&facts[0])
                            ),
                        )
                        .about(facts[0].display_name()),
                    );
                }
            }
        }

        // A server certificate that may sign certificates but is not a CA (RFC 5280 4.2.1.3);
        // rustls-webpki does not check this.
        if !facts[0].is_ca && facts[0].key_usage.iter().any(|k| k == "keyCertSign") {
            findings.push(
                Finding::new(
                    FindingCode::WrongKeyUsage,
                    Severity::Warning,
                    format!(
                        "{} may sign certificates (keyCertSign) but is not a CA.",
                        facts[0].display_name()
                    ),
                )
                .about(facts[0].display_name()),
            );
        }

        // 7. Validity and hints from the certificates themselves.
        let on_path: Vec<usize> = match &built {
            Some(b) => b.path_indices.clone(),
            None => vec![0],
        };
        for &i in &on_path {
            let f = &facts[i];
            if t > f.not_after_unix {
                findings.push(
                    Finding::new(
                        FindingCode::Expired,
                        Severity::Warning,
                        format!("{} expired on {}.", f.display_name(), f.not_after),
                    )
                    .about(f.display_name()),
                );
            } else if t < f.not_before_unix {
                findings.push(
                    Finding::new(
                        FindingCode::NotYetValid,
                        Severity::Warning,
                        format!("{} is not valid before {}.", f.display_name(), f.not_before),
                    )
                    .about(f.display_name()),
                );
            }
        }
        // Hints look at the certificates on the path (an unrelated extra certificate the server
        // sent proves nothing), or at all of them when no path was built.
        let hinted: Vec<&CertificateFacts> = match &built {
            Some(b) => b.path_indices.iter().map(|&i| &facts[i]).collect(),
            None => facts.iter().collect(),
        };
        crate::heuristics::certificate_hints(&hinted, anchor.as_ref(), &mut findings);

        // 8. Pins, on the path that was built and verified at `t` (the leaf, the
        //    intermediates webpki used, the anchor), never on other certificates the server
        //    sent. A chain that fails validation is not pin-checked: it is refused anyway
        //    (TrustKit: FailedInvalidCertificateChain). Expired pins are reported every time.
        if let (Some(policy), Some(h)) = (&self.pin_policy, host) {
            let validated = match (&built, &anchor) {
                (Some(b), Some(a))
                    if b.verified_at_t && !findings.iter().any(|f| f.code.invalidates_chain()) =>
                {
                    Some((b, a))
                }
                _ => None,
            };
            match validated {
                Some((b, a)) => {
                    let mut keys: Vec<ChainKey<'_>> = b
                        .path_indices
                        .iter()
                        .map(|&i| ChainKey {
                            spki: chain[i].spki_hash(),
                            name: Some(facts[i].subject.clone()),
                            der: None,
                        })
                        .collect();
                    if !keys.iter().any(|k| k.spki == b.anchor_spki) {
                        keys.push(ChainKey {
                            spki: b.anchor_spki,
                            name: Some(
                                b.anchor_index
                                    .map(|i| facts[i].subject.clone())
                                    .unwrap_or_else(|| a.subject.clone()),
                            ),
                            der: None,
                        });
                    }
                    check_pins(
                        policy,
                        h,
                        &keys,
                        a,
                        b.anchor_spki,
                        self.dangerous_debug_build,
                        t,
                        &mut findings,
                    );
                }
                None => crate::pinning::expired_pins(policy, h, t, &mut findings),
            }
        }

        // 9. The verdict, by the documented precedence.
        let verdict = decide(&findings, anchor.as_ref());
        Verdict::sort_findings(&mut findings);
        let path = build_path_entries(facts, built.as_ref(), anchor.as_ref());
        Ok(Verdict {
            verdict,
            host: host.map(str::to_string),
            findings,
            path,
            anchor,
            time: t,
        })
    }

    fn anchor_findings(&self, a: &AnchorInfo, findings: &mut Vec<Finding>) {
        if a.class != AnchorClass::NonPublicRoot {
            return;
        }
        if a.known.is_some() {
            // a government root: already reported with its own code
            return;
        }
        let who = if a.user_added {
            "was installed on this device by a user or an app"
        } else {
            "is trusted on this device but is in no public root program"
        };
        findings.push(
            Finding::new(
                FindingCode::NonPublicAnchor,
                Severity::Warning,
                format!(
                    "This connection is vouched for by \"{}\", which {who}: whoever holds its key can read and change this traffic.",
                    a.subject
                ),
            )
            .about(a.subject.clone()),
        );
        if a.user_added {
            findings.push(Finding::new(
                FindingCode::UserAddedAnchor,
                Severity::Info,
                format!("The platform reports \"{}\" as user-installed.", a.subject),
            ));
        }
        if a.allowed {
            findings.push(Finding::new(
                FindingCode::AllowedAnchor,
                Severity::Info,
                format!(
                    "The app's configuration allows \"{}\" (an accepted enterprise proxy).",
                    a.subject
                ),
            ));
        }
    }

    fn impersonation(
        &self,
        chain: &[Certificate],
        facts: &[CertificateFacts],
        issuer_cns: &[Option<String>],
        anchor: Option<&AnchorInfo>,
        signed_by_known: bool,
        findings: &mut Vec<Finding>,
    ) {
        let anchored_at_known = anchor.is_some_and(|a| a.known.is_some()) || signed_by_known;
        for ((c, f), issuer_cn) in chain.iter().zip(facts).zip(issuer_cns) {
            if let Some(cn) = &f.common_name {
                if let Some(keys) = known::NAMES.get(&*name_key(cn)) {
                    if !keys.contains(&c.spki_hash()) && !known::contains(&c.spki_hash()) {
                        findings.push(
                            Finding::new(
                                FindingCode::ImpersonatesKnownCa,
                                Severity::Warning,
                                format!(
                                    "\"{cn}\" carries the name of a known interception CA but not its key: it may be a new key of the same interceptor, or an imitation."
                                ),
                            )
                            .about(f.display_name()),
                        );
                    }
                }
            }
            // A certificate that names a known interception CA as its issuer, but whose
            // signature did not lead to that CA.
            if !anchored_at_known {
                if let Some(issuer_cn) = issuer_cn {
                    if known::NAMES.contains_key(&*name_key(issuer_cn)) && !f.self_issued {
                        findings.push(
                            Finding::new(
                                FindingCode::ImpersonatesKnownCa,
                                Severity::Warning,
                                format!(
                                    "{} claims to be issued by \"{issuer_cn}\", a known interception CA, but no known key of it signed it.",
                                    f.display_name()
                                ),
                            )
                            .about(f.display_name()),
                        );
                    }
                }
            }
        }
    }

    /// Builds a path and returns where it leads. Pushes findings for what stopped it.
    fn build_path(
        &self,
        chain: &[Certificate],
        ee: Result<&EndEntityCert<'_>, &webpki::Error>,
        t: i64,
        facts: &[CertificateFacts],
        findings: &mut Vec<Finding>,
    ) -> Option<Built> {
        let ee = match ee {
            Ok(ee) => ee,
            Err(e) => {
                findings.push(Finding::new(
                    FindingCode::InvalidCertificate,
                    Severity::Warning,
                    format!("The server's certificate cannot be used: {e}."),
                ));
                return None;
            }
        };
        let intermediates: Vec<CertificateDer<'_>> = chain[1..]
            .iter()
            .map(|c| CertificateDer::from(c.der().as_ref()))
            .collect();
        let candidates = self.candidate_anchors(chain);
        let attempt = |at: i64| -> Result<Built, webpki::Error> {
            let path = ee.verify_for_usage(
                webpki::ALL_VERIFICATION_ALGS,
                &candidates.anchors,
                &intermediates,
                unix_time(at),
                KeyUsage::server_auth(),
                None,
                None,
            )?;
            let anchor_spki = candidates.key_of(path.anchor());
            let mut path_indices = vec![0];
            for c in path.intermediate_certificates() {
                let der = c.der();
                if let Some(i) = chain.iter().position(|p| p.der().as_ref() == der.as_ref()) {
                    path_indices.push(i);
                }
            }
            let anchor_index = chain.iter().position(|c| c.spki_hash() == anchor_spki);
            Ok(Built {
                anchor_spki,
                anchor_index,
                path_indices,
                weak_only: false,
                verified_at_t: at == t,
            })
        };
        let first = attempt(t);
        let err = match first {
            Ok(b) => return Some(b),
            Err(e) => e,
        };
        if is_time_error(&err) {
            // Expired or not yet valid: say where the chain leads anyway.
            let leaf_facts = &facts[0];
            let mid = leaf_facts.not_before_unix / 2 + leaf_facts.not_after_unix / 2;
            for retry in [
                mid,
                leaf_facts.not_before_unix + 1,
                leaf_facts.not_after_unix - 1,
            ] {
                match attempt(retry) {
                    Ok(b) => return Some(b),
                    Err(e) if is_time_error(&e) => continue,
                    Err(e) => return self.unbuilt(chain, facts, e, findings),
                }
            }
            return None;
        }
        self.unbuilt(chain, facts, err, findings)
    }

    /// The anchors that may have issued a certificate of `chain`, in the engine's order: those
    /// whose subject is the issuer of one of them.
    ///
    /// Path building with these alone reaches the same anchor, or fails with the same error, as
    /// with all of the engine's anchors: for each certificate on a path, rustls-webpki tries
    /// every anchor in turn and passes over one whose subject is not that certificate's issuer
    /// (byte for byte), with `UnknownIssuer`, the lowest-ranked error, which never replaces
    /// another. Passing over the several hundred others, at each step of the path, cost more
    /// than this scan.
    fn candidate_anchors(&self, chain: &[Certificate]) -> CandidateAnchors<'_> {
        let mut candidates = CandidateAnchors {
            anchors: Vec::new(),
            keys: Vec::new(),
        };
        let issuers: Vec<&[u8]> = chain.iter().map(|c| strip_header(c.issuer_der())).collect();
        // The bundled anchors (the first ones) through their index by subject, the caller's
        // one by one; then in the engine's order.
        let bundled = crate::anchors::BUNDLED.len();
        let mut picked: Vec<usize> = issuers
            .iter()
            .flat_map(|issuer| crate::anchors::bundled_with_subject(issuer))
            .collect();
        picked.extend(
            (bundled..self.anchors.len())
                .filter(|&i| issuers.contains(&self.anchors[i].subject.as_ref())),
        );
        picked.sort_unstable();
        picked.dedup();
        for i in picked {
            let a = &self.anchors[i];
            candidates.anchors.push(TrustAnchor {
                subject: Der::from_slice(a.subject.as_ref()),
                subject_public_key_info: Der::from_slice(a.subject_public_key_info.as_ref()),
                name_constraints: a.name_constraints.as_ref().map(|n| Der::from_slice(n)),
            });
            candidates.keys.push(self.anchor_keys[i]);
        }
        candidates
    }

    /// Records why no path was built. For faults that leave the names linked up to an anchor
    /// (key usage, constraints, weak signature algorithms) returns that anchor, found by name,
    /// so that the verdict is `invalid` rather than `untrusted`.
    // The unit variants are deprecated in favour of the *Context ones, but webpki still
    // returns either; match both.
    #[allow(deprecated)]
    fn unbuilt(
        &self,
        chain: &[Certificate],
        facts: &[CertificateFacts],
        err: webpki::Error,
        findings: &mut Vec<Finding>,
    ) -> Option<Built> {
        use webpki::Error as E;
        let leaf_name = facts[0].display_name();
        let (code, severity, message, by_name) = match &err {
            E::UnknownIssuer => (
                FindingCode::NoPath,
                Severity::Warning,
                format!("No trusted root vouches for {leaf_name}: the chain leads to no anchor this device or any public program trusts."),
                false,
            ),
            E::InvalidSignatureForPublicKey => (
                FindingCode::BadSignature,
                Severity::Critical,
                "A signature in the chain does not verify: a certificate was altered or forged.".to_string(),
                false,
            ),
            E::UnsupportedSignatureAlgorithm
            | E::UnsupportedSignatureAlgorithmContext(_)
            | E::UnsupportedSignatureAlgorithmForPublicKey
            | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_)
                if facts.iter().any(|f| f.has_weak_signature() && !f.self_signed) =>
            {
                // reported by the heuristics as sha1_signature
                return self.anchor_by_names(chain).map(|mut b| {
                    b.weak_only = true;
                    b
                }).or_else(|| {
                    findings.push(Finding::new(FindingCode::NoPath, Severity::Warning,
                        format!("No trusted root vouches for {leaf_name} with an acceptable signature algorithm.")));
                    None
                });
            }
            E::RequiredEkuNotFound
            | E::RequiredEkuNotFoundContext(_)
            | E::EmptyEkuExtension
            | E::CaUsedAsEndEntity
            | E::EndEntityUsedAsCa => (
                FindingCode::WrongKeyUsage,
                Severity::Warning,
                format!("A certificate in the chain is not allowed for this use: {err}."),
                true,
            ),
            E::NameConstraintViolation
            | E::PathLenConstraintViolated
            | E::InvalidNetworkMaskConstraint
            | E::MalformedNameConstraint => (
                FindingCode::ConstraintViolation,
                Severity::Warning,
                format!("The chain breaks a limit its CAs set: {err}."),
                true,
            ),
            E::MaximumPathBuildCallsExceeded
            | E::MaximumPathDepthExceeded
            | E::MaximumSignatureChecksExceeded
            | E::MaximumNameConstraintComparisonsExceeded => (
                FindingCode::PathTooComplex,
                Severity::Warning,
                format!("The chain is too long or tangled to check safely ({err})."),
                false,
            ),
            E::CertDistrusted => (
                FindingCode::DistrustedRoot,
                Severity::Critical,
                "The chain goes through a CA that is distrusted by the verifier.".to_string(),
                false,
            ),
            _ => (
                FindingCode::InvalidCertificate,
                Severity::Warning,
                format!("A certificate in the chain is malformed or unsupported: {err}."),
                false,
            ),
        };
        findings.push(Finding::new(code, severity, message));
        if by_name {
            self.anchor_by_names(chain)
        } else {
            None
        }
    }

    /// Follows issuer names from the leaf through the presented certificates to an anchor,
    /// without checking signatures (used only to name where an invalid chain leads).
    fn anchor_by_names(&self, chain: &[Certificate]) -> Option<Built> {
        let mut current = 0usize;
        let mut path_indices = vec![0];
        for _ in 0..chain.len() + 1 {
            let cert = &chain[current];
            // The anchor whose key signed, not the last one with the issuer's name: names are
            // what an attacker writes, and Kazakhstan gave nine roots one name.
            if let Some(spki) = self.parent_anchor(cert.der(), cert.issuer_der(), |_| true) {
                let anchor_index = chain.iter().position(|c| c.spki_hash() == spki);
                return Some(Built {
                    anchor_spki: spki,
                    anchor_index,
                    path_indices,
                    weak_only: false,
                    verified_at_t: false,
                });
            }
            let next = chain.iter().enumerate().position(|(i, c)| {
                !path_indices.contains(&i) && c.subject_der() == cert.issuer_der()
            })?;
            path_indices.push(next);
            current = next;
        }
        None
    }

    /// The in-app fast path, for a chain the platform already validated (leaf first, anchor
    /// last): no parsing beyond the DER outline, no signature checks; hashes and lookups only.
    ///
    /// The platform has verified signatures, names and dates; what it cannot know is whether
    /// the anchor it accepted is public, and whether any key in the chain belongs to a known
    /// interceptor. That is what this answers.
    pub fn analyze_validated(&self, chain: &[&[u8]], host: Option<&str>) -> Result<Verdict, Error> {
        let last = last_index(chain.len())?;
        let mut findings = Vec::new();
        let mut keys: Vec<ChainKey<'_>> = Vec::with_capacity(chain.len() + 1);
        let mut last_layout = None;
        for (i, der) in chain.iter().enumerate() {
            let (spki, layout) = self.chain_entry(der, i + 1)?;
            last_layout = Some(layout);
            keys.push(ChainKey {
                spki,
                name: None,
                der: Some(der),
            });
            if let Some(k) = known::lookup(&spki) {
                findings.push(known_ca_finding(&k));
            }
        }
        let anchor_spki = match last_layout {
            Some(layout) => self.validated_anchor(chain[last], layout, keys[last].spki),
            None => return Err(Error::Empty),
        };
        if !keys.iter().any(|k| k.spki == anchor_spki) {
            // An anchor the platform's chain stops below: a known CA among the caller's anchors
            // is named as surely as one that was sent.
            if let Some(k) = known::lookup(&anchor_spki) {
                findings.push(known_ca_finding(&k));
            }
        }
        let last_der = chain[last];
        let mut anchor = self.anchor_info(anchor_spki, || {
            // The last certificate names the anchor only when it is the anchor.
            Some(&last_der)
                .filter(|_| keys[last].spki == anchor_spki)
                .and_then(|der| Certificate::from_der(der.to_vec(), last + 1).ok())
                .map(|c| match CertificateFacts::of(&c, last + 1) {
                    Ok(f) => f.display_name(),
                    Err(_) => CertificateFacts::unreadable(&c).0.display_name(),
                })
                .unwrap_or_else(|| unnamed_anchor(&anchor_spki))
        });
        self.apply_policy_anchors(&mut anchor, anchor_spki, host);
        if anchor.class == AnchorClass::Distrusted {
            findings.push(Finding::new(
                FindingCode::DistrustedRoot,
                Severity::Critical,
                format!(
                    "{} was removed from the root programs for cause; it must not be trusted.",
                    anchor.subject
                ),
            ));
        }
        self.anchor_findings(&anchor, &mut findings);
        // Pins: every certificate the platform validated, and the anchor when the platform's
        // chain stops below it.
        let now = now_unix();
        if let (Some(policy), Some(h)) = (&self.pin_policy, host) {
            if !keys.iter().any(|k| k.spki == anchor_spki) {
                keys.push(ChainKey {
                    spki: anchor_spki,
                    name: Some(anchor.subject.clone()),
                    der: None,
                });
            }
            check_pins(
                policy,
                h,
                &keys,
                &anchor,
                anchor_spki,
                self.dangerous_debug_build,
                now,
                &mut findings,
            );
        }
        let verdict = decide(&findings, Some(&anchor));
        Verdict::sort_findings(&mut findings);
        Ok(Verdict {
            verdict,
            host: host.map(str::to_string),
            findings,
            path: Vec::new(),
            anchor: Some(anchor),
            time: now,
        })
    }

    /// The key hash (through the memo of keys seen before) and the outline of one certificate
    /// of a validated chain.
    fn chain_entry(&self, der: &[u8], index: usize) -> Result<(SpkiHash, CertLayout), Error> {
        let layout = crate::cert::layout_of(der, index)?;
        Ok((
            self.spki_memo.hash(&der[layout.spki.0..layout.spki.1]),
            layout,
        ))
    }

    /// The anchor of a validated chain.
    ///
    /// The platform's validated chain ends at the trust anchor it used, so the last
    /// certificate's own key decides: it is the anchor when the engine knows it as one (bundled
    /// or the caller's), or when it is self-issued. Only a chain that stops below its anchor
    /// (its last certificate a known anchor's child) has a parent anchor, and only one that
    /// verifiably signed it: a name alone is what an attacker writes (a user-installed CA whose
    /// issuer field copies a public root's name must be judged as itself, not as that root).
    /// Otherwise the last certificate's key is the anchor: a CA the device trusts that the
    /// engine does not know, and so not a public root.
    fn validated_anchor(&self, last_der: &[u8], last: CertLayout, last_spki: SpkiHash) -> SpkiHash {
        let (s, e) = last.issuer;
        let (ss, se) = last.subject;
        if self.anchor_set.contains_key(&last_spki) || last_der[s..e] == last_der[ss..se] {
            return last_spki;
        }
        self.parent_anchor(last_der, &last_der[s..e], |_| true)
            .unwrap_or(last_spki)
    }

    /// Whether [`Engine::analyze_validated`] would answer a clean `trusted` verdict with nothing
    /// to report ([`Verdict::needs_report`] false), computed without building the verdict: the
    /// per-handshake check of the Android trust manager's native fast path, which runs on every
    /// connection and must cost about what a pin check costs.
    ///
    /// Only ever errs towards `false`: `false` means "ask [`Engine::analyze_validated`]", which
    /// says what is wrong and decides. So it stops at the first thing that would produce a
    /// finding of warning severity or above: a known CA's key anywhere in the chain (or as its
    /// anchor), an anchor that is not a public root for this platform (distrusted, user-added,
    /// in no program), a pin policy for `host` that has expired or has no matching key. The same
    /// errors as `analyze_validated` for bad input.
    pub fn validated_clean(&self, chain: &[&[u8]], host: Option<&str>) -> Result<bool, Error> {
        let last = last_index(chain.len())?;
        // On the stack, room for the anchor too: no allocation on this path.
        let mut keys = [SpkiHash([0; 32]); crate::error::MAX_CHAIN_CERTIFICATES + 1];
        let mut last_layout = None;
        let mut clean = true;
        for (i, der) in chain.iter().enumerate() {
            // Every certificate is read even after a known key: bad input must fail here as
            // it fails in analyze_validated.
            let (spki, layout) = self.chain_entry(der, i + 1)?;
            keys[i] = spki;
            last_layout = Some(layout);
            clean &= !known::contains(&spki);
        }
        let Some(last_layout) = last_layout.filter(|_| clean) else {
            return Ok(false);
        };
        let anchor = self.validated_anchor(chain[last], last_layout, keys[last]);
        if self.anchor_class(&anchor) != AnchorClass::PublicRoot || known::contains(&anchor) {
            return Ok(false);
        }
        if let (Some(policy), Some(h)) = (&self.pin_policy, host) {
            let mut n = chain.len();
            if !keys[..n].contains(&anchor) {
                keys[n] = anchor;
                n += 1;
            }
            let result = policy.evaluate(h, &keys[..n], now_unix()).result;
            if !matches!(result, PinResult::NotPinned | PinResult::Success) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Findings for the certificates among `certs` that carry a known CA's key or that a known
    /// CA verifiably signed: what a caller that cannot analyze a chain (too long, its leaf
    /// unreadable) must still say about it.
    pub(crate) fn known_key_findings(&self, certs: &[Certificate]) -> Vec<Finding> {
        let mut findings = Vec::new();
        for c in certs {
            if let Some(k) = known::lookup(&c.spki_hash()) {
                findings.push(known_ca_finding(&k));
            } else if let Some(k) = known::signed_by_known(c) {
                findings.push(known_ca_finding(&k));
            }
        }
        Verdict::sort_findings(&mut findings);
        findings
    }

    /// The caller anchors' classes, for audits.
    pub(crate) fn classify_anchor(&self, spki: SpkiHash, subject: String) -> AnchorInfo {
        self.anchor_info(spki, || subject)
    }
}

struct Built {
    anchor_spki: SpkiHash,
    anchor_index: Option<usize>,
    /// Indices into the presented chain of the certificates on the path, leaf first.
    path_indices: Vec<usize>,
    /// Found only by names because a weak signature algorithm stopped webpki.
    weak_only: bool,
    /// Built by webpki, signatures checked, at the validation time itself (not at a retry
    /// time for an expired chain, not by names): the only paths pins are checked on.
    verified_at_t: bool,
}

fn is_time_error(e: &webpki::Error) -> bool {
    matches!(
        e,
        webpki::Error::CertExpired { .. } | webpki::Error::CertNotValidYet { .. }
    )
}

fn names_of(f: &CertificateFacts) -> String {
    let mut names: Vec<String> = f.san_dns.iter().take(5).cloned().collect();
    names.extend(f.san_ip.iter().take(3).cloned());
    if names.is_empty() {
        if let Some(cn) = &f.common_name {
            return format!("only \"{cn}\" in its subject");
        }
        return "no host name at all".into();
    }
    let more = f.san_dns.len() + f.san_ip.len() - names.len();
    if more > 0 {
        format!("{} and {more} more", names.join(", "))
    } else {
        names.join(", ")
    }
}

/// At most this many signatures are checked by [`Engine::local_signer`] for one chain: more
/// than a device store holds anchors (about 150 system roots and a few user ones), so that no
/// order of same-named anchors hides the one that signed; at about 50 µs a check, tens of
/// milliseconds in the worst case, and only for a chain path building could not take anywhere.
const LOCAL_SIGNER_CHECKS: usize = 1024;

/// What an anchor is called when neither a certificate, the caller, a program nor the list of
/// known CAs names it.
fn unnamed_anchor(spki: &SpkiHash) -> String {
    format!("an unnamed CA with key {}", spki.pin())
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

/// The verdict from the findings and the anchor, by the precedence documented on
/// [`VerdictKind`].
pub(crate) fn decide(findings: &[Finding], anchor: Option<&AnchorInfo>) -> VerdictKind {
    use FindingCode as F;
    if findings.iter().any(|f| f.code == F::KnownInterceptionCa) {
        return VerdictKind::InterceptedKnown;
    }
    if findings
        .iter()
        .any(|f| f.code == F::PinMismatch && f.severity == Severity::Critical)
    {
        return VerdictKind::PinViolation;
    }
    let Some(anchor) = anchor else {
        return VerdictKind::Untrusted;
    };
    if findings.iter().any(|f| f.code.invalidates_chain()) {
        return VerdictKind::Invalid;
    }
    if matches!(
        anchor.class,
        AnchorClass::NonPublicRoot | AnchorClass::Distrusted
    ) {
        return VerdictKind::InterceptedLocal;
    }
    VerdictKind::Trusted
}

/// A common name as [`known::NAMES`] holds them: trimmed and lower-cased (borrowed when it is
/// ASCII without upper-case letters, which lower-casing leaves as it is).
fn name_key(cn: &str) -> std::borrow::Cow<'_, str> {
    let cn = cn.trim();
    if cn.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        std::borrow::Cow::Borrowed(cn)
    } else {
        std::borrow::Cow::Owned(cn.to_lowercase())
    }
}

fn build_path_entries(
    facts: Vec<CertificateFacts>,
    built: Option<&Built>,
    anchor: Option<&AnchorInfo>,
) -> Vec<PathEntry> {
    let Some(b) = built else {
        return facts
            .into_iter()
            .enumerate()
            .map(|(i, f)| PathEntry {
                role: if i == 0 {
                    PathRole::Leaf
                } else {
                    PathRole::Intermediate
                },
                facts: Some(f),
                anchor_subject: None,
                presented: true,
            })
            .collect();
    };
    let on_path: Vec<(usize, usize)> = b
        .path_indices
        .iter()
        .copied()
        .enumerate()
        .filter(|&(_, i)| Some(i) != b.anchor_index || i == 0)
        .collect();
    let anchor_presented = b.anchor_index.filter(|&i| i != 0);
    // Each certificate's facts move into the path; an index used twice gets a copy.
    let mut uses = vec![0usize; facts.len()];
    for &(_, i) in &on_path {
        uses[i] += 1;
    }
    if let Some(i) = anchor_presented {
        uses[i] += 1;
    }
    let mut facts: Vec<Option<CertificateFacts>> = facts.into_iter().map(Some).collect();
    let mut take = |i: usize| -> Option<CertificateFacts> {
        uses[i] -= 1;
        if uses[i] == 0 {
            facts[i].take()
        } else {
            facts[i].clone()
        }
    };
    let mut v: Vec<PathEntry> = on_path
        .iter()
        .map(|&(pos, i)| PathEntry {
            role: if pos == 0 {
                PathRole::Leaf
            } else {
                PathRole::Intermediate
            },
            facts: take(i),
            anchor_subject: None,
            presented: true,
        })
        .collect();
    match b.anchor_index {
        Some(i) if i != 0 => v.push(PathEntry {
            role: PathRole::Anchor,
            facts: take(i),
            anchor_subject: None,
            presented: true,
        }),
        Some(_) => {}
        None => v.push(PathEntry {
            role: PathRole::Anchor,
            facts: None,
            anchor_subject: anchor.map(|a| a.subject.clone()),
            presented: false,
        }),
    }
    v
}

/// Servers should send the leaf first; some send the chain reversed. When the first
/// certificate is a CA, the first presented certificate that is not a CA and issues nothing
/// else is the leaf. Returns the new order, or `None` when the order is fine.
fn leaf_first(chain: &[Certificate], facts: &[CertificateFacts]) -> Option<Vec<usize>> {
    if chain.len() < 2 || !facts[0].is_ca {
        return None;
    }
    let leaves: Vec<usize> = (0..chain.len())
        .filter(|&i| {
            !facts[i].is_ca
                && !chain
                    .iter()
                    .enumerate()
                    .any(|(j, o)| j != i && o.issuer_der() == chain[i].subject_der())
        })
        .collect();
    // Among several, the first sent: a certificate appended later must not change which one
    // is the leaf (nor so the verdict).
    let leaf = *leaves.first()?;
    let mut order: Vec<usize> = (0..chain.len()).filter(|&i| i != leaf).collect();
    order.insert(0, leaf);
    Some(order)
}

/// The finding for a known CA in a chain: interception wording for interceptors, an accurate
/// one for a government root with no documented interception. One place, so that the full
/// analysis and the fast path say the same thing.
fn known_ca_finding(k: &crate::anchors::known::KnownCa) -> Finding {
    let (code, message) = if k.category == KnownCaCategory::GovernmentRoot {
        (
            FindingCode::GovernmentRoot,
            format!(
                "This connection relies on the {}: {}; no interception with it is documented, but whoever holds it can issue a certificate for any site.",
                k.label,
                k.category.describe()
            ),
        )
    } else {
        (
            FindingCode::KnownInterceptionCa,
            format!(
                "This connection goes through the {}, {}: whoever holds it can read and change this traffic.",
                k.label,
                k.category.describe()
            ),
        )
    };
    Finding::new(code, known_category_severity(k.category), message).about(k.label.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The issuer's common name parsed from the issuer Name alone, as the impersonation check
    /// used to: `with_issuer_cn` must agree.
    fn issuer_common_name(c: &Certificate) -> Option<String> {
        use x509_parser::prelude::FromDer;
        let (_, name) = x509_parser::x509::X509Name::from_der(c.issuer_der()).ok()?;
        let cn = name.iter_common_name().next()?.as_str().ok()?.to_string();
        Some(cn)
    }

    #[test]
    fn memoised_facts_are_the_parsed_facts_and_the_memo_stays_bounded() {
        let memo = FactsMemo::with_capacity(50);
        let certs: Vec<Certificate> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .enumerate()
            .map(|(i, c)| Certificate::from_der(c.to_vec(), i + 1).unwrap())
            .collect();
        assert!(certs.len() > 50);
        for round in 0..2 {
            for (i, c) in certs.iter().enumerate() {
                let parsed = CertificateFacts::with_issuer_cn(c, i + 1).unwrap();
                assert_eq!(parsed.0, CertificateFacts::of(c, i + 1).unwrap());
                assert_eq!(parsed.1, issuer_common_name(c));
                assert_eq!(memo.facts(c, i + 1).unwrap(), parsed, "round {round}, #{i}");
                assert_eq!(memo.facts(c, i + 1).unwrap(), parsed, "round {round}, #{i}");
                assert!(memo.map.lock().unwrap().len <= 50);
            }
        }
    }

    #[test]
    fn name_keys_are_trimmed_lower_case_names() {
        for cn in [
            "",
            " kz root ",
            "Sectigo RSA Domain Validation Secure Server CA",
            "*.peg.a2z.com",
            "ÉTAT Root ",
            "ΣΊΣΥΦΟΣ",
            "İstanbul",
            "\tTab\n",
        ] {
            assert_eq!(name_key(cn), cn.trim().to_lowercase(), "{cn:?}");
        }
        assert!(matches!(
            name_key(" a.b "),
            std::borrow::Cow::Borrowed("a.b")
        ));
    }

    /// Path building given the candidate anchors ends as it does given all of the engine's:
    /// the same anchor, or the same error, on the real chains and test CAs, at a time each is
    /// valid, long before and long after, whole and without their last certificate.
    #[test]
    fn path_building_with_the_candidate_anchors_ends_as_with_all_anchors() {
        use pki_types::pem::PemObject;
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/");
        let mut pems = Vec::new();
        for dir in [
            "data/real-chains/limbo-online",
            "test-ca/kz-forged",
            "test-ca/local-root",
        ]
        .iter()
        .chain(&[
            "test-ca/qaznet-impostor",
            "test-ca/superfish",
            "test-ca/unknown-root",
        ])
        .chain(&["test-ca/wrong-host"])
        {
            for entry in std::fs::read_dir(format!("{root}{dir}")).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "pem") {
                    pems.push(path);
                }
            }
        }
        let local = std::fs::read(format!("{root}test-ca/local-root/root.der")).unwrap();
        let engine = Engine::new(EngineConfig {
            anchors: vec![CallerAnchor {
                certificate: Certificate::from_der(local, 1).unwrap(),
                user_added: true,
            }],
            ..EngineConfig::default()
        })
        .unwrap();
        let mut built = 0;
        for path in pems {
            let ders: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&path)
                .unwrap()
                .map(|c| c.unwrap())
                .collect();
            let Some(chain) = ders
                .iter()
                .enumerate()
                .map(|(i, d)| Certificate::from_der(d.to_vec(), i + 1).ok())
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            let Ok(ee) = EndEntityCert::try_from(&ders[0]) else {
                continue;
            };
            for chain in [&chain[..], &chain[..chain.len() - 1]] {
                if chain.is_empty() {
                    continue;
                }
                let candidates = engine.candidate_anchors(chain);
                let intermediates: Vec<CertificateDer<'_>> =
                    chain[1..].iter().map(|c| c.der().clone()).collect();
                let facts = CertificateFacts::of(&chain[0], 1).unwrap();
                let mid = facts.not_before_unix / 2 + facts.not_after_unix / 2;
                for t in [
                    mid,
                    facts.not_before_unix - 86_400,
                    facts.not_after_unix + 86_400,
                ] {
                    let run = |anchors: &[TrustAnchor<'_>]| {
                        ee.verify_for_usage(
                            webpki::ALL_VERIFICATION_ALGS,
                            anchors,
                            &intermediates,
                            unix_time(t),
                            KeyUsage::server_auth(),
                            None,
                            None,
                        )
                        .map(|p| anchor_spki_hash(&p.anchor().subject_public_key_info))
                        .map_err(|e| format!("{e:?}"))
                    };
                    let all = run(&engine.anchors);
                    built += usize::from(all.is_ok());
                    assert_eq!(run(&candidates.anchors), all, "{} at {t}", path.display());
                }
            }
        }
        assert!(built >= 20, "{built}");
    }

    #[test]
    fn candidate_anchors_are_the_issuers_of_the_chain_with_their_keys() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/test-ca/local-root/");
        let root = Certificate::from_der(std::fs::read(format!("{dir}root.der")).unwrap(), 1);
        let root = root.unwrap();
        let leaf = Certificate::from_der(std::fs::read(format!("{dir}leaf.der")).unwrap(), 1);
        let leaf = leaf.unwrap();
        let engine = Engine::new(EngineConfig {
            anchors: vec![CallerAnchor {
                certificate: root.clone(),
                user_added: true,
            }],
            ..EngineConfig::default()
        })
        .unwrap();
        assert_eq!(engine.anchors.len(), engine.anchor_keys.len());
        for (a, key) in engine.anchors.iter().zip(&engine.anchor_keys) {
            assert_eq!(*key, anchor_spki_hash(&a.subject_public_key_info));
        }
        // The local root issued the leaf (and itself).
        for chain in [vec![leaf.clone()], vec![leaf.clone(), root.clone()]] {
            let c = engine.candidate_anchors(&chain);
            assert_eq!(c.anchors.len(), 1);
            assert_eq!(c.key_of(&c.anchors[0]), root.spki_hash());
            // An anchor that is not one of them (a copy) is hashed.
            let copy = c.anchors[0].clone();
            assert_eq!(c.key_of(&copy), root.spki_hash());
        }
        // Every engine anchor whose subject some certificate names as issuer, in order: the
        // Mozilla roots' own certificates name themselves.
        let mut roots: Vec<Certificate> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .enumerate()
            .map(|(i, c)| Certificate::from_der(c.to_vec(), i + 1).unwrap())
            .collect();
        roots.push(leaf);
        let c = engine.candidate_anchors(&roots);
        let expected: Vec<SpkiHash> = engine
            .anchors
            .iter()
            .zip(&engine.anchor_keys)
            .filter(|(a, _)| {
                roots
                    .iter()
                    .any(|r| strip_header(r.issuer_der()) == a.subject.as_ref())
            })
            .map(|(_, k)| *k)
            .collect();
        assert!(expected.len() >= roots.len());
        assert_eq!(expected.last(), Some(&root.spki_hash()));
        assert_eq!(c.keys, expected);
        for (a, k) in c.anchors.iter().zip(&c.keys) {
            assert_eq!(c.key_of(a), *k);
            assert_eq!(anchor_spki_hash(&a.subject_public_key_info), *k);
        }
    }
}

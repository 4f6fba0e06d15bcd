//! Adversarial mutation suite (issue 13, "make the class hard to reintroduce"): the chains of
//! the test corpora, mutated (bit flips, byte edits, DER length edits, duplicated and reordered
//! extensions, renamed issuers and subjects, reused keys, appended junk, reordered, duplicated,
//! padded and near-limit chains), through every entry point: `Engine::analyze`,
//! `Engine::analyze_validated`, `Engine::validated_clean` and `judge_handshake`.
//!
//! Deterministic: a seeded xorshift generator. `QORGAN_ADVERSARIAL_MUTANTS` (default
//! [`DEFAULT_MUTANTS`]) sets how many random mutants run after the unmutated bases, and
//! `QORGAN_ADVERSARIAL_SEED` the seed. Every violation is collected; the summary prints the
//! counts per invariant and per class (the entry point and what went wrong), and for the first
//! classes of each invariant a reproducer minimized to the base chain, the mutation steps that
//! still break it and the certificates kept; then the test fails if there was any.
//!
//! The focused regressions after the suite reproduce each class found (2026-12-07) with a
//! committed certificate (tests/data/adversarial/README.md).
//!
//! # Invariants
//!
//! Each mutant is a chain of DER blobs, leaf first. "Readable" means that
//! `Certificate::from_der` (the DER walker and the size limit) accepts the blob; `analyze` is
//! given the readable certificates in order (as the fuzz harness does), the other entry points
//! the raw blobs. The engine of a mutant has two caller anchors: the test local root and the
//! chain's last certificate (the platform's trust anchor), added with `user_added` chosen per
//! mutant, and a pin policy for the host chosen per mutant (none; a pin nothing matches; the
//! base chain's leaf key).
//!
//! 1. [`Invariant::NoPanic`]: no entry point panics (each call runs under `catch_unwind`);
//!    `Engine::new` included.
//! 2. [`Invariant::ErrorsOnlyForUnusableInput`]: `analyze` returns an error only for an empty
//!    chain or one over [`qorgan::MAX_CHAIN_CERTIFICATES`] (its certificates are readable by
//!    construction, and the hosts are valid); `analyze_validated` and `validated_clean` only
//!    for an empty chain, one over the limit, or one with an unreadable certificate, and then
//!    both; `Engine::new` accepts every readable certificate as a caller anchor. Everything
//!    else yields a verdict.
//! 3. [`Invariant::KnownCaReported`]: for every readable certificate whose key is a known CA
//!    (`qorgan::anchors::known::lookup`), the findings of `analyze`, of `analyze_validated` and
//!    of `judge_handshake` name it: a `known_interception_ca` or `government_root` finding about
//!    its label (or, for `analyze`, a `blocked_certificate` finding that mentions its name);
//!    and unless the CA is a mere government root or a blocked CA, the verdict is
//!    `intercepted_known`. For `analyze_validated` this applies when every certificate is
//!    readable (it refuses the chain otherwise); for `analyze` and `judge_handshake` always (an
//!    unreadable extra certificate must not hide a readable known CA).
//! 4. [`Invariant::NoDangerousDisagreement`]: the four paths never disagree in the dangerous
//!    direction ([`severity`] orders verdicts).
//!    - On the platform's view of the chain: when the engine holds the chain's last
//!      certificate as an anchor and `analyze` (at the base's time) built a path that ends at a
//!      presented certificate with that key, the path (leaf, intermediates, anchor; what a
//!      platform that validated the chain hands over, without the certificates the server sent
//!      off the path) is given to all three: if `analyze` of it says `intercepted_known`,
//!      `intercepted_local` or `pin_violation`, then `analyze_validated` of it is at least as
//!      severe and `validated_clean` of it is `false`.
//!    - `validated_clean == true` (on the mutant) implies `analyze_validated` is `trusted` with
//!      `needs_report() == false`.
//!    - `judge_handshake` (the platform's own verdict chosen per mutant) is at least as severe
//!      as `analyze` at the current time on the same chain, when every certificate is readable.
//! 5. [`Invariant::Monotonic`]: a monotone operation ([`mutate::Mutation::is_monotone_op`]:
//!    appending or inserting a certificate, duplicating one, reordering those after the leaf,
//!    padding up to the limit) applied to a mutant never removes an interception verdict
//!    (`intercepted_known` stays `intercepted_known`; `intercepted_local` stays
//!    `intercepted_local` or becomes more severe and still an interception, pin or known
//!    verdict) nor the naming of a known CA (as in invariant 3) by `analyze`, with the same
//!    engine.

#[path = "adversarial/corpus.rs"]
mod corpus;
#[path = "adversarial/der.rs"]
mod der;
#[path = "fuzz/harness.rs"]
mod harness;
#[path = "adversarial/mutate.rs"]
mod mutate;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use corpus::Corpus;
use mutate::{Mutation, Rng};
use qorgan::{
    judge_handshake, CallerAnchor, Certificate, CheckVerdict, Engine, EngineConfig, Finding,
    FindingCode, HandshakeObservation, HandshakeOutcome, KnownCa, KnownCaCategory, PinPolicy,
    SpkiHash, TlsInfo, Verdict, VerdictKind, MAX_CHAIN_CERTIFICATES,
};

/// Random mutants per run by default (about 25 s of CPU in a debug build on the project's 2-core
/// machine); `QORGAN_ADVERSARIAL_MUTANTS` for long runs.
const DEFAULT_MUTANTS: usize = 8000;
const DEFAULT_SEED: u64 = 0x0051_5247_414e_3133;
/// Classes (of one invariant) whose first reproducer is minimized and printed.
const REPRODUCERS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Invariant {
    NoPanic,
    ErrorsOnlyForUnusableInput,
    KnownCaReported,
    NoDangerousDisagreement,
    Monotonic,
}

fn severity(v: CheckVerdict) -> u8 {
    // One scale for every comparison: CheckVerdict::severity, by VerdictKind's precedence.
    v.severity()
}

fn sev(v: VerdictKind) -> u8 {
    severity(CheckVerdict::from(v))
}

/// The verdicts that say someone can read the traffic, or the app's pins were broken.
fn dangerous(v: VerdictKind) -> bool {
    matches!(
        v,
        VerdictKind::InterceptedKnown | VerdictKind::InterceptedLocal | VerdictKind::PinViolation
    )
}

/// The pin policy of a mutant's engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pins {
    None,
    /// A pin no key matches.
    Nothing,
    /// The base chain's leaf key (and a backup).
    BaseLeaf,
}

/// One mutant: a base chain, the steps applied to it, the monotone operation its monotonicity
/// is checked with, and the engine and platform choices.
#[derive(Debug, Clone)]
struct Mutant {
    base: usize,
    steps: Vec<Mutation>,
    monotone: Mutation,
    user_added: bool,
    pins: Pins,
    platform_trusted: Option<bool>,
}

struct Violation {
    invariant: Invariant,
    /// A short key grouping violations of one kind (an entry point and what went wrong).
    class: String,
    detail: String,
}

thread_local! {
    /// What the checks covered, counted while the suite runs (not while it minimizes).
    static TALLY: std::cell::RefCell<Option<BTreeMap<String, usize>>> =
        const { std::cell::RefCell::new(None) };
}

fn tally(key: impl Into<String>) {
    TALLY.with(|t| {
        if let Some(m) = t.borrow_mut().as_mut() {
            *m.entry(key.into()).or_default() += 1;
        }
    });
}

fn corpus() -> &'static Corpus {
    static C: OnceLock<Corpus> = OnceLock::new();
    C.get_or_init(Corpus::load)
}

fn chain_of(c: &Corpus, m: &Mutant) -> Vec<Vec<u8>> {
    let mut chain = c.bases[m.base].chain.clone();
    for s in &m.steps {
        mutate::apply(c, &mut chain, s);
    }
    chain
}

fn readable(chain: &[Vec<u8>]) -> Vec<Certificate> {
    chain
        .iter()
        .enumerate()
        .filter_map(|(i, d)| Certificate::from_der(d.clone(), i + 1).ok())
        .collect()
}

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(non-string panic)".into())
}

/// Runs `f` under `catch_unwind`, recording a panic as a violation of `NoPanic`.
fn guarded<T>(what: &str, out: &mut Vec<Violation>, f: impl FnOnce() -> T) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => Some(v),
        Err(p) => {
            out.push(Violation {
                invariant: Invariant::NoPanic,
                class: format!("{what} panicked"),
                detail: format!("{what} panicked: {}", panic_message(p)),
            });
            None
        }
    }
}

fn pin_policy(c: &Corpus, m: &Mutant) -> Option<PinPolicy> {
    let base = &c.bases[m.base];
    let backup = SpkiHash([7; 32]).pin();
    let pins: Vec<String> = match m.pins {
        Pins::None => return None,
        Pins::Nothing => vec![backup],
        Pins::BaseLeaf => {
            let leaf = Certificate::from_der(base.chain[0].clone(), 1).ok()?;
            vec![leaf.spki_hash().pin(), backup]
        }
    };
    PinPolicy::builder().add(&base.host, pins).build().ok()
}

/// The engine of a mutant, and whether it holds the chain's last certificate as an anchor.
fn engine_for(
    c: &Corpus,
    m: &Mutant,
    chain: &[Vec<u8>],
    out: &mut Vec<Violation>,
) -> Option<(Engine, bool)> {
    let local = Certificate::from_der(c.local_root.clone(), 1).unwrap();
    let last = chain
        .last()
        .and_then(|d| Certificate::from_der(d.clone(), chain.len()).ok());
    let config = |with_last: bool| EngineConfig {
        anchors: std::iter::once(CallerAnchor::new(local.clone()))
            .chain(last.iter().filter(|_| with_last).map(|l| CallerAnchor {
                certificate: l.clone(),
                user_added: m.user_added,
            }))
            .collect(),
        pin_policy: pin_policy(c, m),
        ..EngineConfig::default()
    };
    if last.is_some() {
        match guarded("Engine::new", out, || Engine::new(config(true)))? {
            Ok(e) => return Some((e, true)),
            Err(e) => out.push(Violation {
                invariant: Invariant::ErrorsOnlyForUnusableInput,
                class: format!("Engine::new refused a readable anchor: {}", e.to_string().rsplit(": ").next().unwrap_or_default()),
                detail: format!("Engine::new refused the chain's last certificate (readable) as a caller anchor: {e}"),
            }),
        }
    }
    let e = guarded("Engine::new", out, || Engine::new(config(false)))?;
    Some((e.expect("an engine with the local root alone"), false))
}

/// Whether the findings name the known CA `k` (see invariant 3).
fn names_known(findings: &[Finding], k: &KnownCa, blocked_ok: bool) -> bool {
    findings.iter().any(|f| match f.code {
        FindingCode::KnownInterceptionCa | FindingCode::GovernmentRoot => {
            f.subject.as_deref() == Some(k.label.as_str())
        }
        FindingCode::BlockedCertificate => blocked_ok && f.message.contains(&k.name),
        _ => false,
    })
}

fn must_be_intercepted_known(k: &KnownCa) -> bool {
    !matches!(
        k.category,
        KnownCaCategory::GovernmentRoot | KnownCaCategory::Blocked
    )
}

fn codes(findings: &[Finding]) -> Vec<FindingCode> {
    findings.iter().map(|f| f.code).collect()
}

fn observation(
    host: &str,
    chain: &[Vec<u8>],
    platform_trusted: Option<bool>,
) -> HandshakeObservation {
    HandshakeObservation {
        host: host.to_string(),
        port: 443,
        address: None,
        elapsed_ms: 0,
        outcome: HandshakeOutcome::Completed {
            presented_chain: chain.to_vec(),
            tls: TlsInfo {
                version: "TLSv1.3".into(),
                cipher_suite: "TLS13_AES_128_GCM_SHA256".into(),
                alpn: None,
            },
            platform_trusted,
        },
    }
}

/// The labels of the known CAs a verdict names (see [`names_known`]).
fn known_named(v: &Verdict) -> Vec<String> {
    static ALL: OnceLock<Vec<KnownCa>> = OnceLock::new();
    ALL.get_or_init(qorgan::anchors::known::all)
        .iter()
        .filter(|k| names_known(&v.findings, k, true))
        .map(|k| k.label.clone())
        .collect()
}

/// Checks every invariant on one mutant.
fn check(c: &Corpus, m: &Mutant) -> Vec<Violation> {
    let mut out = Vec::new();
    let base = &c.bases[m.base];
    let host = base.host.as_str();
    let chain = chain_of(c, m);
    let certs = readable(&chain);
    let all_readable = certs.len() == chain.len();
    let too_long = chain.len() > MAX_CHAIN_CERTIFICATES;
    assert!(m.monotone.is_monotone_op(), "{:?}", m.monotone);
    let Some((engine, anchored)) = engine_for(c, m, &chain, &mut out) else {
        return out;
    };
    let refs: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();

    // The four entry points.
    let analyze = |certs: &[Certificate], time: Option<i64>, out: &mut Vec<Violation>| {
        let r = guarded("analyze_with_facts", out, || {
            engine.analyze_with_facts(certs, Some(host), time)
        })?;
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                if !certs.is_empty() && certs.len() <= MAX_CHAIN_CERTIFICATES {
                    out.push(Violation {
                        invariant: Invariant::ErrorsOnlyForUnusableInput,
                        class: format!("analyze error {}", e.code()),
                        detail: format!(
                            "analyze failed on {} readable certificates: {e}",
                            certs.len()
                        ),
                    });
                }
                None
            }
        }
    };
    // `analyze` (no facts) first, the memo cold: the same verdict, findings, anchor and path
    // as `analyze_with_facts` gives, each entry without facts.
    let lean = guarded("analyze", &mut out, || {
        engine.analyze(&certs, Some(host), base.time)
    });
    let a = analyze(&certs, base.time, &mut out);
    if let Some(lean) = lean {
        let full = a.clone().map(|mut v| {
            for e in &mut v.path {
                e.facts = None;
            }
            v
        });
        // The same, but for the time when none was given (each call reads the clock).
        let same = match (lean.as_ref().ok(), full.as_ref()) {
            (Some(l), Some(f)) => {
                (l.verdict, &l.host, &l.findings, &l.path, &l.anchor)
                    == (f.verdict, &f.host, &f.findings, &f.path, &f.anchor)
                    && (base.time.is_none() || l.time == f.time)
            }
            (l, f) => l.is_none() && f.is_none(),
        };
        if !same {
            out.push(Violation {
                invariant: Invariant::NoDangerousDisagreement,
                class: "analyze and analyze_with_facts differ".into(),
                detail: format!("without facts {lean:?}, with facts {full:?}"),
            });
        }
    }
    tally(match &a {
        Some(a) => format!("analyze: {:?}", a.verdict),
        None => "analyze: no verdict".into(),
    });
    let a_now = match base.time {
        None => a.clone(),
        Some(_) => analyze(&certs, None, &mut out),
    };
    let v = guarded("analyze_validated", &mut out, || {
        engine.analyze_validated(&refs, Some(host))
    });
    let clean = guarded("validated_clean", &mut out, || {
        engine.validated_clean(&refs, Some(host))
    });
    let j = guarded("judge_handshake", &mut out, || {
        judge_handshake(&engine, observation(host, &chain, m.platform_trusted))
    });

    // 2. Errors only for unusable input, and the fast paths fail alike.
    let usable_validated = !chain.is_empty() && !too_long && all_readable;
    for (what, err) in [
        (
            "analyze_validated",
            v.as_ref()
                .and_then(|r| r.as_ref().err())
                .map(|e| e.to_string()),
        ),
        (
            "validated_clean",
            clean
                .as_ref()
                .and_then(|r| r.as_ref().err())
                .map(|e| e.to_string()),
        ),
    ] {
        if let (Some(e), true) = (err, usable_validated) {
            out.push(Violation {
                invariant: Invariant::ErrorsOnlyForUnusableInput,
                class: format!("{what} error on usable chain"),
                detail: format!("{what} failed on a usable chain of {}: {e}", chain.len()),
            });
        }
    }
    if let (Some(v), Some(cl)) = (&v, &clean) {
        if v.is_ok() != cl.is_ok() {
            out.push(Violation {
                invariant: Invariant::ErrorsOnlyForUnusableInput,
                class: "analyze_validated and validated_clean fail differently".into(),
                detail: format!(
                    "analyze_validated {:?} but validated_clean {:?}",
                    v.as_ref().map(|v| v.verdict),
                    cl
                ),
            });
        }
    }
    let v = v.and_then(Result::ok);
    let clean = clean.and_then(Result::ok);

    // 3. Every readable known CA is named.
    if !too_long {
        for cert in &certs {
            let Some(k) = qorgan::anchors::known::lookup(&cert.spki_hash()) else {
                continue;
            };
            tally("3: known-CA key checked");
            let strict = must_be_intercepted_known(&k);
            match &a {
                Some(a)
                    if names_known(&a.findings, &k, true)
                        && (!strict || a.verdict == VerdictKind::InterceptedKnown) => {}
                Some(a) => out.push(Violation {
                    invariant: Invariant::KnownCaReported,
                    class: format!("analyze says {:?}", a.verdict),
                    detail: format!(
                        "analyze says {:?} {:?} for a chain holding the key of \"{}\"",
                        a.verdict,
                        codes(&a.findings),
                        k.label
                    ),
                }),
                None if !certs.is_empty() => out.push(Violation {
                    invariant: Invariant::KnownCaReported,
                    class: "analyze gives no verdict".into(),
                    detail: format!(
                        "analyze gave no verdict for a chain holding the key of \"{}\"",
                        k.label
                    ),
                }),
                None => {}
            }
            if all_readable {
                match &v {
                    Some(v) if names_known(&v.findings, &k, false) && (!strict || v.verdict == VerdictKind::InterceptedKnown) => {}
                    Some(v) => out.push(Violation {
                        invariant: Invariant::KnownCaReported,
                        class: format!("analyze_validated says {:?}", v.verdict),
                        detail: format!(
                            "analyze_validated says {:?} {:?} for a chain holding the key of \"{}\"",
                            v.verdict,
                            codes(&v.findings),
                            k.label
                        ),
                    }),
                    None => {}
                }
            }
            if let Some(j) = &j {
                if !(names_known(&j.findings, &k, true)
                    && (!strict || j.verdict == CheckVerdict::InterceptedKnown))
                {
                    out.push(Violation {
                        invariant: Invariant::KnownCaReported,
                        class: format!("judge_handshake says {:?}{}", j.verdict, if all_readable { "" } else { " (unreadable certificate present)" }),
                        detail: format!(
                            "judge_handshake says {:?} {:?} for a presented chain holding the key of \"{}\"{}",
                            j.verdict,
                            codes(&j.findings),
                            k.label,
                            if all_readable { "" } else { " (and an unreadable certificate)" }
                        ),
                    });
                }
            }
        }
    }

    // 4. No disagreement in the dangerous direction. The platform's view: the path `analyze`
    //    built (leaf, intermediates, anchor), when its anchor is a presented certificate and the
    //    engine holds the chain's last certificate as an anchor with that key.
    if let (true, Some(a)) = (anchored, &a) {
        if let Some(view) = platform_view(&chain, a) {
            tally("4: platform view checked");
            check_platform_view(&engine, host, base.time, &view, &mut out);
        }
    }
    if let (Some(true), Some(v)) = (clean, &v) {
        if v.verdict != VerdictKind::Trusted || v.needs_report() {
            out.push(Violation {
                invariant: Invariant::NoDangerousDisagreement,
                class: format!("validated_clean true, analyze_validated {:?}", v.verdict),
                detail: format!(
                    "validated_clean says true, analyze_validated {:?} {:?}",
                    v.verdict,
                    codes(&v.findings)
                ),
            });
        }
    }
    if let (true, Some(a_now), Some(j)) = (all_readable, &a_now, &j) {
        if severity(j.verdict) < sev(a_now.verdict) {
            out.push(Violation {
                invariant: Invariant::NoDangerousDisagreement,
                class: format!(
                    "analyze {:?}, judge_handshake {:?}",
                    a_now.verdict, j.verdict
                ),
                detail: format!(
                    "analyze says {:?} {:?}, judge_handshake only {:?} {:?}",
                    a_now.verdict,
                    codes(&a_now.findings),
                    j.verdict,
                    codes(&j.findings)
                ),
            });
        }
    }
    // 5. Monotonicity.
    if let Some(a) = &a {
        let before = known_named(a);
        let intercepted = matches!(
            a.verdict,
            VerdictKind::InterceptedKnown | VerdictKind::InterceptedLocal
        );
        if (intercepted || !before.is_empty()) && !too_long {
            let mut grown = chain.clone();
            mutate::apply(c, &mut grown, &m.monotone);
            let grown_certs = readable(&grown);
            tally("5: monotone operation checked");
            if grown_certs.len() <= MAX_CHAIN_CERTIFICATES {
                let after = guarded("analyze", &mut out, || {
                    engine.analyze_with_facts(&grown_certs, Some(host), base.time)
                });
                match after {
                    None => {}
                    Some(Err(e)) => out.push(Violation {
                        invariant: Invariant::Monotonic,
                        class: "analyze error after a monotone op".into(),
                        detail: format!(
                            "{:?} {:?} became an error after {:?}: {e}",
                            a.verdict,
                            codes(&a.findings),
                            m.monotone
                        ),
                    }),
                    Some(Ok(b)) => {
                        let keeps_verdict = match a.verdict {
                            VerdictKind::InterceptedKnown => {
                                b.verdict == VerdictKind::InterceptedKnown
                            }
                            VerdictKind::InterceptedLocal => {
                                dangerous(b.verdict) && sev(b.verdict) >= sev(a.verdict)
                            }
                            _ => true,
                        };
                        let after_known = known_named(&b);
                        let lost: Vec<_> =
                            before.iter().filter(|k| !after_known.contains(k)).collect();
                        if !keeps_verdict || !lost.is_empty() {
                            out.push(Violation {
                                invariant: Invariant::Monotonic,
                                class: format!(
                                    "{:?} -> {:?}{} after {}",
                                    a.verdict,
                                    b.verdict,
                                    if lost.is_empty() {
                                        ""
                                    } else {
                                        ", known-CA finding lost"
                                    },
                                    format!("{:?}", m.monotone)
                                        .split([' ', '('])
                                        .next()
                                        .unwrap_or_default()
                                ),
                                detail: format!(
                                    "{:?} {:?} became {:?} {:?} after {:?} (lost {lost:?})",
                                    a.verdict,
                                    codes(&a.findings),
                                    b.verdict,
                                    codes(&b.findings),
                                    m.monotone
                                ),
                            });
                        }
                    }
                }
            }
        }
    }
    out
}

/// For a certificate that is not self-issued and whose issuer is the subject of a Mozilla root:
/// whether that root's key verifies its signature (x509-parser). `None` otherwise.
fn issuer_name_signature(der: &[u8]) -> Option<bool> {
    use x509_parser::prelude::*;
    let (_, c) = X509Certificate::from_der(der).ok()?;
    if c.issuer().as_raw() == c.subject().as_raw() {
        return None;
    }
    let mut named = false;
    for r in webpki_root_certs::TLS_SERVER_ROOT_CERTS {
        let Ok((_, root)) = X509Certificate::from_der(r) else {
            continue;
        };
        if root.subject().as_raw() == c.issuer().as_raw() {
            named = true;
            if c.verify_signature(Some(root.public_key())).is_ok() {
                return Some(true);
            }
        }
    }
    named.then_some(false)
}

/// Invariant 4 on the chain a platform would hand over (see [`platform_view`]): `analyze` of
/// it against `analyze_validated` and `validated_clean` of it.
fn check_platform_view(
    engine: &Engine,
    host: &str,
    time: Option<i64>,
    view: &[Vec<u8>],
    out: &mut Vec<Violation>,
) {
    let view_refs: Vec<&[u8]> = view.iter().map(Vec::as_slice).collect();
    // `analyze` of what the platform hands over (certificates the server sent off the
    // path are not part of it).
    let view_certs = readable(view);
    let a = match guarded("analyze", out, || {
        engine.analyze_with_facts(&view_certs, Some(host), time)
    }) {
        Some(Ok(a)) => a,
        _ => return,
    };
    let a = &a;
    if dangerous(a.verdict) {
        tally(format!("4: platform view with analyze {:?}", a.verdict));
    }
    let pv = guarded("analyze_validated", out, || {
        engine.analyze_validated(&view_refs, Some(host))
    });
    let pc = guarded("validated_clean", out, || {
        engine.validated_clean(&view_refs, Some(host))
    });
    // Whether the last certificate is not self-issued and the Mozilla root its issuer names
    // signed it: splits the fast path's anchor-by-name class into forged names and real ones.
    let how = match issuer_name_signature(view.last().map(Vec::as_slice).unwrap_or_default()) {
        None => "",
        Some(true) => " (last certificate signed by the public root its issuer names)",
        Some(false) => " (last certificate NOT signed by the public root its issuer names)",
    };
    match (pv, pc) {
        (Some(Ok(pv)), Some(Ok(pc))) => {
            if dangerous(a.verdict) && sev(pv.verdict) < sev(a.verdict) {
                out.push(Violation {
                    invariant: Invariant::NoDangerousDisagreement,
                    class: format!(
                        "analyze {:?}, analyze_validated {:?}{how}",
                        a.verdict, pv.verdict
                    ),
                    detail: format!(
                        "analyze says {:?} {:?}, analyze_validated (on the built path of {}) only {:?} {:?}",
                        a.verdict,
                        codes(&a.findings),
                        view.len(),
                        pv.verdict,
                        codes(&pv.findings)
                    ),
                });
            }
            if dangerous(a.verdict) && pc {
                out.push(Violation {
                    invariant: Invariant::NoDangerousDisagreement,
                    class: format!("analyze {:?}, validated_clean true{how}", a.verdict),
                    detail: format!(
                        "analyze says {:?} {:?}, validated_clean (on the built path of {}) true",
                        a.verdict,
                        codes(&a.findings),
                        view.len()
                    ),
                });
            }
        }
        (Some(pv), Some(pc)) => out.push(Violation {
            invariant: Invariant::ErrorsOnlyForUnusableInput,
            class: "fast path error on a built path".into(),
            detail: format!(
                "on the path analyze built: analyze_validated {:?}, validated_clean {:?}",
                pv.map(|v| v.verdict),
                pc
            ),
        }),
        _ => {}
    }
}

/// The chain a platform that validated it would hand over: the path `analyze` built, leaf
/// first, by the certificates' fingerprints, ending with the anchor, which must be a presented
/// certificate and the chain's last certificate's key. `None` when there is no such path.
fn platform_view(chain: &[Vec<u8>], a: &Verdict) -> Option<Vec<Vec<u8>>> {
    let anchor = a.anchor.as_ref()?;
    let last = Certificate::from_der(chain.last()?.clone(), 1).ok()?;
    if anchor.spki_sha256 != last.spki_hash().hex() {
        return None;
    }
    let by_fingerprint = |fp: &str| {
        chain
            .iter()
            .find(|d| {
                Certificate::from_der(d.to_vec(), 1)
                    .is_ok_and(|c| qorgan::SpkiHash(c.fingerprint()).hex() == fp)
            })
            .cloned()
    };
    let mut view = Vec::new();
    for e in &a.path {
        view.push(by_fingerprint(&e.facts.as_ref()?.sha256)?);
    }
    let last_entry = a.path.last()?;
    (last_entry.role == qorgan::PathRole::Anchor && last_entry.presented).then_some(view)
}

fn violates(c: &Corpus, m: &Mutant, inv: Invariant, class: &str) -> bool {
    check(c, m)
        .iter()
        .any(|v| v.invariant == inv && v.class == class)
}

/// Drops steps, then certificates after the leaf, while the mutant still breaks `inv` the same
/// way (`class`).
fn minimize(c: &Corpus, m: &Mutant, inv: Invariant, class: &str) -> Mutant {
    let mut m = m.clone();
    let mut changed = true;
    while changed {
        changed = false;
        for i in 0..m.steps.len() {
            let mut t = m.clone();
            t.steps.remove(i);
            if violates(c, &t, inv, class) {
                m = t;
                changed = true;
                break;
            }
        }
    }
    let len = chain_of(c, &m).len();
    let mut keep: Vec<usize> = (1..len).collect();
    for i in (1..len).rev() {
        let fewer: Vec<usize> = keep.iter().copied().filter(|&k| k != i).collect();
        let mut t = m.clone();
        t.steps.push(Mutation::Keep(fewer.clone()));
        if violates(c, &t, inv, class) {
            keep = fewer;
        }
    }
    if keep.len() + 1 < len {
        m.steps.push(Mutation::Keep(keep));
    }
    m
}

fn describe(c: &Corpus, m: &Mutant) -> String {
    let base = &c.bases[m.base];
    let steps: Vec<String> = m
        .steps
        .iter()
        .map(|s| {
            let donor = match s {
                Mutation::SetIssuer { name: d, .. }
                | Mutation::SetSubject { name: d, .. }
                | Mutation::SetSpki { key: d, .. }
                | Mutation::SetAnchorIssuer(d)
                | Mutation::Append(d)
                | Mutation::Insert { donor: d, .. }
                | Mutation::PadTo { donor: d, .. } => {
                    format!(" [{}]", mutate::describe_donor(c, *d))
                }
                _ => String::new(),
            };
            format!("{s:?}{donor}")
        })
        .collect();
    format!(
        "base {} (host {}, {} certificates) steps [{}]; monotone op {:?}; caller anchor user_added={}, pins {:?}, platform_trusted {:?}; mutated chain: {} certificates",
        base.name,
        base.host,
        base.chain.len(),
        steps.join(", "),
        m.monotone,
        m.user_added,
        m.pins,
        m.platform_trusted,
        chain_of(c, m).len(),
    )
}

fn random_mutant(rng: &mut Rng, c: &Corpus, base: Option<usize>) -> Mutant {
    let base = base.unwrap_or_else(|| rng.below(c.bases.len()));
    let steps = match base {
        _ if rng.chance(2) => Vec::new(),
        _ => {
            let n = if rng.chance(60) { 1 } else { 2 + rng.below(2) };
            (0..n).map(|_| mutate::random_step(rng, c)).collect()
        }
    };
    Mutant {
        base,
        steps,
        monotone: mutate::random_monotone(rng, c),
        user_added: rng.chance(30),
        pins: [Pins::None, Pins::None, Pins::Nothing, Pins::BaseLeaf][rng.below(4)],
        platform_trusted: [Some(true), Some(false), None][rng.below(3)],
    }
}

fn env_usize(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(default)
}

#[test]
fn mutants_keep_every_invariant() {
    let c = corpus();
    let count = env_usize("QORGAN_ADVERSARIAL_MUTANTS", DEFAULT_MUTANTS as u64) as usize;
    let seed = env_usize("QORGAN_ADVERSARIAL_SEED", DEFAULT_SEED);
    let mut rng = Rng::new(seed);
    // Every base unmutated first, then random mutants.
    let mut mutants: Vec<Mutant> = (0..c.bases.len())
        .map(|b| {
            let mut m = random_mutant(&mut rng, c, Some(b));
            m.steps.clear();
            m
        })
        .collect();
    mutants.extend((0..count).map(|_| random_mutant(&mut rng, c, None)));

    TALLY.with(|t| *t.borrow_mut() = Some(BTreeMap::new()));
    let started = std::time::Instant::now();
    let mut by_invariant: BTreeMap<Invariant, BTreeMap<String, Vec<(usize, String)>>> =
        BTreeMap::new();
    let mut failing_mutants = 0;
    for (n, m) in mutants.iter().enumerate() {
        let found = check(c, m);
        failing_mutants += usize::from(!found.is_empty());
        for v in found {
            by_invariant
                .entry(v.invariant)
                .or_default()
                .entry(v.class)
                .or_default()
                .push((n, v.detail));
        }
    }
    let elapsed = started.elapsed();
    let coverage = TALLY.with(|t| t.borrow_mut().take()).unwrap_or_default();

    let mut report = format!(
        "adversarial suite: {} bases, {} mutants (seed {seed:#x}, {count} random), {:.1} s; {failing_mutants} mutants break an invariant\n",
        c.bases.len(),
        mutants.len(),
        elapsed.as_secs_f64()
    );
    report.push_str("coverage:");
    for (k, n) in &coverage {
        report.push_str(&format!(" {k} {n};"));
    }
    report.push('\n');
    for (inv, classes) in &by_invariant {
        let total: usize = classes.values().map(Vec::len).sum();
        report.push_str(&format!("\n== {inv:?}: {total} violations\n"));
        for (k, (class, list)) in classes.iter().enumerate() {
            report.push_str(&format!("  * {class}: {}\n", list.len()));
            if k >= REPRODUCERS {
                continue;
            }
            let (n, detail) = &list[0];
            let small = minimize(c, &mutants[*n], *inv, class);
            let detail = check(c, &small)
                .into_iter()
                .find(|v| v.invariant == *inv && v.class == *class)
                .map(|v| v.detail)
                .unwrap_or_else(|| detail.clone());
            report.push_str(&format!(
                "      mutant #{n}: {detail}\n      minimized: {}\n",
                describe(c, &small)
            ));
        }
    }
    eprintln!("{report}");
    assert!(
        by_invariant.is_empty(),
        "invariants broken; see the summary above"
    );
}

// ---- Focused regressions: one per class of violation the suite found on 2026-12-07 ----------
//
// Each uses a certificate under tests/data/adversarial/ (made by `make_adversarial_files`
// below, from the corpora, as its README says) or the corpora themselves.

fn adversarial_file(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/adversarial")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn test_ca_der(rel: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/test-ca")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn cert(der: &[u8]) -> Certificate {
    Certificate::from_der(der.to_vec(), 1).expect("readable by the DER walker")
}

fn engine_trusting(anchors: &[&[u8]], user_added: bool) -> Engine {
    Engine::new(EngineConfig {
        anchors: anchors
            .iter()
            .map(|d| CallerAnchor {
                certificate: cert(d),
                user_added,
            })
            .collect(),
        ..EngineConfig::default()
    })
    .expect("an engine")
}

/// The Qaznet Trust Network root (data/interception/certs/00309c73….pem).
fn qaznet_root() -> Vec<u8> {
    corpus::ders(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/interception/certs/00309c736dd661da6f1eb24173aa849944c168a43a15bffd192eecfdb6f8dbd2.pem"),
    )
    .remove(0)
}

/// Recreates tests/data/adversarial/ from the corpora (run with `--ignored`; the files are
/// committed, so this is only the record of how they were made).
#[test]
#[ignore]
fn make_adversarial_files() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/adversarial");
    std::fs::create_dir_all(&dir).unwrap();
    let c = corpus();
    let local_root = test_ca_der("local-root/root.der");
    // 1. The local root with ISRG Root X1's subject as its issuer (not re-signed).
    let isrg_subject = der::get_field(&c.isrg, der::Field::Subject).unwrap();
    let renamed = der::set_field(&local_root, der::Field::Issuer, &isrg_subject).unwrap();
    std::fs::write(dir.join("local-root-issuer-isrg-root-x1.der"), renamed).unwrap();
    // 2. The Qaznet root with its notBefore's first digit replaced by 'X'.
    let mut tree = der::parse(&qaznet_root()).unwrap();
    let tbs = der::tbs_mut(&mut tree).unwrap();
    let validity = &mut tbs[4]; // [0] version, serial, signature, issuer, validity
    let Some(der::Node::Prim(_, not_before)) = validity.children_mut().unwrap().get_mut(0) else {
        panic!("notBefore");
    };
    not_before[0] = b'X';
    std::fs::write(dir.join("qaznet-root-bad-not-before.der"), tree.encode()).unwrap();
    // 3. The local root with its basicConstraints extension duplicated.
    let mut tree = der::parse(&local_root).unwrap();
    let exts = der::extensions_mut(&mut tree).unwrap();
    let bc = exts
        .iter()
        .position(|e| {
            e.encode()
                .windows(5)
                .any(|w| w == [0x06, 0x03, 0x55, 0x1d, 0x13])
        })
        .unwrap();
    let copy = exts[bc].clone();
    exts.insert(bc + 1, copy);
    std::fs::write(
        dir.join("local-root-duplicate-basic-constraints.der"),
        tree.encode(),
    )
    .unwrap();
    // 4. Five bytes the DER walker refuses (a SET, not a certificate): what the suite's
    //    AppendUnreadable step appends.
    std::fs::write(
        dir.join("unreadable-junk.bin"),
        [0x31, 0x03, 0x57, 0x57, 0x57],
    )
    .unwrap();
}

/// Invariant 4, hole (1) of the brief: a user-installed root whose issuer field copies ISRG
/// Root X1's name. `analyze` builds the path to it (`intercepted_local`); the fast paths take
/// the anchor by the issuer name, without a signature, and answer a clean `trusted`.
#[test]
fn validated_paths_take_an_anchor_by_issuer_name_without_a_signature() {
    let leaf = test_ca_der("local-root/leaf.der");
    let root = adversarial_file("local-root-issuer-isrg-root-x1.der");
    let engine = engine_trusting(&[&root], true);
    let a = engine
        .analyze_with_facts(&[cert(&leaf), cert(&root)], Some("localhost"), None)
        .unwrap();
    assert_eq!(
        a.verdict,
        VerdictKind::InterceptedLocal,
        "{:?}",
        codes(&a.findings)
    );
    let chain: [&[u8]; 2] = [&leaf, &root];
    let v = engine.analyze_validated(&chain, Some("localhost")).unwrap();
    let clean = engine.validated_clean(&chain, Some("localhost")).unwrap();
    assert!(
        sev(v.verdict) >= sev(a.verdict) && !clean,
        "analyze {:?}; analyze_validated {:?} {:?} (anchor {:?}); validated_clean {clean}",
        a.verdict,
        v.verdict,
        codes(&v.findings),
        v.anchor.as_ref().map(|a| &a.subject)
    );
}

/// Invariant 4, the same code path with real certificates: the device trusts Amazon's
/// intermediate itself as an anchor (caller anchor). `analyze` stops at that anchor, whose key no
/// program holds (`intercepted_local`); the fast paths take the anchor named by its issuer,
/// Amazon Root CA 1, and say `trusted`. Here the name happens to be right (Amazon Root CA 1 did
/// sign it), so the two must agree one way or the other.
#[test]
fn an_intermediate_trusted_as_an_anchor_is_judged_alike_by_both_paths() {
    let chain = corpus::ders(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/real-chains/limbo-online/amazon.com.chain.pem"),
    );
    assert_eq!(chain.len(), 2);
    let engine = engine_trusting(&[&chain[1]], false);
    let leaf = cert(&chain[0]);
    let f = qorgan::CertificateFacts::of(&leaf, 1).unwrap();
    let t = f.not_before_unix / 2 + f.not_after_unix / 2;
    let a = engine
        .analyze_with_facts(&[leaf, cert(&chain[1])], Some("amazon.com"), Some(t))
        .unwrap();
    let refs: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
    let v = engine.analyze_validated(&refs, Some("amazon.com")).unwrap();
    let clean = engine.validated_clean(&refs, Some("amazon.com")).unwrap();
    assert!(
        !dangerous(a.verdict) || (sev(v.verdict) >= sev(a.verdict) && !clean),
        "analyze {:?} {:?}; analyze_validated {:?} {:?}; validated_clean {clean}",
        a.verdict,
        codes(&a.findings),
        v.verdict,
        codes(&v.findings)
    );
}

/// Invariants 2 and 3, hole (2) of the brief: a known interception root with a broken
/// notBefore: the DER walker reads it (its key is the Qaznet key), the X.509 reader refuses it,
/// and `analyze` fails, so neither `analyze` nor `judge_handshake` names Qaznet; alone and in a
/// chain. `analyze_validated` names it.
#[test]
fn a_certificate_the_x509_reader_refuses_hides_a_known_ca() {
    let broken = adversarial_file("qaznet-root-bad-not-before.der");
    let c = cert(&broken);
    let k = qorgan::anchors::known::lookup(&c.spki_hash()).expect("the Qaznet key");
    let leaf = test_ca_der("local-root/leaf.der");
    let root = test_ca_der("local-root/root.der");
    let engine = engine_trusting(&[&root], false);
    let v = engine
        .analyze_validated(&[&broken], Some("example.com"))
        .unwrap();
    assert!(names_known(&v.findings, &k, false));
    let mut failures = Vec::new();
    for chain in [vec![broken.clone()], vec![leaf, broken.clone(), root]] {
        let certs: Vec<Certificate> = chain.iter().map(|d| cert(d)).collect();
        match engine.analyze_with_facts(&certs, Some("localhost"), None) {
            Ok(a)
                if a.verdict == VerdictKind::InterceptedKnown
                    && names_known(&a.findings, &k, true) => {}
            other => failures.push(format!(
                "analyze of {} certificates: {:?}",
                chain.len(),
                other.map(|a| (a.verdict, codes(&a.findings)))
            )),
        }
        let j = judge_handshake(&engine, observation("localhost", &chain, Some(true)));
        if !(j.verdict == CheckVerdict::InterceptedKnown && names_known(&j.findings, &k, true)) {
            failures.push(format!(
                "judge_handshake of {} certificates: {:?} {:?}",
                chain.len(),
                j.verdict,
                j.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Invariant 2, hole (3) of the brief: a trusted root with its basicConstraints extension
/// twice (readable by the DER walker, and the device's trust store holds what it holds) makes
/// `Engine::new` fail, so nothing can be judged with that store.
#[test]
fn engine_new_accepts_a_readable_anchor_with_a_duplicate_extension() {
    let root = adversarial_file("local-root-duplicate-basic-constraints.der");
    let engine = Engine::new(EngineConfig {
        anchors: vec![CallerAnchor {
            certificate: cert(&root),
            user_added: true,
        }],
        ..EngineConfig::default()
    });
    let engine = engine.expect("Engine::new refuses a readable caller anchor");
    let leaf = test_ca_der("local-root/leaf.der");
    let v = engine
        .analyze_validated(&[&leaf, &root], Some("localhost"))
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::InterceptedLocal);
}

/// Invariant 3 for `judge_handshake`: one unreadable certificate in the presented chain (five
/// junk bytes after the Qaznet root) and the judgement is `untrusted` with an
/// `invalid_certificate` finding; the readable Qaznet root is not named.
#[test]
fn an_unreadable_presented_certificate_hides_a_known_ca_from_judge_handshake() {
    let qaznet = qaznet_root();
    let k = qorgan::anchors::known::lookup(&cert(&qaznet).spki_hash()).unwrap();
    let engine = engine_trusting(&[&test_ca_der("local-root/root.der")], false);
    let chain = vec![qaznet, adversarial_file("unreadable-junk.bin")];
    let j = judge_handshake(&engine, observation("example.com", &chain, Some(true)));
    assert!(
        j.verdict == CheckVerdict::InterceptedKnown && names_known(&j.findings, &k, true),
        "{:?} {:?}",
        j.verdict,
        codes(&j.findings)
    );
}

/// Invariant 5: a chain sent root first is put leaf first by `analyze` (`intercepted_local`
/// through the user-installed local root); append one more certificate that is not a CA (any
/// other server's leaf) and the reordering no longer happens: the root is taken as the leaf and
/// the verdict drops to `invalid`. The interception is no longer reported.
#[test]
fn an_appended_leaf_undoes_the_reordering_and_hides_a_local_anchor() {
    let root = test_ca_der("local-root/root.der");
    let leaf = test_ca_der("local-root/leaf.der");
    let other = test_ca_der("unknown-root/leaf.der");
    let engine = engine_trusting(&[&root], true);
    let reversed = [cert(&root), cert(&leaf)];
    let a = engine
        .analyze_with_facts(&reversed, Some("localhost"), None)
        .unwrap();
    assert_eq!(
        a.verdict,
        VerdictKind::InterceptedLocal,
        "{:?}",
        codes(&a.findings)
    );
    let grown = [cert(&root), cert(&leaf), cert(&other)];
    let b = engine
        .analyze_with_facts(&grown, Some("localhost"), None)
        .unwrap();
    assert!(
        matches!(
            b.verdict,
            VerdictKind::InterceptedLocal
                | VerdictKind::PinViolation
                | VerdictKind::InterceptedKnown
        ),
        "{:?} {:?}",
        b.verdict,
        codes(&b.findings)
    );
}

/// Invariant 5 with unmodified certificates: the ISCA root of 2020-02-28 06:30 (Kazakhstan
/// reused one name for several roots) sent alone is a CA used as a leaf, so `analyze` finds its
/// anchor by name only, and the last of the same-named bundled roots, the 06:48 one, is named
/// too (its key signed nothing here). Append any leaf and that leaf is taken as the chain's
/// leaf: the 06:48 root is no longer named. A known CA named before a certificate was added
/// must still be named after (or not be named on a name alone in the first place).
#[test]
fn adding_a_leaf_drops_a_known_ca_named_by_name_only() {
    let isca = corpus::ders(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "data/interception/certs/06fd20629c143b9eab28d2799caefc5d23fde267d16c631e3f5b8b4bab3f68e6.pem",
    ))
    .remove(0);
    let engine = engine_trusting(&[&test_ca_der("local-root/root.der")], false);
    let alone = engine
        .analyze_with_facts(&[cert(&isca)], Some("example.com"), None)
        .unwrap();
    let grown = engine
        .analyze_with_facts(
            &[cert(&isca), cert(&test_ca_der("unknown-root/leaf.der"))],
            Some("example.com"),
            None,
        )
        .unwrap();
    let before = known_named(&alone);
    let after = known_named(&grown);
    assert!(
        before.iter().all(|k| after.contains(k)),
        "alone: {:?} {before:?}; with a leaf appended: {:?} {after:?}",
        alone.verdict,
        grown.verdict
    );
}

/// The `fast_paths` fuzz target (tests/fuzz/harness.rs) catches the anchor-by-name class: the
/// chain of `validated_paths_take_an_anchor_by_issuer_name_without_a_signature` in the fuzz
/// framing (host "localhost", see `harness::split_chain`).
#[test]
fn the_fast_paths_fuzz_target_catches_the_anchor_by_name_class() {
    let leaf = test_ca_der("local-root/leaf.der");
    let root = adversarial_file("local-root-issuer-isrg-root-x1.der");
    let framed = harness::join_chain(0b0000_0001, &[&leaf, &root]);
    assert_eq!(harness::split_chain(&framed).0, Some("localhost"));
    let outcome = catch_unwind(|| harness::fast_paths(&framed));
    assert!(
        outcome.is_ok(),
        "harness::fast_paths: {}",
        outcome.err().map(panic_message).unwrap_or_default()
    );
}

/// Invariant 5, hole (11) of the brief: path building that runs out of budget. The chain leaf
/// <- intermediate <- root (a user-installed anchor) is `intercepted_local`. Send before the
/// intermediate 12 twins of it (its name and key, issued by a "twin issuer") and 12 twin issuers
/// that name the root as their issuer but are signed by another key: 144 paths reach the root by
/// name and fail its signature check, more than rustls-webpki's budget of 100 checks, and the
/// verdict drops to `untrusted` (`path_too_complex`). The interception must still be reported
/// (tests/data/adversarial/budget/, made by make-signed.sh).
#[test]
fn padding_that_exhausts_the_path_budget_keeps_the_local_anchor() {
    let f = |n: &str| adversarial_file(&format!("budget/{n}.der"));
    let root = f("root");
    let engine = engine_trusting(&[&root], true);
    let short = [cert(&f("leaf")), cert(&f("int")), cert(&root)];
    let a = engine
        .analyze_with_facts(&short, Some("localhost"), None)
        .unwrap();
    assert_eq!(
        a.verdict,
        VerdictKind::InterceptedLocal,
        "{:?}",
        codes(&a.findings)
    );
    let mut padded = vec![cert(&f("leaf"))];
    for i in 1..=12 {
        padded.push(cert(&f(&format!("twin-{i:02}"))));
    }
    for i in 1..=12 {
        padded.push(cert(&f(&format!("twin-issuer-{i:02}"))));
    }
    padded.push(cert(&f("int")));
    padded.push(cert(&root));
    let b = engine
        .analyze_with_facts(&padded, Some("localhost"), None)
        .unwrap();
    assert!(
        dangerous(b.verdict) && sev(b.verdict) >= sev(a.verdict),
        "{} certificates: {:?} {:?}",
        padded.len(),
        b.verdict,
        codes(&b.findings)
    );
}

/// Hole (9) of the brief, first half: a leaf signed with Superfish's leaked key whose issuer is
/// Superfish's name in UTF8String rather than the root's PrintableString (the same name by
/// RFC 5280's rules; an interceptor chooses the encoding). Sent without the root. The known-CA
/// signature check compares issuer names byte for byte and misses it.
#[test]
fn a_superfish_leaf_with_a_reencoded_issuer_name_is_named() {
    superfish_signed_leaf_is_named("superfish-utf8-issuer-leaf.der");
}

/// Hole (9) of the brief, second half: a leaf signed by Superfish's RSA-1024 key with
/// RSA-SHA384 (sent without the root): the known-CA signature check has SHA-384 only for keys
/// of 2048 bits and more.
#[test]
fn a_superfish_leaf_signed_with_sha384_is_named() {
    superfish_signed_leaf_is_named("superfish-sha384-leaf.der");
}

fn superfish_signed_leaf_is_named(file: &str) {
    let engine = engine_trusting(&[&test_ca_der("local-root/root.der")], false);
    // The control: tests/test-ca/superfish/leaf.der, the same leaf signed with SHA-256 under
    // the root's own name.
    let control = engine
        .analyze_with_facts(
            &[cert(&test_ca_der("superfish/leaf.der"))],
            Some("localhost"),
            None,
        )
        .unwrap();
    assert_eq!(control.verdict, VerdictKind::InterceptedKnown);
    let leaf = adversarial_file(file);
    let a = engine
        .analyze_with_facts(&[cert(&leaf)], Some("localhost"), None)
        .unwrap();
    assert!(
        a.verdict == VerdictKind::InterceptedKnown && a.interception_ca().is_some(),
        "{:?} {:?}",
        a.verdict,
        codes(&a.findings)
    );
}

//! One crossing per handshake (issue 14): the decision, the explanation and the report that
//! every shell needs, in one [`Evaluation`], so that Kotlin and Swift no longer ask for the
//! verdict, then its acceptability, then whether to report, then the report, and no longer keep
//! their own copies of the rules that choose the explaining finding or the responsible CA.
//!
//! The rules themselves are the engine's ([`qorgan::Decision`]); this is the exported record
//! and the report delivery around them, in its own `#[uniffi::export] impl Qorgan` block.

use qorgan::{Decision, Finding, Remedy, Report, Verdict};

use crate::api::{guarded, Qorgan, QorganError};

/// Everything a shell needs to decide on one connection, from one call.
#[derive(Debug, Clone, uniffi::Record)]
pub struct Evaluation {
    /// Qorgan's verdict; `None` when the engine could not decide (see `failure`).
    pub verdict: Option<Verdict>,
    /// Why the engine could not decide. Enforce mode refuses then (fails closed); report-only
    /// lets a platform-validated connection through.
    pub failure: Option<QorganError>,
    /// Whether the connection may proceed under the caller's mode. Enforce: what
    /// `verdict_is_acceptable` accepts (never on a failure). Report-only: always, for a chain the
    /// platform validated. A chain the platform rejected: never.
    pub acceptable: bool,
    /// Whether the verdict deserves a report (`verdict_needs_report`); false on a failure.
    pub needs_report: bool,
    /// The finding that explains the verdict (the one a refusal names), if any.
    pub main_finding: Option<Finding>,
    /// The CA responsible: a known interception CA's label (or a government root's name), else
    /// the non-public anchor's name. `None` when no CA is to blame (a wrong host name under a
    /// public root, for example).
    pub interception_ca: Option<String>,
    /// What the app's owner can do about a refusal: allow a non-public anchor that is theirs
    /// (its pin), or nothing but remove a known interception CA. Each shell words it in its own
    /// API; the rule is the engine's.
    pub remedy: Remedy,
    /// The report, when one is due and was asked for: delivered to the sink, or suppressed as a
    /// duplicate within the deduplication window.
    pub report: Option<Report>,
    /// Why the report could not be built or delivered (a throwing sink arrives as
    /// [`QorganError::Callback`]). Never changes the decision.
    pub report_failure: Option<QorganError>,
}

/// Where a due report goes: host, port, served chain, validated chain (empty: rejected).
struct Delivery {
    host: String,
    port: u16,
    served: Vec<Vec<u8>>,
    validated: Vec<Vec<u8>>,
}

impl Qorgan {
    fn evaluation(
        &self,
        outcome: Result<Verdict, QorganError>,
        decide: impl FnOnce(&Verdict) -> Decision,
        failure_acceptable: bool,
        deliver: Option<Delivery>,
    ) -> Evaluation {
        let verdict = match outcome {
            Ok(v) => v,
            Err(failure) => {
                return Evaluation {
                    verdict: None,
                    failure: Some(failure),
                    acceptable: failure_acceptable,
                    needs_report: false,
                    main_finding: None,
                    interception_ca: None,
                    remedy: Remedy::None,
                    report: None,
                    report_failure: None,
                }
            }
        };
        let decision = decide(&verdict);
        let (mut report, mut report_failure) = (None, None);
        if decision.needs_report {
            if let Some(Delivery {
                host,
                port,
                served,
                validated,
            }) = deliver
            {
                match self.report(host, port, served, validated, verdict.clone()) {
                    Ok(r) => report = Some(r),
                    Err(e) => report_failure = Some(e),
                }
            }
        }
        Evaluation {
            acceptable: decision.acceptable,
            needs_report: decision.needs_report,
            main_finding: decision.main_finding,
            interception_ca: decision.interception_ca,
            remedy: decision.remedy,
            verdict: Some(verdict),
            failure: None,
            report,
            report_failure,
        }
    }
}

#[uniffi::export]
impl Qorgan {
    /// The one call for a chain the platform validated (leaf first, anchor last): the fast-path
    /// verdict (`analyze_validated`), whether the connection may proceed under the caller's mode
    /// (`enforce`: what `verdict_is_acceptable` accepts; report-only: everything), whether it
    /// needs a report, the finding that explains it, the CA responsible and, when due and
    /// `deliver_report` is set, the report (built and delivered through the sink, deduplicated
    /// as [`Qorgan::report`] does). `served_chain` is what the server sent, for the report;
    /// empty: the validated chain is reported as both. Never fails: an engine error is the
    /// `failure`, refused in enforce mode (fail closed) and let through in report-only mode.
    pub fn evaluate_validated(
        &self,
        host: Option<String>,
        port: u16,
        served_chain: Vec<Vec<u8>>,
        validated_chain: Vec<Vec<u8>>,
        enforce: bool,
        deliver_report: bool,
    ) -> Evaluation {
        let outcome = guarded("evaluate_validated", || {
            let refs: Vec<&[u8]> = validated_chain.iter().map(Vec::as_slice).collect();
            Ok(self.engine().analyze_validated(&refs, host.as_deref())?)
        });
        let deliver = deliver_report.then(|| {
            let served = if served_chain.is_empty() {
                validated_chain.clone()
            } else {
                served_chain
            };
            Delivery {
                host: host.clone().unwrap_or_default(),
                port,
                served,
                validated: validated_chain,
            }
        });
        self.evaluation(
            outcome,
            |v| Decision::validated(v, enforce),
            Decision::failure_acceptable(true, enforce),
            deliver,
        )
    }

    /// The one call for a chain the platform rejected: a full `analyze` of what the server sent
    /// (leaf first) at the current time, so that the app hears who was in the middle, and the
    /// report (validation result "chain not trusted", delivered through the sink and
    /// deduplicated) when `deliver_report` is set. `acceptable` is always false: Qorgan never
    /// accepts what the platform refused. Never fails: an engine error is the `failure`.
    pub fn evaluate_rejected(
        &self,
        host: Option<String>,
        port: u16,
        served_chain: Vec<Vec<u8>>,
        deliver_report: bool,
    ) -> Evaluation {
        let outcome = guarded("evaluate_rejected", || {
            // Read as a probe reads a handshake: one unreadable certificate or an overlong
            // chain must not hide the interceptor the rest of it names.
            Ok(self
                .engine()
                .analyze_presented(served_chain.clone(), host.as_deref(), None)?)
        });
        let deliver = deliver_report.then(|| Delivery {
            host: host.clone().unwrap_or_default(),
            port,
            served: served_chain,
            validated: Vec::new(),
        });
        self.evaluation(
            outcome,
            Decision::rejected,
            Decision::failure_acceptable(false, false),
            deliver,
        )
    }
}

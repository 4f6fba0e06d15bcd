import Foundation

/// Decides whether a TLS connection may proceed, from the chain the platform validated (or
/// failed to validate), and reports interception.
///
/// ## What it adds to the platform's own check
///
/// The platform (SecTrust on iOS) answers "does this chain lead to an anchor this device
/// trusts?". An intercepting party makes that answer "yes" by getting its own root onto the
/// device: a configuration profile installed by the user, an employer's MDM, or a government
/// (Kazakhstan's "Qaznet Trust Network" roots of 2015-2020 were distributed exactly this way), or a
/// vendor root shipped with its private key (Superfish). The platform then trusts the forged
/// chain, and the app cannot tell. Qorgan asks the questions the platform does not:
///
/// - Is any key in the chain a known interception CA? (verdict `interceptedKnown`)
/// - Does the chain end at an anchor that no public root program contains, that is, one that
///   was added to this device? (verdict `interceptedLocal`)
///
/// ## Policy
///
/// Qorgan can only make the platform stricter, never more permissive:
///
/// - If the platform rejected the chain, the connection is refused in every mode. Qorgan still
///   analyzes what the server sent (full path building in Rust) so that the report says who
///   was in the middle.
/// - If the platform accepted it, `Mode.enforce` refuses every verdict the engine does not
///   accept (anything but a clean public chain or a non-public anchor listed in
///   `QorganConfig.allowedAnchorPins`), and fails closed when Qorgan itself cannot decide
///   (`QorganError`). `Mode.reportOnly` lets the connection through and reports.
/// - All of it is one call into the engine (`Qorgan.evaluateValidated`, or
///   `Qorgan.evaluateRejected` for a chain the platform refused), which returns the verdict, the
///   decision under the mode, the finding that explains it, the CA responsible and the report:
///   for every verdict other than `trusted`, and for a `trusted` one with something to say (a
///   report-only pin mismatch, expired pins), an RFC 7469 / TrustKit-style report delivered to
///   the sink (deduplicated). A failing sink never changes the decision.
/// - Pins (`QorganConfig.pinPolicy`, see `QorganPinPolicy`) are checked by the engine on the
///   validated chain: a mismatch is the verdict `pinViolation` (refused in enforce mode), or a
///   `pin_mismatch` warning on an otherwise unchanged verdict when the rule is report-only.
///
/// The evaluator is immutable and thread-safe; evaluations may run concurrently. Calls into the
/// engine are synchronous: call `evaluate` off the main thread (the URLSession glue does).
public final class QorganTrustEvaluator: Sendable {
    /// What happens when Qorgan does not like a chain the platform accepted.
    public enum Mode: String, Sendable, CaseIterable, CustomStringConvertible {
        /// Refuse the connection (and report it). Also refuses when Qorgan cannot decide.
        case enforce
        /// Let the connection through and report it: for rolling Qorgan out, or for apps that
        /// only want to measure interception.
        case reportOnly

        public var description: String { rawValue }
    }

    /// The engine (shared; it also holds the report sink and the deduplication memory).
    public let qorgan: Qorgan
    /// What a bad verdict does.
    public let mode: Mode

    /// Wraps an existing engine.
    public init(qorgan: Qorgan, mode: Mode = .enforce) {
        self.qorgan = qorgan
        self.mode = mode
    }

    /// Builds an engine from `config` and, when given, sets `reportHandler` as its report sink.
    ///
    /// - Throws: `QorganError.InvalidConfig` naming the bad entry (for example a malformed pin).
    public convenience init(
        config: QorganConfig = .ios(),
        mode: Mode = .enforce,
        reportHandler: QorganReportHandler? = nil
    ) throws {
        let qorgan = try Qorgan(config: config)
        if let reportHandler {
            qorgan.setReportSink(sink: reportHandler)
        }
        self.init(qorgan: qorgan, mode: mode)
    }

    /// Decides on one connection.
    ///
    /// - Parameters:
    ///   - host: the host name (or IP address) the app connected to.
    ///   - port: its port, for the report.
    ///   - servedChain: the certificates as the server sent them, leaf first (DER). Used for
    ///     the full analysis when the platform rejected the chain, and in the report.
    ///   - validatedChain: the chain the platform validated, leaf first and anchor last (DER),
    ///     or `nil` when the platform's validation failed.
    ///   - platformFailure: the platform's reason, when it failed (for the refusal message).
    ///   - anchorTrustedByUser: the platform says the user explicitly trusted the anchor
    ///     (`kSecTrustResultProceed` on Apple platforms); recorded in the decision and named in
    ///     a refusal, as corroboration of an `interceptedLocal` verdict.
    /// - Returns: the decision; it never throws. Use `TrustDecision.get()` for a throwing form.
    public func evaluate(
        host: String,
        port: UInt16 = 443,
        servedChain: [Data],
        validatedChain: [Data]?,
        platformFailure: String? = nil,
        anchorTrustedByUser: Bool = false
    ) -> TrustDecision {
        let platformAccepted = validatedChain != nil
        // One crossing: the verdict, whether this mode lets it through, the finding that explains
        // it, the CA responsible and the report when one is due (built, delivered to the sink,
        // deduplicated). An engine error comes back as `failure`, never thrown.
        let evaluation: Evaluation
        if let validatedChain {
            // The platform checked signatures, names and dates; Qorgan classifies the anchor
            // and looks for known interception keys (hash lookups, no signature work).
            evaluation = qorgan.evaluateValidated(
                host: host,
                port: port,
                servedChain: servedChain,
                validatedChain: validatedChain,
                enforce: mode == .enforce,
                deliverReport: true
            )
        } else {
            // The platform refused; Qorgan builds its own path over what the server sent so
            // that the report can name the interceptor (a Superfish or Qaznet chain fails on a
            // device that never installed the root).
            evaluation = qorgan.evaluateRejected(
                host: host,
                port: port,
                servedChain: servedChain,
                deliverReport: true
            )
        }

        let refusal: QorganTrustError.Reason?
        if !platformAccepted {
            refusal = .platformRejected(platformFailure ?? "the platform did not validate the chain")
        } else if evaluation.acceptable {
            refusal = nil
        } else if let verdict = evaluation.verdict {
            refusal = .verdict(verdict.verdict)
        } else {
            refusal = .qorganFailed(evaluation.failure ?? .Internal(reason: "the engine gave neither a verdict nor an error"))
        }

        return TrustDecision(
            host: host,
            port: port,
            mode: mode,
            platformAccepted: platformAccepted,
            anchorTrustedByUser: anchorTrustedByUser,
            verdict: evaluation.verdict,
            failure: evaluation.failure,
            refusal: refusal.map {
                QorganTrustError(
                    reason: $0,
                    host: host,
                    port: port,
                    verdict: evaluation.verdict,
                    anchorTrustedByUser: anchorTrustedByUser,
                    certificateAuthority: evaluation.interceptionCa,
                    finding: evaluation.mainFinding,
                    remedy: evaluation.remedy
                )
            },
            report: evaluation.report,
            reportFailure: evaluation.reportFailure
        )
    }
}

/// Alias for `QorganTrustEvaluator.Mode`.
public typealias QorganMode = QorganTrustEvaluator.Mode

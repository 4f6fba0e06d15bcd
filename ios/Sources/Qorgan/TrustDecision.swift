import Foundation

/// The outcome of `QorganTrustEvaluator.evaluate`: allow or refuse, and everything behind it.
public struct TrustDecision: Sendable {
    /// The host the decision is about.
    public let host: String
    /// Its port.
    public let port: UInt16
    /// The mode the decision was taken in.
    public let mode: QorganTrustEvaluator.Mode
    /// The platform validated the chain.
    public let platformAccepted: Bool
    /// The platform says the user explicitly trusted the anchor (`kSecTrustResultProceed`).
    public let anchorTrustedByUser: Bool
    /// Qorgan's verdict; `nil` when Qorgan could not decide (see `failure`).
    public let verdict: Verdict?
    /// Why Qorgan could not decide. Enforce mode refuses then (fails closed); report-only lets a
    /// platform-validated connection through.
    public let failure: QorganError?
    /// Why the connection must not proceed; `nil` when it may.
    public let refusal: QorganTrustError?
    /// The report built for this connection (delivered to the sink, or suppressed as a
    /// duplicate); `nil` for clean `trusted` chains (without a report-only pin mismatch) and
    /// when Qorgan could not decide.
    public let report: Report?
    /// Why the report could not be built or delivered (a throwing sink arrives as
    /// `QorganError.Callback`). Never changes the decision.
    public let reportFailure: QorganError?

    /// Whether the connection may proceed.
    public var isAllowed: Bool { refusal == nil }

    /// The verdict when the connection may proceed; throws the refusal otherwise.
    @discardableResult
    public func get() throws -> Verdict? {
        if let refusal { throw refusal }
        return verdict
    }
}

/// Why Qorgan refused a connection. Its `description` names the host, the CA responsible and the
/// finding that decided it, and says how to accept an enterprise proxy when that is possible,
/// so that it can be logged or shown as is.
public struct QorganTrustError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The kind of refusal.
    public enum Reason: Sendable, Equatable {
        /// Enforce mode, and the engine does not accept Qorgan's verdict (`Evaluation.acceptable`).
        case verdict(VerdictKind)
        /// The platform's own validation failed (refused in every mode); the platform's reason.
        case platformRejected(String)
        /// Enforce mode, and Qorgan could not decide: fail closed.
        case qorganFailed(QorganError)
    }

    /// The kind of refusal.
    public let reason: Reason
    /// The host connected to.
    public let host: String
    /// Its port.
    public let port: UInt16
    /// Qorgan's verdict, when it reached one (also for platform rejections).
    public let verdict: Verdict?
    /// The platform says the user explicitly trusted the anchor.
    public let anchorTrustedByUser: Bool

    /// The CA that put itself in the middle, by name: a known interception CA's label, else the
    /// non-public anchor's subject. `nil` when no CA is to blame (a wrong host name under a
    /// public root, for example). The engine's `Evaluation.interceptionCa`.
    public let certificateAuthority: String?

    /// The finding that decided the verdict: the engine's `Evaluation.mainFinding`.
    public let finding: Finding?

    /// What the app's owner can do: the engine's `Evaluation.remedy` (its rule; only the
    /// wording in this API is Swift's).
    public let remedy: Remedy

    public var description: String {
        let target = "\(host):\(port)"
        switch reason {
        case .verdict:
            var text = "Qorgan refused the connection to \(target): \(verdictSummary ?? "not acceptable")."
            if let hint = allowHint { text += " " + hint }
            return text
        case let .platformRejected(why):
            var text = "The platform rejected the certificate chain of \(target) (\(why))."
            if let summary = verdictSummary, verdict?.verdict != .trusted {
                text += " Qorgan: \(summary)."
            }
            return text
        case let .qorganFailed(error):
            return "Qorgan could not check the connection to \(target), and enforce mode fails closed: \(error.message)"
        }
    }

    public var errorDescription: String? { description }

    // MARK: - building the message

    /// `intercepted_local by "Qorgan Test Local Root": non_public_anchor (warning): This ...`
    private var verdictSummary: String? {
        guard let verdict else { return nil }
        var text = WireName.of(verdict.verdict)
        if let ca = certificateAuthority {
            text += ca.contains("\"") ? " by \(ca)" : " by \"\(ca)\""
        }
        if let finding {
            text += ": \(WireName.of(finding.code)) (\(WireName.of(finding.severity))): \(finding.message)"
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        if anchorTrustedByUser, verdict.verdict == .interceptedLocal {
            text += "; the platform says the user explicitly trusted this anchor"
        }
        return text
    }

    /// What the app owner can do, from the engine's `Evaluation.remedy`.
    private var allowHint: String? {
        switch remedy {
        case .removeKnownCa:
            return "A known interception CA cannot be allowed: whoever holds its key can read this traffic; remove it from the device's trusted certificates."
        case let .allowAnchor(pin):
            let name = verdict?.anchor?.subject ?? "this CA"
            return "If \"\(name)\" is your organisation's TLS proxy, add \"\(pin)\" to QorganConfig.allowedAnchorPins."
        case .none:
            return nil
        }
    }

    /// Any error out of the engine as a `QorganError` (the generated code can also throw its own
    /// `UniffiInternalError`, for example on a Rust panic outside Qorgan's guard).
    static func asQorganError(_ error: Error) -> QorganError {
        if let e = error as? QorganError { return e }
        return .Internal(reason: "unexpected error from the Qorgan engine: \(error)")
    }
}

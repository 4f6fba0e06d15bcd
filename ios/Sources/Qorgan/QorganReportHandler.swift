import Foundation

/// A `ReportSink` made from a closure: where Qorgan's interception reports reach the app.
///
/// ```swift
/// let evaluator = try QorganTrustEvaluator(
///     config: .ios(),
///     reportHandler: QorganReportHandler { report in
///         uploadQueue.async { upload(report.json) }   // keep the handler short
///     })
/// ```
///
/// The engine calls the handler synchronously, on the thread that evaluated the connection
/// (during the TLS handshake), so the handler must be quick and must not block: hand the report
/// to a queue and return. Reports arrive already deduplicated (`QorganConfig.reportDedupSeconds`).
/// `Report.json` is the RFC 7469 / TrustKit-shaped document, ready to upload.
///
/// A handler that throws does not crash anything and does not change the connection's decision:
/// the error comes back as `QorganError.Callback` (in `TrustDecision.reportFailure`, or from
/// `Qorgan.report`). Reports are about the user's traffic being read: send them only where the
/// app's privacy policy says they go.
public final class QorganReportHandler: ReportSink {
    /// The closure type; `@Sendable` because reports may arrive on any thread.
    public typealias Handler = @Sendable (Report) throws -> Void

    private let handler: Handler

    /// Wraps `handler`.
    public init(_ handler: @escaping Handler) {
        self.handler = handler
    }

    /// Called by the engine with each report.
    public func onReport(report: Report) throws {
        try handler(report)
    }
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends one report upload. `QorganReportUploader` builds the request; the transport sends it.
///
/// The default, `URLSessionReportTransport`, uses an ephemeral `URLSession`. Supply another to
/// go through the app's own networking stack.
public protocol ReportTransport: Sendable {
    /// Sends `request` and calls `completion` exactly once, on any thread, with the HTTP status
    /// code of the response, or with the error that prevented one. Must not block the caller.
    func send(_ request: URLRequest, completion: @escaping @Sendable (Result<Int, Error>) -> Void)
}

extension URLSession {
    /// An ephemeral session with no delegate (so the system's own trust, never a Qorgan
    /// evaluator or pins), no cookies and no cache: what reports and bundles are sent over.
    static func qorganOwn() -> URLSession {
        let config = URLSessionConfiguration.ephemeral
        config.httpShouldSetCookies = false
        config.httpCookieAcceptPolicy = .never
        config.urlCache = nil
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        return URLSession(configuration: config)
    }
}

/// `ReportTransport` over `URLSession` (FoundationNetworking on Linux).
///
/// The session has no delegate, so no pinning and no Qorgan evaluator applies to it: a report
/// about a pin failure must not itself be stopped by pins (TrustKit does the same). The system's
/// own certificate validation and App Transport Security still apply. The configuration is
/// ephemeral: no cookies, no cache, no credentials stored.
public final class URLSessionReportTransport: ReportTransport, @unchecked Sendable {
    // @unchecked: URLSession is thread-safe, but not marked Sendable everywhere.
    private let session: URLSession

    /// A transport over `session`; by default an ephemeral session that sets no cookies.
    public init(session: URLSession? = nil) {
        self.session = session ?? .qorganOwn()
    }

    public func send(_ request: URLRequest, completion: @escaping @Sendable (Result<Int, Error>) -> Void) {
        session.dataTask(with: request) { _, response, error in
            if let error {
                completion(.failure(error))
            } else if let http = response as? HTTPURLResponse {
                completion(.success(http.statusCode))
            } else {
                completion(.failure(URLError(.badServerResponse)))
            }
        }.resume()
    }
}

/// Posts Qorgan's reports (`Report.json`, RFC 7469 / TrustKit-shaped) to the report URIs of the
/// pin rule that applied (`Report.reportUris`, from `QorganPinPolicy.Builder.reportURI`), and
/// to the app's own `fallbackURIs` for reports that name none (interception of an unpinned
/// host). There is no default endpoint: without URIs, nothing is sent anywhere.
///
/// ```swift
/// let uploader = QorganReportUploader(fallbackURIs: [URL(string: "https://api.example.com/qorgan")!])
/// let evaluator = try QorganTrustEvaluator(config: .ios(pinPolicy: policy),
///                                          reportHandler: uploader.reportHandler)
/// ```
///
/// `upload` returns at once: requests are built and sent from a private background queue, so
/// the handler is safe to call during a TLS handshake. Each URI gets one `POST` with
/// `Content-Type: application/json`; a 2xx answer is a success. There is no retry: the engine
/// deduplicates reports (an identical report is not delivered again for
/// `QorganConfig.reportDedupSeconds`), so a failed upload is seen in `onOutcome` only.
///
/// Only `https` URIs are used, and `http` to a loopback address (for local testing): a report
/// holds the host names and certificate chains of the user's connections.
public final class QorganReportUploader: @unchecked Sendable {
    // @unchecked: the mutable state (`pending`) is guarded by `lock`.

    /// What happened to one upload.
    public struct Outcome: Sendable, CustomStringConvertible {
        /// Where it was (or would have been) sent, as written in the policy.
        public let uri: String
        /// The report's host and port.
        public let hostname: String
        public let port: UInt16
        /// The HTTP status; `nil` when no response came.
        public let statusCode: Int?
        /// Why it failed (no response, a refused URI, the queue full); `nil` with a status.
        public let error: String?

        /// A 2xx answer came.
        public var succeeded: Bool { statusCode.map { (200..<300).contains($0) } ?? false }

        public var description: String {
            let what = statusCode.map { "HTTP \($0)" } ?? "failed: \(error ?? "?")"
            return "report for \(hostname):\(port) to \(uri): \(what)"
        }
    }

    /// Uploads in flight at most; beyond, reports are dropped (and said so in `onOutcome`).
    public static let defaultMaxPending = 32

    /// Used when a report names no URI.
    public let fallbackURIs: [URL]
    /// The transport.
    public let transport: ReportTransport
    /// Each request's timeout.
    public let timeout: TimeInterval
    /// The most uploads in flight.
    public let maxPending: Int

    private let onOutcome: (@Sendable (Outcome) -> Void)?
    private let queue = DispatchQueue(label: "kz.qorgan.report-upload", qos: .utility)
    private let inFlight = DispatchGroup()
    private let lock = NSLock()
    private var pending = 0

    /// - Parameters:
    ///   - transport: how requests are sent; an ephemeral `URLSession` by default.
    ///   - fallbackURIs: the app's own endpoints, for reports that name none.
    ///   - timeout: each request's timeout.
    ///   - maxPending: uploads in flight at most.
    ///   - onOutcome: called once per URI per report, on no particular thread.
    public init(
        transport: ReportTransport = URLSessionReportTransport(),
        fallbackURIs: [URL] = [],
        timeout: TimeInterval = 30,
        maxPending: Int = defaultMaxPending,
        onOutcome: (@Sendable (Outcome) -> Void)? = nil
    ) {
        self.transport = transport
        self.fallbackURIs = fallbackURIs
        self.timeout = timeout
        self.maxPending = max(1, maxPending)
        self.onOutcome = onOutcome
    }

    /// A report handler that uploads every report it is given; for
    /// `QorganTrustEvaluator(config:mode:reportHandler:)` or `Qorgan.setReportSink`.
    public var reportHandler: QorganReportHandler {
        QorganReportHandler { [self] report in upload(report) }
    }

    /// Queues `report` for upload to each of its URIs (or the fallback ones) and returns at once.
    public func upload(_ report: Report) {
        inFlight.enter()
        queue.async { [self] in
            defer { inFlight.leave() }
            let uris = report.reportUris.isEmpty ? fallbackURIs.map(\.absoluteString) : report.reportUris
            var seen = Set<String>()
            for uri in uris where seen.insert(uri).inserted {
                send(report, to: uri)
            }
        }
    }

    /// Waits until every queued upload has finished (or `timeout` passed); `true` when idle.
    /// For tests and for an app finishing its work before suspension; never on the main thread.
    @discardableResult
    public func waitUntilIdle(timeout: TimeInterval) -> Bool {
        inFlight.wait(timeout: .now() + timeout) == .success
    }

    /// The `POST` for `report` to `uri`, or why `uri` is not used.
    public static func request(for report: Report, to uri: String, timeout: TimeInterval = 30) -> Result<URLRequest, ReportUploadError> {
        guard let url = URL(string: uri), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            return .failure(ReportUploadError(message: "\"\(uri)\" is not an absolute URL"))
        }
        guard scheme == "https" || (scheme == "http" && isLoopback(host)) else {
            return .failure(ReportUploadError(message: "\"\(uri)\" is not https (reports name the user's connections; plain http is accepted for loopback addresses only)"))
        }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.httpShouldHandleCookies = false
        request.httpBody = Data(report.json.utf8)
        return .success(request)
    }

    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }

    private func send(_ report: Report, to uri: String) {
        let outcome = { @Sendable (status: Int?, error: String?) in
            Outcome(uri: uri, hostname: report.hostname, port: report.port, statusCode: status, error: error)
        }
        let request: URLRequest
        switch Self.request(for: report, to: uri, timeout: timeout) {
        case let .success(r): request = r
        case let .failure(e):
            onOutcome?(outcome(nil, e.message))
            return
        }
        lock.lock()
        let admitted = pending < maxPending
        if admitted { pending += 1 }
        lock.unlock()
        guard admitted else {
            onOutcome?(outcome(nil, "dropped: \(maxPending) uploads already in flight"))
            return
        }
        inFlight.enter()
        transport.send(request) { [self] result in
            lock.lock()
            pending -= 1
            lock.unlock()
            switch result {
            case let .success(status): onOutcome?(outcome(status, nil))
            case let .failure(error): onOutcome?(outcome(nil, error.localizedDescription))
            }
            inFlight.leave()
        }
    }
}

/// Why a report URI is not used.
public struct ReportUploadError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension Qorgan {
    /// Applies a signed knowledge bundle (interception CAs, distrusted keys and pins published
    /// after the app was built; `qorgan bundle sign`). The engine accepts it only when its
    /// signature verifies under one of `QorganConfig.bundleKeys`, it has not expired and its
    /// version is newer than the one in use (and not below `bundleMinVersion`). A refused bundle
    /// changes nothing.
    ///
    /// Connections already open (and TLS sessions a `URLSession` may resume) were judged with the
    /// old knowledge: after an update, start a new session for the traffic Qorgan guards.
    ///
    /// - Throws: `QorganBundleError`, one case per reason; `message` says what to do.
    @discardableResult
    public func applyBundle(_ data: Data) throws -> BundleInfo {
        try applyBundle(bytes: data)
    }
}

extension QorganBundleError {
    /// The engine's message alone: which check failed and what to do.
    public var message: String {
        switch self {
        case let .TooLarge(reason), let .NotABundle(reason), let .Malformed(reason), let .BadSignature(reason),
             let .NoKeys(reason), let .Internal(reason), let .UnknownKey(_, reason), let .Expired(_, reason),
             let .NotNewer(_, _, reason):
            return reason
        }
    }
}

/// Fetches the app's signed knowledge bundle from an HTTPS URL the app chooses, gives it to the
/// engine, and keeps the last one the engine accepted in `directory`, so that the next start
/// applies it before any fetch. The engine decides everything (signature, expiry, version); this
/// class moves bytes and reports what the engine said.
///
/// ```swift
/// let dir = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
///     .appendingPathComponent("qorgan-bundle")
/// let qorgan = try Qorgan(config: .ios(bundleKeys: ["<base64 from qorgan bundle keygen>"],
///                                      bundleMinVersion: QorganBundleUpdater.storedVersion(in: dir)))
/// let updater = try QorganBundleUpdater(url: URL(string: "https://example.org/qorgan.bundle")!,
///                                       directory: dir, qorgan: qorgan)
/// updater.applyStored()                        // at start, before the first connection
/// let timer = updater.scheduleDaily(on: .global(qos: .utility))   // or fetchNow() from a BGAppRefreshTask
/// ```
///
/// - **The fetch never goes through Qorgan**: an ephemeral `URLSession` of its own with no
///   delegate, so the system's default trust applies, never Qorgan's evaluator or pins (which a
///   bundle may change). The signature, not the transport, makes a bundle trustworthy.
/// - **Conditional requests**: the stored bundle's `ETag` and `Last-Modified` go out as
///   `If-None-Match` and `If-Modified-Since`; a 304 costs no download.
/// - **Stored only when accepted**: bytes, ETag, Last-Modified and version, each file replaced
///   atomically; a refused bundle leaves them as they were.
/// - **Scheduling is the app's**: `scheduleDaily(on:)`, or `fetchNow()` from the app's own
///   background task.
///
/// `fetchNow()` and `applyStored()` block (network, disk): call them off the main thread.
public final class QorganBundleUpdater: @unchecked Sendable {
    // @unchecked: the state is the directory on disk, guarded by `lock`; URLSession is
    // thread-safe.

    /// What one `fetchNow()` (or `applyStored()`) did.
    public enum Outcome: Sendable, Equatable {
        /// The engine accepted the bundle; it is in use and stored.
        case updated(BundleInfo)
        /// The server answered 304 Not Modified: the bundle in use stays.
        case notModified
        /// The engine refused the bundle (the error says which check failed); nothing changed.
        case refused(QorganBundleError)
        /// No bundle could be fetched: a connection or TLS failure (`statusCode` 0), or an HTTP
        /// status other than 200 and 304. Nothing changed.
        case networkError(description: String, statusCode: Int)
    }

    /// Where the bundle is fetched from.
    public let url: URL
    /// Where the last accepted bundle is kept (created when missing).
    public let directory: URL

    private let apply: @Sendable (Data) throws -> BundleInfo
    private let session: URLSession
    private let timeout: TimeInterval
    private let lock = NSLock()

    /// The most bytes one fetch accepts (the engine refuses bundles over about 1 MiB anyway).
    /// Checked once the data task has delivered the body (a declared larger length is refused
    /// first), so unlike the Kotlin updater it does not stop a longer body while it downloads.
    public static let maxDownloadBytes = 4 * 1024 * 1024

    /// An updater for `url` (`https`), storing in `directory` and applying with `apply`.
    ///
    /// - Parameters:
    ///   - allowInsecureLoopbackForTests: **tests only**: also accept `http://` to 127.0.0.1 or
    ///     `localhost` (Linux's URLSession cannot be told to trust a test CA). Never set it in
    ///     an app.
    ///   - session: the session to fetch with; default an ephemeral one with no delegate (the
    ///     system's trust). Never one whose delegate is a `QorganTrustEvaluator`.
    /// - Throws: `URLError(.unsupportedURL)` for a URL that is not `https`.
    public init(
        url: URL,
        directory: URL,
        timeout: TimeInterval = 30,
        session: URLSession? = nil,
        allowInsecureLoopbackForTests: Bool = false,
        apply: @escaping @Sendable (Data) throws -> BundleInfo
    ) throws {
        let scheme = url.scheme?.lowercased()
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(url.host ?? "")
        guard scheme == "https" || (scheme == "http" && loopback && allowInsecureLoopbackForTests) else {
            throw URLError(.unsupportedURL, userInfo: [
                NSLocalizedDescriptionKey: "bundle URL \(url) must be an absolute https:// URL",
            ])
        }
        self.url = url
        self.directory = directory
        self.timeout = timeout
        self.apply = apply
        self.session = session ?? .qorganOwn()
    }

    /// An updater applying to `qorgan` (see `init(url:directory:timeout:session:allowInsecureLoopbackForTests:apply:)`).
    public convenience init(
        url: URL,
        directory: URL,
        qorgan: Qorgan,
        timeout: TimeInterval = 30,
        session: URLSession? = nil,
        allowInsecureLoopbackForTests: Bool = false
    ) throws {
        try self.init(url: url, directory: directory, timeout: timeout, session: session,
                      allowInsecureLoopbackForTests: allowInsecureLoopbackForTests,
                      apply: { try qorgan.applyBundle($0) })
    }

    /// The version of the last bundle accepted and stored in `directory`, 0 when none: pass it
    /// as `QorganConfig.bundleMinVersion` so that after a restart an older bundle is refused.
    public static func storedVersion(in directory: URL) -> UInt64 {
        guard let text = try? String(contentsOf: directory.appendingPathComponent(File.version), encoding: .utf8)
        else { return 0 }
        return UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    private enum File {
        static let bundle = "bundle.qbundle"
        static let etag = "bundle.etag"
        static let lastModified = "bundle.last-modified"
        static let version = "bundle.version"
    }

    private func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

    private func read(_ name: String) -> String? {
        guard let text = try? String(contentsOf: file(name), encoding: .utf8) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Applies the stored bundle, if any: call it at start, before the first connection. `nil`
    /// when nothing is stored; `.refused` when the engine no longer takes it (expired since, for
    /// example; it stays stored so that its version still guards against a rollback).
    @discardableResult
    public func applyStored() -> Outcome? {
        lock.lock()
        defer { lock.unlock() }
        guard let data = try? Data(contentsOf: file(File.bundle)) else { return nil }
        return applied(data)
    }

    private func applied(_ data: Data) -> Outcome {
        do {
            return .updated(try apply(data))
        } catch let e as QorganBundleError {
            return .refused(e)
        } catch {
            return .refused(.Internal(reason: "\(error)"))
        }
    }

    /// Fetches the bundle now (conditionally) and applies it when the server sends a new one.
    /// Blocks until done.
    @discardableResult
    public func fetchNow() -> Outcome {
        lock.lock()
        defer { lock.unlock() }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        if FileManager.default.fileExists(atPath: file(File.bundle).path) {
            if let etag = read(File.etag) { request.setValue(etag, forHTTPHeaderField: "If-None-Match") }
            if let date = read(File.lastModified) { request.setValue(date, forHTTPHeaderField: "If-Modified-Since") }
        }
        let result = Response()
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: request) { data, response, error in
            result.set(data, response as? HTTPURLResponse, error)
            done.signal()
        }.resume()
        done.wait()
        let (data, response, error) = result.get()
        if let error {
            return .networkError(description: "\(error)", statusCode: 0)
        }
        guard let response else {
            return .networkError(description: "no HTTP response from \(url)", statusCode: 0)
        }
        switch response.statusCode {
        case 304:
            return .notModified
        case 200:
            break
        default:
            return .networkError(description: "HTTP \(response.statusCode) from \(url)", statusCode: response.statusCode)
        }
        let body = data ?? Data()
        guard body.count <= Self.maxDownloadBytes, response.expectedContentLength <= Int64(Self.maxDownloadBytes) else {
            return .networkError(description: "the bundle at \(url) is over \(Self.maxDownloadBytes) bytes", statusCode: 200)
        }
        let etag = response.value(forHTTPHeaderField: "ETag")
        let lastModified = response.value(forHTTPHeaderField: "Last-Modified")
        // A server without ETag or Last-Modified sends the bundle in use again: nothing new, not
        // a refusal (the engine refuses a version not newer than the one in use).
        if let stored = try? Data(contentsOf: file(File.bundle)), stored == body {
            try? Data((etag ?? "").utf8).write(to: file(File.etag), options: .atomic)
            try? Data((lastModified ?? "").utf8).write(to: file(File.lastModified), options: .atomic)
            return .notModified
        }
        let outcome = applied(body)
        if case let .updated(info) = outcome {
            // In use now; if storing fails, only the next start will not have it.
            try? store(body, info: info, etag: etag, lastModified: lastModified)
        }
        return outcome
    }

    /// Runs `fetchNow()` on `queue` now and then every `interval` (default one day), handing
    /// each outcome to `onOutcome`. Keep the returned timer; `cancel()` it to stop. The timer
    /// holds the updater weakly: keep a reference to the updater too.
    public func scheduleDaily(
        on queue: DispatchQueue,
        interval: TimeInterval = 86_400,
        onOutcome: @escaping @Sendable (Outcome) -> Void = { _ in }
    ) -> DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now(), repeating: interval)
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            onOutcome(self.fetchNow())
        }
        timer.resume()
        return timer
    }

    private func store(_ data: Data, info: BundleInfo, etag: String?, lastModified: String?) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // The bundle before its version: a crash in between leaves an older minimum (still met
        // by the stored bundle), never a minimum the stored bundle is refused under.
        try data.write(to: file(File.bundle), options: .atomic)
        try Data((etag ?? "").utf8).write(to: file(File.etag), options: .atomic)
        try Data((lastModified ?? "").utf8).write(to: file(File.lastModified), options: .atomic)
        try Data(String(info.version).utf8).write(to: file(File.version), options: .atomic)
    }

    /// What the data task delivered, handed from its thread to the waiting one.
    private final class Response: @unchecked Sendable {
        private let lock = NSLock()
        private var value: (Data?, HTTPURLResponse?, Error?) = (nil, nil, nil)

        func set(_ data: Data?, _ response: HTTPURLResponse?, _ error: Error?) {
            lock.lock()
            value = (data, response, error)
            lock.unlock()
        }

        func get() -> (Data?, HTTPURLResponse?, Error?) {
            lock.lock()
            defer { lock.unlock() }
            return value
        }
    }
}

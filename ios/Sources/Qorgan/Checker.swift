import Foundation

/// One host for `QorganChecker` to probe.
public struct CheckerTarget: Sendable, Hashable, CustomStringConvertible {
    /// The host name, sent as SNI: interception is triggered per name.
    public var host: String
    /// The port (ignored when `connectAddress` is set: its port is used).
    public var port: UInt16
    /// Connect to this `IP:PORT` instead of resolving `host` (`"203.0.113.7:443"`,
    /// `"[2001:db8::1]:443"`): to test a name against a given server.
    public var connectAddress: String?
    /// The group of a default target (`kz2019`, `kz2021_2024`, `control`); `nil` for others.
    public var group: String?

    public init(host: String, port: UInt16 = 443, connectAddress: String? = nil, group: String? = nil) {
        self.host = host
        self.port = port
        self.connectAddress = connectAddress
        self.group = group
    }

    /// The engine's default targets (`defaultProbeTargets()`): the domains Kazakhstan
    /// intercepted in 2019 and 2021-2024, and a few controls, on port 443.
    public static var defaults: [CheckerTarget] {
        defaultProbeTargets().map { CheckerTarget(host: $0.host, group: $0.group) }
    }

    public var description: String {
        connectAddress.map { "\(host) at \($0)" } ?? "\(host):\(port)"
    }
}

/// Where a check is: sent after each probe finishes.
public struct CheckerProgress: Sendable {
    /// Probes finished so far (this one included).
    public let completed: Int
    /// Probes in the check.
    public let total: Int
    /// The target just probed.
    public let target: CheckerTarget
    /// Its result; `nil` when the engine could not probe it (see `CheckerResult.failures`).
    public let result: ProbeResult?

    /// `completed / total`, for a progress bar.
    public var fraction: Double { total == 0 ? 1 : Double(completed) / Double(total) }
}

/// A probe the engine could not run at all (an unparsable `connectAddress`, an internal
/// failure). Not the network failing: that is a `ProbeResult` with verdict `unreachable`.
public struct CheckerFailure: Sendable, Error, CustomStringConvertible {
    public let target: CheckerTarget
    public let error: QorganError

    public var description: String { "\(target): \(error.message)" }
}

/// What `QorganChecker.run` found.
public struct CheckerResult: Sendable {
    /// What the screen shows: status, headline, advice (built by the engine's
    /// `summarizeCheck`, the same text on Android, iOS and the CLI).
    public let report: CheckerReport
    /// Every probe that ran, in the order of the targets.
    public let probes: [ProbeResult]
    /// The audit of the certificates the app supplied; `nil` when none were supplied or the
    /// audit failed (`auditFailure`).
    public let audit: AuditReport?
    /// Why the audit failed (a supplied entry is not a certificate).
    public let auditFailure: QorganError?
    /// Probes the engine could not run; left out of `report`.
    public let failures: [CheckerFailure]
    /// The task was cancelled: targets not yet started were skipped, and `report` covers the
    /// probes that finished.
    public let cancelled: Bool
    /// How long the whole check took.
    public let elapsedMs: UInt64
}

/// The standalone "is my connection intercepted?" check for a phone screen: probes a set of
/// hosts with real TLS handshakes (the default targets are the sites Kazakhstan's interception
/// system rewrote), audits the certificates the app can supply, and summarizes everything in
/// plain language with `summarizeCheck`.
///
/// ```swift
/// let checker = try QorganChecker()                       // default targets, platform .ios
/// let result = await checker.run { p in
///     Task { @MainActor in model.progress = p.fraction }
/// }
/// show(result.report.status, result.report.headline, result.report.advice)
/// ```
///
/// ## What a probe sees on iOS
///
/// On Apple platforms each probe is a handshake made by Network.framework, as the device's apps
/// make theirs, and the engine judges what it saw (`Qorgan.judgeHandshake`). The operating
/// system's verdict is SecTrust's: a root installed by a configuration profile or an MDM is
/// trusted by the OS but held by no public root program, so the probe reports
/// `interceptedLocal`, naming it. iOS has no API that lists those roots, so the trust-store
/// audit covers only `auditCertificates`, the certificates the app can supply (a profile's
/// payload, an enterprise CA file); it is optional. (On Linux, where the tests run, the engine's
/// own live probe makes the handshake.)
///
/// ## Threads
///
/// A probe blocks for up to the timeout. `run()` keeps those calls off Swift's
/// cooperative thread pool: each probe runs on a thread of its own, at most
/// `maxConcurrentProbes` (default and limit 8) at once, and the audit runs beside them. Call
/// `run()` from any task (a `.task` modifier, a `Task { }` from a button); it never blocks the
/// calling thread.
public final class QorganChecker: Sendable {
    /// A probe's default time limit: the engine's (`defaultProbeTimeoutMs()`), as on Android and
    /// in the CLI.
    public static let defaultTimeoutMs: UInt32 = defaultProbeTimeoutMs()
    /// The most probes at once.
    public static let maxConcurrentProbesLimit = 8

    /// The engine (its `trustedCertificates` are anchors the probes' analysis knows about).
    public let qorgan: Qorgan
    /// What is probed, in order.
    public let targets: [CheckerTarget]
    /// Certificates the app supplies for the audit (empty: no audit).
    public let auditCertificates: [TrustedCertificate]
    /// Each probe's time limit.
    public let timeoutMs: UInt32
    /// Probes at once (1 to 8).
    public let maxConcurrentProbes: Int
    /// Whose removal steps the advice gives.
    public let platform: DevicePlatform
    /// The language the person reads (a BCP 47 tag; the device's by default).
    public let language: String

    /// A checker over an existing engine.
    ///
    /// - Parameters:
    ///   - targets: the hosts to probe; default `CheckerTarget.defaults`.
    ///   - auditCertificates: certificates to audit (optional; see the type's documentation).
    ///   - timeoutMs: each probe's time limit.
    ///   - maxConcurrentProbes: probes at once, clamped to 1...8.
    ///   - platform: whose removal steps to give; `.ios` (use `.desktop` on a Mac).
    ///   - language: the language of the headline and advice (`kk`, `ru`, `en`; the device's by
    ///     default).
    public init(
        qorgan: Qorgan,
        targets: [CheckerTarget] = CheckerTarget.defaults,
        auditCertificates: [TrustedCertificate] = [],
        timeoutMs: UInt32 = defaultTimeoutMs,
        maxConcurrentProbes: Int = maxConcurrentProbesLimit,
        platform: DevicePlatform = .ios,
        language: String = QorganConfig.deviceLanguage
    ) {
        self.qorgan = qorgan
        self.targets = targets
        self.auditCertificates = auditCertificates
        self.timeoutMs = timeoutMs
        self.maxConcurrentProbes = min(max(maxConcurrentProbes, 1), Self.maxConcurrentProbesLimit)
        self.platform = platform
        self.language = language
    }

    /// A checker with its own engine.
    ///
    /// - Parameters:
    ///   - config: the engine's configuration; `.ios()` by default.
    ///   - hosts: host names to probe on port 443; `nil` for the default targets.
    /// - Throws: `QorganError.InvalidConfig` from the engine.
    public convenience init(
        config: QorganConfig = .ios(),
        hosts: [String]? = nil,
        auditCertificates: [TrustedCertificate] = [],
        timeoutMs: UInt32 = defaultTimeoutMs,
        platform: DevicePlatform = .ios,
        language: String = QorganConfig.deviceLanguage
    ) throws {
        self.init(
            qorgan: try Qorgan(config: config),
            targets: hosts.map { $0.map { CheckerTarget(host: $0) } } ?? CheckerTarget.defaults,
            auditCertificates: auditCertificates,
            timeoutMs: timeoutMs,
            platform: platform,
            language: language
        )
    }

    /// Runs the check: the audit and the probes, concurrently, then the summary.
    ///
    /// - Parameter progress: called after each probe, in the order they finish, one call at a
    ///   time, on no particular thread (hop to the main actor to update a view).
    /// - Returns: the summary and the raw results. Never throws: the network failing is a
    ///   result (`unreachable`, status `offline` when nothing answered). Cancelling the task
    ///   skips the targets not yet started (in-flight probes end within their timeout).
    public func run(progress: (@Sendable (CheckerProgress) -> Void)? = nil) async -> CheckerResult {
        let start = DispatchTime.now()
        let targets = self.targets
        let total = targets.count
        let limit = maxConcurrentProbes

        async let audited = auditSupplied()

        var outcomes = [Result<ProbeResult, QorganError>?](repeating: nil, count: total)
        let started = await withTaskGroup(of: (Int, Result<ProbeResult, QorganError>).self) { group in
            // A sliding window: at most `limit` probes in flight, the next one started as soon
            // as one finishes, none started once the task is cancelled.
            var next = 0
            while next < min(limit, total), !Task.isCancelled {
                let i = next
                group.addTask { (i, await self.probeOffPool(targets[i])) }
                next += 1
            }
            var completed = 0
            for await (i, outcome) in group {
                outcomes[i] = outcome
                completed += 1
                progress?(CheckerProgress(
                    completed: completed,
                    total: total,
                    target: targets[i],
                    result: try? outcome.get()
                ))
                if next < total, !Task.isCancelled {
                    let j = next
                    group.addTask { (j, await self.probeOffPool(targets[j])) }
                    next += 1
                }
            }
            return next
        }
        let cancelled = started < total

        var probes: [ProbeResult] = []
        var failures: [CheckerFailure] = []
        for (i, outcome) in outcomes.enumerated() {
            switch outcome {
            case let .success(result)?: probes.append(result)
            case let .failure(error)?: failures.append(CheckerFailure(target: targets[i], error: error))
            case nil: break
            }
        }
        let (audit, auditFailure) = await audited
        let report = summarizeCheck(audit: audit, probes: probes, platform: platform, language: language)
        let elapsed = (DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000
        return CheckerResult(
            report: report,
            probes: probes,
            audit: audit,
            auditFailure: auditFailure,
            failures: failures,
            cancelled: cancelled,
            elapsedMs: elapsed
        )
    }

    /// One blocking probe on a thread of its own, awaited without holding a cooperative thread.
    private func probeOffPool(_ target: CheckerTarget) async -> Result<ProbeResult, QorganError> {
        await Self.offPool { self.probe(target) }
    }

    /// Runs blocking `work` on a new thread and awaits its result. A thread per call rather than
    /// a concurrent dispatch queue: a concurrent queue's blocked work items are not replaced by
    /// new threads everywhere (Linux's libdispatch keeps to the CPU count), and the window in
    /// `run()` already bounds how many run at once.
    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: work())
            }
            thread.name = "kz.qorgan.checker"
            thread.qualityOfService = .userInitiated
            thread.stackSize = 2 << 20 // as Rust's own threads: path building and TLS in Rust
            thread.start()
        }
    }

    /// One probe, on the calling thread (blocking). On Apple platforms the handshake is
    /// Network.framework's and the engine judges it; elsewhere (Linux) the engine's own live
    /// probe makes it. The judgement is the same code either way.
    private func probe(_ target: CheckerTarget) -> Result<ProbeResult, QorganError> {
        do {
            #if canImport(Network) && canImport(Security)
            let observation = PlatformHandshake.observe(
                host: target.host,
                port: target.port,
                connectAddress: target.connectAddress,
                timeoutMs: timeoutMs
            )
            return .success(try qorgan.judgeHandshake(observation: observation))
            #else
            return .success(try qorgan.probe(
                host: target.host,
                port: target.port,
                timeoutMs: timeoutMs,
                connectAddress: target.connectAddress
            ))
            #endif
        } catch {
            return .failure(QorganTrustError.asQorganError(error))
        }
    }

    private func auditSupplied() async -> (AuditReport?, QorganError?) {
        let certificates = auditCertificates
        guard !certificates.isEmpty else { return (nil, nil) }
        let qorgan = self.qorgan
        let outcome: Result<AuditReport, QorganError> = await Self.offPool {
            do {
                return .success(try qorgan.audit(certificates: certificates))
            } catch {
                return .failure(QorganTrustError.asQorganError(error))
            }
        }
        switch outcome {
        case let .success(report): return (report, nil)
        case let .failure(error): return (nil, error)
        }
    }
}

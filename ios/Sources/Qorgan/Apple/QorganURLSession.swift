// Apple-only glue: SecTrust and URLSession. Not compiled on Linux (no Security framework) and
// not compiled in this project's CI: written against Apple's documentation for iOS 15 / macOS 12
// (SecTrustEvaluateWithError, SecTrustGetTrustResult, SecTrustCopyCertificateChain,
// URLSessionDelegate.urlSession(_:didReceive:completionHandler:)). Build it with
// scripts/build-ios.sh and Xcode.

#if canImport(Security)
import Foundation
import Security

/// Trust evaluation may block on the network (revocation, missing intermediates): never on the
/// main thread. Concurrent, because evaluations are independent.
private let qorganTrustQueue = DispatchQueue(
    label: "kz.qorgan.trust-evaluation",
    qos: .userInitiated,
    attributes: .concurrent
)

/// Carries values that are not `Sendable` (a `SecTrust`, URLSession's completion handler) to the
/// evaluation queue. Sound because each is used by exactly one closure, once.
private struct Handoff<T>: @unchecked Sendable {
    let value: T
}

@available(iOS 15.0, macOS 12.0, tvOS 15.0, watchOS 8.0, *)
extension QorganTrustEvaluator {
    /// Evaluates a server trust the way the platform does, then lets Qorgan decide.
    ///
    /// 1. `SecTrustEvaluateWithError` with the trust's own policies (for a URLSession challenge:
    ///    the SSL policy for the host, plus the system's trust settings, including roots installed
    ///    by profiles and MDM).
    /// 2. `SecTrustCopyCertificateChain`: after a successful evaluation, the validated chain, leaf
    ///    first and anchor last. After a failed one, the partial chain the platform built from what
    ///    the server sent. (iOS has no public API for the certificates exactly as served:
    ///    `SecTrustCopyInputCertificates` is private; Network.framework's
    ///    `sec_protocol_metadata_access_peer_certificate_chain` has them for NWConnection users.)
    /// 3. `SecTrustGetTrustResult`: `.proceed` means the user explicitly trusted the anchor (a
    ///    profile root with full trust enabled); system roots give `.unspecified`. Apple's DTS
    ///    calls this a signal, not a proof, so it only corroborates the verdict.
    /// 4. `evaluate(host:port:servedChain:validatedChain:...)`: `analyzeValidated` when the
    ///    platform accepted (an anchor outside Apple's store gives `interceptedLocal`), `analyze`
    ///    when it refused.
    ///
    /// Synchronous and possibly slow: call it off the main thread.
    public func evaluate(trust: SecTrust, host: String, port: UInt16 = 443) -> TrustDecision {
        var cfError: CFError?
        let platformAccepted = SecTrustEvaluateWithError(trust, &cfError)
        var result = SecTrustResultType.invalid
        let userTrusted = SecTrustGetTrustResult(trust, &result) == errSecSuccess && result == .proceed
        let chain = Self.derChain(of: trust)
        if platformAccepted {
            return evaluate(
                host: host,
                port: port,
                servedChain: chain,
                validatedChain: chain,
                anchorTrustedByUser: userTrusted
            )
        }
        let why = cfError.map { CFErrorCopyDescription($0) as String } ?? "SecTrustEvaluateWithError failed"
        return evaluate(host: host, port: port, servedChain: chain, validatedChain: nil, platformFailure: why)
    }

    /// Handles a URLSession server-trust challenge: for any delegate that already exists.
    ///
    /// ```swift
    /// func urlSession(_ session: URLSession, didReceive challenge: URLAuthenticationChallenge,
    ///                 completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
    ///     if evaluator.handle(challenge, completionHandler: completionHandler) { return }
    ///     completionHandler(.performDefaultHandling, nil)   // not a server-trust challenge
    /// }
    /// ```
    ///
    /// Returns `false`, without calling `completionHandler`, when the challenge is not
    /// `NSURLAuthenticationMethodServerTrust`. Otherwise it returns `true` at once and calls
    /// `completionHandler` exactly once, later, from a background queue (the evaluation may
    /// block on the network):
    ///
    /// - allowed: `.performDefaultHandling`, so the system applies its own evaluation and App
    ///   Transport Security as if Qorgan were not there (Qorgan never widens trust);
    /// - refused: `.cancelAuthenticationChallenge`; the task fails with `NSURLErrorCancelled`,
    ///   and `onDecision` receives the decision whose `refusal` says why.
    ///
    /// - Parameter onDecision: called with every decision for a server-trust challenge, before
    ///   `completionHandler`, on the evaluation queue (log it, surface `refusal` to the UI).
    @discardableResult
    public func handle(
        _ challenge: URLAuthenticationChallenge,
        onDecision: (@Sendable (TrustDecision) -> Void)? = nil,
        completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) -> Bool {
        let space = challenge.protectionSpace
        guard space.authenticationMethod == NSURLAuthenticationMethodServerTrust,
              let trust = space.serverTrust
        else { return false }
        let host = space.host
        let port = UInt16(clamping: space.port)
        let handoff = Handoff(value: (trust, completionHandler))
        qorganTrustQueue.async {
            let (trust, completion) = handoff.value
            let decision = self.evaluate(trust: trust, host: host, port: port)
            onDecision?(decision)
            if decision.isAllowed {
                completion(.performDefaultHandling, nil)
            } else {
                completion(.cancelAuthenticationChallenge, nil)
            }
        }
        return true
    }

    /// The trust's certificate chain as DER, leaf first (evaluates the trust if it was not yet).
    static func derChain(of trust: SecTrust) -> [Data] {
        guard let certificates = SecTrustCopyCertificateChain(trust) as? [SecCertificate] else {
            return []
        }
        return certificates.map { SecCertificateCopyData($0) as Data }
    }
}

/// A session delegate that runs every server-trust challenge through Qorgan.
///
/// ```swift
/// let evaluator = try QorganTrustEvaluator(config: .ios(), mode: .enforce,
///                                          reportHandler: QorganReportHandler { report in ... })
/// let session = URLSession(configuration: .default,
///                          delegate: QorganURLSessionDelegate(evaluator: evaluator),
///                          delegateQueue: nil)
/// ```
///
/// Other challenges (client certificates, HTTP auth) get `.performDefaultHandling`. Subclass it
/// to add task or data delegate methods; an app that already has a delegate calls
/// `QorganTrustEvaluator.handle(_:onDecision:completionHandler:)` from it instead.
@available(iOS 15.0, macOS 12.0, tvOS 15.0, watchOS 8.0, *)
open class QorganURLSessionDelegate: NSObject, URLSessionDelegate, @unchecked Sendable {
    /// The evaluator every server-trust challenge goes through.
    public let evaluator: QorganTrustEvaluator
    /// Receives every decision (see `QorganTrustEvaluator.handle`).
    public let onDecision: (@Sendable (TrustDecision) -> Void)?

    /// Runs challenges through `evaluator`; `onDecision` sees each decision.
    public init(evaluator: QorganTrustEvaluator, onDecision: (@Sendable (TrustDecision) -> Void)? = nil) {
        self.evaluator = evaluator
        self.onDecision = onDecision
        super.init()
    }

    // The explicit selector keeps this method visible to URLSession even if a future SDK changes
    // the Swift signature of the requirement (for example by adding @Sendable to the handler):
    // a method that silently stopped matching would leave every connection unchecked.
    @objc(URLSession:didReceiveChallenge:completionHandler:)
    open func urlSession(
        _ session: URLSession,
        didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        if !evaluator.handle(challenge, onDecision: onDecision, completionHandler: completionHandler) {
            completionHandler(.performDefaultHandling, nil)
        }
    }
}

#if os(macOS)
extension TrustStoreAudit {
    /// Audits the roots in the macOS user and admin trust-settings domains: what users, admins
    /// and MDM profiles added (the system domain is Apple's own store). macOS only: iOS has no
    /// such API.
    ///
    /// - Throws: `QorganError.InvalidInput` when the trust settings cannot be read.
    public func auditTrustSettings() throws -> AuditReport {
        var entries: [TrustedCertificate] = []
        for domain in [SecTrustSettingsDomain.user, SecTrustSettingsDomain.admin] {
            var certificates: CFArray?
            let status = SecTrustSettingsCopyCertificates(domain, &certificates)
            if status == errSecNoTrustSettings { continue }
            guard status == errSecSuccess else {
                let why = SecCopyErrorMessageString(status, nil) as String? ?? "OSStatus \(status)"
                throw QorganError.InvalidInput(reason: "cannot read the trust settings: \(why)")
            }
            for certificate in (certificates as? [SecCertificate]) ?? [] {
                // Not Apple's: someone on this machine added it (user domain: a user; admin
                // domain: an administrator or a configuration profile).
                entries.append(TrustedCertificate(der: SecCertificateCopyData(certificate) as Data, userAdded: true))
            }
        }
        return try audit(entries)
    }
}
#endif
#endif

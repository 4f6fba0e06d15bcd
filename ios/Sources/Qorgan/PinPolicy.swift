import Foundation

/// An app's pin policy, checked by the engine when it was made: the text for
/// `QorganConfig.pinPolicy` (Qorgan's JSON format, or an Android Network Security Config file)
/// and what was risky in it.
///
/// ```swift
/// let policy = try QorganPinPolicy.Builder()
///     .add("**.example.com", "sha256/C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=",   // a CA's key
///                            "sha256/<your backup key>")
///     .expiration("2027-01-31")                 // fails open from that day on (00:00 UTC)
///     .reportOnly()                             // measure first; enforce in a later release
///     .reportURI("https://reports.example.com/pins")
///     .build()
/// let evaluator = try QorganTrustEvaluator(config: .ios(pinPolicy: policy), reportHandler: ...)
/// ```
///
/// Pins are checked on the chain the platform validated, never on what the server merely sent,
/// and the most specific rule for a host is the only one that applies (where OkHttp takes the
/// union of every matching pattern, Qorgan does not: a broad rule cannot weaken a narrow one).
/// A root installed on the device (a profile, an MDM, a government) never bypasses pins; only a
/// `dangerousDebugOverride` in an engine built with `QorganConfig.dangerousDebugBuild` does.
///
/// Pinning is dangerous: a pin set that no longer matches the server's keys locks every installed
/// copy of the app out until users update. Pin at least two keys (one a backup you hold or a
/// second CA's), set an expiration, and ship report-only first.
public struct QorganPinPolicy: Sendable, Equatable, CustomStringConvertible {
    /// The policy as the engine reads it: `QorganConfig.pinPolicy`.
    public let text: String
    /// What was risky when the engine loaded it (a single pin without a backup, expired pins,
    /// an ignored `overridePins`), one sentence each. Worth logging in debug builds.
    public let warnings: [String]

    /// Loads and checks a policy: Qorgan's JSON format, or the text of an Android
    /// `network_security_config.xml` (told apart by the first character). Keeps `text` as given.
    ///
    /// - Throws: `QorganError.InvalidConfig` with the engine's message (`pin policy: ...`, with
    ///   a line and column for XML, a JSON path for JSON).
    public init(text: String) throws {
        let engine = try Qorgan(config: QorganConfig(
            trustedCertificates: [],
            allowedAnchorPins: [],
            platform: .ios,
            pinPolicy: text
        ))
        self.text = text
        self.warnings = engine.pinPolicyWarnings()
    }

    /// Loads a policy file (for example one shipped in the app bundle).
    public init(contentsOf url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw QorganError.InvalidConfig(reason: "cannot read pin policy \(url.path): \(error.localizedDescription)")
        }
        try self.init(text: text)
    }

    public var description: String { text }

    /// A new, empty builder.
    public static func builder() -> Builder { Builder() }

    /// What `Builder.build()` gives: the engine already checked it.
    init(checked built: BuiltPinPolicy) {
        text = built.text
        warnings = built.warnings
    }

    /// Builds a policy in code, as OkHttp's `CertificatePinner.Builder` does: a thin wrapper over
    /// the engine's builder (`PinPolicyBuilder`, `rust-core/ffi/src/pins.rs`), which checks the
    /// policy and writes it in Qorgan's JSON format (`rust-core/engine/src/pinning/json.rs`), the same
    /// text as Android's `QorganPinPolicy.Builder`.
    ///
    /// Immutable: every call returns a new builder, so a builder can be shared and extended.
    /// Calls never fail; `build()` checks everything (in the engine) and throws
    /// `QorganError.InvalidConfig` naming the entry at fault.
    ///
    /// Patterns are OkHttp's: `example.com` (that host only), `*.example.com` (exactly one more
    /// label), `**.example.com` (`example.com` and every name under it). The methods that take
    /// an optional `pattern` apply to the pattern most recently passed to `add` when it is `nil`,
    /// so that `add(...).expiration(...).reportOnly()` reads as one entry.
    public struct Builder: Sendable, Equatable {
        /// The engine's builder; immutable too (each call gives a new one).
        private var engine = PinPolicyBuilder()
        private var current: String?
        /// The first call that could not be applied, reported by `build()`.
        private var misuse: String?

        /// An empty policy (pins nothing).
        public init() {}

        /// Pins `pins` (`sha256/<base64>`, or bare base64, of a SubjectPublicKeyInfo's SHA-256)
        /// for hosts matching `pattern`. Adding a pattern again adds pins to the same entry.
        public func add(_ pattern: String, _ pins: String...) -> Builder {
            add(pattern, pins: pins)
        }

        /// Pins `pins` for hosts matching `pattern`.
        public func add(_ pattern: String, pins: [String]) -> Builder {
            var b = self
            b.engine = engine.add(pattern: pattern, pins: pins)
            b.current = pattern
            return b
        }

        /// Stops enforcing the pins from `date` on (`yyyy-MM-dd`, 00:00 UTC that day), so that an
        /// app nobody updates fails open instead of locking its users out. Each check of an
        /// expired host gives a `pin_policy_expired` finding.
        public func expiration(_ date: String, for pattern: String? = nil) -> Builder {
            modify(pattern, "expiration(\"\(date)\")") { $0.expiration(pattern: $1, date: date) }
        }

        /// Stops enforcing the pins from the UTC calendar day of `date` on (00:00 UTC).
        public func expiration(_ date: Date, for pattern: String? = nil) -> Builder {
            expiration(Self.utcDay(date), for: pattern)
        }

        /// Report-only: a mismatch is reported (and shown as a `pin_mismatch` warning), the
        /// connection is not refused.
        public func reportOnly(_ pattern: String? = nil) -> Builder {
            modify(pattern, "reportOnly()") { $0.reportOnly(pattern: $1) }
        }

        /// Where pin failures for this entry are reported (`Report.reportUris`;
        /// `QorganReportUploader` posts there). HTTPS.
        public func reportURI(_ uri: String, for pattern: String? = nil) -> Builder {
            modify(pattern, "reportURI(\"\(uri)\")") { $0.reportUri(pattern: $1, uri: uri) }
        }

        /// Hosts matching `pattern` are not pinned, though a broader entry covers them. The
        /// pattern must lie under an added entry's domain.
        public func exclude(_ pattern: String) -> Builder {
            var b = self
            b.engine = engine.exclude(pattern: pattern)
            return b
        }

        /// Accepts a non-public anchor (an enterprise TLS proxy) by its key: for every host when
        /// `pattern` is `nil`, else for that entry only (replacing the policy-wide list there).
        /// An allowed anchor is still reported, and it never bypasses pins.
        public func allowAnchor(_ pin: String, for pattern: String? = nil) -> Builder {
            var b = self
            b.engine = engine.allowAnchor(pin: pin, pattern: pattern)
            return b
        }

        /// **Dangerous.** Lets anchors with this key (or `"user"`: user-installed ones, or
        /// `"system"`) bypass pins, but only in an engine built with
        /// `QorganConfig.dangerousDebugBuild`; mismatches are still reported. A known
        /// interception CA is never let through.
        public func dangerousDebugOverride(_ anchor: String) -> Builder {
            var b = self
            b.engine = engine.dangerousDebugOverride(anchor: anchor)
            return b
        }

        /// The policy in Qorgan's JSON format, as `build()` gives it (the engine's canonical
        /// text); `"{}"` when `build()` would throw.
        public var json: String {
            (try? build().text) ?? "{}"
        }

        /// Checks every pin, pattern, date and URI (in the engine) and gives the policy.
        ///
        /// - Throws: `QorganError.InvalidConfig` with the engine's message naming the entry at
        ///   fault, or naming the builder call that could not be applied.
        public func build() throws -> QorganPinPolicy {
            if let misuse { throw QorganError.InvalidConfig(reason: misuse) }
            return QorganPinPolicy(checked: try engine.build())
        }

        // MARK: - internals

        private func modify(_ pattern: String?, _ call: String,
                            _ change: (PinPolicyBuilder, String) -> PinPolicyBuilder) -> Builder {
            var b = self
            if let target = pattern ?? current {
                b.engine = change(engine, target)
            } else if b.misuse == nil {
                b.misuse = "pin policy builder: \(call) was called before any add(pattern, pins); call add first or pass the pattern (for: \"example.com\")"
            }
            return b
        }

        private static func utcDay(_ date: Date) -> String {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
        }
    }
}

extension QorganConfig {
    /// The configuration for an app on iOS (or macOS) with a pin policy: as
    /// `ios(allowedAnchorPins:trustedCertificates:reportDedupSeconds:)`, plus `pinPolicy`, and
    /// `dangerousDebugBuild` (never in a release build: it lets the policy's debug overrides
    /// bypass pins).
    public static func ios(
        pinPolicy: QorganPinPolicy?,
        allowedAnchorPins: [String] = [],
        trustedCertificates: [TrustedCertificate] = [],
        reportDedupSeconds: UInt64 = defaultReportDedupSeconds,
        dangerousDebugBuild: Bool = false
    ) -> QorganConfig {
        var config = ios(
            allowedAnchorPins: allowedAnchorPins,
            trustedCertificates: trustedCertificates,
            reportDedupSeconds: reportDedupSeconds
        )
        config.pinPolicy = pinPolicy?.text
        config.dangerousDebugBuild = dangerousDebugBuild
        return config
    }
}

import Foundation

/// Classifies trust-store certificates: which are known interception CAs, which are held by no
/// public root program (user, enterprise or government roots), which are public.
///
/// ## What iOS allows
///
/// iOS has no API that lists the roots a user or an MDM installed (`SecTrustSettings*` and
/// `SecTrustCopyAnchorCertificates` exist only on macOS), so unlike Android's `AndroidCAStore`
/// there is no store to walk. What an iOS app can audit:
///
/// - anchors it has seen: `TrustDecision.verdict?.anchor` of each connection already carries the
///   same classification, and the evaluator reports non-public ones;
/// - certificates it is given: a profile's payload, an enterprise's CA file, a certificate the
///   user picks (`audit(pem:userAdded:)`).
///
/// On macOS, `auditTrustSettings()` (in the Apple-only part) reads the user and admin trust
/// settings domains.
public struct TrustStoreAudit: Sendable {
    /// The engine whose tables and configuration classify the certificates.
    public let qorgan: Qorgan

    /// Audits with `qorgan`'s tables.
    public init(qorgan: Qorgan) {
        self.qorgan = qorgan
    }

    /// Audits `certificates` (DER, with the platform's word on whether the user installed each).
    ///
    /// - Throws: `QorganError.InvalidInput` naming the first entry that is not a certificate.
    public func audit(_ certificates: [TrustedCertificate]) throws -> AuditReport {
        try qorgan.audit(certificates: certificates)
    }

    /// Audits every certificate in a PEM text.
    public func audit(pem: String, userAdded: Bool) throws -> AuditReport {
        try audit(PEM.certificates(in: pem).map { TrustedCertificate(der: $0, userAdded: userAdded) })
    }
}
